package resources

import (
	"context"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestGroupCreateReadBackFromItsWait: a group's read-back after its create
// is what the create's wait on DescribeNSGAttribute last saw: no
// DescribeNSGs, DescribeNSGAttribute or DescribeNSGMembers of its own, the
// same observation (rules with their ids, no members) a full read gives.
// Only the read-back right after the create is answered so; the next
// reads the cloud.
func TestGroupCreateReadBackFromItsWait(t *testing.T) {
	clk := cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	srv, url := emulated(t, emulator.Options{Clock: clk, TaskLatency: 3 * time.Second, Seed: 9})
	c := testClient(t, url, cloud.WithClock(clk), cloud.WithRetries(0))
	ctx := context.Background()
	k := Registry["security_group"]
	in := k.Normalize(Inputs{"name": "web", "type": "public", "description": "tier", "rules": []any{
		map[string]any{"protocol": "TCP", "local_port": int64(443), "target_address": "0.0.0.0/0", "priority": int64(5)}}}, "")
	id, err := k.Create(ctx, c, in, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	primed, err := ReadBack(ctx, c, k, id, &Recorded{Inputs: in, Outputs: map[string]any{}})
	if err != nil || primed == nil {
		t.Fatalf("read back: %v, %v", primed, err)
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("the read-back after the create made requests: %v", calls)
	}
	full, err := ReadBack(ctx, c, k, id, &Recorded{Inputs: in, Outputs: map[string]any{}})
	if err != nil || full == nil {
		t.Fatalf("read back: %v, %v", full, err)
	}
	if calls := srv.Calls(); calls["DescribeNSGs"] != 1 || calls["DescribeNSGAttribute"] != 1 || calls["DescribeNSGMembers"] != 1 {
		t.Errorf("a later read-back made %v, want one DescribeNSGs, DescribeNSGAttribute and DescribeNSGMembers", calls)
	}
	if !Equal(map[string]any(primed.Attrs), map[string]any(full.Attrs)) || !Equal(primed.Outputs, full.Outputs) {
		t.Errorf("read-back from the create's wait:\n%v %v\nfrom the cloud:\n%v %v", primed.Attrs, primed.Outputs, full.Attrs, full.Outputs)
	}
	if ids, _ := full.Outputs["rule_ids"].([]any); len(ids) != 1 {
		t.Errorf("rule_ids = %v", full.Outputs["rule_ids"])
	}
}

// TestGroupDeleteWithoutMembersIsOneRequest: a group no interface is in is
// deleted with one DeleteNSG; its members are read only when the API
// refuses (TestGroupDeleteForceOnlyForLeavingMembers).
func TestGroupDeleteWithoutMembersIsOneRequest(t *testing.T) {
	srv, url := emulated(t, emulator.Options{Seed: 9})
	c := testClient(t, url, cloud.WithRetries(0))
	ctx := context.Background()
	k := Registry["security_group"]
	id, err := k.Create(ctx, c, k.Normalize(Inputs{"name": "g", "type": "private"}, ""), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	if err := k.Delete(ctx, c, id, nil, nil); err != nil {
		t.Fatal(err)
	}
	if calls := srv.Calls(); len(calls) != 1 || calls["DeleteNSG"] != 1 {
		t.Errorf("delete made %v, want one DeleteNSG", calls)
	}
	if list, err := c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{}); err != nil || len(list.SecurityGroups) != 0 {
		t.Errorf("groups left: %+v, %v", list, err)
	}
}
