package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// staleRun creates a VDC, then n instances in it side by side, against an
// emulator whose tasks take latency, with a task cache that says every
// task takes cached. It returns how long the run took (fake time) and the
// requests per action.
func staleRun(t *testing.T, latency, cached time.Duration, n int) (time.Duration, map[string]int) {
	t.Helper()
	var took time.Duration
	var calls map[string]int
	synctest.Test(t, func(t *testing.T) {
		srv, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Seed: 5, TaskLatency: latency})
		if err != nil {
			t.Fatal(err)
		}
		cache := filepath.Join(t.TempDir(), "tasks.json")
		var samples []int64
		for range 10 {
			samples = append(samples, cached.Milliseconds())
		}
		b, _ := json.Marshal(map[string]any{"version": 1, "durations_ms": map[string][]int64{
			"127.0.0.1|CreateVdc|CN_Beijing_A":      samples,
			"127.0.0.1|CreateInstance|CN_Beijing_A": samples,
		}})
		if err := os.WriteFile(cache, b, 0o600); err != nil {
			t.Fatal(err)
		}
		c := must(cloud.New("http://127.0.0.1", cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret},
			cloud.WithHTTPClient(&http.Client{Transport: handlerTransport{srv}}), cloud.WithLimiter(cloud.NewLimiter(0, 1)),
			cloud.WithTaskCache(cache)))
		ctx := context.Background()
		start := time.Now()
		vdc := must(c.WaitTask(ctx, must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "stale"})))).ResourceID
		var wg sync.WaitGroup
		for i := range n {
			name := fmt.Sprintf("s-%d", i)
			task := must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: name, CPU: 1, RAM: 1, Password: "Stale-Passw0rd"}))
			wg.Go(func() {
				if _, err := c.WaitTask(ctx, task, c.WatchInstance(vdc, name, "", false)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		took = time.Since(start)
		calls = srv.Calls()
	})
	return took, calls
}

// TestStaleTaskCacheCannotMakeARunSlow: with a cache whose durations are
// ten times the truth, the first wave notices and the run stays within
// 1.5 times its critical path; with one ten times too short, the waits
// ask at most three status requests per task.
func TestStaleTaskCacheCannotMakeARunSlow(t *testing.T) {
	const n, latency = 20, time.Second
	critical := 2 * latency // the VDC, then the instances side by side
	took, calls := staleRun(t, latency, 10*latency, n)
	t.Logf("cache 10× too long: %s for a critical path of %s; %v", took, critical, calls)
	if took > critical*3/2 {
		t.Errorf("cache 10× too long: the run took %s, want within 1.5 × %s", took, critical)
	}
	took, calls = staleRun(t, latency, latency/10, n)
	status := calls["DescribeTask"] + calls["DescribeInstances"]
	t.Logf("cache 10× too short: %s; %v (%.2f status requests per task)", took, calls, float64(status)/float64(n+1))
	if status > 3*(n+1) {
		t.Errorf("cache 10× too short: %d status requests for %d tasks, want at most 3 each", status, n+1)
	}
}
