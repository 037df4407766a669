package emulator

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

// TestContractCurrentActions drives the actions the current documents and
// the official SDK add to the 2019 reference, with their invariants.
func TestContractCurrentActions(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	a, b := e.instance(f, "a"), e.instance(f, "b")

	// Renames answer at once, with no task.
	if task := must(c.ModifyInstanceName(ctx, cloud.ModifyInstanceNameRequest{InstanceID: a, InstanceName: "a2"})); task != "" {
		t.Errorf("ModifyInstanceName TaskId = %q, want none", task)
	}
	if in := e.describe(a); in.InstanceName != "a2" || in.InstanceStatus != "running" {
		t.Errorf("after ModifyInstanceName: %s %s", in.InstanceName, in.InstanceStatus)
	}
	_, err := c.ModifyInstanceName(ctx, cloud.ModifyInstanceNameRequest{InstanceID: a, InstanceName: "no spaces"})
	wantCode(t, err, 400, "InvalidInstanceName.Malformed")
	if task := must(c.ModifyVdcName(ctx, cloud.ModifyVdcNameRequest{VdcID: f.vdc, VdcName: "renamed"})); task != "" {
		t.Errorf("ModifyVdcName TaskId = %q, want none", task)
	}
	if v := must(c.Vdc(ctx, f.vdc)); v.VdcName != "renamed" || e.describe(a).VdcName != "renamed" {
		t.Errorf("after ModifyVdcName: %+v", v)
	}

	// The host name needs the instance's password.
	_, err = c.ModifyInstanceHostName(ctx, cloud.ModifyInstanceHostNameRequest{InstanceID: a, HostName: "web-a", Password: "Wrong0ne!"})
	wantCode(t, err, 400, "InvalidPassword.Malformed")
	must(c.ModifyInstanceHostName(ctx, cloud.ModifyInstanceHostNameRequest{InstanceID: a, HostName: "web-a", Password: "Passw0rd!"}))
	e.srv.View(func(w *World) {
		if h := w.Instances[a].HostName; h != "web-a" {
			t.Errorf("host name = %q", h)
		}
	})

	// A password reset is one task per instance; the new password is the
	// one the host name change then needs.
	tasks := must(c.ResetInstancesPassword(ctx, cloud.ResetInstancesPasswordRequest{InstanceIDs: []string{a, b}, Password: "N3w-Passw0rd"}))
	if len(tasks) != 2 {
		t.Fatalf("ResetInstancesPassword tasks = %v, want one per instance", tasks)
	}
	for _, id := range tasks {
		e.wait(id, nil)
	}
	_, err = c.ModifyInstanceHostName(ctx, cloud.ModifyInstanceHostNameRequest{InstanceID: b, HostName: "web-b", Password: "Passw0rd!"})
	wantCode(t, err, 400, "InvalidPassword.Malformed")
	must(c.ModifyInstanceHostName(ctx, cloud.ModifyInstanceHostNameRequest{InstanceID: b, HostName: "web-b", Password: "N3w-Passw0rd"}))
	_, err = c.ResetInstancesPassword(ctx, cloud.ResetInstancesPasswordRequest{InstanceIDs: []string{a}, Password: "short"})
	wantCode(t, err, 400, "InvalidPassword.Malformed")

	// The system disk grows, never shrinks.
	e.wait(c.ExtendSystemDisk(ctx, cloud.ExtendSystemDiskRequest{InstanceID: a, Size: 60, IOPS: 2}))
	if d := e.describe(a).Disks.SystemDisk; d.Size != 60 || d.IopsSize != 2 || d.Type != "system_disk" || d.IOPS <= 600 {
		t.Errorf("system disk after ExtendSystemDisk = %+v", d)
	}
	_, err = c.ExtendSystemDisk(ctx, cloud.ExtendSystemDiskRequest{InstanceID: a, Size: 40})
	wantCode(t, err, 403, "InvalidDiskSize.TooSmall")
	_, err = c.ExtendSystemDisk(ctx, cloud.ExtendSystemDiskRequest{InstanceID: a, Size: 65})
	wantCode(t, err, 400, "InvalidSystemDiskSize.ValueNotSupported")

	// Power in batches: one task for all, all or nothing.
	stop := must(c.StopInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{a, b}}))
	for _, id := range []string{a, b} {
		if st := e.describe(id).InstanceStatus; st != "stopping" {
			t.Errorf("%s while stopping: %s", id, st)
		}
	}
	task := e.waitTask(stop)
	if !slices.Equal(task.ResourceIDs, []string{a, b}) {
		t.Errorf("StopInstances task ResourceIds = %v", task.ResourceIDs)
	}
	e.wait(c.StartInstance(ctx, cloud.InstanceRequest{InstanceID: a}))
	_, err = c.StartInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{a, b}}) // a already runs
	wantCode(t, err, 403, "IncorrectInstanceStatus")
	if st := e.describe(b).InstanceStatus; st != "stop" {
		t.Errorf("a refused batch changed b: %s", st)
	}
	e.wait(c.StartInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{b}}))
	e.wait(c.RebootInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{a, b}}))
	for _, id := range []string{a, b} {
		if st := e.describe(id).InstanceStatus; st != "running" {
			t.Errorf("%s after RebootInstances: %s", id, st)
		}
	}
}

