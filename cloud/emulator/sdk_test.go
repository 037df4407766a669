package emulator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/capitalonline/cds-gic-sdk-go/common"
	sdkerrors "github.com/capitalonline/cds-gic-sdk-go/common/errors"
	"github.com/capitalonline/cds-gic-sdk-go/common/profile"
	"github.com/capitalonline/cds-gic-sdk-go/instance"
	"github.com/capitalonline/cds-gic-sdk-go/security_group"
	"github.com/capitalonline/cds-gic-sdk-go/security_group_rule"
	"github.com/capitalonline/cds-gic-sdk-go/task"
	"github.com/capitalonline/cds-gic-sdk-go/vdc"
)

// The official Go SDK (github.com/capitalonline/cds-gic-sdk-go, unmodified,
// the version the official Terraform provider pins) is the conformance
// suite of the emulator's wire format: whatever the SDK sends must be
// accepted, whatever the emulator answers must parse into the SDK's types
// with the values that were written.

// sdkLatency is how long the emulator's tasks take in this test. The SDK's
// own DescribeTask sleeps 10 s between looks, so the test asks only once a
// task is due and the first look finds it done.
const sdkLatency = 20 * time.Millisecond

// toEmulator sends the SDK's HTTPS requests for the fixed API hosts to the
// emulator on loopback.
type toEmulator struct{ target *url.URL }

