package emulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

// TestContractDescribeInstancesByIDList: InstanceId is one string (the
// current documents, what the client sends); the 2019 reference's JSON list
// is still read, so one call reads several instances; a gone one is left
// out.
func TestContractDescribeInstancesByIDList(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id0, id1 := e.instance(f, "web-0"), e.instance(f, "web-1")
	gone := "00000000-0000-4000-8000-000000000000"
	one := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{InstanceID: id1}))
	if len(one.Instances) != 1 || one.Instances[0].InstanceName != "web-1" {
		t.Fatalf("DescribeInstances by one id = %+v", one.Instances)
	}
	var listed cloud.DescribeInstancesData
	must(c.Call(ctx, "DescribeInstances", map[string]any{"InstanceId": []string{id0, gone, id1}}, &listed))
	var names []string
	for _, in := range listed.Instances {
		names = append(names, in.InstanceName)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"web-0", "web-1"}, names); diff != "" {
		t.Fatalf("DescribeInstances by two ids and a gone one (-want +got)\n%s", diff)
	}
	if in, err := c.Instance(ctx, id1); err != nil || in == nil || in.InstanceName != "web-1" {
		t.Fatalf("Instance(%s) = %+v, %v", id1, in, err)
	}
	if in, err := c.Instance(ctx, gone); err != nil || in != nil {
		t.Fatalf("Instance(gone) = %+v, %v; want nil, nil", in, err)
	}
}

