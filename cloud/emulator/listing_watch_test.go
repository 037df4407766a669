package emulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestListingsSettleEveryKind: the waits on the creates and deletes of
// VDCs, private and public networks, databases and load balancers, each watching the
// listing its resource is in, ask no task: a resource listed ok
// (RUNNING) says its create succeeded, and which id it has (the task's),
// one no longer listed that its delete did. Fake time (synctest).
func TestListingsSettleEveryKind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 13, TaskLatency: time.Second})
		ctx := context.Background()
		wait := func(what, task string, w cloud.WaitOption) string {
			t.Helper()
			before := srv.Calls()["DescribeTask"]
			done, err := c.WaitTask(ctx, task, w)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if asked := srv.Calls()["DescribeTask"] - before; asked != 0 {
				t.Errorf("%s: asked the task %d times, want none: the listing tells", what, asked)
			}
			if task := must(c.DescribeTask(ctx, task)); task.Status != cloud.TaskFinish || task.ResourceID != done.ResourceID {
				t.Errorf("%s: the wait said %s; the task: %s %s", what, done.ResourceID, task.Status, task.ResourceID)
			}
			return done.ResourceID
		}
		vdc := wait("CreateVdc", must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "every"})),
			c.WatchVdc("CN_Beijing_A", "every", "", false))
		lan := wait("CreatePrivateNetwork", must(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Type: "auto", Address: "10.0.0.0", Mask: "16"})),
			c.WatchNetwork(vdc, false, "lan", "", false))
		wan := wait("CreatePublicNetwork", must(c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Name: "wan", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4})),
			c.WatchNetwork(vdc, true, "wan", "", false))

		my := c.MySQL()
		cfg := must(my.DescribeAvailableDBConfig(ctx, "CN_Beijing_A"))
		arch, _ := cfg.Architecture("5.7", 0)
		size, _ := cloud.FindSize(arch.Sizes(), 1, 2)
		task, _, err := my.CreateDBInstance(ctx, cloud.CreateMySQLRequest{RegionID: "CN_Beijing_A", VdcID: vdc, BasePipeID: lan, InstanceName: "orders",
			PaasGoodsID: int(size.PaasGoodsID), DiskType: "high_disk", DiskValue: 100, Password: "Passw0rd!"})
		if err != nil {
			t.Fatal(err)
		}
		db := wait("mysql/CreateDBInstance", task, c.WatchDatabase("mysql", "orders", "", false))
		// A read-only replica is listed only in its (ha) source's RoGroups.
		ha, _ := cfg.Architecture("5.7", 1)
		haSize, _ := cloud.FindSize(ha.Sizes(), 2, 4)
		task, _, err = my.CreateDBInstance(ctx, cloud.CreateMySQLRequest{RegionID: "CN_Beijing_A", VdcID: vdc, BasePipeID: lan, InstanceName: "ledger",
			PaasGoodsID: int(haSize.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 100, Password: "Passw0rd!"})
		if err != nil {
			t.Fatal(err)
		}
		src := wait("mysql/CreateDBInstance (ha)", task, c.WatchDatabase("mysql", "ledger", "", false))
		roSize, _ := cloud.FindSize(must(my.DescribeAvailableReadOnlyConfig(ctx, src)).Sizes(), 2, 4)
		task, _, err = my.CreateReadOnlyDBInstance(ctx, cloud.CreateReadOnlyRequest{InstanceUUID: src, InstanceName: "ledger-ro",
			PaasGoodsID: int(roSize.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 100, Amount: 1})
		if err != nil {
			t.Fatal(err)
		}
		ro := wait("mysql/CreateReadOnlyDBInstance", task, c.WatchReplica(src, "ledger-ro", "", false))
		wait("mysql/DeleteDBInstance (replica)", must(my.DeleteDBInstance(ctx, ro)), c.WatchReplica(src, "", ro, true))
		wait("mysql/DeleteDBInstance (ha)", must(my.DeleteDBInstance(ctx, src)), c.WatchDatabase("mysql", "", src, true))
		wait("mysql/DeleteDBInstance", must(my.DeleteDBInstance(ctx, db)), c.WatchDatabase("mysql", "", db, true))

		// A template of an instance, and its delete (one region's copy: the last).
		in := wait("CreateInstance", must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: "src",
			CPU: 1, RAM: 1, Password: "Every-Passw0rd"})), c.WatchInstance(vdc, "src", "", false))
		tpl := wait("CreateTemplate", must(c.CreateTemplate(ctx, cloud.CreateTemplateRequest{InstanceID: in, DisplayName: "golden", PowerOn: true})),
			c.WatchTemplate("golden", "", false))
		wait("DeleteTemplate", must(c.DeleteTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: tpl, RegionID: "CN_Beijing_A"})),
			c.WatchTemplate("golden", tpl, true))
		wait("DeleteInstance", must(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{in}})), c.WatchInstance(vdc, "", in, true))

		wait("DeletePrivateNetwork", must(c.DeletePrivateNetwork(ctx, cloud.PrivateNetworkRequest{PrivateID: lan})), c.WatchNetwork(vdc, false, "", lan, true))
		if task := must(c.DeletePublicNetwork(ctx, cloud.PublicNetworkRequest{PublicID: wan})); task != "" {
			wait("DeletePublicNetwork", task, c.WatchNetwork(vdc, true, "", wan, true))
		} else if err := c.WaitUntil(ctx, "public network gone", func(ctx context.Context) (bool, error) { return c.PublicNetworkGone(ctx, vdc, wan) }); err != nil {
			t.Fatal(err)
		}
		wait("DeleteVdc", must(c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: vdc})), c.WatchVdc("CN_Beijing_A", "", vdc, true))
	})
}