// call sends action with raw params, waits for its task and returns the
// task's resource id.
func (e *env) call(action string, params map[string]any) string {
	e.t.Helper()
	resp, err := e.client.Call(e.ctx, action, params, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.wait(resp.TaskID, nil)
}

// waitTask waits for a task and returns it.
func (e *env) waitTask(id string) *cloud.Task {
	e.t.Helper()
	task, err := e.client.WaitTask(e.ctx, id)
	if err != nil {
		e.t.Fatalf("task %s: %v", id, err)
	}
	return task
}

// TestContractCurrentForms: requests in the forms the current documents
// and the official clients send are accepted, and answers come in the
// current shapes.
func TestContractCurrentForms(t *testing.T) {
	e := newEnv(t, Options{LegacySecurityGroups: true})
	c, ctx := e.client, e.ctx
	f := e.fixture()

	// DescribeVdc of an unknown VDC is a success with no VDCs.
	gone := "00000000-0000-4000-8000-000000000000"
	if list, err := c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: gone}); err != nil || len(list) != 0 {
		t.Errorf("DescribeVdc(unknown) = %v, %v; want no VDCs and no error", list, err)
	}

	// CreateVdc: an empty PublicNetwork means none; IPNum (current) and Ip
	// (2019) both give the IP count; BandwIdth is Bandwidth.
	none := e.call("CreateVdc", map[string]any{"RegionId": "CN_Beijing_A", "VdcName": "bare", "PublicNetwork": map[string]any{}})
	if v := must(c.Vdc(ctx, none)); v == nil || len(v.PublicNetwork) != 0 {
		t.Errorf("CreateVdc with PublicNetwork {} = %+v, want a VDC without a public network", v)
	}
	for key, n := range map[string]int{"IPNum": 8, "Ip": 16} {
		id := e.call("CreateVdc", map[string]any{"RegionId": "CN_Beijing_A", "VdcName": "with-" + key,
			"PublicNetwork": map[string]any{"Name": "wan", "Type": "Bandwidth_BGP", "BillingMethod": "BandwIdth", "Qos": 10, key: n,
				"AutoRenew": "0", "FloatBandwidth": "200"}})
		v := must(c.Vdc(ctx, id))
		if len(v.PublicNetwork) != 1 || len(v.PublicNetwork[0].Segments) != 1 || int(v.PublicNetwork[0].UnuseIPNum) != n-3 {
			t.Errorf("CreateVdc with %s %d: %+v", key, n, v.PublicNetwork)
		}
	}

	// DescribeTask names every instance of a multi-instance create.
	created := e.waitTask(must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc,
		Password: "Passw0rd!", InstanceName: "many", Amount: 2, PublicIP: []string{"auto"}})))
	if len(created.ResourceIDs) != 2 || created.ResourceID != created.ResourceIDs[0] {
		t.Fatalf("CreateInstance Amount 2: task ids %v", created.ResourceIDs)
	}
	raw := must(c.Call(ctx, "DescribeTask", cloud.DescribeTaskRequest{TaskID: created.ID}, nil))
	var d struct {
		ResourceID  string   `json:"ResourceId"`
		ResourceIDs []string `json:"ResourceIds"`
	}
	if err := json.Unmarshal(raw.Data, &d); err != nil || d.ResourceID != strings.Join(d.ResourceIDs, ",") {
		t.Errorf("DescribeTask Data = %s: want ResourceIds and the same ids comma-joined in ResourceId", raw.Data)
	}

	// DescribeInstances filters: PublicIp as a list, VdcName, RegionId.
	one := e.describe(created.ResourceIDs[0])
	ip := one.PublicInterface().IP
	byIP := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{PublicIPs: []string{ip, "198.19.255.254"}}))
	if len(byIP.Instances) != 1 || byIP.Instances[0].InstanceID != one.InstanceID || byIP.Total != 1 {
		t.Errorf("DescribeInstances by PublicIp list = %+v", byIP)
	}
	byName := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{VdcName: "test", RegionID: "CN_Beijing_A"}))
	if byName.Total != 2 {
		t.Errorf("DescribeInstances by VdcName: %d instances, want 2", byName.Total)
	}
	if n := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{VdcName: "bare"})).Total; n != 0 {
		t.Errorf("DescribeInstances in an empty VDC: %d", n)
	}

	// Security groups: keyword in a POST body, several targets, host bits.
	sg := must(c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "web", Description: "d", SecurityGroupType: "Public"}))
	other := must(c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "db", Description: "d", SecurityGroupType: "private"}))
	var list cloud.SecurityGroupList
	must(c.Call(ctx, "DescribeSecurityGroups", map[string]any{"keyword": "web"}, &list))
	if len(list.SecurityGroup) != 1 || list.SecurityGroup[0].SecurityGroupID != sg.SecurityGroupID || list.SecurityGroup[0].SecurityGroupType != "public" {
		t.Errorf("DescribeSecurityGroups keyword=web = %+v (db is %s)", list.SecurityGroup, other.SecurityGroupID)
	}
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "1",
		TargetAddress: "120.78.170.188/28;10.0.0.1", LocalPort: "22", Direction: "ALL", Priority: "5", Protocol: "tcp", RuleType: "IP"}))
	attr := must(c.DescribeSecurityGroupAttribute(ctx, cloud.DescribeSecurityGroupAttributeRequest{SecurityGroupID: sg.SecurityGroupID}))
	if r := attr.SecurityGroupRules[0]; r.TargetAddress != "120.78.170.188/28;10.0.0.1" || r.Protocol != "TCP" || r.Direction != "all" || r.Type != "ip" {
		t.Errorf("rule = %+v", r)
	}
	_, err := c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "1",
		TargetAddress: "10.0.0.1;nope", LocalPort: "22", Direction: "all", Priority: "5", Protocol: "TCP", RuleType: "ip"})
	wantCode(t, err, 400, "InvalidParameter.TargetAddress")
	// The official provider's own example: TargetPort joined by ";".
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "1",
		TargetAddress: "10.0.0.1", LocalPort: "22", TargetPort: "70;90;8", Direction: "all", Priority: "6", Protocol: "TCP", RuleType: "ip"}))
	_, err = c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: sg.SecurityGroupID, Action: "1",
		TargetAddress: "10.0.0.1", LocalPort: "22", TargetPort: "70;x", Direction: "all", Priority: "7", Protocol: "TCP", RuleType: "ip"})
	wantCode(t, err, 400, "InvalidParameter.TargetPort")
}

