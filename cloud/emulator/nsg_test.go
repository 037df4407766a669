package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

// contractNSG drives the twelve NSG actions against instance id (which has
// a public and a private interface) and checks each documented answer.
func contractNSG(e *env, id string) {
	t, c, ctx := e.t, e.client, e.ctx
	t.Helper()
	in := e.describe(id)
	pubNIC, privNIC := in.PublicInterface().InterfaceID, in.PrivateNetworkInterface[0].InterfaceID
	group := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "web tier", SecurityGroupType: "public"}))
	must(0, c.AddNSGRule(ctx, cloud.AddNSGRuleRequest{SecurityGroupID: group, Description: "https", Action: cloud.NSGAccept,
		Direction: cloud.NSGInbound, Protocol: "TCP", IPList: []string{"0.0.0.0/0"}, PortList: []string{"443", "8000-9000"}, Priority: 10}))
	must(0, c.AddNSGRule(ctx, cloud.AddNSGRuleRequest{SecurityGroupID: group, Description: "ping", Action: cloud.NSGDrop,
		Direction: cloud.NSGOutbound, Protocol: "ICMP", IPList: []string{"10.0.0.0/8", "192.168.0.1"}, PortList: []string{"0"}, Priority: 20}))
	e.clk.Advance(e.srv.opts.TaskLatency)
	attr := must(c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: group}))
	if attr.SecurityGroupName != "web" || attr.SecurityGroupType != "public" || attr.RuleCount != 2 || attr.QuotaCount != 4 ||
		attr.Rules[0].Action != "ACCEPT" || attr.Rules[0].Direction != 0 || attr.Rules[0].QuotaCount != 2 ||
		!slices.Equal(attr.Rules[1].IPList, []string{"10.0.0.0/8", "192.168.0.1"}) || attr.Rules[1].Direction != 1 {
		t.Fatalf("DescribeNSGAttribute = %+v", attr)
	}
	rule := attr.Rules[0].RuleID
	must(0, c.ModifyNSGRule(ctx, cloud.ModifyNSGRuleRequest{SecurityGroupID: group, RuleID: rule, Description: cloud.Ptr("tls"), PortList: []string{"443"}}))
	must(0, c.ModifyNSGRulePriority(ctx, cloud.ModifyNSGRulePriorityRequest{SecurityGroupID: group, Rules: []cloud.NSGRulePriority{{RuleID: rule, Priority: 30}}}))
	must(c.ModifyNSGAttribute(ctx, cloud.ModifyNSGAttributeRequest{SecurityGroupID: group, SecurityGroupName: "web2", Description: "d"}))
	must(0, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: group, InterfaceIDs: []string{pubNIC}}))
	e.clk.Advance(e.srv.opts.TaskLatency)
	members := must(c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: group}))
	if members.MemberCount != 1 || members.Members[0].InterfaceID != pubNIC || members.Members[0].InstanceID != id ||
		members.Members[0].InterfaceStatus != "ok" || members.Members[0].InterfaceIPAddress != in.PublicInterface().IP {
		t.Fatalf("DescribeNSGMembers = %+v", members)
	}
	list := must(c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{Keyword: "web"}))
	if list.SecurityGroupCount != 1 || list.SecurityGroups[0].SecurityGroupName != "web2" || list.SecurityGroups[0].InstanceCount != 1 ||
		list.SecurityGroups[0].InterfaceCount != 1 || list.SecurityGroups[0].ProjectID != "0-0" {
		t.Fatalf("DescribeNSGs = %+v", list)
	}
	attr = must(c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: group}))
	if r := attr.Rules[1]; r.RuleID != rule || r.Description != "tls" || r.Priority != 30 || !slices.Equal(r.PortList, []string{"443"}) {
		t.Errorf("rule after ModifyNSGRule and ModifyNSGRulePriority = %+v", r)
	}
	must(0, c.LeaveNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: group, InterfaceIDs: []string{pubNIC}}))
	must(0, c.RemoveNSGRule(ctx, cloud.RemoveNSGRuleRequest{SecurityGroupID: group, RuleID: rule}))
	e.clk.Advance(e.srv.opts.TaskLatency)
	must(0, c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: group}))
	db := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "db", Description: "", SecurityGroupType: "private"}))
	must(0, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: db, InterfaceIDs: []string{privNIC}}))
	must(0, c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: db, ForceDelete: true}))
	if n := must(c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{})).SecurityGroupCount; n != 0 {
		t.Errorf("%d NSGs left", n)
	}
}