// TestColdWaveSharesFewListings: a hundred instance creates with nothing
// learned (5 s ± 0.5 s tasks, each wait on its own scale) are watched
// through a few dozen listings, not one per wait and look: a watched
// wait's looks fall on a grid that coarsens with the time waited, shared
// by every wait. Fake time (synctest).
func TestColdWaveSharesFewListings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 17, TaskLatency: 4500 * time.Millisecond, TaskJitter: time.Second})
		ctx := context.Background()
		vdc := must(c.WaitTask(ctx, must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "wave"})))).ResourceID
		const n = 100
		srv.ResetCalls()
		start := time.Now()
		var wg sync.WaitGroup
		for i := range n {
			name := fmt.Sprintf("w-%d", i)
			task := must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: name, CPU: 1, RAM: 1, Password: "Wave-Passw0rd"}))
			r := rand.New(rand.NewPCG(uint64(i), 2))
			wg.Go(func() {
				if _, err := c.WaitTask(ctx, task, c.WatchInstance(vdc, name, "", false), func(cfg *cloud.WaitConfig) { cfg.Rand = r.Float64 }); err != nil {
					t.Error(err)
				}
			})
			synctest.Wait()
		}
		wg.Wait()
		took, calls := time.Since(start), srv.Calls()
		t.Logf("%d creates: %s, %v", n, took, calls)
		if calls["DescribeTask"] != 0 || calls["DescribeInstances"] > 40 {
			t.Errorf("%d cold creates: %d DescribeTask and %d listings, want none and at most 40", n, calls["DescribeTask"], calls["DescribeInstances"])
		}
		if took > 5500*time.Millisecond*5/4 {
			t.Errorf("the wave took %s, want within 1.25 × its longest task (5.5 s)", took)
		}
	})
}

// TestVdcWithPublicWatch: the wait on a CreateVdc that makes its public
// network too ends when the listing shows both settled, without asking
// the task, and the read-back after it is that listing (no request). A
// VDC listed settled without the network it was to make cannot tell: the
// task is asked. Fake time (synctest).
func TestVdcWithPublicWatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 5, TaskLatency: time.Second})
		ctx := context.Background()
		task := must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "both",
			PublicNetwork: &cloud.VdcPublicNetwork{Name: "wan", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4, AutoRenew: cloud.Ptr(1)}}))
		srv.ResetCalls()
		done, err := c.WaitTask(ctx, task, c.WatchVdcWithPublic("CN_Beijing_A", "both", "wan"))
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.SharedVdc(ctx, done.ResourceID)
		if err != nil || v == nil || len(v.PublicNetwork) != 1 || v.PublicNetwork[0].Name != "wan" {
			t.Fatalf("read-back of %s: %+v %v", done.ResourceID, v, err)
		}
		calls := srv.Calls()
		if calls["DescribeTask"] != 0 || calls["DescribeVdc"] > 2 {
			t.Errorf("wait and read-back: %v; want no DescribeTask, and no DescribeVdc beyond the wait's looks", calls)
		}
		if task := must(c.DescribeTask(ctx, task)); task.Status != cloud.TaskFinish || task.ResourceID != done.ResourceID {
			t.Errorf("the wait said %s; the task: %s %s", done.ResourceID, task.Status, task.ResourceID)
		}

		// A VDC made without the network the watch looks for: only the
		// task can tell.
		task = must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "alone"}))
		srv.ResetCalls()
		if _, err := c.WaitTask(ctx, task, c.WatchVdcWithPublic("CN_Beijing_A", "alone", "wan")); err != nil {
			t.Fatal(err)
		}
		if n := srv.Calls()["DescribeTask"]; n == 0 {
			t.Error("a VDC listed without its public network ended the wait without the task")
		}
	})
}
