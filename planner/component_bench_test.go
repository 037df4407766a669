package planner_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// BenchmarkPlanComponents plans 200 new resources written flat and the
// same 200 as 20 uses of a component of 10: load (reading the component
// files included) and plan. The issue asks components to stay within 2×.
func BenchmarkPlanComponents(b *testing.B) {
	dir := b.TempDir()
	const head = "version: 1\nstack: bench\nregion: CN_Beijing_A\n"
	var comp, flat, uses strings.Builder
	comp.WriteString("version: 1\ninputs:\n  name: {type: string}\nresources:\n")
	flat.WriteString(head + "resources:\n")
	uses.WriteString(head + "resources: {}\ncomponents:\n")
	for r := 0; r < 10; r++ {
		fmt.Fprintf(&comp, "  r%d: {kind: vdc, properties: {name: \"${input.name}-%d\"}}\n", r, r)
	}
	for c := 0; c < 20; c++ {
		fmt.Fprintf(&uses, "  c%d: {source: svc.yaml, inputs: {name: c%d}}\n", c, c)
		for r := 0; r < 10; r++ {
			fmt.Fprintf(&flat, "  c%d_r%d: {kind: vdc, properties: {name: \"c%d-%d\"}}\n", c, r, c, r)
		}
	}
	for name, src := range map[string]string{"svc.yaml": comp.String(), "flat.yaml": flat.String(), "uses.yaml": uses.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, tc := range []struct{ name, file string }{{"flat", "flat.yaml"}, {"components", "uses.yaml"}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := spec.Load(filepath.Join(dir, tc.file))
				if err != nil {
					b.Fatal(err)
				}
				p, err := planner.Plan(planner.Input{Stack: s, Snapshot: &state.Snapshot{Resources: map[string]*state.Record{}}})
				if err != nil || len(p.Changes) != 200 {
					b.Fatalf("plan: %v", err)
				}
			}
		})
	}
}
