package executor_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// BenchmarkApply200 applies 200 independent instances with 1 s task latency
// and 50 workers, and reports the wall time against its lower bound:
// max(critical path, requests ÷ rate limit), where the critical path counts
// the waves the 50 workers need (4 tasks of 1 s), and DescribeTask calls per
// task. At 50 requests/s the rate limit bounds the run; at 200/s and
// without a limit (rate=0) the workers do.
func BenchmarkApply200(b *testing.B) {
	for _, rate := range []float64{50, 200, 0} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) { benchApply(b, rate) })
	}
}

func benchApply(b *testing.B, rateLimit float64) {
	const (
		n           = 200
		parallelism = 50
		latency     = time.Second
	)
	src := fmt.Sprintf(`version: 1
stack: bench
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: bench}}
  web:
    kind: instance
    count: %d
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Bench-Passw0rd}
`, n)
	s, err := spec.Parse("bench.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, TaskLatency: latency})
		if err != nil {
			b.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(rateLimit, 20)))
		st := state.OpenBolt(filepath.Join(b.TempDir(), "s.db"))
		if err := st.Lock(ctx, state.LockInfo{Command: "bench"}, 0); err != nil {
			b.Fatal(err)
		}
		// The VDC exists already: only the instances are applied.
		vt := must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "bench"}))
		vdc := must(c.WaitTask(ctx, vt)).ResourceID
		if _, err := st.Commit(ctx, state.Change{Put: []*state.Record{{Addr: "net", Kind: "vdc", ID: vdc,
			Inputs: map[string]any{"name": "bench", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": vdc}}}}); err != nil {
			b.Fatal(err)
		}
		snap, _ := st.Snapshot(ctx)
		p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap})
		if err != nil {
			b.Fatal(err)
		}
		srv.ResetCalls()
		ex := executor.New(c, st, s, executor.WithParallelism(parallelism))
		b.StartTimer()
		start := time.Now()
		res, err := ex.Apply(ctx, p)
		wall := time.Since(start)
		b.StopTimer()
		if err != nil || res.Err() != nil || res.Added != n {
			b.Fatalf("apply: %v %v, %d added", err, res.Err(), res.Added)
		}
		calls := srv.Calls()
		total := 0
		for _, k := range calls {
			total += k
		}
		waves := time.Duration((n+parallelism-1)/parallelism) * latency
		bound := waves
		if rateLimit > 0 {
			bound = max(waves, time.Duration(float64(total)/rateLimit*float64(time.Second)))
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(bound.Seconds(), "bound-s")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "wall/bound")
		b.ReportMetric(float64(calls["DescribeTask"])/n, "DescribeTask/task")
		b.ReportMetric(float64(total), "api-calls")
		b.ReportMetric(float64(calls["DescribeInstances"])/n, "readbacks/instance")
		st.Unlock()
		hs.Close()
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
