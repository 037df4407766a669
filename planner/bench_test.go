package planner_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/preflight"
	"github.com/cdstack/cdstack/pricing"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// benchSource is the stack of benchWorld with n resources.
func benchSource(n int) string {
	var src strings.Builder
	src.WriteString("version: 1\nstack: bench\nregion: CN_Beijing_A\nresources:\n")
	src.WriteString("  net: {kind: vdc, properties: {name: bench}}\n")
	src.WriteString("  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan, address: 10.0.0.0, mask: 16}}\n")
	for g, count := range benchGroups(n) {
		fmt.Fprintf(&src, "  web%d: {kind: instance, count: %d, properties: {vdc: \"${net.id}\", name: \"web%d-${index}\", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Bench-Passw0rd, private_ips: [{network: \"${lan.id}\"}]}}\n", g, count, g)
	}
	return src.String()
}

// benchGroups splits n-2 instances in groups of up to 1000.
func benchGroups(n int) []int {
	groups := []int{}
	for left := n - 2; left > 0; left -= 1000 {
		groups = append(groups, min(left, 1000))
	}
	return groups
}

// resizedBenchStack is benchWorld's stack of 1,002 resources with every
// instance at 2 GB of RAM and with a data disk: 1,000 in-place updates.
func resizedBenchStack(b *testing.B) *spec.Stack {
	src := strings.ReplaceAll(benchSource(1002), "ram: 1,", "ram: 2, data_disks: [{size: 100, type: ssd_disk}],")
	s, err := spec.Parse("bench.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchWorld builds a stack of n resources (a VDC, a private network and
// n-2 instances in groups of up to 1000), the same resources in the
// emulator, and a state that records them: a plan over them has no changes.
func benchWorld(b *testing.B, n int) (*spec.Stack, *state.Snapshot, *emulator.Server, *cloud.Client) {
	b.Helper()
	groups := benchGroups(n)
	stack, err := spec.Parse("bench.yaml", []byte(benchSource(n)))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, Seed: 5})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "bench", Serial: 1, Format: 1}, Resources: map[string]*state.Record{}}
	vdcID, lanID := "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	err = srv.Mutate(func(w *emulator.World, touch func(string, string)) {
		w.VDCs[vdcID] = &emulator.VDC{ID: vdcID, Name: "bench", Region: "CN_Beijing_A", Created: now, Busy: emulator.Busy{Status: "ok"}}
		w.Privates[lanID] = &emulator.PrivateNet{ID: lanID, VdcID: vdcID, Name: "lan", Type: "auto", Network: 10 << 24, Mask: 16, Created: now, Busy: emulator.Busy{Status: "ok"}}
		seq := uint64(0)
		for g, count := range groups {
			for i := 0; i < count; i++ {
				seq++
				id := fmt.Sprintf("%08x-0000-4000-8000-%012x", seq, seq)
				ip := fmt.Sprintf("10.0.%d.%d", (seq+2)/256, (seq+2)%256)
				w.Instances[id] = &emulator.Instance{ID: id, Seq: seq, Name: fmt.Sprintf("web%d-%d", g, i), VdcID: vdcID, Region: "CN_Beijing_A",
					ChargeType: "PostPaid", InstanceType: "Standard", ImageID: "Centos_7.6_64", CPU: 1, RAM: 1, Created: now,
					SystemDisk: emulator.Disk{ID: id, Size: 20, Type: "ssd_disk"}, DataDisks: []emulator.Disk{},
					PrivateNICs: []emulator.NIC{{ID: id, NetworkID: lanID, Name: "lan", IP: ip, MAC: "00:50:56:00:00:01", Connected: true}},
					Busy:        emulator.Busy{Status: "running"}}
				addr := fmt.Sprintf("web%d[%d]", g, i)
				snap.Resources[addr] = &state.Record{Addr: addr, Kind: "instance", ID: id, Region: "CN_Beijing_A",
					Inputs: map[string]any{"vdc": vdcID, "name": fmt.Sprintf("web%d-%d", g, i), "instance_type": "Standard", "cpu": int64(1), "ram": int64(1),
						"image": "Centos_7.6_64", "region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "",
						"data_disks": []any{}, "private_ips": []any{map[string]any{"network": lanID, "ip": "auto"}}, "security_groups": []any{}},
					Outputs: map[string]any{"id": id}, Deps: []string{"lan", "net"}}
			}
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	snap.Resources["net"] = &state.Record{Addr: "net", Kind: "vdc", ID: vdcID, Inputs: map[string]any{"name": "bench", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": vdcID}}
	snap.Resources["lan"] = &state.Record{Addr: "lan", Kind: "private_network", ID: lanID, Inputs: map[string]any{"vdc": vdcID, "name": "lan", "type": "auto", "address": "10.0.0.0", "mask": int64(16)},
		Outputs: map[string]any{"id": lanID}, Deps: []string{"net"}}
	hs := httptest.NewServer(srv)
	b.Cleanup(hs.Close)
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	if err != nil {
		b.Fatal(err)
	}
	return stack, snap, srv, c
}

// BenchmarkRefreshAndPlan reports, per stack size, the wall time of a
// refresh plus plan, allocations, the heap in use after planning, and the
// API calls the refresh made.
func BenchmarkRefreshAndPlan(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			stack, snap, srv, c := benchWorld(b, n)
			scope := resources.Scope{VDCs: []string{snap.Resources["net"].ID}}
			ctx := context.Background()
			var peak uint64
			var planTime time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				srv.ResetCalls()
				live, err := resources.Refresh(ctx, c, scope)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				p, err := planner.Plan(planner.Input{Stack: stack, Snapshot: snap, Live: live})
				planTime += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if p.HasChanges() || len(p.Drift) > 0 {
					b.Fatalf("the benchmark world is not converged: %d changes, %d drift", len(p.Changes), len(p.Drift))
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			calls := 0
			for _, n := range srv.Calls() {
				calls += n
			}
			b.ReportMetric(float64(calls), "api-calls")
			b.ReportMetric(float64(planTime.Milliseconds())/float64(b.N), "plan-ms")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
		})
	}
}