// TestNSGBackgroundChanges: rule changes and joins answer at once and show
// after the task latency; members go syncing → ok and unbinding → gone.
func TestNSGBackgroundChanges(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 10 * time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.instance(f, "web-0")
	nic := e.describe(id).PrivateNetworkInterface[0].InterfaceID
	g := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "lan", Description: "", SecurityGroupType: "private"}))
	add := cloud.AddNSGRuleRequest{SecurityGroupID: g, Description: "ssh", Action: "ACCEPT", Protocol: "TCP",
		IPList: []string{"10.0.0.0/8"}, PortList: []string{"22"}, Priority: 5}
	must(0, c.AddNSGRule(ctx, add))
	must(0, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{nic}}))
	if n := must(c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: g})).RuleCount; n != 0 {
		t.Errorf("the rule shows at once (%d rules); it should take effect in the background", n)
	}
	status := func() []string {
		var out []string
		for _, m := range must(c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g})).Members {
			out = append(out, m.InterfaceStatus)
		}
		return out
	}
	if got := status(); !slices.Equal(got, []string{"syncing"}) {
		t.Errorf("member just joined: %v, want [syncing]", got)
	}
	// A second rule at the same priority clashes with the queued one.
	_, err := 0, c.AddNSGRule(ctx, add)
	wantCode(t, err, 400, "InvalidParameter.Priority")
	e.clk.Advance(10 * time.Second)
	if n := must(c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: g})).RuleCount; n != 1 {
		t.Errorf("after the latency: %d rules, want 1", n)
	}
	if got := status(); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("after the latency: %v, want [ok]", got)
	}
	must(0, c.LeaveNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{nic}}))
	if got := status(); !slices.Equal(got, []string{"unbinding"}) {
		t.Errorf("member leaving: %v, want [unbinding]", got)
	}
	e.clk.Advance(10 * time.Second)
	if got := status(); len(got) != 0 {
		t.Errorf("member left: %v, want none", got)
	}
}

// TestNSGInvariants: the documented limits and the emulator's choices.
func TestNSGInvariants(t *testing.T) {
	e := newEnv(t, Options{NSGQuota: 10})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.instance(f, "web-0")
	in := e.describe(id)
	pub, priv := in.PublicInterface().InterfaceID, in.PrivateNetworkInterface[0].InterfaceID
	g := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "", SecurityGroupType: "public"}))
	rule := func(prio int, ips, ports []string, proto string) error {
		return c.AddNSGRule(ctx, cloud.AddNSGRuleRequest{SecurityGroupID: g, Description: "r", Action: "ACCEPT", Protocol: proto,
			IPList: ips, PortList: ports, Priority: prio})
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = "10.0.0.1"
	}
	const unknown = "00000000-0000-4000-8000-000000000000"
	wantCode(t, rule(1001, []string{"1.1.1.1"}, []string{"22"}, "TCP"), 400, "InvalidParameter.Priority")
	wantCode(t, rule(1, many, []string{"22"}, "TCP"), 400, "InvalidParameter.IpList")
	wantCode(t, rule(1, []string{"1.1.1.1"}, []string{"22"}, "ICMP"), 400, "InvalidParameter.PortList")
	wantCode(t, rule(1, []string{"nope"}, []string{"22"}, "TCP"), 400, "InvalidParameter.IpList")
	wantCode(t, rule(1, []string{"1.1.1.1"}, []string{"9-8"}, "TCP"), 400, "InvalidParameter.PortList")
	must(0, rule(1000, []string{"1.1.1.1", "2.2.2.2"}, []string{"22", "80", "443"}, "TCP")) // quota 6 of 10
	must(0, rule(2, []string{"1.1.1.1", "2.2.2.2"}, []string{"22", "80"}, "TCP"))           // 10 of 10
	wantCode(t, rule(3, []string{"3.3.3.3"}, []string{"22"}, "TCP"), 400, "QuotaExceeded.SecurityGroupRule")
	_, err := c.Call(ctx, "AddNSGRule", map[string]any{"SecurityGroupId": g, "Action": "ACCEPT", "Direction": 0, "Protocol": "TCP",
		"IpList": []string{"1.1.1.1"}, "PortList": []string{"22"}, "Priority": 3}, nil)
	wantCode(t, err, 400, "IncompleteParamter") // Description is required
	wantCode(t, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{unknown}}), 400, "InvalidInterfaceID.NotFound")
	wantCode(t, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{"x"}}), 400, "InvalidInterfaceID.Malformed")
	wantCode(t, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{priv}}), 400, "InvalidInterfaceID.Mismatch")
	must(0, c.JoinNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{pub}}))
	wantCode(t, c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: g}), 403, "IncorrectSecurityGroupStatus")
	wantCode(t, c.LeaveNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{priv}}), 400, "InvalidInterfaceID.NotFound")
	_, err = c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: unknown})
	wantCode(t, err, 400, "InvalidSecurityGroupId.NotFound")
	_, err = c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "x", SecurityGroupType: "dmz"})
	wantCode(t, err, 400, "InvalidSecurityGroupType.Malformed")
	// An instance deleted leaves its groups.
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
	if n := must(c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g})).MemberCount; n != 0 {
		t.Errorf("%d members after their instance was deleted", n)
	}
	must(0, c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: g}))
}

