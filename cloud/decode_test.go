package cloud

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// An example is how to call one action and what its example answer decodes to.
type example struct {
	call func(c *Client) (any, error)
	want any
}

// serveFile answers every request with the example answer of one action
// from testdata/dir.
func serveFile(t *testing.T, dir, action string) *Client {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", dir, action+".json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("Action"); got != action {
			t.Errorf("request Action = %q, want %q", got, action)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDecodeReferenceExamples decodes each documented answer through the
// typed method of its action and compares what the caller sees.
func TestDecodeReferenceExamples(t *testing.T) {
	ctx := context.Background()
	const task = "bbf63749-0186-4c68-8adc-9bf584bc1376"
	tests := map[string]example{
		"CreateInstance": {func(c *Client) (any, error) { return c.CreateInstance(ctx, CreateInstanceRequest{}) }, "63749"},
		"DeleteInstance": {func(c *Client) (any, error) { return c.DeleteInstance(ctx, DeleteInstanceRequest{}) }, task},
		"StopInstance":   {func(c *Client) (any, error) { return c.StopInstance(ctx, InstanceRequest{InstanceID: "i"}) }, task},
		"RebootInstance": {func(c *Client) (any, error) { return c.RebootInstance(ctx, InstanceRequest{InstanceID: "i"}) }, "63749"},
		"ModifyInstanceChargeType": {func(c *Client) (any, error) {
			return c.ModifyInstanceChargeType(ctx, ModifyInstanceChargeTypeRequest{})
		}, task},
		"ModifyInstanceSpec": {func(c *Client) (any, error) { return c.ModifyInstanceSpec(ctx, ModifyInstanceSpecRequest{}) }, task},
		"CreateDisk":         {func(c *Client) (any, error) { return c.CreateDisk(ctx, CreateDiskRequest{}) }, task},
		"ResizeDisk":         {func(c *Client) (any, error) { return c.ResizeDisk(ctx, ResizeDiskRequest{}) }, task},
		"DeleteDisk":         {func(c *Client) (any, error) { return c.DeleteDisk(ctx, DeleteDiskRequest{}) }, task},
		"ResetImage":         {func(c *Client) (any, error) { return c.ResetImage(ctx, ResetImageRequest{}) }, task},
		"DescribeInstances": {func(c *Client) (any, error) { return c.DescribeInstances(ctx, DescribeInstancesRequest{}) },
			&DescribeInstancesData{PageNumber: 1, PageCount: 1, Instances: []Instance{{
				InstanceID: "e0dfea2e-a7b6-11e9-a7ea-0242ac1102f8", InstanceName: "root", InstanceStatus: "updating",
				InstanceChargeType: "PostPaid", VdcID: "0bb08ed7-e686-4168-93e5-e0187579753b", VdcName: "cdsApi-testaa",
				RegionID: "CN_Beijing_A", Disks: InstanceDisks{SystemDisk: Disk{IOPS: 600, Size: 60}, DataDisks: []Disk{}},
				PublicNetworkInterface: nil, // {}: no public NIC
				PrivateNetworkInterface: []NetworkInterface{{InterfaceID: "e0e12830-a7b6-11e9-a7ea-0242ac1102f8", Name: "siwang-api1",
					IP: "10.240.59.2", MAC: "00:50:56:a5:22:22", Connected: 1, PrivateID: "4e6f6790-a6b3-11e9-8f88-0242ac110041"}},
			}}}},
		"ConnectNetworkInterface": {func(c *Client) (any, error) {
			return c.ConnectNetworkInterface(ctx, NetworkInterfaceRequest{})
		}, task},
		"DisconnectNetworkInterface": {func(c *Client) (any, error) {
			return c.DisconnectNetworkInterface(ctx, NetworkInterfaceRequest{})
		}, task},
		"ModifyIpAddress": {func(c *Client) (any, error) { return c.ModifyIPAddress(ctx, ModifyIPAddressRequest{}) }, task},
		"DescribeInstanceMonitor": {func(c *Client) (any, error) {
			return c.DescribeInstanceMonitor(ctx, DescribeInstanceMonitorRequest{})
		}, &MonitorData{InstanceID: "50971028-e2a3-11e9-b380-de55f62159fe", Period: "60", DataPoints: []DataPoint{
			{"2019-10-09 15:30:00", 49.67}, {"2019-10-09 15:31:00", 46}, {"2019-10-09 15:32:00", 47.67}, {"2019-10-09 15:34:00", 57}}}},
		"CreateSecurityGroup": {func(c *Client) (any, error) { return c.CreateSecurityGroup(ctx, CreateSecurityGroupRequest{}) },
			&CreateSecurityGroupResult{}},
		"DeleteSecurityGroup":      {func(c *Client) (any, error) { return c.DeleteSecurityGroup(ctx, SecurityGroupRequest{}) }, ""},
		"ForceDeleteSecurityGroup": {func(c *Client) (any, error) { return c.ForceDeleteSecurityGroup(ctx, SecurityGroupRequest{}) }, "7688881"},
		"DescribeSecurityGroupAttribute": {func(c *Client) (any, error) {
			return c.DescribeSecurityGroupAttribute(ctx, DescribeSecurityGroupAttributeRequest{})
		}, &SecurityGroupAttribute{SecurityGroupName: "安全组测试bilibili", SecurityGroupType: "public", SecurityGroupRuleCount: 6,
			SecurityGroupRules: []SecurityGroupRule{
				{RuleID: "d2b957d4-d53b-11e9-b3c9-0242ac110002", Status: "ok", TargetAddress: "0.0.0.0/0", TargetPort: "0", LocalPort: "22",
					Direction: "all", Protocol: "TCP", Priority: 1, Action: 1, Type: "ip", Description: "22", CreateTime: "2019-09-12 17:00:52"},
				{RuleID: "d8e90154-d53b-11e9-8a97-0242ac110002", Status: "ok", TargetAddress: "0.0.0.0/0", TargetPort: "0", LocalPort: "443",
					Direction: "all", Protocol: "TCP", Priority: 2, Action: 1, Type: "ip", Description: "443", CreateTime: "2019-09-12 17:01:03"},
			}}},
		"ModifySecurityGroupAttribute": {func(c *Client) (any, error) {
			return c.ModifySecurityGroupAttribute(ctx, ModifySecurityGroupAttributeRequest{})
		}, ""},
		"DescribeSecurityGroups": {func(c *Client) (any, error) {
			return c.DescribeSecurityGroups(ctx, DescribeSecurityGroupsRequest{})
		}, &SecurityGroupList{SecurityGroupCount: 2, SecurityGroup: []SecurityGroup{
			{SecurityGroupID: "3d102c1a-e0f0-11e9-b530-0242ac110002", SecurityGroupName: "tf_test_zxg", SecurityGroupType: "private",
				Description: "terraform", CreateTime: "2019-09-27 14:30:03", UpdateTime: "2019-09-27 14:30:03"},
			{SecurityGroupID: "0f2fa0d0-4a2f-11e9-9710-0242ac110002", SecurityGroupName: "test", SecurityGroupType: "public",
				Description: "test", CreateTime: "2019-03-19 18:09:19", UpdateTime: "2019-03-19 18:09:19"},
		}}},
		"AddSecurityGroupRule":    {func(c *Client) (any, error) { return c.AddSecurityGroupRule(ctx, AddSecurityGroupRuleRequest{}) }, "7688348"},
		"RemoveSecurityGroupRule": {func(c *Client) (any, error) { return c.RemoveSecurityGroupRule(ctx, RemoveSecurityGroupRuleRequest{}) }, "7688411"},
		"ModifySecurityGroupRule": {func(c *Client) (any, error) { return c.ModifySecurityGroupRule(ctx, ModifySecurityGroupRuleRequest{}) }, ""},
		"JoinSecurityGroup":       {func(c *Client) (any, error) { return c.JoinSecurityGroup(ctx, SecurityGroupBindRequest{}) }, "7688564"},
		"LeaveSecurityGroup":      {func(c *Client) (any, error) { return c.LeaveSecurityGroup(ctx, SecurityGroupBindRequest{}) }, "7688573"},
		"ModifySecurityGroupRulePriority": {func(c *Client) (any, error) {
			return c.ModifySecurityGroupRulePriority(ctx, ModifySecurityGroupRulePriorityRequest{})
		}, "7688573"},
		"CreateTemplate": {func(c *Client) (any, error) { return c.CreateTemplate(ctx, CreateTemplateRequest{}) }, "7688573"},
		"DeleteTemplate": {func(c *Client) (any, error) { return c.DeleteTemplate(ctx, TemplateRegionRequest{}) }, "7688573"},
		"SyncTemplate":   {func(c *Client) (any, error) { return c.SyncTemplate(ctx, TemplateRegionRequest{}) }, "7688573"},
		"DescribeTemplateInfo": {func(c *Client) (any, error) {
			return c.DescribeTemplateInfo(ctx, DescribeTemplateInfoRequest{PageNumber: 1, PageSize: 10})
		}, &TemplateList{TotalPage: 3, TemplateList: []Template{{
			TemplateID: "74c76042-76ba-11e9-8962-0a580af412d2", Name: "centos-openshift-3.11-beta2", Status: "normal", Count: 3,
			OSType: "centos 7.4 64位", CreateTime: "2019-05-15 10:38:28", Region: []TemplateRegion{
				{"CN_Beijing_C", "北京-可用区C", "normal"}, {"CN_Beijing_B", "北京-可用区B", "normal"}, {"CN_Beijing_A", "北京-可用区A", "normal"}},
		}}}},
		"DescribeVdc": {func(c *Client) (any, error) { return c.DescribeVdc(ctx, DescribeVdcRequest{}) }, []Vdc{{
			VdcID: "0bb08ed7-e686-4168-93e5-e0187579753b", VdcName: "cdsApi-testaa", RegionID: "CN_Beijing_A",
			PublicNetwork: []PublicNetwork{{PublicID: "e1186a02-a7b6-11e9-9052-0242ac11001b", Name: "cdsApi-public-2", Status: "ok",
				Qos: 20, UnuseIPNum: 1, Segments: []PublicSegment{{SegmentID: "e0e5ea32-a7b6-11e9-9052-0242ac11001b",
					Address: "144.143.14.148", Mask: 30, Gateway: "144.143.14.149"}}}},
			PrivateNetwork: []PrivateNetwork{{PrivateID: "4e6f6790-a6b3-11e9-8f88-0242ac110041", Name: "siwang-api1", Status: "ok",
				UnuseIPNum: 253, Segments: []string{"10.240.59.0/16~10.240.59.255/16"}}},
		}}},
		"CreateVdc":            {func(c *Client) (any, error) { return c.CreateVdc(ctx, CreateVdcRequest{}) }, task},
		"DeleteVdc":            {func(c *Client) (any, error) { return c.DeleteVdc(ctx, VdcRequest{VdcID: "v"}) }, task},
		"CreatePublicNetwork":  {func(c *Client) (any, error) { return c.CreatePublicNetwork(ctx, CreatePublicNetworkRequest{}) }, task},
		"CreatePrivateNetwork": {func(c *Client) (any, error) { return c.CreatePrivateNetwork(ctx, CreatePrivateNetworkRequest{}) }, task},
		"ModifyPublicNetwork":  {func(c *Client) (any, error) { return c.ModifyPublicNetwork(ctx, ModifyPublicNetworkRequest{}) }, task},
		"AddPublicIp":          {func(c *Client) (any, error) { return c.AddPublicIP(ctx, AddPublicIPRequest{}) }, task},
		"DeletePublicIp":       {func(c *Client) (any, error) { return c.DeletePublicIP(ctx, SegmentRequest{}) }, task},
		"DeletePublicNetwork":  {func(c *Client) (any, error) { return c.DeletePublicNetwork(ctx, PublicNetworkRequest{}) }, task},
		"DeletePrivateNetwork": {func(c *Client) (any, error) { return c.DeletePrivateNetwork(ctx, PrivateNetworkRequest{}) }, task},
		"RenewPublicNetwork":   {func(c *Client) (any, error) { return c.RenewPublicNetwork(ctx, RenewPublicNetworkRequest{}) }, ""},
		"DescribeBandwidthTraffic": {func(c *Client) (any, error) {
			d, err := c.DescribeBandwidthTraffic(ctx, BandwidthTrafficRequest{})
			if err != nil {
				return nil, err
			}
			return []any{d.LastFiveMinutesUsage.Inbps, d.LastFiveMinutesUsage.Outbps, d.MaxQos}, nil
		}, []any{Float(0), Float(107.467), Int(5)}},
		"DescribeBill": {func(c *Client) (any, error) {
			d, err := c.DescribeBill(ctx, DescribeBillRequest{DateFromTo: "2019.09.02 - 2019.09.03"})
			if err != nil {
				return nil, err
			}
			return []any{len(d.BillInfo), d.TotalMasterCost, d.TotalViceCost, d.BillInfo[6]}, nil
		}, []any{8, Float(0), Float(76.97), BillItem{RegionID: "EUR_Netherlands_A", ResourceID: "49751", ResourceName: "template_STO",
			ResourceType: "template_STO", TotalCost: 2.66, CreateTime: "2019-04-19 15:22:43", DeleteTime: "2019-08-26 12:22:38"}}},
		"DescribeBillInfo": {func(c *Client) (any, error) { return c.DescribeBillInfo(ctx, DescribeBillInfoRequest{}) }, &BillInfo{
			TotalCost: 9.62, BillDetail: []BillDetail{{
				Configuration: "高性能云主机:系统硬盘:60GB,vCPU:4C,内存:8GB,操作系统:CDS-OS-CentOS7.6-64bit-General-V3",
				CostDetail:    "高性能云主机:系统硬盘:0E-8,vCPU:0.00202508,内存:0.01215040,操作系统:0E-8",
				CreateTime:    "2019-10-23 12:40:04", EndTime: 1571846400, IPs: []string{"118.186.60.2"}, PayDesc: "按需计费", PayType: "1",
				RegionID: "CN_Beijing_E", ResourceID: "2e579aa0-f54f-11e9-814d-f6de00b3aa12", ResourceName: "prometheus_grafana",
				StartTime: 1571805679, Status: "running", TotalCost: 9.62, UnitPrice: 0.01417548,
				VdcID: "b420f679-80a7-44f7-bf08-6e3bfadf3400", VdcName: "北京五"}}}},
		"GetMetering": {func(c *Client) (any, error) { return c.GetMetering(ctx, GetMeteringRequest{EndTime: "20191101"}) },
			[]Metering{{ID: "2001", Name: "wlj_存储池1", TotalSize: "10240", Cold: 165.1226, Warm: 37.9796}}},
		"DescribeAvailableResource": {func(c *Client) (any, error) {
			d, err := c.DescribeAvailableResource(ctx, AvailableResourceRequest{RegionID: "CN_Beijing_A"})
			if err != nil {
				return nil, err
			}
			g := d.InstanceGoods[0]
			return []any{d.RegionID, d.RegionName, len(d.WanGoods), d.WanGoods[3], g.InstanceType, g.ImageGoods.PublicImage,
				len(g.ImageGoods.PrivateImages), g.DiskGoods[1]}, nil
		}, []any{"CN_Beijing_A", "北京-可用区A", 4, WanGood{Type: "Bandwidth_BGP", BillingMethod: []WanBillingMethods{{"Traffic", 500}, {"Bandwidth", 500}}},
			"high_ccs", []Image{{ImageID: "Centos_7.6_64", ImageType: "centos", GicDisplayName: "CDS-OS-CentOS7.6-64bit-General-V2"}},
			6, DiskGoods{Type: "high_disk", MinSize: 100, MaxSize: 4000, Step: 100}}},
		"DescribeTask": {func(c *Client) (any, error) { return c.DescribeTask(ctx, "190982") },
			&Task{ID: "190982", Status: TaskDoing, ResourceID: "6b83fec0-ad13-11e9-adc1-0242ac11035d",
				ResourceIDs: []string{"6b83fec0-ad13-11e9-adc1-0242ac11035d"}, TaskType: "orderCreateVM", Message: "Success."}},
	}
	runExamples(t, "reference", tests)
}

// runExamples serves each action's example from testdata/dir through its
// typed method and compares what the caller sees; every example file of
// the directory must be tested.
func runExamples(t *testing.T, dir string, tests map[string]example) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d examples in testdata/%s, %d tested", len(files), dir, len(tests))
	}
	for action, tc := range tests {
		t.Run(action, func(t *testing.T) {
			if _, ok := LookupAction(action); !ok {
				t.Fatalf("action %s is not in the catalogue", action)
			}
			got, err := tc.call(serveFile(t, dir, action))
			if err != nil {
				t.Fatal(err)
			}
			// When the task was seen depends on the clock, not on the example.
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Task{}, "Seen")); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestDecodeCurrentExamples decodes answers in the shapes the current
// documents and the official SDK show (testdata/current/README.md).
func TestDecodeCurrentExamples(t *testing.T) {
	ctx := context.Background()
	const (
		i1, i2 = "5f1c1a0e-0000-4000-8000-000000000001", "5f1c1a0e-0000-4000-8000-000000000002"
		vdc    = "5f1c1a0e-0000-4000-8000-0000000000aa"
		nsg    = "7b1e0c52-9a4d-4f0e-8c31-2f6a5d9e0a11"
	)
	tests := map[string]example{
		"DescribeInstances": {func(c *Client) (any, error) { return c.DescribeInstances(ctx, DescribeInstancesRequest{}) },
			&DescribeInstancesData{PageNumber: 1, PageCount: 1, Total: 2, Instances: []Instance{{
				InstanceID: i1, InstanceName: "web-0", InstanceStatus: "running", InstanceChargeType: "PostPaid",
				InstanceChargeStatus: "success", VdcID: vdc, VdcName: "prod", RegionID: "CN_Beijing_A", CPU: 2, RAM: 4,
				Disks: InstanceDisks{SystemDisk: Disk{Type: "ssd_system_disk", Size: 40, IopsSize: 2, IOPS: 3200},
					DataDisks:       []Disk{{DiskID: "5f1c1a0e-0000-4000-8000-0000000000d1", Type: "ssd_disk", Size: 100, IOPS: 3000}},
					LeftDataDiskNum: 15},
				PublicNetworkInterface: List[NetworkInterface]{{InterfaceID: "5f1c1a0e-0000-4000-8000-0000000000e1", Name: "wan",
					IP: "198.18.0.6", MAC: "00:50:56:01:02:03", Connected: 1, PublicID: "5f1c1a0e-0000-4000-8000-0000000000b1"}},
				PrivateNetworkInterface: []NetworkInterface{{InterfaceID: "5f1c1a0e-0000-4000-8000-0000000000e2", Name: "lan",
					IP: "10.10.0.2", MAC: "00:50:56:01:02:04", Connected: 1, PrivateID: "5f1c1a0e-0000-4000-8000-0000000000c1"}},
				Tags: []Tag{{TagID: "301", TagName: "team-web"}}, CreateTime: "2026-11-30 09:15:00",
			}, {
				InstanceID: i2, InstanceName: "batch-0", InstanceStatus: "stop", InstanceChargeType: "PostPaid",
				VdcID: vdc, VdcName: "prod", RegionID: "CN_Beijing_A", CPU: 1, RAM: 2,
				Disks:                  InstanceDisks{SystemDisk: Disk{Type: "system_disk", Size: 20, IOPS: 200}, DataDisks: []Disk{}},
				PublicNetworkInterface: List[NetworkInterface]{}, PrivateNetworkInterface: []NetworkInterface{}, Tags: []Tag{},
				CreateTime: "2026-11-30 09:16:00",
			}}}},
		"DescribeTask": {func(c *Client) (any, error) { return c.DescribeTask(ctx, "48213") },
			&Task{ID: "48213", Status: TaskFinish, ResourceID: i1, ResourceIDs: []string{i1, i2}, TaskType: "orderCreateVM", Message: "Success."}},
		"DescribeVdc": {func(c *Client) (any, error) { return c.DescribeVdc(ctx, DescribeVdcRequest{}) }, []Vdc{{
			VdcID: vdc, VdcName: "prod", RegionID: "CN_Beijing_A", VdcStatus: "ok", PageNumber: 1, PageCount: 1,
			PublicNetwork: List[PublicNetwork]{{PublicID: "5f1c1a0e-0000-4000-8000-0000000000b1", Name: "wan", Status: "ok",
				Type: "Bandwidth_BGP", Qos: 10, UnuseIPNum: 4, Segments: []PublicSegment{{SegmentID: "5f1c1a0e-0000-4000-8000-0000000000f1",
					Address: "198.18.0.0", Mask: 29, Gateway: "198.18.0.1"}}}},
			PrivateNetwork: List[PrivateNetwork]{{PrivateID: "5f1c1a0e-0000-4000-8000-0000000000c1", Name: "lan", Status: "ok",
				UnuseIPNum: 65532, Segments: []string{"10.10.0.0/16~10.10.255.255/16"}}},
		}}},
		"ResetInstancesPassword": {func(c *Client) (any, error) {
			return c.ResetInstancesPassword(ctx, ResetInstancesPasswordRequest{InstanceIDs: []string{i1, i2}, Password: "Aa1!aaaa"})
		}, []string{"70001", "70002"}},
		"ModifyInstanceName": {func(c *Client) (any, error) {
			return c.ModifyInstanceName(ctx, ModifyInstanceNameRequest{InstanceID: i1, InstanceName: "web-1"})
		}, ""},
		"ModifyInstanceAttribute": {func(c *Client) (any, error) {
			return c.ModifyInstanceAttribute(ctx, ModifyInstanceAttributeRequest{InstanceIDs: []string{i1}, DeletionProtection: true})
		}, ""},
		"ModifyVdcName": {func(c *Client) (any, error) {
			return c.ModifyVdcName(ctx, ModifyVdcNameRequest{VdcID: vdc, VdcName: "p"})
		}, ""},
		"ModifyInstanceHostName": {func(c *Client) (any, error) { return c.ModifyInstanceHostName(ctx, ModifyInstanceHostNameRequest{}) }, ""},
		"AllocateDedicatedHosts": {func(c *Client) (any, error) { return c.AllocateDedicatedHosts(ctx, AllocateDedicatedHostsRequest{}) },
			[]string{"5c1d7f3a-2b4e-4c6d-8e9f-0a1b2c3d4e5f"}},
		"DescribeDedicatedHosts": {func(c *Client) (any, error) {
			return c.ListDedicatedHosts(ctx, DescribeDedicatedHostsRequest{}, 20)
		}, []DedicatedHost{{HostID: "5c1d7f3a-2b4e-4c6d-8e9f-0a1b2c3d4e5f", HostName: "dh-1", HostType: "ded_standard", Region: "CN_Beijing_A",
			Status: "running", BillMethod: "PrePaid", CPURate: "25%", RAMRate: "20%", Duration: 1, VMNum: 2,
			StartBillTime: "2026-11-30 09:10:00", EndBillTime: "2027-01-01 00:00:00"}}},
		"DescribeDedicatedHostTypes": {func(c *Client) (any, error) {
			return c.DescribeDedicatedHostTypes(ctx, DedicatedHostTypesRequest{RegionID: "CN_Beijing_A"})
		}, []DedicatedHostType{{VMTypeID: "ded_standard", VMTypeName: "standard dedicated host", VMTypeDescription: "48 vCPU, 192 GB",
			VMFamilyID: "standard", VMSpecID: "ded_standard_c48m192", VMRuleName: "1:4", VMTypeSort: 1, BillSchemeID: "bs-ded-standard",
			GoodsID: 6195, CPU: 48, RAM: 192}}},
		"DeletePublicNetwork": {func(c *Client) (any, error) { return c.DeletePublicNetwork(ctx, PublicNetworkRequest{}) }, ""},
		"StartInstance":       {func(c *Client) (any, error) { return c.StartInstance(ctx, InstanceRequest{InstanceID: i1}) }, "60001"},
		"StopInstances":       {func(c *Client) (any, error) { return c.StopInstances(ctx, InstancesRequest{InstanceIDs: []string{i1}}) }, "60002"},
		"StartInstances": {func(c *Client) (any, error) {
			return c.StartInstances(ctx, InstancesRequest{InstanceIDs: []string{i1}})
		}, "60003"},
		"RebootInstances": {func(c *Client) (any, error) {
			return c.RebootInstances(ctx, InstancesRequest{InstanceIDs: []string{i1}})
		}, "60004"},
		"ExtendSystemDisk": {func(c *Client) (any, error) {
			return c.ExtendSystemDisk(ctx, ExtendSystemDiskRequest{InstanceID: i1, Size: 60})
		}, "60009"},
		"DescribeAvailableResource": {func(c *Client) (any, error) {
			return c.DescribeAvailableResource(ctx, AvailableResourceRequest{RegionID: "CN_Beijing_A"})
		}, &AvailableResource{RegionID: "CN_Beijing_A", RegionName: "北京-可用区A", RegionStatus: "1",
			WanGoods: []WanGood{{Type: "Bandwidth_BGP", BillingMethod: []WanBillingMethods{{"BandwIdth", 500}, {"Traffic", 500}}}},
			InstanceGoods: []InstanceGoods{{InstanceType: "Standard",
				ImageGoods:      ImageGoods{PublicImage: []Image{{ImageID: "Centos_7.6_64", ImageType: "centos", GicDisplayName: "CentOS 7.6 64"}}},
				DiskGoods:       []DiskGoods{{Type: "ssd_disk", MinSize: 50, MaxSize: 4000, Step: 50}},
				SystemDiskGoods: []DiskGoods{{Type: "ssd_system_disk", MinSize: 0, MaxSize: 500, Step: 10}}}}}},
		"DescribeBillInfo": {func(c *Client) (any, error) { return c.DescribeBillInfo(ctx, DescribeBillInfoRequest{}) }, &BillInfo{
			TotalCost: 1.2, BillDetail: []BillDetail{{RegionID: "CN_Beijing_A", ResourceID: i1, ResourceName: "web-0", VdcID: vdc,
				VdcName: "prod", ProjectID: "0-0", ProjectName: "默认项目组", CreateTime: "2026-11-30 09:15:00",
				Configuration: "Standard云主机:系统硬盘:40GB,vCPU:2C,内存:4GB", CostDetail: "单价:0.05/小时,时长:24小时",
				StartTime: 1764464100, EndTime: 1764550500, PayType: "1", PayDesc: "按需计费", Status: "running", UnitPrice: 0.05,
				TotalCost: 1.2, IPs: []string{"198.18.0.6"}}}}},
		"DescribeTags": {func(c *Client) (any, error) { return c.DescribeTags(ctx) },
			[]Tag{{TagID: "301", TagName: "team-web"}, {TagID: "302", TagName: "cost-centre-7"}}},
		"CreateTag": {func(c *Client) (any, error) { return nil, c.CreateTag(ctx, CreateTagRequest{TagName: "x"}) }, nil},
		"DeleteTag": {func(c *Client) (any, error) { return nil, c.DeleteTag(ctx, DeleteTagRequest{TagID: "301"}) }, nil},
		"AddInstancesTags": {func(c *Client) (any, error) {
			return c.AddInstancesTags(ctx, InstancesTagsRequest{InstanceIDs: []string{i1, i2}, TagIDs: []string{"301"}})
		}, ""},
		"DeleteInstancesTags": {func(c *Client) (any, error) {
			return c.DeleteInstancesTags(ctx, InstancesTagsRequest{InstanceIDs: []string{i1}, TagIDs: []string{"301", "302"}})
		}, ""},
		"DescribeInstanceType": {func(c *Client) (any, error) {
			return c.DescribeInstanceType(ctx, InstanceTypeRequest{RegionID: "CN_Beijing_A", InstanceType: "Standard"})
		}, []InstanceSize{{CPU: 2, RAM: 4, Name: "2核4G"}, {CPU: 2, RAM: 8, Name: "2核8G"}}},
		"DescribeInstancePrice": {func(c *Client) (any, error) { return c.DescribeInstancePrice(ctx, InstancePriceRequest{}) },
			&InstancePrice{TotalPrice: 0.19}},
		"DescribePublicIp": {func(c *Client) (any, error) {
			u, err := c.DescribePublicIP(ctx, IPUsageRequest{VdcID: vdc, PublicID: "p"})
			if err != nil {
				return nil, err
			}
			return []any{u.UnusedList, u.UnusedTotal, u.UsedList[0].Address, u.UsedList[0].Usage, u.UsedTotal}, nil
		}, []any{[]string{"198.18.0.3", "198.18.0.4"}, Int(2), "198.18.0.2", "云服务器使用(web-0)", Int(1)}},
		"DescribePrivateIp": {func(c *Client) (any, error) {
			u, err := c.DescribePrivateIP(ctx, IPUsageRequest{VdcID: vdc, PrivateID: "p"})
			if err != nil {
				return nil, err
			}
			return []any{len(u.UnusedList), u.UnusedTotal, u.UsedTotal}, nil
		}, []any{1, Int(65532), Int(1)}},
		"VDCBandwidthUnitPrice": {func(c *Client) (any, error) {
			return c.VDCBandwidthUnitPrice(ctx, BandwidthPriceRequest{RegionID: "CN_Beijing_A", BandwidthType: "Bandwidth_BGP", BillScheme: "Bandwidth", Type: "wan"})
		}, &BandwidthPrice{BandwidthPrice: UnitPrice{StdPrice: 0.72, Price: 0.72, Discount: 1, Sign: "￥", Cycle: "/天", Unit: "Mb"},
			EIPPrice: UnitPrice{StdPrice: 0.12, Price: 0.12, Discount: 1, Sign: "￥", Cycle: "/天", Unit: "个"}}},
		"CreateNSG": {func(c *Client) (any, error) { return c.CreateNSG(ctx, CreateNSGRequest{}) }, nsg},
		"DeleteNSG": {func(c *Client) (any, error) { return nil, c.DeleteNSG(ctx, DeleteNSGRequest{SecurityGroupID: nsg}) }, nil},
		"ModifyNSGAttribute": {func(c *Client) (any, error) {
			return c.ModifyNSGAttribute(ctx, ModifyNSGAttributeRequest{SecurityGroupID: nsg, SecurityGroupName: "web"})
		}, ""},
		"AddNSGRule": {func(c *Client) (any, error) { return nil, c.AddNSGRule(ctx, AddNSGRuleRequest{SecurityGroupID: nsg}) }, nil},
		"RemoveNSGRule": {func(c *Client) (any, error) {
			return nil, c.RemoveNSGRule(ctx, RemoveNSGRuleRequest{SecurityGroupID: nsg})
		}, nil},
		"ModifyNSGRule": {func(c *Client) (any, error) {
			return nil, c.ModifyNSGRule(ctx, ModifyNSGRuleRequest{SecurityGroupID: nsg})
		}, nil},
		"JoinNSG":  {func(c *Client) (any, error) { return nil, c.JoinNSG(ctx, NSGMembershipRequest{SecurityGroupID: nsg}) }, nil},
		"LeaveNSG": {func(c *Client) (any, error) { return nil, c.LeaveNSG(ctx, NSGMembershipRequest{SecurityGroupID: nsg}) }, nil},
		"ModifyNSGRulePriority": {func(c *Client) (any, error) {
			return nil, c.ModifyNSGRulePriority(ctx, ModifyNSGRulePriorityRequest{SecurityGroupID: nsg})
		}, nil},
		"DescribeNSGAttribute": {func(c *Client) (any, error) { return c.DescribeNSGAttribute(ctx, NSGRequest{SecurityGroupID: nsg}) },
			&NSGAttribute{SecurityGroupID: nsg, SecurityGroupName: "web", Description: "web tier", ProjectID: "0-0", QuotaCount: 5, RuleCount: 2,
				CreateTime: "2026-11-30 09:10:00", UpdateTime: "2026-11-30 09:12:00", Rules: []NSGRule{
					{RuleID: "7b1e0c52-9a4d-4f0e-8c31-2f6a5d9e0a21", Description: "https", Protocol: "TCP", Action: "ACCEPT", Direction: NSGInbound,
						IPList: Strs{"0.0.0.0/0"}, PortList: Strs{"443", "8000-9000"}, Priority: 10, QuotaCount: 2,
						CreateTime: "2026-11-30 09:11:00", UpdateTime: "2026-11-30 09:11:00"},
					{RuleID: "7b1e0c52-9a4d-4f0e-8c31-2f6a5d9e0a22", Description: "no ping", Protocol: "ICMP", Action: "DROP", Direction: NSGOutbound,
						IPList: Strs{"10.0.0.0/8", "192.168.0.0/16", "172.16.0.1"}, PortList: Strs{"0"}, Priority: 990, QuotaCount: 3,
						CreateTime: "2026-11-30 09:12:00", UpdateTime: "2026-11-30 09:12:00"}}}},
		"DescribeNSGs": {func(c *Client) (any, error) { return c.DescribeNSGs(ctx, DescribeNSGsRequest{}) }, &NSGList{SecurityGroupCount: 1,
			SecurityGroups: []NSG{{SecurityGroupID: nsg, SecurityGroupName: "web", Description: "web tier", SecurityGroupType: "public",
				ProjectID: "0-0", CreateTime: "2026-11-30 09:10:00", UpdateTime: "2026-11-30 09:12:00", InstanceCount: 1, InterfaceCount: 1}}}},
		"DescribeNSGMembers": {func(c *Client) (any, error) { return c.DescribeNSGMembers(ctx, NSGRequest{SecurityGroupID: nsg}) },
			&NSGMembers{MemberCount: 1, Members: []NSGMember{{InstanceID: i1, InstanceName: "web-0", InstanceStatus: "running",
				InterfaceID: "5f1c1a0e-0000-4000-8000-0000000000e1", InterfaceIPAddress: "198.18.0.6", InterfaceMac: "00:50:56:83:0a:01",
				InterfaceStatus: "ok"}}}},
		"DescribeAccountInfo": {func(c *Client) (any, error) {
			a, err := c.DescribeAccountInfo(ctx)
			if err != nil {
				return nil, err
			}
			return []any{a.Available(), a.MasterTotalCost, len(a.CostRecords), a.CostRecords[1].Month, a.RechargeRecord[0].Amount}, nil
		}, []any{1480.5, Float(42.75), 2, "202611", Float(1000)}},
	}
	runExamples(t, "current", tests)
}

// TestEveryActionHasAnExample: each action of the catalogue decodes an
// answer of the 2019 reference or of the current documents.
func TestEveryActionHasAnExample(t *testing.T) {
	for _, a := range Actions() {
		if a.Key() != a.Name {
			if _, err := os.Stat(filepath.Join("testdata", "databases", a.Key()+".json")); err != nil {
				t.Errorf("%s has no example answer in testdata/databases", a.Key())
			}
			continue
		}
		if found, _ := filepath.Glob(filepath.Join("testdata", "*", a.Name+".json")); len(found) == 0 {
			t.Errorf("%s has no example answer in testdata/reference, testdata/current or a product's testdata directory", a.Name)
		}
	}
}

// TestDecodeTolerantShapes: the forms one field has taken decode alike.
func TestDecodeTolerantShapes(t *testing.T) {
	nic := NetworkInterface{InterfaceID: "n", IP: "198.18.0.6", PublicID: "p"}
	tests := map[string]struct {
		in   string
		want Instance
	}{
		"public NIC as a list":    {`{"PublicNetworkInterface":[{"InterfaceId":"n","IP":"198.18.0.6","PublicId":"p"}]}`, Instance{PublicNetworkInterface: List[NetworkInterface]{nic}}},
		"public NIC as an object": {`{"PublicNetworkInterface":{"InterfaceId":"n","IP":"198.18.0.6","PublicId":"p"}}`, Instance{PublicNetworkInterface: List[NetworkInterface]{nic}}},
		"no public NIC: {}":       {`{"PublicNetworkInterface":{}}`, Instance{}},
		"no public NIC: []":       {`{"PublicNetworkInterface":[]}`, Instance{PublicNetworkInterface: List[NetworkInterface]{}}},
		"no public NIC: null":     {`{"PublicNetworkInterface":null}`, Instance{}},
		"no public NIC: text":     {`{"PublicNetworkInterface":""}`, Instance{}},
		"disk, 2019 spelling":     {`{"Disks":{"SystemDisk":{"Type":"ssd_disk","IOPS":600,"Size":60}}}`, Instance{Disks: InstanceDisks{SystemDisk: Disk{Type: "ssd_disk", IOPS: 600, Size: 60}}}},
		"disk, lower case":        {`{"Disks":{"DataDisks":[{"size":100,"type":"high_disk"}]}}`, Instance{Disks: InstanceDisks{DataDisks: []Disk{{Type: "high_disk", Size: 100}}}}},
		"tag id as a number":      {`{"Tags":[{"TagId":257,"TagName":"a"}]}`, Instance{Tags: []Tag{{TagID: "257", TagName: "a"}}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got Instance
			if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if got.PublicInterface() == nil != (len(tc.want.PublicNetworkInterface) == 0) {
				t.Errorf("PublicInterface() = %+v", got.PublicInterface())
			}
		})
	}
}

// TestPowerOf: every status the official provider uses reads as a settled
// power state or as a change in progress.
func TestPowerOf(t *testing.T) {
	for status, want := range map[string]Power{
		"running": PowerRunning, "Running": PowerRunning, "stop": PowerStopped, "stopped": PowerStopped,
		"stopping": "", "starting": "", "updating": "", "creating": "", "deleting": "", "": "",
	} {
		if got := PowerOf(status); got != want {
			t.Errorf("PowerOf(%q) = %q, want %q", status, got, want)
		}
	}
}
