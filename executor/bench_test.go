package executor_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
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

// scaledClock runs k times faster than the wall clock: a virtual clock for
// the emulator and the client, so hour-long schedules run in seconds. HTTP
// and the rate limiter keep real time, so overheads count k times over:
// the figures are, if anything, pessimistic.
type scaledClock struct {
	start time.Time
	k     float64
}

func (c scaledClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.start)) * c.k))
}

func (c scaledClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	time.AfterFunc(time.Duration(float64(d)/c.k), func() { ch <- c.Now() })
	return ch
}

// BenchmarkApplyChain applies a VDC, a private network in it and 100
// instances on that network (--parallelism 100, 1000 requests/s): a chain
// of three task latencies. It reports the wall time against that nominal
// critical path (cold: the first run, with nothing learned; warm: the
// runs after, with what the first learned kept in the duration cache), and,
// cold and warm, the status requests per task: every Describe* request of the refresh,
// the task waits and the read-backs, over the 102 tasks. 60 s tasks run on
// a clock 10 times faster than the wall's.
func BenchmarkApplyChain(b *testing.B) {
	for _, tc := range []struct {
		name            string
		latency, jitter time.Duration
		speed           float64
	}{
		{"latency=1s", time.Second, 0, 1},
		{"latency=5s±10%", 4500 * time.Millisecond, time.Second, 1},
		{"latency=60s", 60 * time.Second, 0, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cache := filepath.Join(b.TempDir(), "tasks.json")
			cold, coldStatus, coldDescribeTask := applyChain(b, tc.latency, tc.jitter, tc.speed, cache)
			var ratio, status, describeTask float64
			for i := 0; i < b.N; i++ {
				r, s, d := applyChain(b, tc.latency, tc.jitter, tc.speed, cache)
				ratio, status, describeTask = ratio+r, status+s, describeTask+d
			}
			n := float64(b.N)
			b.ReportMetric(cold, "cold-wall/critical")
			b.ReportMetric(coldStatus, "cold-status-requests/task")
			b.ReportMetric(coldDescribeTask, "cold-DescribeTask/task")
			b.ReportMetric(ratio/n, "wall/critical")
			b.ReportMetric(status/n, "status-requests/task")
			b.ReportMetric(describeTask/n, "DescribeTask/task")
		})
	}
}

// applyChain plans and applies the chain stack in a new emulator and
// returns the wall time over the nominal critical path, and the status
// requests and DescribeTask requests per task.
func applyChain(b *testing.B, latency, jitter time.Duration, speed float64, cache string) (ratio, status, describeTask float64) {
	b.Helper()
	const n = 100
	src := fmt.Sprintf(`version: 1
stack: chain
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: chain}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.0.0.0, mask: 16}}
  web:
    kind: instance
    count: %d
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
                 password: Bench-Passw0rd, private_ips: [{network: "${lan.id}"}]}
`, n)
	s, err := spec.Parse("chain.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	clk := scaledClock{start: time.Now(), k: speed}
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, TaskLatency: latency, TaskJitter: jitter, Clock: clk})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"},
		cloud.WithLimiter(cloud.NewLimiter(1000, cloud.DefaultBurst(1000))), cloud.WithClock(clk), cloud.WithTaskCache(cache))
	defer c.SaveLearned()
	ctx := context.Background()
	st := state.OpenBolt(filepath.Join(b.TempDir(), "s.db"))
	if err := st.Lock(ctx, state.LockInfo{Command: "bench"}, 0); err != nil {
		b.Fatal(err)
	}
	defer st.Unlock()
	b.StartTimer()
	start := clk.Now()
	snap, _ := st.Snapshot(ctx)
	live, err := resources.Refresh(ctx, c, resources.Scope{})
	if err != nil {
		b.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
	if err != nil {
		b.Fatal(err)
	}
	res, err := executor.New(c, st, s, executor.WithParallelism(n)).Apply(ctx, p)
	wall := clk.Now().Sub(start)
	b.StopTimer()
	if err != nil || res.Err() != nil || res.Added != n+2 {
		b.Fatalf("apply: %v %v, %d added", err, res.Err(), res.Added)
	}
	tasks := float64(n + 2)
	for action, k := range srv.Calls() {
		if strings.HasPrefix(action, "Describe") {
			status += float64(k)
		}
		if action == "DescribeTask" {
			describeTask += float64(k)
		}
	}
	critical := 3 * (latency + jitter/2)
	return wall.Seconds() / critical.Seconds(), status / tasks, describeTask / tasks
}
