package emulator

import (
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// createWithGroups creates one instance of f with a public and a private
// interface, bound to groups as CreateInstance's SecurityGroup says.
func (e *env) createWithGroups(f fixture, name string, groups []cloud.SecurityGroupPipe) (string, error) {
	return e.client.CreateInstance(e.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc,
		Password: "Passw0rd!", InstanceName: name, CPU: 1, RAM: 1, PublicIP: []string{"auto"},
		PrivateIP: []cloud.PrivateIPSpec{{PrivateID: f.private, IP: []string{"auto"}}}, SecurityGroups: groups})
}

// members returns the InterfaceStatus of each member of group by interface.
func (e *env) members(group string) map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, m := range must(e.client.DescribeNSGMembers(e.ctx, cloud.NSGRequest{SecurityGroupID: group})).Members {
		out[m.InterfaceID] = m.InterfaceStatus
	}
	return out
}

// TestContractCreateInstanceSecurityGroup: CreateInstance's SecurityGroup
// (云主机概览.md) binds the new instance's interface on each PipeId to its
// group as part of the create task: syncing while the task runs, ok once
// the instance runs, counted by DescribeNSGs; no JoinNSG is needed.
func TestContractCreateInstanceSecurityGroup(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 10 * time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	pub := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "", SecurityGroupType: "public"}))
	lan := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "lan", Description: "", SecurityGroupType: "private"}))
	lan2 := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "lan2", Description: "", SecurityGroupType: "private"}))
	task := must(e.createWithGroups(f, "web-0", []cloud.SecurityGroupPipe{{SecurityGroupID: pub, PipeID: f.public},
		{SecurityGroupID: lan, PipeID: f.private}, {SecurityGroupID: lan2, PipeID: f.private}}))
	created := must(c.DescribeTask(ctx, task))
	in := e.describe(created.ResourceID)
	pubNIC, privNIC := in.PublicInterface().InterfaceID, in.PrivateNetworkInterface[0].InterfaceID
	for group, nic := range map[string]string{pub: pubNIC, lan: privNIC, lan2: privNIC} {
		if got := e.members(group); len(got) != 1 || got[nic] != "syncing" {
			t.Errorf("members of %s while the create runs = %v, want %s syncing", group, got, nic)
		}
	}
	e.clk.Advance(10 * time.Second)
	if st := must(c.DescribeTask(ctx, task)).Status; st != "FINISH" {
		t.Fatalf("create task = %s", st)
	}
	if got := e.describe(in.InstanceID).InstanceStatus; got != "running" {
		t.Fatalf("instance = %s", got)
	}
	for group, nic := range map[string]string{pub: pubNIC, lan: privNIC, lan2: privNIC} {
		if got := e.members(group); len(got) != 1 || got[nic] != "ok" {
			t.Errorf("members of %s once the instance runs = %v, want %s ok", group, got, nic)
		}
	}
	list := must(c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{Keyword: "web"}))
	if list.SecurityGroupCount != 1 || list.SecurityGroups[0].InterfaceCount != 1 || list.SecurityGroups[0].InstanceCount != 1 {
		t.Errorf("DescribeNSGs = %+v", list)
	}
	// Membership changes after the create are JoinNSG/LeaveNSG's.
	must(0, c.LeaveNSG(ctx, cloud.NSGMembershipRequest{SecurityGroupID: lan2, InterfaceIDs: []string{privNIC}}))
	e.clk.Advance(10 * time.Second)
	if got := e.members(lan2); len(got) != 0 {
		t.Errorf("members of lan2 after LeaveNSG = %v", got)
	}
	// A group bound at create cannot be deleted without ForceDelete.
	wantCode(t, c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: pub}), 403, "IncorrectSecurityGroupStatus")
}

// TestContractCreateInstanceSecurityGroupRefused: a SecurityGroup entry
// with no such group, a network not of the VDC, a network the new
// instance has no interface on, or a group of the other type refuses the
// whole create: nothing is made, no group gains a member.
func TestContractCreateInstanceSecurityGroupRefused(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	other := e.wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "other"}))
	otherLAN := e.wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: other, Name: "lan", Address: "10.20.0.0", Mask: "16"}))
	unusedLAN := e.wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: f.vdc, Name: "lan2", Address: "10.30.0.0", Mask: "16"}))
	pub := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "", SecurityGroupType: "public"}))
	lan := must(c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "lan", Description: "", SecurityGroupType: "private"}))
	const missing = "6f1c1c1e-0000-4000-8000-000000000000"
	for name, tc := range map[string]struct {
		groups []cloud.SecurityGroupPipe
		status int
		code   string
	}{
		"no such group":          {[]cloud.SecurityGroupPipe{{SecurityGroupID: missing, PipeID: f.public}}, 400, "InvalidSecurityGroupId.NotFound"},
		"malformed group":        {[]cloud.SecurityGroupPipe{{SecurityGroupID: "web", PipeID: f.public}}, 400, "InvalidSecurityGroupId.Malformed"},
		"no PipeId":              {[]cloud.SecurityGroupPipe{{SecurityGroupID: pub}}, 400, "IncompleteParamter"},
		"network of another VDC": {[]cloud.SecurityGroupPipe{{SecurityGroupID: lan, PipeID: otherLAN}}, 400, "InvalidPipeId.NotFound"},
		"no interface there":     {[]cloud.SecurityGroupPipe{{SecurityGroupID: lan, PipeID: unusedLAN}}, 400, "InvalidPipeId.NotFound"},
		"public group, private":  {[]cloud.SecurityGroupPipe{{SecurityGroupID: pub, PipeID: f.private}}, 400, "InvalidSecurityGroupType.Mismatch"},
		"private group, public":  {[]cloud.SecurityGroupPipe{{SecurityGroupID: lan, PipeID: f.public}}, 400, "InvalidSecurityGroupType.Mismatch"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := e.createWithGroups(f, "refused", tc.groups)
			wantCode(t, err, tc.status, tc.code)
		})
	}
	if n := len(must(c.ListInstances(ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc}, 100))); n != 0 {
		t.Errorf("%d instances made by refused creates", n)
	}
	for _, g := range []string{pub, lan} {
		if got := e.members(g); len(got) != 0 {
			t.Errorf("members of %s after refused creates = %v", g, got)
		}
	}
}

// TestCreateInstanceSecurityGroupFailedTask: a create task that fails
// leaves no member behind (the instance is gone), and one the service
// keeps as failed shows its binding in error.
func TestCreateInstanceSecurityGroupFailedTask(t *testing.T) {
	for _, keep := range []bool{false, true} {
		e := newEnv(t, Options{TaskLatency: time.Second})
		f := e.fixture()
		pub := must(e.client.CreateNSG(e.ctx, cloud.CreateNSGRequest{SecurityGroupName: "web", Description: "", SecurityGroupType: "public"}))
		e.srv.opts.TaskFailureRate, e.srv.opts.KeepFailedInstances = 1, keep
		task := must(e.createWithGroups(f, "doomed", []cloud.SecurityGroupPipe{{SecurityGroupID: pub, PipeID: f.public}}))
		e.clk.Advance(time.Second)
		if st := must(e.client.DescribeTask(e.ctx, task)).Status; st != "ERROR" {
			t.Fatalf("task = %s, want ERROR", st)
		}
		got := e.members(pub)
		switch {
		case !keep && len(got) != 0:
			t.Errorf("members after a failed create = %v, want none", got)
		case keep && (len(got) != 1 || func() bool {
			for _, s := range got {
				return s != "error"
			}
			return true
		}()):
			t.Errorf("members after a failed create kept as error = %v, want one in error", got)
		}
	}
}