// TestInstanceAnswerShape reads DescribeInstances as raw JSON: the public
// interface is a list, disks use the current names, and nothing the
// documents do not list is sent.
func TestInstanceAnswerShape(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	id := e.instance(f, "a")
	raw := must(e.client.Call(e.ctx, "DescribeInstances", cloud.DescribeInstancesRequest{InstanceID: id}, nil))
	var d struct {
		Instances []map[string]json.RawMessage
		Total     *int
	}
	if err := json.Unmarshal(raw.Data, &d); err != nil || len(d.Instances) != 1 || d.Total == nil {
		t.Fatalf("Data = %s (%v)", raw.Data, err)
	}
	var keys []string
	for k := range d.Instances[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"Cpu", "CreateTime", "Disks", "InstanceChargeStatus", "InstanceChargeType", "InstanceId", "InstanceName",
		"InstanceStatus", "PrivateNetworkInterface", "PublicNetworkInterface", "Ram", "RegionId", "Tags", "VdcId", "VdcName"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("instance keys (-want +got)\n%s", diff)
	}
	if p := string(d.Instances[0]["PublicNetworkInterface"]); !strings.HasPrefix(p, "[") {
		t.Errorf("PublicNetworkInterface = %s, want a list", p)
	}
	var disks struct{ SystemDisk, DataDisks json.RawMessage }
	_ = json.Unmarshal(d.Instances[0]["Disks"], &disks)
	for _, k := range []string{`"DiskType"`, `"IopsSize"`, `"Iops"`} {
		if !strings.Contains(string(disks.SystemDisk), k) || !strings.Contains(string(disks.DataDisks), k) {
			t.Errorf("disks %s / %s lack %s", disks.SystemDisk, disks.DataDisks, k)
		}
	}
	if strings.Contains(string(raw.Body), `"IOPS"`) || strings.Contains(string(raw.Body), `"Type":`) {
		t.Errorf("answer uses the 2019 disk names: %s", raw.Body)
	}
}

