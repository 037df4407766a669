package planner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// BenchmarkPlanForEach plans 1,000 new instances made with count and the
// same made with for_each (keys k0 … k999): keyed copies cost what counted
// ones do.
func BenchmarkPlanForEach(b *testing.B) {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	const res = "version: 1\nstack: bench\nregion: CN_Beijing_A\nresources:\n" +
		"  net: {kind: vdc, properties: {name: bench}}\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan, address: 10.0.0.0, mask: 16}}\n"
	web := "  web: {kind: instance, %s, properties: {vdc: \"${net.id}\", name: \"web-%s\", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, private_ips: [{network: \"${lan.id}\"}]}}\n"
	for _, tc := range []struct{ name, src string }{
		{"count", res + fmt.Sprintf(web, "count: 1000", "${index}")},
		{"for_each", res + fmt.Sprintf(web, "for_each: ["+strings.Join(keys, ", ")+"]", "${each.key}")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := spec.Parse("bench.yaml", []byte(tc.src))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				p, err := planner.Plan(planner.Input{Stack: s, Snapshot: &state.Snapshot{Resources: map[string]*state.Record{}}})
				if err != nil || len(p.Changes) != 1002 {
					b.Fatalf("plan: %v", err)
				}
			}
		})
	}
}