func (r toEmulator) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.URL.Host {
	case "cdsapi.capitalonline.net", "api.capitalonline.net":
	default:
		return nil, errors.New("the SDK asked for an unexpected host " + req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.target.Scheme, r.target.Host, ""
	return http.DefaultTransport.RoundTrip(out)
}

// sdkEnv holds a GET-profile and a POST-profile client of each SDK package,
// as the official provider does: the actions the documents list as GET go
// through the GET client, the others through the POST client.
type sdkEnv struct {
	t                 *testing.T
	srv               *Server
	instGet, instPost *instance.Client
	vdcGet, vdcPost   *vdc.Client
	sgGet, sgPost     *security_group.Client
	rulePost          *security_group_rule.Client
	taskGet           *task.Client
	called            map[string]bool
	lastWrite         time.Time
}

func newSDKEnv(t *testing.T) *sdkEnv {
	srv, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: sdkLatency, Seed: 7, LegacySecurityGroups: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	target, _ := url.Parse(hs.URL)
	cred := common.NewCredential(testKey, testSecret)
	prof := func(method string) *profile.ClientProfile {
		p := profile.NewClientProfile()
		p.HttpProfile.ReqMethod = method
		p.HttpProfile.ReqTimeout = 10
		return p
	}
	rt := toEmulator{target}
	e := &sdkEnv{t: t, srv: srv, called: map[string]bool{}}
	e.instGet, _ = instance.NewClient(cred, "CN_Beijing_A", prof("GET"))
	e.instPost, _ = instance.NewClient(cred, "CN_Beijing_A", prof("POST"))
	e.vdcGet, _ = vdc.NewClient(cred, "CN_Beijing_A", prof("GET"))
	e.vdcPost, _ = vdc.NewClient(cred, "CN_Beijing_A", prof("POST"))
	e.sgGet, _ = security_group.NewClient(cred, "CN_Beijing_A", prof("GET"))
	e.sgPost, _ = security_group.NewClient(cred, "CN_Beijing_A", prof("POST"))
	e.rulePost, _ = security_group_rule.NewClient(cred, "CN_Beijing_A", prof("POST"))
	e.taskGet, _ = task.NewClient(cred, "CN_Beijing_A", prof("GET"))
	for _, c := range []*common.Client{&e.instGet.Client, &e.instPost.Client, &e.vdcGet.Client, &e.vdcPost.Client,
		&e.sgGet.Client, &e.sgPost.Client, &e.rulePost.Client, &e.taskGet.Client} {
		c.WithHttpTransport(rt)
	}
	return e
}

// do runs one SDK call, named "package.Method", and fails the test on an
// error (an answer the SDK could not parse, or a refusal).
func (e *sdkEnv) do(method string, call func() error) {
	e.t.Helper()
	e.called[method] = true
	if err := call(); err != nil {
		e.t.Fatalf("%s: %v", method, err)
	}
}

// refused runs one SDK call that must fail with code.
func (e *sdkEnv) refused(method, code string, call func() error) {
	e.t.Helper()
	e.called[method] = true
	err := call()
	var se *sdkerrors.CdsSDKError
	if !errors.As(err, &se) {
		e.t.Fatalf("%s = %v, want a refusal %s", method, err, code)
	}
	if !strings.Contains(se.Message, code) && se.Code != code {
		e.t.Fatalf("%s refused with %s %s, want %s", method, se.Code, se.Message, code)
	}
}

// done waits for a task through the SDK's DescribeTask and returns the ids
// it names (ResourceIds).
func (e *sdkEnv) done(taskID *string) []string {
	e.t.Helper()
	if taskID == nil || *taskID == "" {
		e.t.Fatalf("no TaskId to wait on")
	}
	time.Sleep(3 * sdkLatency)
	req := task.NewDescribeTaskRequest()
	req.TaskId = taskID
	var ids []string
	e.do("task.DescribeTask", func() error {
		resp, err := e.taskGet.DescribeTask(req)
		if err != nil {
			return err
		}
		if resp.Data == nil || resp.Data.Status == nil || *resp.Data.Status != "FINISH" {
			return errors.New("task did not finish")
		}
		ids = common.StringValues(resp.Data.ResourceIds)
		if resp.Data.ResourceID == nil || *resp.Data.ResourceID != strings.Join(ids, ",") {
			return errors.New("ResourceId is not ResourceIds comma-joined")
		}
		return nil
	})
	return ids
}

func (e *sdkEnv) oneID(taskID *string) string {
	e.t.Helper()
	ids := e.done(taskID)
	if len(ids) != 1 {
		e.t.Fatalf("task names %v, want one resource", ids)
	}
	return ids[0]
}

func (e *sdkEnv) describeVdc(id string) *vdc.DescVdcData {
	e.t.Helper()
	req := vdc.DescribeVdcRequest()
	req.VdcId = common.StringPtr(id)
	var out *vdc.DescVdcData
	e.do("vdc.DescribeVdc", func() error {
		resp, err := e.vdcGet.DescribeVdc(req)
		if err == nil && len(resp.Data) == 1 {
			out = resp.Data[0]
		}
		return err
	})
	return out
}

func (e *sdkEnv) describeInstance(id string) *instance.DescribeReturnInfo {
	e.t.Helper()
	req := instance.NewDescribeInstanceRequest()
	req.InstanceId = common.StringPtr(id)
	var out *instance.DescribeReturnInfo
	e.do("instance.DescribeInstance", func() error {
		resp, err := e.instPost.DescribeInstance(req)
		if err != nil {
			return err
		}
		if len(resp.Data.Instances) != 1 || resp.Data.Total == nil || *resp.Data.Total != 1 {
			return errors.New("want one instance and Total 1")
		}
		out = resp.Data.Instances[0]
		return nil
	})
	return out
}

// sdkNotServed are the SDK methods whose actions the emulator does not
// serve, with why.
var sdkNotServed = map[string]string{
	"instance.GetIpInfoBySegment":    "GetIpInfoBySegment is not a cdstack concern (the emulator answers InvalidAction.NotFound)",
	"instance.ChangeVmDelProtection": "ModifyInstanceAttribute (deletion protection): cdstack's protect is its own",
}

// TestOfficialSDKConformance drives the emulator with the official SDK in
// the order a user of the official provider would: VDCs with and without a
// public network, networks, a security group and its rules, an instance
// with a public address, its changes and renames, and every delete.
func TestOfficialSDKConformance(t *testing.T) {
	e := newSDKEnv(t)
	str, num := common.StringPtr, common.IntPtr

	// A VDC without a public network, as the provider creates one: with an
	// empty PublicNetwork object.
	bare := vdc.NewAddVdcRequest()
	bare.RegionId, bare.VdcName, bare.PublicNetwork = str("CN_Beijing_A"), str("sdk-bare"), &vdc.PublicNetwork{}
	var bareID string
	e.do("vdc.CreateVdc", func() error {
		resp, err := e.vdcPost.CreateVdc(bare)
		if err == nil {
			bareID = e.oneID(resp.TaskId)
		}
		return err
	})
	if v := e.describeVdc(bareID); v == nil || *v.VdcName != "sdk-bare" || len(v.PublicNetwork) != 0 {
		t.Fatalf("bare VDC = %+v", v)
	}

	// A VDC with a public network, billed "BandwIdth" as the documents'
	// samples spell it, with AutoRenew as the SDK's text.
	withPub := vdc.NewAddVdcRequest()
	withPub.RegionId, withPub.VdcName = str("CN_Beijing_A"), str("sdk-prod")
	withPub.PublicNetwork = &vdc.PublicNetwork{Name: str("wan"), Type: str("Bandwidth_BGP"), BillingMethod: str("BandwIdth"),
		Qos: num(10), IPNum: num(8), AutoRenew: str("0")}
	var vdcID string
	e.do("vdc.CreateVdc", func() error {
		resp, err := e.vdcPost.CreateVdc(withPub)
		if err == nil {
			vdcID = e.oneID(resp.TaskId)
		}
		return err
	})
	v := e.describeVdc(vdcID)
	if v == nil || *v.VdcName != "sdk-prod" || *v.RegionId != "CN_Beijing_A" || *v.VdcStatus != "ok" || len(v.PublicNetwork) != 1 {
		t.Fatalf("VDC = %+v", v)
	}
	wan := v.PublicNetwork[0]
	if *wan.Name != "wan" || *wan.Qos != 10 || *wan.UnuseIpNum != 5 || len(*wan.Segments) != 1 || *(*wan.Segments)[0].Mask != 29 {
		t.Fatalf("public network = %+v", wan)
	}

	// A second public network and a private network.
	pub2 := vdc.NewCreatePublicNetworkRequest()
	pub2.VdcId, pub2.Name, pub2.Type, pub2.BillingMethod, pub2.Qos, pub2.IPNum = str(bareID), str("wan2"), str("Bandwidth_BGP"), str("Bandwidth"), num(5), num(4)
	var pub2ID string
	e.do("vdc.CreatePublicNetwork", func() error {
		resp, err := e.vdcPost.CreatePublicNetwork(pub2)
		if err == nil {
			pub2ID = e.oneID(resp.TaskId)
		}
		return err
	})
	pub3 := vdc.NewAddPublicNetworkRequest()
	pub3.VdcId, pub3.Name, pub3.Type, pub3.BillingMethod, pub3.Qos, pub3.IPNum = str(bareID), str("wan3"), str("Bandwidth_BGP"), str("Traffic"), num(5), num(4)
	var pub3ID string
	e.do("vdc.AddPublicNetwork", func() error {
		resp, err := e.vdcPost.AddPublicNetwork(pub3)
		if err == nil {
			pub3ID = e.oneID(resp.TaskId)
		}
		return err
	})
	lan := vdc.NewAddPrivateNetworkRequest()
	lan.VdcId, lan.Name, lan.Type, lan.Addres, lan.Mask = str(vdcID), str("lan"), str("manual"), str("10.20.0.0"), num(16)
	var lanID string
	e.do("vdc.AddPrivateNetwork", func() error {
		resp, err := e.vdcPost.AddPrivateNetwork(lan)
		if err == nil {
			lanID = e.oneID(resp.TaskId)
		}
		return err
	})
	if p := e.describeVdc(vdcID).PrivateNetwork; len(p) != 1 || *p[0].PrivateId != lanID || (*p[0].Segments)[0] != "10.20.0.0/16~10.20.255.255/16" {
		t.Fatalf("private network = %+v", p)
	}

	// A security group, found by keyword, with a rule to a CIDR whose host
	// bits are set, as the official provider's tests send.
	sg := security_group.NewAddSecurityGroupRequest()
	sg.SecurityGroupName, sg.Description, sg.SecurityGroupType = str("sdk-web"), str("web tier"), str("public")
	e.do("security_group.CreateSecurityGroup", func() error {
		_, err := e.sgPost.CreateSecurityGroup(sg)
		return err
	})
	find := security_group.NewDescribeSecurityGroupRequest()
	find.Keyword = str("sdk-web")
	var sgID string
	e.do("security_group.DescribeSecurityGroup", func() error {
		resp, err := e.sgPost.DescribeSecurityGroup(find)
		if err == nil && (resp.Data == nil || len(resp.Data.SecurityGroup) != 1) {
			return errors.New("the keyword found no group or several")
		}
		if err == nil {
			sgID = *resp.Data.SecurityGroup[0].SecurityGroupID
		}
		return err
	})
	rule := security_group_rule.NewAddSecurityGroupRuleRequest()
	rule.SecurityGroupId, rule.Action, rule.Description = str(sgID), num(1), str("ssh")
	rule.TargetAddress, rule.TargetPort, rule.LocalPort = str("120.78.170.188/28"), str("0"), str("22")
	rule.Direction, rule.Priority, rule.Protocol, rule.RuleType = str("all"), str("10"), str("TCP"), str("ip")
	e.do("security_group_rule.CreateSecurityGroupRule", func() error {
		_, err := e.rulePost.CreateSecurityGroupRule(rule)
		return err
	})
	attr := security_group.NewDescribeSecurityGroupRuleRequest()
	attr.SecurityGroupId = str(sgID)
	var ruleID string
	e.do("security_group.DescribeSecurityGroupAttribute", func() error {
		resp, err := e.sgGet.DescribeSecurityGroupAttribute(attr)
		if err != nil {
			return err
		}
		r := resp.Data.SecurityGroupRules
		if len(r) != 1 || *r[0].TargetAddress != "120.78.170.188/28" || *r[0].LocalPort != "22" || *r[0].Priority != 10 || *r[0].Action != 1 {
			return errors.New("rule not as written")
		}
		ruleID = *r[0].RuleId
		return nil
	})
	rename := security_group.NewModifySecurityGroupRequest()
	rename.SecurityGroupId, rename.SecurityGroupName, rename.Description = str(sgID), str("sdk-web2"), str("renamed")
	e.do("security_group.ModifySecurityGroup", func() error {
		_, err := e.sgPost.ModifySecurityGroup(rename)
		return err
	})

	// An instance with a public address and a private one.
	create := instance.NewAddInstanceRequest()
	create.RegionId, create.VdcId, create.InstanceName, create.Password = str("CN_Beijing_A"), str(vdcID), str("sdk-web-0"), str("Passw0rd!")
	create.Cpu, create.Ram, create.InstanceType, create.ImageId = num(2), num(4), str("Standard"), str("Centos_7.6_64")
	create.SystemDisk = &instance.SystemDisk{Type: str("ssd_system_disk"), Size: num(40)}
	create.DataDisks = []*instance.DataDisk{{Size: num(100), Type: str("ssd_disk")}}
	create.PublicIp = []*string{str("auto")}
	create.PrivateIp = []*instance.PrivateIp{{PrivateID: str(lanID), IP: []*string{str("auto")}}}
	create.Amount = num(1)
	var id string
	e.do("instance.CreateInstance", func() error {
		resp, err := e.instPost.CreateInstance(create)
		if err == nil {
			id = e.oneID(resp.TaskId)
		}
		return err
	})
	in := e.describeInstance(id)
	if *in.InstanceName != "sdk-web-0" || *in.InstanceStatus != "running" || *in.Cpu != 2 || *in.Ram != 4 || *in.VdcId != vdcID ||
		*in.VdcName != "sdk-prod" || *in.InstanceChargeType != "PostPaid" || in.CreateTime == nil || *in.CreateTime == "" {
		t.Fatalf("instance = %+v", in)
	}
	if len(in.PublicNetworkInterface) != 1 || !strings.HasPrefix(*in.PublicNetworkInterface[0].IP, "198.18.") ||
		*in.PublicNetworkInterface[0].PublicId != *wan.PublicId || *in.PublicNetworkInterface[0].Connected != 1 {
		t.Fatalf("public interfaces = %+v", in.PublicNetworkInterface)
	}
	if p := in.PrivateNetworkInterface; len(p) != 1 || *p[0].IP != "10.20.0.2" || *p[0].PrivateId != lanID {
		t.Fatalf("private interfaces = %+v", p)
	}
	if d := in.Disks; *d.SystemDisk.DiskType != "ssd_system_disk" || *d.SystemDisk.Size != 40 || len(d.DataDisks) != 1 ||
		*d.DataDisks[0].DiskType != "ssd_disk" || *d.DataDisks[0].Size != 100 || *d.DataDisks[0].Iops == 0 || *d.LeftDataDiskNum != 15 {
		t.Fatalf("disks = %+v", d)
	}
	join := security_group.NewJoinSecurityGroupRequest()
	join.SecurityGroupId, join.BindData = str(sgID), []*security_group.BindData{{InstanceId: str(id), PrivateId: str(lanID)}}
	e.do("security_group.JoinSecurityGroup", func() error {
		resp, err := e.sgPost.JoinSecurityGroup(join)
		if err == nil {
			e.done(resp.TaskId)
		}
		return err
	})

	// Changes, each read back.
	wait := func(method string, call func() (*string, error)) {
		t.Helper()
		e.do(method, func() error {
			taskID, err := call()
			if err == nil {
				e.done(taskID)
			}
			return err
		})
	}
	spec := instance.NewModifyInstanceSpecRequest()
	spec.InstanceId, spec.Cpu, spec.Ram = str(id), num(4), num(8)
	wait("instance.ModifyInstanceSpec", func() (*string, error) {
		r, err := e.instPost.ModifyInstanceSpec(spec)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if in := e.describeInstance(id); *in.Cpu != 4 || *in.Ram != 8 {
		t.Errorf("after ModifyInstanceSpec: %d CPU, %d GB", *in.Cpu, *in.Ram)
	}
	stop := instance.NewStopInstanceRequest()
	stop.InstanceId = str(id)
	wait("instance.StopInstance", func() (*string, error) {
		r, err := e.instGet.StopInstance(stop)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if st := *e.describeInstance(id).InstanceStatus; st != "stop" {
		t.Errorf("after StopInstance: %s, want stop (what the provider waits for)", st)
	}
	start := instance.NewStartInstanceRequest()
	start.InstanceId = str(id)
	wait("instance.StartInstance", func() (*string, error) {
		r, err := e.instGet.StartInstance(start)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if st := *e.describeInstance(id).InstanceStatus; st != "running" {
		t.Errorf("after StartInstance: %s", st)
	}
	stops := instance.NewStopInstancesRequest()
	stops.InstanceIds = str(id)
	wait("instance.StopInstances", func() (*string, error) {
		r, err := e.instGet.StopInstances(stops)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	starts := instance.NewStartInstancesRequest()
	starts.InstanceIds = str(id)
	wait("instance.StartInstances", func() (*string, error) {
		r, err := e.instGet.StartInstances(starts)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	reboots := instance.NewRebootInstancesRequest()
	reboots.InstanceIds = str(id)
	wait("instance.RebootInstances", func() (*string, error) {
		r, err := e.instGet.RebootInstances(reboots)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	reboot := instance.NewRebootInstanceRequest()
	reboot.InstanceId = str(id)
	wait("instance.RebootInstance", func() (*string, error) {
		r, err := e.instGet.RebootInstance(reboot)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if st := *e.describeInstance(id).InstanceStatus; st != "running" {
		t.Errorf("after the reboots: %s", st)
	}

	// Rename, host name, password, system disk.
	name := instance.NewModifyInstanceNameRequest()
	name.InstanceId, name.InstanceName = str(id), str("sdk-web-1")
	e.do("instance.ModifyInstanceName", func() error {
		r, err := e.instPost.ModifyInstanceName(name)
		if err == nil && r.TaskId != nil && *r.TaskId != "" {
			return errors.New("ModifyInstanceName answered a task; the documents answer none")
		}
		return err
	})
	if got := *e.describeInstance(id).InstanceName; got != "sdk-web-1" {
		t.Errorf("after ModifyInstanceName: %s", got)
	}
	e.dedicatedHosts()
	host := instance.NewModifyInstanceHostNameRequest()
	host.InstanceId, host.HostName, host.Password = str(id), str("sdk-host"), str("Passw0rd!")
	e.do("instance.ModifyInstanceHostName", func() error {
		_, err := e.instPost.ModifyInstanceHostName(host)
		return err
	})
	e.srv.View(func(w *World) {
		if h := w.Instances[id].HostName; h != "sdk-host" {
			t.Errorf("host name = %q", h)
		}
	})
	pw := instance.NewResetInstancesPasswordRequest()
	pw.InstanceIds, pw.Password = str(id), str("N3w-Passw0rd")
	wait("instance.ResetInstancesPassword", func() (*string, error) {
		r, err := e.instPost.ResetInstancesPassword(pw)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	host.HostName = str("sdk-host2")
	e.refused("instance.ModifyInstanceHostName", "InvalidPassword.Malformed", func() error {
		_, err := e.instPost.ModifyInstanceHostName(host)
		return err
	})
	host.Password = str("N3w-Passw0rd")
	e.do("instance.ModifyInstanceHostName", func() error {
		_, err := e.instPost.ModifyInstanceHostName(host)
		return err
	})
	grow := instance.NewExtendSystemDiskRequest()
	grow.InstanceId, grow.Size = str(id), num(80)
	wait("instance.ExtendSystemDisk", func() (*string, error) {
		r, err := e.instPost.ExtendSystemDisk(grow)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if d := e.describeInstance(id).Disks.SystemDisk; *d.Size != 80 {
		t.Errorf("system disk after ExtendSystemDisk: %d GB", *d.Size)
	}

	// Disks, address, charge type, image, monitoring.
	disk := instance.NewCreateDiskRequest()
	disk.InstanceId, disk.DataDisks = str(id), []*instance.DataDisk{{Size: num(200), Type: str("high_disk")}}
	wait("instance.CreateDisk", func() (*string, error) {
		r, err := e.instPost.CreateDisk(disk)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	disks := e.describeInstance(id).Disks.DataDisks
	if len(disks) != 2 || *disks[1].Size != 200 || *disks[1].DiskType != "high_disk" {
		t.Fatalf("after CreateDisk: %+v", disks)
	}
	resize := instance.NewResizeDiskRequest()
	resize.InstanceId, resize.DiskId, resize.DataSize = str(id), disks[0].DiskId, num(150)
	wait("instance.ResizeDisk", func() (*string, error) {
		r, err := e.instPost.ResizeDisk(resize)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	drop := instance.NewDeleteDiskRequest()
	drop.InstanceId, drop.DiskIds = str(id), []*string{disks[1].DiskId}
	wait("instance.DeleteDisk", func() (*string, error) {
		r, err := e.instPost.DeleteDisk(drop)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if d := e.describeInstance(id).Disks.DataDisks; len(d) != 1 || *d[0].Size != 150 {
		t.Errorf("after ResizeDisk and DeleteDisk: %+v", d)
	}
	nic := e.describeInstance(id).PrivateNetworkInterface[0]
	ip := instance.NewModifyIpRequest()
	ip.InstanceId, ip.InterfaceId, ip.Address, ip.Password = str(id), nic.InterfaceId, str("10.20.3.4"), str("N3w-Passw0rd")
	wait("instance.ModifyIpAddress", func() (*string, error) {
		r, err := e.instPost.ModifyIpAddress(ip)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if got := *e.describeInstance(id).PrivateNetworkInterface[0].IP; got != "10.20.3.4" {
		t.Errorf("after ModifyIpAddress: %s", got)
	}
	charge := instance.NewModifyInstanceChargeTypeRequest()
	charge.InstanceId, charge.InstanceChargeType, charge.AutoRenew, charge.PrepaidMonth = str(id), str("PrePaid"), num(0), num(1)
	wait("instance.ModifyInstanceChargeType", func() (*string, error) {
		r, err := e.instPost.ModifyInstanceChargeType(charge)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	if got := *e.describeInstance(id).InstanceChargeType; got != "PrePaid" {
		t.Errorf("after ModifyInstanceChargeType: %s", got)
	}
	image := instance.NewResetImageRequest()
	image.InstanceId, image.ImageId, image.Password = str(id), str("Ubuntu_16.04_64"), str("N3w-Passw0rd")
	wait("instance.ResetImage", func() (*string, error) {
		r, err := e.instPost.ResetImage(image)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	mon := instance.NewDescribeInstanceMonitorRequest()
	mon.InstanceId, mon.MetricName, mon.Period = str(id), str("CPUUtilization"), num(60)
	mon.StartTime, mon.EndTime = str("2026-11-30 10:00:00"), str("2026-11-30 10:04:00")
	e.do("instance.DescribeInstanceMonitor", func() error {
		r, err := e.instPost.DescribeInstanceMonitor(mon)
		if err == nil && (r.Data == nil || *r.Data == nil) {
			return errors.New("no Data")
		}
		return err
	})

	// The VDC and its public network change; the VDC is renamed.
	qos := vdc.NewModifyPublicNetworkRequest()
	qos.PublicId, qos.Qos = wan.PublicId, str("20")
	wait("vdc.ModifyPublicNetwork", func() (*string, error) {
		r, err := e.vdcGet.ModifyPublicNetwork(qos)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	more := vdc.NewAddPublicIpRequest()
	more.PublicId, more.Number = wan.PublicId, num(4)
	wait("vdc.AddPublicIpNetwork", func() (*string, error) {
		r, err := e.vdcGet.AddPublicIpNetwork(more)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	wan = e.describeVdc(vdcID).PublicNetwork[0]
	if *wan.Qos != 20 || len(*wan.Segments) != 2 {
		t.Fatalf("after ModifyPublicNetwork and AddPublicIp: %+v", wan)
	}
	less := vdc.NewDeletePublicIpRequest()
	less.SegmentId = *(*wan.Segments)[1].SegmentId
	wait("vdc.DeletePublicIpNetwork", func() (*string, error) {
		r, err := e.vdcGet.DeletePublicIpNetwork(less)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	renew := vdc.NewRenewPublicNetworkRequest()
	renew.PublicId, renew.AutoRenew = wan.PublicId, num(1)
	e.do("vdc.RenewPublicNetwork", func() error {
		_, err := e.vdcGet.RenewPublicNetwork(renew)
		return err
	})
	vname := vdc.NewModifyVdcNameRequest()
	vname.VdcId, vname.VdcName = str(vdcID), str("sdk-prod-2")
	e.do("vdc.ModifyVdcName", func() error {
		_, err := e.vdcPost.ModifyVdcName(vname)
		return err
	})
	if v := e.describeVdc(vdcID); *v.VdcName != "sdk-prod-2" || len(*v.PublicNetwork[0].Segments) != 1 {
		t.Errorf("after ModifyVdcName and DeletePublicIp: %+v", v)
	}
	if got := *e.describeInstance(id).VdcName; got != "sdk-prod-2" {
		t.Errorf("instance VdcName after ModifyVdcName: %s", got)
	}

	// Everything is deleted again.
	leave := security_group.NewLeaveSecurityGroupRequest()
	leave.SecurityGroupId, leave.BindData = str(sgID), join.BindData
	wait("security_group.LeaveSecurityGroup", func() (*string, error) {
		r, err := e.sgPost.LeaveSecurityGroup(leave)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	unrule := security_group_rule.NewDeleteSecurityGroupRuleRequest()
	unrule.SecurityGroupId, unrule.RuleIds = str(sgID), []*string{str(ruleID)}
	e.do("security_group_rule.DeleteSecurityGroupRule", func() error {
		_, err := e.rulePost.DeleteSecurityGroupRule(unrule)
		return err
	})
	delSG := security_group.NewDeleteSecurityGroupRequest()
	delSG.SecurityGroupId = str(sgID)
	e.do("security_group.DeleteSecurityGroup", func() error {
		_, err := e.sgGet.DeleteSecurityGroup(delSG)
		return err
	})
	delIn := instance.NewDeleteInstanceRequest()
	delIn.InstanceIds = []*string{str(id)}
	wait("instance.DeleteInstance", func() (*string, error) {
		r, err := e.instPost.DeleteInstance(delIn)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	delLan := vdc.NewDeletePrivateNetworkRequest()
	delLan.PrivateId = str(lanID)
	wait("vdc.DeletePrivateNetwork", func() (*string, error) {
		r, err := e.vdcGet.DeletePrivateNetwork(delLan)
		return taskOf(r, err, func() *string { return r.TaskId })
	})
	for _, pub := range []string{*wan.PublicId, pub2ID, pub3ID} {
		delPub := vdc.NewDeletePublicNetworkRequest()
		delPub.PublicId = str(pub)
		e.do("vdc.DeletePublicNetwork", func() error {
			_, err := e.vdcGet.DeletePublicNetwork(delPub)
			return err
		})
	}
	// The current service deletes public networks in the background,
	// without a TaskId, as the provider expects.
	time.Sleep(3 * sdkLatency)
	for _, vid := range []string{vdcID, bareID} {
		if p := e.describeVdc(vid).PublicNetwork; len(p) != 0 {
			t.Fatalf("public networks left in %s: %+v", vid, p)
		}
		delVdc := vdc.NewDeleteVdcRequest()
		delVdc.VdcId = str(vid)
		wait("vdc.DeleteVdc", func() (*string, error) {
			r, err := e.vdcGet.DeleteVdc(delVdc)
			return taskOf(r, err, func() *string { return r.TaskId })
		})
		// A deleted VDC is a success with no data, which the provider's
		// destroy checks rely on.
		req := vdc.DescribeVdcRequest()
		req.VdcId = str(vid)
		e.do("vdc.DescribeVdc", func() error {
			resp, err := e.vdcGet.DescribeVdc(req)
			if err == nil && len(resp.Data) != 0 {
				return errors.New("a deleted VDC is still listed")
			}
			return err
		})
	}

	// Every SDK method whose action the emulator serves was called.
	var missing []string
	for _, m := range sdkMethods() {
		if !e.called[m] && sdkNotServed[m] == "" {
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("SDK methods not covered: %v", missing)
	}
}

// taskOf returns the TaskId of an SDK answer, unless the call failed.
func taskOf[R any](r R, err error, id func() *string) (*string, error) {
	if err != nil {
		return nil, err
	}
	return id(), nil
}

// sdkMethods lists the exported methods of the SDK's clients for the
// actions cdstack uses, as "package.Method", leaving out the shared plumbing
// of common.Client.
func sdkMethods() []string {
	shared := map[string]bool{}
	ct := reflect.TypeOf(&common.Client{})
	for i := 0; i < ct.NumMethod(); i++ {
		shared[ct.Method(i).Name] = true
	}
	var out []string
	for pkg, c := range map[string]any{"instance": &instance.Client{}, "vdc": &vdc.Client{}, "security_group": &security_group.Client{},
		"security_group_rule": &security_group_rule.Client{}, "task": &task.Client{}} {
		t := reflect.TypeOf(c)
		for i := 0; i < t.NumMethod(); i++ {
			if name := t.Method(i).Name; !shared[name] {
				out = append(out, pkg+"."+name)
			}
		}
	}
	return out
}

// TestSDKNotServedAnswersNotFound: the SDK methods left out are refused
// plainly, not half-served.
func TestSDKNotServedAnswersNotFound(t *testing.T) {
	e := newSDKEnv(t)
	req := instance.NewGetIpInfoBySegmentRequest()
	req.PrivateId, req.Segment = common.StringPtr("x"), common.StringPtr("10.0.0.0/24")
	_, err := e.instPost.GetIpInfoBySegment(req)
	if err == nil || !strings.Contains(err.Error(), "InvalidAction.NotFound") {
		t.Errorf("GetIpInfoBySegment = %v, want InvalidAction.NotFound", err)
	}
}
