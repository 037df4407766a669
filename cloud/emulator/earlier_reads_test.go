package emulator

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// earlierClient is a client of a fresh emulator (1 s tasks) with a VDC,
// its public network and three instances made (and waited for); the
// calls are reset.
func earlierClient(t *testing.T, latency time.Duration, opts ...cloud.Option) (*Server, *cloud.Client, string, string, []string) {
	t.Helper()
	srv, c := inMemory(t, Options{Seed: 23, TaskLatency: latency}, opts...)
	ctx := context.Background()
	vdc := must(c.WaitTask(ctx, must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "earlier"})))).ResourceID
	wan := must(c.WaitTask(ctx, must(c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Name: "wan", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4})))).ResourceID
	var ids []string
	for _, name := range []string{"a", "b", "c"} {
		task := must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: name, CPU: 1, RAM: 1, Password: "Earlier-Passw0rd"}))
		ids = append(ids, must(c.WaitTask(ctx, task)).ResourceID)
	}
	srv.ResetCalls()
	return srv, c, vdc, wan, ids
}

// TestLaterDeleteTakesEarlierListing: of three instance deletes, the third
// sent 44 ms after the others (as a destroy's third delete often is), the
// third's wait takes the listing the first two looked at, read after its
// delete was sent and showing its instance gone, instead of listing again
// a moment later: two listings for three deletes (a probe and one look),
// no task asked, and every delete is gone. Fake time (synctest).
func TestLaterDeleteTakesEarlierListing(t *testing.T) {
	for _, warm := range []bool{false, true} {
		t.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(t *testing.T) { laterDeleteTakesEarlierListing(t, warm) })
	}
}

func laterDeleteTakesEarlierListing(t *testing.T, warm bool) {
	cache := filepath.Join(t.TempDir(), "tasks.json")
	if warm { // a first run learns how long deletes take (a little longer)
		synctest.Test(t, func(t *testing.T) {
			_, c, vdc, _, ids := earlierClient(t, 1060*time.Millisecond, cloud.WithTaskCache(cache))
			threeDeletes(t, c, vdc, ids)
			if err := c.SaveLearned(); err != nil {
				t.Fatal(err)
			}
		})
	}
	synctest.Test(t, func(t *testing.T) {
		srv, c, vdc, _, ids := earlierClient(t, time.Second, cloud.WithTaskCache(cache))
		ctx := context.Background()
		took := threeDeletes(t, c, vdc, ids)
		calls := srv.Calls()
		t.Logf("three deletes: %s, %v", took, calls)
		// Cold: a probe and one look; warm: one look, after all three
		// ended, answers the three waits.
		want := map[bool]int{false: 2, true: 1}[warm]
		if calls["DescribeInstances"] > want || calls["DescribeTask"] != 0 {
			t.Errorf("three deletes: %d listings and %d DescribeTask, want at most %d and none", calls["DescribeInstances"], calls["DescribeTask"], want)
		}
		if took > 1200*time.Millisecond {
			t.Errorf("three deletes took %s, want within 1.2 s (1 s tasks, the last sent at 44 ms)", took)
		}
		if left := must(c.ListInstances(ctx, cloud.DescribeInstancesRequest{VdcID: vdc}, 100)); len(left) != 0 {
			t.Errorf("%d instances left, want none", len(left))
		}
	})
}

// threeDeletes deletes ids, the third 44 ms after the others, and waits
// for them (watching vdc's listing); it returns how long that took.
func threeDeletes(t *testing.T, c *cloud.Client, vdc string, ids []string) time.Duration {
	t.Helper()
	{
		ctx := context.Background()
		start := time.Now()
		var wg sync.WaitGroup
		for i, id := range ids {
			if i == 2 {
				time.Sleep(44 * time.Millisecond)
			}
			task := must(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
			wg.Go(func() {
				if _, err := c.WaitTask(ctx, task, c.WatchInstance(vdc, "", id, true)); err != nil {
					t.Error(err)
				}
			})
			synctest.Wait()
		}
		wg.Wait()
		return time.Since(start)
	}
}

// TestNetworkDeletesShareListing: a private network's delete (a task,
// watched through the VDC's listing, on a cache a little longer than the
// task) and a public network's (deleted in the background:
// WaitPublicNetworkGone, on its prior) begun together: the public one's
// look after the private one's listing, which already showed it gone,
// takes that listing instead of its own. Fake time (synctest).
func TestNetworkDeletesShareListing(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "tasks.json")
	synctest.Test(t, func(t *testing.T) {
		srv, c, vdc, wan, _ := earlierClient(t, 1060*time.Millisecond, cloud.WithTaskCache(cache))
		networkDeletes(t, srv, c, vdc, wan)
		if err := c.SaveLearned(); err != nil {
			t.Fatal(err)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		srv, c, vdc, wan, _ := earlierClient(t, time.Second, cloud.WithTaskCache(cache))
		took, calls := networkDeletes(t, srv, c, vdc, wan), srv.Calls()
		t.Logf("two network deletes: %s, %v", took, calls)
		// The public wait's probe (0.15 s) and the private wait's look,
		// which the public wait's next look takes: 2 (3 when each looks
		// on its own).
		if calls["DescribeTask"] != 0 || calls["DescribeVdc"] > 2 {
			t.Errorf("asked %d tasks and %d VDC listings, want none and at most 2", calls["DescribeTask"], calls["DescribeVdc"])
		}
		if took > 1300*time.Millisecond {
			t.Errorf("two network deletes took %s, want within 1.3 s (1 s tasks)", took)
		}
		v := must(c.DescribeVdc(context.Background(), cloud.DescribeVdcRequest{VdcID: vdc}))
		if len(v) != 1 || len(v[0].PublicNetwork) != 0 || len(v[0].PrivateNetwork) != 0 {
			t.Errorf("the VDC still has networks: %+v", v)
		}
	})
}

// networkDeletes makes a private network in vdc, resets the calls, and
// deletes it and public network wan together, waiting for both; it
// returns how long that took.
func networkDeletes(t *testing.T, srv *Server, c *cloud.Client, vdc, wan string) time.Duration {
	t.Helper()
	ctx := context.Background()
	lan := must(c.WaitTask(ctx, must(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Type: "auto", Address: "10.0.0.0", Mask: "16"})))).ResourceID
	srv.ResetCalls()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Go(func() {
		task := must(c.DeletePrivateNetwork(ctx, cloud.PrivateNetworkRequest{PrivateID: lan}))
		if _, err := c.WaitTask(ctx, task, c.WatchNetwork(vdc, false, "", lan, true)); err != nil {
			t.Error(err)
		}
	})
	synctest.Wait()
	time.Sleep(2 * time.Millisecond)
	wg.Go(func() {
		if task := must(c.DeletePublicNetwork(ctx, cloud.PublicNetworkRequest{PublicID: wan})); task != "" {
			t.Errorf("DeletePublicNetwork answered task %s; the current service answers none", task)
		}
		if err := c.WaitPublicNetworkGone(ctx, vdc, wan); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	return time.Since(start)
}