// TestContractEveryAction drives every action of the reference through the
// client and checks the documented success shape of each answer.
func TestContractEveryAction(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 2 * time.Second, LegacySecurityGroups: true})
	c, ctx := e.client, e.ctx
	f := e.fixture()

	// VDC and networks.
	vdcs := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))
	if len(vdcs) != 1 || vdcs[0].VdcName != "test" || vdcs[0].VdcStatus != "ok" || vdcs[0].RegionID != "CN_Beijing_A" {
		t.Fatalf("DescribeVdc = %+v", vdcs)
	}
	pub := vdcs[0].PublicNetwork[0]
	if pub.PublicID != f.public || pub.Qos != 10 || len(pub.Segments) != 1 || pub.Segments[0].Mask != 29 || pub.UnuseIPNum != 5 {
		t.Fatalf("public network = %+v", pub)
	}
	if seg := pub.Segments[0]; !strings.HasPrefix(seg.Address, "198.18.") || seg.Gateway == seg.Address {
		t.Errorf("segment = %+v", seg)
	}
	priv := vdcs[0].PrivateNetwork[0]
	if priv.PrivateID != f.private || priv.Segments[0] != "10.10.0.0/16~10.10.255.255/16" || priv.UnuseIPNum != 65533 {
		t.Fatalf("private network = %+v", priv)
	}
	e.wait(c.ModifyPublicNetwork(ctx, cloud.ModifyPublicNetworkRequest{PublicID: f.public, Qos: 20}))
	e.wait(c.AddPublicIP(ctx, cloud.AddPublicIPRequest{PublicID: f.public, Number: 4}))
	pub = must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0]
	if pub.Qos != 20 || len(pub.Segments) != 2 {
		t.Fatalf("after Modify and AddPublicIp: %+v", pub)
	}
	e.wait(c.DeletePublicIP(ctx, cloud.SegmentRequest{SegmentID: pub.Segments[1].SegmentID}))
	if taskID, err := c.RenewPublicNetwork(ctx, cloud.RenewPublicNetworkRequest{PublicID: f.public, AutoRenew: 0}); err != nil || taskID != "" {
		t.Fatalf("RenewPublicNetwork = %q, %v (want an immediate change)", taskID, err)
	}
	pub = must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0]
	if len(pub.Segments) != 1 || pub.AutoRenew != nil || pub.BillingMethod != "" {
		t.Errorf("after DeletePublicIp and Renew: %+v (the documents show no renewal or billing method)", pub)
	}
	e.srv.View(func(w *World) {
		if r := w.Publics[f.public].AutoRenew; r != 0 {
			t.Errorf("AutoRenew after RenewPublicNetwork 0 = %d", r)
		}
	})
	traffic := must(c.DescribeBandwidthTraffic(ctx, cloud.BandwidthTrafficRequest{NetworkID: f.public}))
	if traffic.MaxQos != 20 {
		t.Errorf("DescribeBandwidthTraffic = %+v", traffic)
	}

	// Instances.
	id := e.instance(f, "web-0")
	in := e.describe(id)
	if in.InstanceName != "web-0" || in.InstanceStatus != "running" || in.CPU != 2 || in.RAM != 4 || in.VdcName != "test" ||
		len(in.Disks.DataDisks) != 1 || in.Disks.DataDisks[0].Size != 100 || in.Disks.DataDisks[0].DiskID == "" ||
		in.Disks.SystemDisk.Size != 20 || in.Disks.LeftDataDiskNum != 15 {
		t.Fatalf("instance = %+v", in)
	}
	if nic := in.PublicInterface(); len(in.PublicNetworkInterface) != 1 || nic.PublicID != f.public || nic.Connected != 1 || nic.MAC == "" || !strings.HasPrefix(nic.IP, "198.18.") {
		t.Fatalf("public NIC = %+v", in.PublicNetworkInterface)
	}
	if nics := in.PrivateNetworkInterface; len(nics) != 1 || nics[0].IP != "10.10.0.2" || nics[0].PrivateID != f.private {
		t.Fatalf("private NICs = %+v", nics)
	}
	if in.ImageID != "" || in.InstanceType != "" || in.CreateTime == "" || in.Disks.SystemDisk.Type != "system_disk" {
		t.Errorf("instance shows image %q, type %q, create time %q, system disk %+v: want the documents' fields only",
			in.ImageID, in.InstanceType, in.CreateTime, in.Disks.SystemDisk)
	}
	e.wait(c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: id}))
	if st := e.describe(id).InstanceStatus; st != "stop" {
		t.Errorf("after StopInstance: %s", st)
	}
	_, err := c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: id})
	wantCode(t, err, 403, "IncorrectInstanceStatus")
	e.wait(c.StartInstance(ctx, cloud.InstanceRequest{InstanceID: id}))
	_, err = c.StartInstance(ctx, cloud.InstanceRequest{InstanceID: id})
	wantCode(t, err, 403, "IncorrectInstanceStatus")
	e.wait(c.RebootInstance(ctx, cloud.InstanceRequest{InstanceID: id}))
	e.wait(c.ModifyInstanceChargeType(ctx, cloud.ModifyInstanceChargeTypeRequest{InstanceID: id, InstanceChargeType: "PrePaid", AutoRenew: cloud.Ptr(0), PrepaidMonth: cloud.Ptr(1)}))
	e.wait(c.ModifyInstanceSpec(ctx, cloud.ModifyInstanceSpecRequest{InstanceID: id, CPU: 4, RAM: 8}))
	e.wait(c.ModifyInstanceSpec(ctx, cloud.ModifyInstanceSpecRequest{InstanceID: id, InstanceType: "CCS.G3"}))
	if got := e.describe(id).InstanceType; got != "" && got != "CCS.G3" {
		t.Errorf("after ModifyInstanceSpec InstanceType: %s", got)
	}
	must(c.ModifyInstanceAttribute(ctx, cloud.ModifyInstanceAttributeRequest{InstanceIDs: []string{id}, DeletionProtection: true}))
	if _, err := c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}); !cloud.IsCode(err, "OperationDenied.DeletionProtection") {
		t.Errorf("DeleteInstance of a protected instance: %v", err)
	}
	must(c.ModifyInstanceAttribute(ctx, cloud.ModifyInstanceAttributeRequest{InstanceIDs: []string{id}, DeletionProtection: false}))
	e.wait(c.CreateDisk(ctx, cloud.CreateDiskRequest{InstanceID: id, DataDisks: []cloud.DiskSpec{{Size: 200, Type: "high_disk"}}}))
	in = e.describe(id)
	disk := in.Disks.DataDisks[0].DiskID
	e.wait(c.ResizeDisk(ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: disk, DataSize: 150}))
	e.wait(c.DeleteDisk(ctx, cloud.DeleteDiskRequest{InstanceID: id, DiskIDs: []string{in.Disks.DataDisks[1].DiskID}}))
	e.wait(c.ResetImage(ctx, cloud.ResetImageRequest{InstanceID: id, ImageID: "Ubuntu_16.04_64", Password: "Passw0rd!"}))
	// The actions the current documents and the SDK add (current_test.go
	// tests them in depth).
	must(c.ModifyInstanceName(ctx, cloud.ModifyInstanceNameRequest{InstanceID: id, InstanceName: "web-0"}))
	must(c.ModifyInstanceHostName(ctx, cloud.ModifyInstanceHostNameRequest{InstanceID: id, HostName: "web-0", Password: "Passw0rd!"}))
	for _, task := range must(c.ResetInstancesPassword(ctx, cloud.ResetInstancesPasswordRequest{InstanceIDs: []string{id}, Password: "Passw0rd!"})) {
		e.wait(task, nil)
	}
	e.wait(c.ExtendSystemDisk(ctx, cloud.ExtendSystemDiskRequest{InstanceID: id, Size: 30}))
	e.wait(c.StopInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{id}}))
	e.wait(c.StartInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{id}}))
	e.wait(c.RebootInstances(ctx, cloud.InstancesRequest{InstanceIDs: []string{id}}))
	must(c.ModifyVdcName(ctx, cloud.ModifyVdcNameRequest{VdcID: f.vdc, VdcName: "test"}))
	must(0, c.CreateTag(ctx, cloud.CreateTagRequest{TagName: "t"}))
	tag := string(must(c.DescribeTags(ctx))[0].TagID)
	must(c.AddInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: []string{tag}}))
	must(c.DeleteInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: []string{tag}}))
	must(0, c.DeleteTag(ctx, cloud.DeleteTagRequest{TagID: tag}))
	must(c.DescribeInstanceType(ctx, cloud.InstanceTypeRequest{RegionID: "CN_Beijing_A", InstanceType: "Standard"}))
	must(c.DescribeInstancePrice(ctx, cloud.InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: 2, RAM: 4, InstanceType: "Standard", ImageID: "Centos_7.6_64"}))
	must(c.DescribePublicIP(ctx, cloud.IPUsageRequest{VdcID: f.vdc, PublicID: f.public}))
	must(c.DescribePrivateIP(ctx, cloud.IPUsageRequest{VdcID: f.vdc, PrivateID: f.private}))
	must(c.VDCBandwidthUnitPrice(ctx, cloud.BandwidthPriceRequest{RegionID: "CN_Beijing_A", BandwidthType: "Bandwidth_BGP", BillScheme: "Bandwidth", Type: "wan"}))
	must(c.DescribeAccountInfo(ctx))
	nic := in.PrivateNetworkInterface[0].InterfaceID
	e.wait(c.DisconnectNetworkInterface(ctx, cloud.NetworkInterfaceRequest{InterfaceID: nic, InstanceID: id}))
	if got := e.describe(id).PrivateNetworkInterface[0].Connected; got != 0 {
		t.Errorf("after Disconnect: Connected = %d", got)
	}
	e.wait(c.ConnectNetworkInterface(ctx, cloud.NetworkInterfaceRequest{InterfaceID: nic, InstanceID: id}))
	e.wait(c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic, Address: "10.10.1.1", Password: "Passw0rd!"}))
	in = e.describe(id)
	want := struct {
		Status, Charge, Image, IP string
		CPU, RAM                  cloud.Int
		Disks                     []cloud.Int
		Connected                 cloud.Int
	}{"running", "PrePaid", "Ubuntu_16.04_64", "10.10.1.1", 4, 8, []cloud.Int{150}, 1}
	got := want
	got.Status, got.Charge, got.IP = in.InstanceStatus, in.InstanceChargeType, in.PrivateNetworkInterface[0].IP
	e.srv.View(func(w *World) { got.Image = w.Instances[id].ImageID })
	got.CPU, got.RAM, got.Connected = in.CPU, in.RAM, in.PrivateNetworkInterface[0].Connected
	got.Disks = nil
	for _, d := range in.Disks.DataDisks {
		got.Disks = append(got.Disks, d.Size)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instance after updates (-want +got)\n%s", diff)
	}
	mon := must(c.DescribeInstanceMonitor(ctx, cloud.DescribeInstanceMonitorRequest{InstanceID: id, MetricName: "CPUUtilization",
		Period: 60, StartTime: "2019-10-09 15:30:00", EndTime: "2019-10-09 15:34:00"}))
	if mon.InstanceID != id || mon.Period != "60" || len(mon.DataPoints) != 5 || mon.DataPoints[0].Timestamp != "2019-10-09 15:30:00" {
		t.Fatalf("DescribeInstanceMonitor = %+v", mon)
	}
	again := must(c.DescribeInstanceMonitor(ctx, cloud.DescribeInstanceMonitorRequest{InstanceID: id, MetricName: "CPUUtilization",
		Period: 60, StartTime: "2019-10-09 15:30:00", EndTime: "2019-10-09 15:34:00"}))
	if diff := cmp.Diff(mon, again); diff != "" {
		t.Errorf("monitoring is not deterministic:\n%s", diff)
	}

	// Security groups.
	sg := must(c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "web", Description: "web tier", SecurityGroupType: "public"}))
	group := e.wait(sg.TaskID, nil)
	if group != sg.SecurityGroupID {
		t.Errorf("task ResourceId %s, Data.SecurityGroupId %s", group, sg.SecurityGroupID)
	}
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: group, Action: "1", Description: "https",
		TargetAddress: "0.0.0.0/0", TargetPort: "0", LocalPort: "443", Direction: "all", Priority: "10", Protocol: "TCP", RuleType: "ip"}))
	e.wait(c.AddSecurityGroupRule(ctx, cloud.AddSecurityGroupRuleRequest{SecurityGroupID: group, Action: "0", Description: "ping",
		TargetAddress: "10.0.0.0/8", Direction: "all", Priority: "20", Protocol: "ICMP", RuleType: "ip"}))
	attr := must(c.DescribeSecurityGroupAttribute(ctx, cloud.DescribeSecurityGroupAttributeRequest{SecurityGroupID: group}))
	if attr.SecurityGroupName != "web" || attr.SecurityGroupRuleCount != 2 || attr.SecurityGroupRules[0].LocalPort != "443" ||
		attr.SecurityGroupRules[0].Action != 1 || attr.SecurityGroupRules[1].Protocol != "ICMP" {
		t.Fatalf("DescribeSecurityGroupAttribute = %+v", attr)
	}
	rule := attr.SecurityGroupRules[0].RuleID
	e.wait(c.ModifySecurityGroupRule(ctx, cloud.ModifySecurityGroupRuleRequest{SecurityGroupID: group, RuleID: rule, Description: "tls"}))
	e.wait(c.ModifySecurityGroupRulePriority(ctx, cloud.ModifySecurityGroupRulePriorityRequest{SecurityGroupID: group,
		BindData: []cloud.RulePriority{{RuleID: rule, Priority: 30}}}))
	e.wait(c.ModifySecurityGroupAttribute(ctx, cloud.ModifySecurityGroupAttributeRequest{SecurityGroupID: group, SecurityGroupName: "web2", Description: "d"}))
	e.wait(c.JoinSecurityGroup(ctx, cloud.SecurityGroupBindRequest{SecurityGroupID: group, BindData: []cloud.SecurityGroupBinding{{InstanceID: id, PrivateID: f.private}}}))
	list := must(c.DescribeSecurityGroups(ctx, cloud.DescribeSecurityGroupsRequest{SecurityGroupID: group}))
	if list.SecurityGroupCount != 1 || list.SecurityGroup[0].SecurityGroupName != "web2" || list.SecurityGroup[0].BindInstanceCount != 1 || list.SecurityGroup[0].BindVdcCount != 1 {
		t.Fatalf("DescribeSecurityGroups = %+v", list)
	}
	one := must(c.DescribeSecurityGroupAttribute(ctx, cloud.DescribeSecurityGroupAttributeRequest{SecurityGroupID: group, RuleID: rule}))
	if len(one.SecurityGroupRules) != 1 || one.SecurityGroupRules[0].Description != "tls" || one.SecurityGroupRules[0].Priority != 30 {
		t.Errorf("rule after modify = %+v", one.SecurityGroupRules)
	}
	e.wait(c.LeaveSecurityGroup(ctx, cloud.SecurityGroupBindRequest{SecurityGroupID: group, BindData: []cloud.SecurityGroupBinding{{InstanceID: id, PrivateID: f.private}}}))
	e.wait(c.RemoveSecurityGroupRule(ctx, cloud.RemoveSecurityGroupRuleRequest{SecurityGroupID: group, RuleIDs: []string{rule}}))
	e.wait(c.DeleteSecurityGroup(ctx, cloud.SecurityGroupRequest{SecurityGroupID: group}))
	sg2 := must(c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "db", Description: "", SecurityGroupType: "private"}))
	e.wait(c.JoinSecurityGroup(ctx, cloud.SecurityGroupBindRequest{SecurityGroupID: sg2.SecurityGroupID, BindData: []cloud.SecurityGroupBinding{{InstanceID: id}}}))
	e.wait(c.ForceDeleteSecurityGroup(ctx, cloud.SecurityGroupRequest{SecurityGroupID: sg2.SecurityGroupID}))
	if n := must(c.DescribeSecurityGroups(ctx, cloud.DescribeSecurityGroupsRequest{})).SecurityGroupCount; n != 0 {
		t.Errorf("%d security groups left", n)
	}

	// Security groups on the NSG actions (nsg_test.go tests them in depth).
	contractNSG(e, id)

	// Templates.
	tpl := e.wait(c.CreateTemplate(ctx, cloud.CreateTemplateRequest{InstanceID: id, DisplayName: "golden", PowerOn: true}))
	e.wait(c.SyncTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: tpl, RegionID: "CN_Shanghai_A"}))
	tl := must(c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: 1, PageSize: 10, Keyword: "golden"}))
	if len(tl.TemplateList) != 1 || tl.TemplateList[0].TemplateID != tpl || len(tl.TemplateList[0].Region) != 2 || tl.TemplateList[0].Region[1].Status != "normal" {
		t.Fatalf("DescribeTemplateInfo = %+v", tl)
	}
	pubTpl := must(c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: 1, PageSize: 100, Keyword: "Centos_7.6"}))
	if len(pubTpl.TemplateList) != 1 || pubTpl.TemplateList[0].TemplateID != "Centos_7.6_64" {
		t.Errorf("public templates = %+v", pubTpl.TemplateList)
	}
	e.wait(c.DeleteTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: tpl, RegionID: "CN_Shanghai_A"}))
	e.wait(c.DeleteTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: tpl, RegionID: "CN_Beijing_A"}))
	if n := len(must(c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: 1, PageSize: 10, Keyword: "golden"})).TemplateList); n != 0 {
		t.Errorf("template still listed after deleting every copy")
	}

	// Products.
	avail := must(c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: "CN_Beijing_A"}))
	if avail.RegionName != "北京1" || len(avail.WanGoods) != len(BandwidthTypes) || len(avail.InstanceGoods) != len(InstanceTypes) ||
		len(avail.InstanceGoods[0].ImageGoods.PublicImage) != len(PublicImages) || len(avail.InstanceGoods[0].DiskGoods) != 3 {
		t.Errorf("DescribeAvailableResource = %+v", avail)
	}
	meter := must(c.GetMetering(ctx, cloud.GetMeteringRequest{EndTime: "20191101"}))
	if len(meter) != 2 || meter[0].ID != "2001" {
		t.Errorf("GetMetering = %+v", meter)
	}
	e.clk.Advance(5 * time.Hour)
	day := epoch.In(beijing).Format("2006.01.02")
	bill := must(c.DescribeBill(ctx, cloud.DescribeBillRequest{DateFromTo: day + " - " + day}))
	var vmCost cloud.Float
	types := map[string]int{}
	for _, b := range bill.BillInfo {
		types[b.ResourceType]++
		if b.ResourceID == id {
			vmCost = b.TotalCost
		}
	}
	if types["vm"] != 1 || types["wan"] != 1 || types["ip"] < 1 || types["template"] != 1 || vmCost <= 0 || bill.TotalViceCost <= 0 {
		t.Errorf("DescribeBill = %+v", bill)
	}
	info := must(c.DescribeBillInfo(ctx, cloud.DescribeBillInfoRequest{DateFrom: day, DateTo: day, ResourceID: id}))
	if len(info.BillDetail) < 2 || info.TotalCost != vmCost {
		t.Errorf("DescribeBillInfo total %v with %d periods, bill says %v", info.TotalCost, len(info.BillDetail), vmCost)
	}

	// Teardown: instance, networks, VDC.
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
	e.deletePublic(f)
	e.wait(c.DeletePrivateNetwork(ctx, cloud.PrivateNetworkRequest{PrivateID: f.private}))
	e.wait(c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: f.vdc}))
	if left := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{})); len(left) != 0 {
		t.Errorf("VDCs left: %+v", left)
	}

	var missing []string
	calls := e.srv.Calls()
	for _, a := range cloud.Actions() {
		if a.Key() != a.Name {
			continue // the database services: TestContractDatabases
		}
		if calls[a.Name] == 0 && !lbAction(a) && !hostAction(a) { // TestContractLoadBalancer, TestContract*DedicatedHost* call those
			missing = append(missing, a.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("actions never called: %v", missing)
	}
}

// TestClientLearnsHowLongTasksTake: after a few CreateVdc tasks the client
// looks when such a task should be done, so each later one needs about one
// DescribeTask instead of the three or four of the backoff schedule.
func TestClientLearnsHowLongTasksTake(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: time.Second})
	create := func(i int) {
		e.wait(e.client.CreateVdc(e.ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: fmt.Sprintf("learn-%d", i)}))
	}
	for i := range 6 {
		create(i)
	}
	e.srv.ResetCalls()
	const learned = 8
	for i := range learned {
		create(6 + i)
	}
	n := e.srv.Calls()["DescribeTask"]
	t.Logf("DescribeTask calls for %d learned tasks: %d", learned, n)
	if n > 2*learned {
		t.Errorf("%d DescribeTask calls for %d learned tasks, want at most %d (the schedule alone needs three or four each)", n, learned, 2*learned)
	}
}