// TestContractTags: tags are account-wide and numbered; CreateInstance's
// LabelNames creates missing ones; a tag in use cannot be deleted.
func TestContractTags(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	must(0, c.CreateTag(ctx, cloud.CreateTagRequest{TagName: "team-web"}))
	wantCode(t, c.CreateTag(ctx, cloud.CreateTagRequest{TagName: "team-web"}), 400, "InvalidTagName.Duplicated")
	id := e.wait(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!",
		InstanceName: "a", LabelNames: []string{"team-web", "env-prod"}}))
	tags := must(c.DescribeTags(ctx))
	byName := map[string]string{}
	for _, tag := range tags {
		byName[tag.TagName] = string(tag.TagID)
	}
	if len(tags) != 2 || byName["team-web"] != "1" || byName["env-prod"] != "2" {
		t.Fatalf("DescribeTags = %+v; want team-web 1 and env-prod 2 (made by LabelNames)", tags)
	}
	if got := e.describe(id).Tags; len(got) != 2 || got[0].TagName != "team-web" || got[0].TagID != "1" {
		t.Errorf("instance tags = %+v", got)
	}
	if n := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{TagName: "env-prod"})).Total; n != 1 {
		t.Errorf("DescribeInstances TagName=env-prod: %d", n)
	}
	wantCode(t, c.DeleteTag(ctx, cloud.DeleteTagRequest{TagID: "2"}), 400, cloud.TagInUse)
	must(c.DeleteInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: []string{"2"}}))
	must(0, c.DeleteTag(ctx, cloud.DeleteTagRequest{TagID: "2"}))
	must(0, c.CreateTag(ctx, cloud.CreateTagRequest{TagName: "cost-7"}))
	must(c.AddInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: []string{"3"}}))
	if got := e.describe(id).Tags; len(got) != 2 || got[1].TagName != "cost-7" {
		t.Errorf("after Add/DeleteInstancesTags: %+v", got)
	}
	_, err := c.AddInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: []string{"99"}})
	wantCode(t, err, 400, "InvalidTagId.NotFound")
	wantCode(t, c.DeleteTag(ctx, cloud.DeleteTagRequest{TagID: "99"}), 400, "InvalidTagId.NotFound")
}