// TestNSGJoinError: a binding that fails ends in the error state.
func TestNSGJoinError(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	id := e.instance(f, "web-0")
	e.srv.opts.TaskFailureRate = 1
	g := must(e.client.CreateNSG(e.ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "", SecurityGroupType: "private"}))
	must(0, e.client.JoinNSG(e.ctx, cloud.NSGMembershipRequest{SecurityGroupID: g, InterfaceIDs: []string{e.describe(id).PrivateNetworkInterface[0].InterfaceID}}))
	if m := must(e.client.DescribeNSGMembers(e.ctx, cloud.NSGRequest{SecurityGroupID: g})).Members; len(m) != 1 || m[0].InterfaceStatus != "error" {
		t.Errorf("members = %+v, want one in error", m)
	}
}

// TestLegacySecurityGroupActionsDisabled: without the option the old
// actions answer as disabled actions, naming the NSG actions.
func TestLegacySecurityGroupActionsDisabled(t *testing.T) {
	e := newEnv(t, Options{})
	for _, action := range []string{"CreateSecurityGroup", "DescribeSecurityGroups", "AddSecurityGroupRule", "JoinSecurityGroup"} {
		_, err := e.client.Call(e.ctx, action, map[string]any{}, nil)
		wantCode(t, err, 400, "OperationDenied.ActionDisabled")
		if err == nil || !strings.Contains(err.Error(), "NSG") {
			t.Errorf("%s: %v does not name the NSG actions", action, err)
		}
	}
}

// TestNSGAnswerShape reads the NSG answers as raw JSON: the fields and
// types of the document's examples (string Action, integer Direction,
// lists).
func TestNSGAnswerShape(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	g := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "d", SecurityGroupType: "public"}))
	must(0, c.AddNSGRule(ctx, cloud.AddNSGRuleRequest{SecurityGroupID: g, Description: "r", Action: "ACCEPT", Direction: 1,
		Protocol: "UDP", IPList: []string{"1.1.1.1"}, PortList: []string{"53"}, Priority: 7}))
	var raw map[string]any
	must(c.Call(ctx, "DescribeNSGAttribute", cloud.NSGRequest{SecurityGroupID: g}, &raw))
	r := raw["Rules"].([]any)[0].(map[string]any)
	got := map[string]string{}
	for k, v := range r {
		b, _ := json.Marshal(v)
		if k != "RuleId" && k != "CreateTime" && k != "UpdateTime" {
			got[k] = string(b)
		}
	}
	want := map[string]string{"Action": `"ACCEPT"`, "Description": `"r"`, "Direction": "1", "IpList": `["1.1.1.1"]`,
		"PortList": `["53"]`, "Priority": "7", "Protocol": `"UDP"`, "QuotaCount": "1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rule shape (-want +got)\n%s", diff)
	}
}

// TestNSGUpgradesOldGroups: a group made with the old actions shows in the
// NSG model: a bidirectional rule as an inbound rule and an outbound one at
// the first free priority above, ";"-joined addresses as a list, an
// instance binding as the interfaces the group's type takes.
func TestNSGUpgradesOldGroups(t *testing.T) {
	e := newEnv(t, Options{LegacySecurityGroups: true})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.instance(f, "web-0")
	sg := must(c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "old", Description: "d", SecurityGroupType: "public"}))
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "1",
		TargetAddress: "10.0.0.0/8;1.1.1.1", LocalPort: "22", Direction: "all", Priority: "10", Protocol: "TCP", RuleType: "ip"}))
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "0",
		TargetAddress: "0.0.0.0/0", Direction: "all", Priority: "11", Protocol: "ICMP", RuleType: "ip"}))
	e.wait(c.JoinSecurityGroup(ctx, cloud.SecurityGroupBindRequest{SecurityGroupID: sg.SecurityGroupID, BindData: []cloud.SecurityGroupBinding{{InstanceID: id}}}))
	attr := must(c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: sg.SecurityGroupID}))
	type r struct {
		prio, dir  int
		action     string
		ips, ports string
	}
	var got []r
	for _, x := range attr.Rules {
		got = append(got, r{int(x.Priority), int(x.Direction), string(x.Action), strings.Join(x.IPList, ","), strings.Join(x.PortList, ",")})
	}
	want := []r{{10, 0, "ACCEPT", "10.0.0.0/8,1.1.1.1", "22"}, {11, 0, "DROP", "0.0.0.0/0", "0"}, {12, 1, "ACCEPT", "10.0.0.0/8,1.1.1.1", "22"}, {13, 1, "DROP", "0.0.0.0/0", "0"}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(r{})); diff != "" {
		t.Errorf("upgraded rules (-want +got)\n%s", diff)
	}
	m := must(c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: sg.SecurityGroupID}))
	if m.MemberCount != 1 || m.Members[0].InterfaceID != e.describe(id).PublicInterface().InterfaceID || m.Members[0].InterfaceStatus != "ok" {
		t.Errorf("upgraded members = %+v", m)
	}
}