// TestWatchedWaitsShareListings: waits on many instance creates and deletes
// in one VDC look at its instance listing together, and ask no task: an
// instance listed running says its create succeeded (and which id it
// has: the task's), one no longer listed that its delete did; the
// read-backs that follow cost no request. The waits run side by side in a synctest bubble: time is fake
// and moves only when every goroutine waits on it, and requests are served
// in memory, so the schedule (and so the count) is the design's, never the
// machine's.
func TestWatchedWaitsShareListings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c := inMemory(t, Options{Seed: 7, TaskLatency: 300 * time.Millisecond, TaskJitter: 200 * time.Millisecond})
		ctx := context.Background()
		vdc := must(c.WaitTask(ctx, must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "watch"})))).ResourceID
		const n = 20
		// Each wait draws its schedule's scale from its own seeded source.
		scale := func(i int) cloud.WaitOption {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			return func(cfg *cloud.WaitConfig) { cfg.Rand = r.Float64 }
		}
		run := func(f func(i int) error) {
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Go(func() { errs <- f(i) })
				synctest.Wait() // each wait starts, in order, before the next
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		// The requests go out one by one (all at the same fake instant), so
		// every task draws the same jitter on every run; the waits run side
		// by side.
		tasks := make([]string, n)
		name := func(i int) string { return fmt.Sprintf("w-%d", i) }
		srv.ResetCalls()
		for i := range n {
			tasks[i] = must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, InstanceName: name(i), CPU: 1, RAM: 1, Password: "Watch-Passw0rd"}))
		}
		ids := make([]string, n)
		run(func(i int) error {
			done, err := c.WaitTask(ctx, tasks[i], c.WatchInstance(vdc, name(i), "", false), scale(i))
			if err != nil {
				return err
			}
			ids[i] = done.ResourceID
			in, err := c.Instance(ctx, done.ResourceID)
			if err != nil || in == nil || in.InstanceName != name(i) || in.Power() != cloud.PowerRunning {
				return fmt.Errorf("read-back of %s: %+v %v", name(i), in, err)
			}
			return nil
		})
		created := srv.Calls()
		for i := range n { // the ids the listing gave are the tasks'
			if task := must(c.DescribeTask(ctx, tasks[i])); task.Status != cloud.TaskFinish || task.ResourceID != ids[i] {
				t.Errorf("%s: the wait said %s; its task: %s %s", name(i), ids[i], task.Status, task.ResourceID)
			}
		}
		srv.ResetCalls()
		for i := range n {
			tasks[i] = must(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{ids[i]}}))
		}
		run(func(i int) error {
			_, err := c.WaitTask(ctx, tasks[i], c.WatchInstance(vdc, "", ids[i], true), scale(i))
			return err
		})
		deleted := srv.Calls()
		t.Logf("creates: %v; deletes: %v", created, deleted)
		for what, calls := range map[string]map[string]int{"creates": created, "deletes": deleted} {
			if calls["DescribeTask"] != 0 {
				t.Errorf("%s: %d DescribeTask for %d tasks, want none: the listing says how they ended", what, calls["DescribeTask"], n)
			}
			if calls["DescribeInstances"] > n/2 {
				t.Errorf("%s: %d listings for %d waits, want them shared", what, calls["DescribeInstances"], n)
			}
		}
	})
}
