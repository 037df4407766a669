package emulator

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestGroupWaitsShareReads: waits on the members of one security group,
// begun together (three instances joined at once), share each look's
// DescribeNSGMembers, and a read of a group that is gone fails alone, not
// the reads of other groups that shared its moment. Fake time (synctest):
// the count is the schedule's.
func TestGroupWaitsShareReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 11, TaskLatency: time.Second})
		ctx := context.Background()
		vdc := must(c.WaitTask(ctx, must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "share"})))).ResourceID
		lan := must(c.WaitTask(ctx, must(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Type: "auto", Address: "10.0.0.0", Mask: "16"})))).ResourceID
		const n = 3
		var nics []string
		for i := range n {
			id := must(c.WaitTask(ctx, must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: fmt.Sprintf("m-%d", i),
				CPU: 1, RAM: 1, Password: "Share-Passw0rd", PrivateIP: []cloud.PrivateIPSpec{{PrivateID: lan, IP: []string{"auto"}}}})))).ResourceID
			in := must(c.Instance(ctx, id))
			nics = append(nics, in.PrivateNetworkInterface[0].InterfaceID)
		}
		group := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "g", Description: "g", SecurityGroupType: "private"}))
		srv.ResetCalls()
		var wg sync.WaitGroup
		for _, nic := range nics {
			if err := c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: group, InterfaceIDs: []string{nic}}); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				err := c.WaitUntil(ctx, "join "+nic, func(ctx context.Context) (bool, error) {
					m, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: group})
					if err != nil {
						return false, err
					}
					for _, x := range m.Members {
						if x.InterfaceID == nic {
							return x.InterfaceStatus == cloud.NSGMemberOK, nil
						}
					}
					return false, nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		reads := srv.Calls()["DescribeNSGMembers"]
		t.Logf("%d waits on one group: %d DescribeNSGMembers", n, reads)
		if reads > 2 { // one wait alone looks twice for a 1 s change (WaitUntil: 125 ms, 1 s)
			t.Errorf("%d waits on one group read it %d times, want their looks shared (at most 2)", n, reads)
		}

		// A gone group's error is its own.
		var gone, kept error
		wg.Go(func() { _, gone = c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: "sg-gone"}) })
		wg.Go(func() { _, kept = c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: group}) })
		wg.Wait()
		if gone == nil || kept != nil {
			t.Errorf("reads side by side: the gone group's %v, the other's %v; want an error for the gone one only", gone, kept)
		}
	})
}
