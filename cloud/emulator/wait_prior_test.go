package emulator

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestColdWaitsAskA1sTaskAtMostTwice: with nothing learned (no task cache,
// no task of the action seen in the run), a wait starts from the action's
// prior, so a 1 s task of each action is asked at most twice and found done
// within a quarter of its duration. Time is fake (synctest): the count is
// the schedule's, never the machine's.
func TestColdWaitsAskA1sTaskAtMostTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 3, TaskLatency: time.Second})
		ctx := context.Background()
		wait := func(action, task string) *cloud.Task {
			t.Helper()
			before, start := srv.Calls()["DescribeTask"], time.Now()
			done, err := c.WaitTask(ctx, task)
			if err != nil {
				t.Fatalf("%s: %v", action, err)
			}
			asked, took := srv.Calls()["DescribeTask"]-before, time.Since(start)
			t.Logf("%s: asked %d times, done after %s", action, asked, took)
			if asked > 2 {
				t.Errorf("%s: a 1 s task asked %d times, want at most 2", action, asked)
			}
			if took > 1250*time.Millisecond {
				t.Errorf("%s: a 1 s task seen done after %s, want within 1.25 s", action, took)
			}
			return done
		}
		vdc := wait("CreateVdc", must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "cold"}))).ResourceID
		lan := wait("CreatePrivateNetwork", must(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Type: "auto", Address: "10.0.0.0", Mask: "16"}))).ResourceID
		vm := wait("CreateInstance", must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: "cold-1",
			CPU: 1, RAM: 1, Password: "Cold-Passw0rd", PrivateIP: []cloud.PrivateIPSpec{{PrivateID: lan, IP: []string{"auto"}}}}))).ResourceID
		wait("StopInstance", must(c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: vm})))
		wait("DeleteInstance", must(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{vm}})))
		wait("DeletePrivateNetwork", must(c.DeletePrivateNetwork(ctx, cloud.PrivateNetworkRequest{PrivateID: lan})))
		wait("DeleteVdc", must(c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: vdc})))
	})
}