// TestContractCatalogAndPrices: what DescribeInstanceType and
// DescribeAvailableResource list is what CreateInstance accepts; quotes come
// from the price table bills use; address listings agree with the VDC's
// counts; the account's balance shows arrears.
func TestContractCatalogAndPrices(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()

	sizes := must(c.DescribeInstanceType(ctx, cloud.InstanceTypeRequest{RegionID: "CN_Beijing_A", InstanceType: "Standard"}))
	listed := map[[2]int]bool{}
	for _, s := range sizes {
		listed[[2]int{int(s.CPU), int(s.RAM)}] = true
	}
	for _, cpu := range CPUs {
		for _, ram := range RAMs {
			_, err := c.DescribeInstancePrice(ctx, cloud.InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: cpu, RAM: ram,
				InstanceType: "Standard", ImageID: "Centos_7.6_64", Amount: 1})
			if (err == nil) != listed[[2]int{cpu, ram}] {
				t.Errorf("%d vCPU %d GB: listed %v, quoted %v", cpu, ram, listed[[2]int{cpu, ram}], err)
			}
		}
	}
	_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", CPU: 1, RAM: 16})
	wantCode(t, err, 400, "InvalidInstanceType.ValueUnauthorized")
	if g2 := must(c.DescribeInstanceType(ctx, cloud.InstanceTypeRequest{RegionID: "US_Dallas_A", InstanceType: "G2_General"})); len(g2) != 0 {
		t.Errorf("G2_General sizes in Dallas = %v, want none", g2)
	}
	dallas := must(c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: "US_Dallas_A"}))
	for _, g := range dallas.InstanceGoods {
		if strings.HasPrefix(g.InstanceType, "G2_") {
			t.Errorf("Dallas lists %s", g.InstanceType)
		}
	}
	dv := e.wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "US_Dallas_A", VdcName: "dallas"}))
	_, err = c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "US_Dallas_A", VdcID: dv, Password: "Passw0rd!", InstanceType: "G2_General", CPU: 2, RAM: 4})
	wantCode(t, err, 403, "Zone.NotOnSale")

	// The quote is the bill: one hour of the instance costs what was quoted.
	quote := must(c.DescribeInstancePrice(ctx, cloud.InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: 2, RAM: 4, InstanceType: "Standard",
		ImageID: "Centos_7.6_64", DataDisks: []cloud.DiskSpec{{Size: 100, Type: "ssd_disk"}}, Amount: 1}))
	id := e.instance(f, "priced")
	start := e.clk.Now()
	e.clk.Advance(time.Hour)
	day := start.In(beijing).Format(billDate)
	info := must(c.DescribeBillInfo(ctx, cloud.DescribeBillInfoRequest{DateFrom: day, DateTo: day, ResourceID: id}))
	if got := float64(info.BillDetail[0].UnitPrice); got != float64(quote.TotalPrice) {
		t.Errorf("quoted %v an hour, billed %v", quote.TotalPrice, got)
	}
	prepaid := must(c.DescribeInstancePrice(ctx, cloud.InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: 2, RAM: 4, InstanceType: "Standard",
		ImageID: "Centos_7.6_64", DataDisks: []cloud.DiskSpec{{Size: 100, Type: "ssd_disk"}}, Amount: 2, InstanceChargeType: "PrePaid", PrepaidMonth: cloud.Ptr(3)}))
	if want := float64(quote.TotalPrice) * 2 * 730 * 3; abs(float64(prepaid.TotalPrice)-want) > 0.01 {
		t.Errorf("PrePaid 2 × 3 months = %v, want %v", prepaid.TotalPrice, want)
	}
	bw := must(c.VDCBandwidthUnitPrice(ctx, cloud.BandwidthPriceRequest{RegionID: "CN_Beijing_A", BandwidthType: "Bandwidth_BGP", BillScheme: "BandwIdth", Type: "wan"}))
	if bw.BandwidthPrice.Price != 0.72 || bw.BandwidthPrice.Cycle != "/天" || bw.EIPPrice.Price != 0.12 {
		t.Errorf("VDCBandwidthUnitPrice = %+v", bw)
	}
	var traffic cloud.BandwidthPrice
	must(c.Call(ctx, "VDCBandwidthUnitPrice", map[string]any{"RegionId": "CN_Beijing_A", "BandwidthType": "Bandwidth_BGP", "BillingScheme": "Traffic", "Type": "wan"}, &traffic))
	if traffic.BandwidthPrice.Cycle != "/GB" {
		t.Errorf("Traffic price per %s, want /GB (BillingScheme, the example's spelling)", traffic.BandwidthPrice.Cycle)
	}

	// Address listings agree with the VDC's counts.
	v := must(c.Vdc(ctx, f.vdc))
	pub := must(c.DescribePublicIP(ctx, cloud.IPUsageRequest{VdcID: f.vdc, PublicID: f.public}))
	if pub.UnusedTotal != v.PublicNetwork[0].UnuseIPNum || pub.UsedTotal != 1 || len(pub.UnusedList) != int(pub.UnusedTotal) ||
		!strings.HasPrefix(pub.UsedList[0].Usage, "云服务器使用(priced") {
		t.Errorf("DescribePublicIp = %+v, VDC says %d free", pub, v.PublicNetwork[0].UnuseIPNum)
	}
	priv := must(c.DescribePrivateIP(ctx, cloud.IPUsageRequest{VdcID: f.vdc, PrivateID: f.private}))
	if priv.UnusedTotal != v.PrivateNetwork[0].UnuseIPNum || len(priv.UnusedList) != maxUnusedListed || priv.UsedList[0].Address != "10.10.0.2" {
		t.Errorf("DescribePrivateIp: %d free (VDC: %d), %d listed, used %+v", priv.UnusedTotal, v.PrivateNetwork[0].UnuseIPNum, len(priv.UnusedList), priv.UsedList)
	}

	acct := must(c.DescribeAccountInfo(ctx))
	if acct.Available() != 10000 || acct.MasterTotalCost <= 0 || len(acct.CostRecords) == 0 {
		t.Errorf("DescribeAccountInfo = %+v", acct)
	}
	broke := newEnv(t, Options{Arrears: true})
	if a := must(broke.client.DescribeAccountInfo(broke.ctx)); a.Available() >= 0 {
		t.Errorf("in arrears, available = %v", a.Available())
	}
}

func abs(f float64) float64 { return math.Abs(f) }