// BenchmarkPlanSharedSecret plans 1,000 instances whose password comes from
// one sensitive variable, as a new process would: without derived keys in
// memory. It reports the key derivations each plan ran (one: the records
// were written by one apply) and the plan's wall time.
func BenchmarkPlanSharedSecret(b *testing.B) {
	const n, pw = 1000, "Shared-Passw0rd"
	src := "version: 1\nstack: bench\nregion: CN_Beijing_A\nvariables:\n  pw: {default: " + pw + ", sensitive: true}\nresources:\n" +
		"  net: {kind: vdc, properties: {name: bench}}\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan, address: 10.0.0.0, mask: 16}}\n" +
		fmt.Sprintf("  web: {kind: instance, count: %d, properties: {vdc: \"${net.id}\", name: \"web-${index}\", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: \"${var.pw}\", private_ips: [{network: \"${lan.id}\"}]}}\n", n)
	stack, err := spec.Parse("bench.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "bench", Serial: 1, Format: 1}, Resources: map[string]*state.Record{
		"net": {Addr: "net", Kind: "vdc", ID: "v", Inputs: map[string]any{"name": "bench", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v"}},
		"lan": {Addr: "lan", Kind: "private_network", ID: "p", Inputs: map[string]any{"vdc": "v", "name": "lan", "type": "auto", "address": "10.0.0.0", "mask": int64(16)},
			Outputs: map[string]any{"id": "p"}, Deps: []string{"net"}},
	}}
	for i := range n {
		addr, id := fmt.Sprintf("web[%d]", i), fmt.Sprintf("i%d", i)
		snap.Resources[addr] = &state.Record{Addr: addr, Kind: "instance", ID: id, Region: "CN_Beijing_A", Deps: []string{"lan", "net"},
			Inputs: map[string]any{"vdc": "v", "name": fmt.Sprintf("web-%d", i), "instance_type": "Standard", "cpu": int64(1), "ram": int64(1),
				"image": "Centos_7.6_64", "region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "",
				"data_disks": []any{}, "private_ips": []any{map[string]any{"network": "p", "ip": "auto"}}, "security_groups": []any{}},
			Outputs: map[string]any{"id": id}, SecretHashes: map[string]string{"password": state.HashSecret(pw)}}
	}
	derivations := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		state.ForgetKeys()
		before := state.Derivations()
		p, err := planner.Plan(planner.Input{Stack: stack, Snapshot: snap})
		if err != nil {
			b.Fatal(err)
		}
		if p.HasChanges() {
			b.Fatalf("the benchmark state is not converged: %+v", p.Changes[0])
		}
		derivations += state.Derivations() - before
	}
	b.ReportMetric(float64(derivations)/float64(b.N), "derivations/op")
}

// BenchmarkPreflight1000 plans 1,000 instances that all change size (and a
// new data disk each), then checks the plan against the cloud and prices
// it: it reports the refresh and plan time, what preflight and pricing add
// to it, and their API calls.
func BenchmarkPreflight1000(b *testing.B) {
	_, snap, _, c := benchWorld(b, 1002)
	stack := resizedBenchStack(b)
	scope := resources.Scope{VDCs: []string{snap.Resources["net"].ID}}
	ctx := context.Background()
	var planTime, checkTime, priceTime time.Duration
	calls := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		live, err := resources.Refresh(ctx, c, scope)
		if err != nil {
			b.Fatal(err)
		}
		p, err := planner.Plan(planner.Input{Stack: stack, Snapshot: snap, Live: live})
		if err != nil {
			b.Fatal(err)
		}
		planTime += time.Since(start)
		start = time.Now()
		facts, err := preflight.Gather(ctx, c, p, snap, live)
		if err != nil {
			b.Fatal(err)
		}
		if problems := preflight.Check(stack, p, snap, live, facts); problems.HasErrors() {
			b.Fatalf("the benchmark plan has problems: %v", problems)
		}
		checkTime += time.Since(start)
		start = time.Now()
		if err := pricing.Estimate(ctx, c, p, snap, live, 0); err != nil {
			b.Fatal(err)
		}
		priceTime += time.Since(start)
		calls = facts.Calls
	}
	n := float64(b.N)
	b.ReportMetric(float64(planTime.Microseconds())/1000/n, "plan-ms")
	b.ReportMetric(float64(checkTime.Microseconds())/1000/n, "preflight-ms")
	b.ReportMetric(100*float64(checkTime)/float64(planTime), "preflight-%")
	b.ReportMetric(100*float64(priceTime)/float64(planTime), "pricing-%")
	b.ReportMetric(float64(calls), "preflight-calls")
}
