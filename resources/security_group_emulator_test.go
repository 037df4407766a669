package resources

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestGroupRulesChangeInPlace: against the emulator (rule changes take
// effect after the task latency), a rule whose content is unchanged moves
// by ModifyNSGRulePriority, a rule whose priority stays changes by
// ModifyNSGRule, and only what is left is removed or added; the update
// returns when DescribeNSGAttribute shows the rules wanted.
func TestGroupRulesChangeInPlace(t *testing.T) {
	clk := cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	srv, url := emulated(t, emulator.Options{Clock: clk, TaskLatency: 5 * time.Second, Seed: 3})
	c := testClient(t, url, cloud.WithClock(clk), cloud.WithRetries(0))
	ctx := context.Background()
	k := Registry["security_group"]
	rule := func(proto string, port any, addr string, prio int64, desc string) map[string]any {
		return map[string]any{"protocol": proto, "local_port": port, "target_address": addr, "priority": prio, "description": desc}
	}
	from := k.Normalize(Inputs{"name": "g", "type": "public", "rules": []any{
		rule("TCP", int64(22), "10.0.0.0/8", 10, "ssh"),
		rule("TCP", int64(80), "0.0.0.0/0", 20, "http"),
		rule("UDP", int64(53), "0.0.0.0/0", 30, ""),
	}}, "")
	id, err := k.Create(ctx, c, from, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	read := func() *Observation {
		t.Helper()
		obs, err := ReadBack(ctx, c, k, id, nil)
		if err != nil || obs == nil {
			t.Fatalf("read back: %v, %v", obs, err)
		}
		return obs
	}
	if live := read(); !Equal(live.Attrs["rules"], from["rules"]) {
		t.Fatalf("after create: %v\nwant %v", live.Attrs["rules"], from["rules"])
	}
	to := k.Normalize(Inputs{"name": "g", "type": "public", "rules": []any{
		rule("TCP", int64(22), "10.0.0.0/8", 15, "ssh from the office"), // moved, described anew
		rule("TCP", int64(443), "0.0.0.0/0", 20, "https"),               // same priority, new content
		rule("ICMP", nil, "10.0.0.0/8", 40, ""),                         // new
	}}, "")
	srv.ResetCalls()
	if err := k.Update(ctx, c, id, read(), to, []string{"rules"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	for action, want := range map[string]int{"ModifyNSGRulePriority": 1, "ModifyNSGRule": 2, "RemoveNSGRule": 1, "AddNSGRule": 1} {
		if calls[action] != want {
			t.Errorf("%s sent %d times, want %d (calls %v)", action, calls[action], want, calls)
		}
	}
	if live := read(); !Equal(live.Attrs["rules"], to["rules"]) {
		t.Errorf("after update: %v\nwant %v", live.Attrs["rules"], to["rules"])
	}
}

// TestGroupDeleteForceOnlyForLeavingMembers: a group whose members are all
// unbinding (the plan removed them) is deleted with ForceDelete; a member
// still bound (outside the plan) makes the delete fail and is named.
func TestGroupDeleteForceOnlyForLeavingMembers(t *testing.T) {
	clk := cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	_, url := emulated(t, emulator.Options{Clock: clk, TaskLatency: time.Minute, Seed: 4})
	c := testClient(t, url, cloud.WithClock(clk), cloud.WithRetries(0))
	ctx := context.Background()
	wait := waiter(t, c)
	vdc := wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "v"}))
	lan := wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Address: "10.1.0.0", Mask: "16"}))
	vm := wait(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: "vm",
		CPU: 1, RAM: 1, Password: "Passw0rd!x", PrivateIP: []cloud.PrivateIPSpec{{PrivateID: lan, IP: []string{"auto"}}}}))
	in, err := c.Instance(ctx, vm)
	if err != nil || in == nil {
		t.Fatalf("instance %s: %v, %v", vm, in, err)
	}
	nic := in.PrivateNetworkInterface[0].InterfaceID
	k := Registry["security_group"]
	for _, leaving := range []bool{true, false} {
		id, err := k.Create(ctx, c, Inputs{"name": "g", "type": "private", "description": "", "rules": []any{}}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: id, InterfaceIDs: []string{nic}}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if leaving {
			if err := c.LeaveNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: id, InterfaceIDs: []string{nic}}); err != nil {
				t.Fatal(err)
			}
		}
		err = k.Delete(ctx, c, id, nil, nil)
		switch {
		case leaving && err != nil:
			t.Errorf("delete with the member unbinding: %v", err)
		case !leaving && (err == nil || !cloud.IsCode(err, "IncorrectSecurityGroupStatus") || !strings.Contains(err.Error(), nic)):
			t.Errorf("delete with a member bound = %v; want the refusal, naming interface %s", err, nic)
		}
	}
}
