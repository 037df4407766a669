package emulator

import (
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestDocumentedErrors checks at least one documented error per family, and
// the required-parameter and malformed-id errors.
func TestDocumentedErrors(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.instance(f, "web-0")
	const unknown = "00000000-0000-4000-8000-000000000000"
	tests := map[string]struct {
		call   func() error
		status int
		code   string
	}{
		"CreateVdc bad region":     {func() error { _, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "Mars_A"}); return err }, 400, "InvalidRegionId.Malformed"},
		"CreateVdc no region":      {func() error { _, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{}); return err }, 400, "IncompleteParamter"},
		"DescribeVdc malformed id": {func() error { _, err := c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: "abc"}); return err }, 400, "InvalidVDCID.Malformed"},
		"DeleteVdc unknown":        {func() error { _, err := c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: unknown}); return err }, 400, "VdcNotFound"},
		"DeleteVdc malformed":      {func() error { _, err := c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: "x"}); return err }, 400, "InvalidVdcId.Malformed"},
		"CreatePublicNetwork bad type": {func() error {
			_, err := c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: f.vdc, Type: "BGP_9", BillingMethod: "Bandwidth", Qos: 10, IPNum: 4})
			return err
		}, 400, "InvalidPublicNetwork.Type.Malformed"},
		"CreatePublicNetwork IP count 5": {func() error {
			_, err := c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: f.vdc, Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 10, IPNum: 5})
			return err
		}, 400, "InvalidPublicNetwork.Ip.Malformed"},
		"CreatePublicNetwork Qos 7": {func() error {
			_, err := c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: f.vdc, Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 7, IPNum: 4})
			return err
		}, 400, "InvalidPublicNetwork.Bandwidth.Malformed"},
		"ModifyPublicNetwork Qos 501": {func() error {
			_, err := c.ModifyPublicNetwork(ctx, cloud.ModifyPublicNetworkRequest{PublicID: f.public, Qos: 505})
			return err
		}, 400, "InvalidPublicNetwork.Bandwidth.Malformed"},
		"AddPublicIp bad number": {func() error {
			_, err := c.AddPublicIP(ctx, cloud.AddPublicIPRequest{PublicID: f.public, Number: 3})
			return err
		}, 400, "InvalidPublicNetwork.IP.Malformed"},
		"DeletePrivateNetwork malformed": {func() error {
			_, err := c.DeletePrivateNetwork(ctx, cloud.PrivateNetworkRequest{PrivateID: "p"})
			return err
		}, 400, "InvalidPrivateId.Malformed"},
		"CreateInstance cpu 3": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", CPU: 3})
			return err
		}, 400, "InvalidInstanceType.ValueUnauthorized"},
		"CreateInstance ram 3": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", RAM: 3})
			return err
		}, 400, "InvalidInstanceType.ValueUnauthorized"},
		"CreateInstance weak password": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "password"})
			return err
		}, 400, "InvalidPassword.Malformed"},
		"CreateInstance no password": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc})
			return err
		}, 400, "IncompleteParamter"},
		"CreateInstance unknown image": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", ImageID: "Plan9"})
			return err
		}, 404, "InvalidLaunchTemplateVersion.NotFound"},
		"CreateInstance bad disk size": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", DataDisks: []cloud.DiskSpec{{Size: 5, Type: "ssd_disk"}}})
			return err
		}, 400, "InvalidDataDiskSize.ValueNotSupported"},
		"CreateInstance bad disk type": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", DataDisks: []cloud.DiskSpec{{Size: 50, Type: "floppy"}}})
			return err
		}, 400, "InvalidInstanceTypeDisk.ValueUnauthorized"},
		"CreateInstance public IP elsewhere": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", PublicIP: []string{"192.0.2.10"}})
			return err
		}, 403, "InvalidIp.Address"},
		"CreateInstance bad public IP": {func() error {
			_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", PublicIP: []string{"300.1.1.1"}})
			return err
		}, 400, "InvalidPublicIpAddress.Malformed"},
		"StopInstance malformed": {func() error { _, err := c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: "i-1"}); return err }, 400, "InvalidInstanceID.Malformed"},
		"StopInstance unknown":   {func() error { _, err := c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: unknown}); return err }, 400, "InstanceNotFound"},
		"ModifyInstanceSpec nothing": {func() error {
			_, err := c.ModifyInstanceSpec(ctx, cloud.ModifyInstanceSpecRequest{InstanceID: id})
			return err
		}, 400, "IncompleteParamter"},
		"ResizeDisk smaller": {func() error {
			d := e.describe(id).Disks.DataDisks[0].DiskID
			_, err := c.ResizeDisk(ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: d, DataSize: 50})
			return err
		}, 403, "InvalidDiskSize.TooSmall"},
		"ConnectNetworkInterface foreign NIC": {func() error {
			_, err := c.ConnectNetworkInterface(ctx, cloud.NetworkInterfaceRequest{InstanceID: id, InterfaceID: unknown})
			return err
		}, 400, "InvalidInterfaceID.Malformed"},
		"DescribeNSGAttribute unknown": {func() error {
			_, err := c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: unknown})
			return err
		}, 400, "InvalidSecurityGroupId.NotFound"},
		"CreateNSG bad type": {func() error {
			_, err := c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: "x", SecurityGroupType: "dmz"})
			return err
		}, 400, "InvalidSecurityGroupType.Malformed"},
		"CreateTemplate unknown instance": {func() error {
			_, err := c.CreateTemplate(ctx, cloud.CreateTemplateRequest{InstanceID: unknown, DisplayName: "t", PowerOn: true})
			return err
		}, 400, "InstanceNotFound"},
		"DescribeTemplateInfo no page": {func() error { _, err := c.Call(ctx, "DescribeTemplateInfo", map[string]any{}, nil); return err }, 400, "IncompleteParamter"},
		"DescribeTask unknown":         {func() error { _, err := c.DescribeTask(ctx, "nope"); return err }, 400, "InvalidTaskID.Malformed"},
		"DescribeBill malformed": {func() error {
			_, err := c.DescribeBill(ctx, cloud.DescribeBillRequest{DateFromTo: "2019-09-02"})
			return err
		}, 400, "InvalidParameter.DateFromTo"},
		"GetMetering no EndTime": {func() error { _, err := c.GetMetering(ctx, cloud.GetMeteringRequest{}); return err }, 400, "InvalidParameter.IsNull"},
		"GetMetering unknown uid": {func() error {
			_, err := c.GetMetering(ctx, cloud.GetMeteringRequest{EndTime: "20191101", UID: "9"})
			return err
		}, 400, "InvalidParamater"},
		"DescribeAvailableResource bad region": {func() error {
			_, err := c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: "x"})
			return err
		}, 400, "InvalidRegionID.Malformed"},
		"DescribeInstances page too large": {func() error {
			_, err := c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{PageSize: 5000})
			return err
		}, 400, "InvalidParameter.PageSize"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) { wantCode(t, tc.call(), tc.status, tc.code) })
	}
}

func TestVdcWithResourcesCannotBeDeleted(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	_, err := e.client.DeleteVdc(e.ctx, cloud.VdcRequest{VdcID: f.vdc})
	wantCode(t, err, 403, "IncorrectVdcStatus")
	id := e.instance(f, "a")
	_, err = e.client.DeletePrivateNetwork(e.ctx, cloud.PrivateNetworkRequest{PrivateID: f.private})
	wantCode(t, err, 403, "IncorrectPrivateNetworkStatus")
	_, err = e.client.DeletePublicNetwork(e.ctx, cloud.PublicNetworkRequest{PublicID: f.public})
	wantCode(t, err, 403, "IncorrectPublicNetworkStatus")
	e.wait(e.client.DeleteInstance(e.ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
	e.wait(e.client.DeletePrivateNetwork(e.ctx, cloud.PrivateNetworkRequest{PrivateID: f.private}))
	_, err = e.client.DeleteVdc(e.ctx, cloud.VdcRequest{VdcID: f.vdc})
	wantCode(t, err, 403, "IncorrectVdcStatus")
	e.deletePublic(f)
	e.wait(e.client.DeleteVdc(e.ctx, cloud.VdcRequest{VdcID: f.vdc}))
}

func TestBoundSecurityGroup(t *testing.T) {
	e := newEnv(t, Options{LegacySecurityGroups: true})
	f := e.fixture()
	id := e.instance(f, "a")
	sg := must(e.client.CreateSecurityGroup(e.ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: "g", SecurityGroupType: "public"}))
	e.wait(e.client.JoinSecurityGroup(e.ctx, cloud.SecurityGroupBindRequest{SecurityGroupID: sg.SecurityGroupID, BindData: []cloud.SecurityGroupBinding{{InstanceID: id}}}))
	_, err := e.client.DeleteSecurityGroup(e.ctx, cloud.SecurityGroupRequest{SecurityGroupID: sg.SecurityGroupID})
	wantCode(t, err, 403, "IncorrectSecurityGroupStatus")
	e.wait(e.client.ForceDeleteSecurityGroup(e.ctx, cloud.SecurityGroupRequest{SecurityGroupID: sg.SecurityGroupID}))
	var groups []string
	e.srv.View(func(w *World) { groups = w.Instances[id].SecurityGroups })
	if len(groups) != 0 {
		t.Errorf("instance still lists groups %v after ForceDelete", groups)
	}
}

func TestDisksOnlyGrow(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	id := e.instance(f, "a")
	disk := e.describe(id).Disks.DataDisks[0].DiskID
	_, err := e.client.ResizeDisk(e.ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: disk, DataSize: 90})
	wantCode(t, err, 403, "InvalidDiskSize.TooSmall")
	e.wait(e.client.ResizeDisk(e.ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: disk, DataSize: 100}))
	e.wait(e.client.ResizeDisk(e.ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: disk, DataSize: 120}))
	if got := e.describe(id).Disks.DataDisks[0].Size; got != 120 {
		t.Errorf("size = %d, want 120", got)
	}
}

func TestBusyInstanceRefusesChanges(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: time.Minute})
	f := e.fixture()
	taskID, err := e.client.CreateInstance(e.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", InstanceName: "slow"})
	if err != nil {
		t.Fatal(err)
	}
	task := must(e.client.DescribeTask(e.ctx, taskID))
	id := task.ResourceID
	if st := e.describe(id).InstanceStatus; st != "creating" {
		t.Errorf("status while creating = %s", st)
	}
	for name, call := range map[string]func() error{
		"stop": func() error {
			_, err := e.client.StopInstance(e.ctx, cloud.InstanceRequest{InstanceID: id})
			return err
		},
		"spec": func() error {
			_, err := e.client.ModifyInstanceSpec(e.ctx, cloud.ModifyInstanceSpecRequest{InstanceID: id, CPU: 2})
			return err
		},
		"delete": func() error {
			_, err := e.client.DeleteInstance(e.ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}})
			return err
		},
		"disk": func() error {
			_, err := e.client.CreateDisk(e.ctx, cloud.CreateDiskRequest{InstanceID: id, DataDisks: []cloud.DiskSpec{{Size: 10, Type: "ssd_disk"}}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) { wantCode(t, call(), 403, "IncorrectInstanceStatus") })
	}
	e.wait(taskID, nil)
	if st := e.describe(id).InstanceStatus; st != "running" {
		t.Errorf("status after the task = %s", st)
	}
	stop := must(e.client.StopInstance(e.ctx, cloud.InstanceRequest{InstanceID: id}))
	if st := e.describe(id).InstanceStatus; st != "stopping" {
		t.Errorf("status while stopping = %s", st)
	}
	_, err = e.client.RebootInstance(e.ctx, cloud.InstanceRequest{InstanceID: id})
	wantCode(t, err, 403, "IncorrectInstanceStatus")
	e.wait(stop, nil)
	if st := e.describe(id).InstanceStatus; st != "stop" {
		t.Errorf("status after stop = %s", st)
	}
}

func TestAddressesNeverCollide(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	c, ctx := e.client, e.ctx
	a := e.instance(f, "a")
	ipA := e.describe(a).PrivateNetworkInterface[0].IP
	pubA := e.describe(a).PublicInterface().IP
	_, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!",
		PrivateIP: []cloud.PrivateIPSpec{{PrivateID: f.private, IP: []string{ipA}}}})
	wantCode(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
	_, err = c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", PublicIP: []string{pubA}})
	wantCode(t, err, 400, "InvalidPublicIpAddress.Duplicated")
	_, err = c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", Amount: 2,
		PrivateIP: []cloud.PrivateIPSpec{{PrivateID: f.private, IP: []string{"10.10.0.9", "10.10.0.9"}}}})
	wantCode(t, err, 403, "InvalidIp.IpRepeated")
	// Five usable public addresses in a /29: a took one, four more fit, the sixth does not.
	b := e.wait(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", Amount: 4,
		PublicIP: []string{"auto"}, PrivateIP: []cloud.PrivateIPSpec{{PrivateID: f.private, IP: []string{"auto"}}}}))
	seen := map[string]bool{ipA: true, pubA: true}
	for _, in := range must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc, PageSize: 100})).Instances {
		for _, ip := range []string{in.PublicInterface().IP, in.PrivateNetworkInterface[0].IP} {
			if in.InstanceID != a && seen[ip] {
				t.Errorf("address %s handed out twice", ip)
			}
			seen[ip] = true
		}
	}
	if len(seen) != 10 || b == "" {
		t.Errorf("%d distinct addresses for 5 instances, want 10", len(seen))
	}
	_, err = c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", PublicIP: []string{"auto"}})
	wantCode(t, err, 403, "QuotaExceed.PublicIp")
	_, err = c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: a, InterfaceID: e.describe(a).PrivateNetworkInterface[0].InterfaceID, Address: "10.10.0.3", Password: "Passw0rd!"})
	wantCode(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
	_, err = c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: f.vdc, Address: "10.10.128.0", Mask: "17"})
	wantCode(t, err, 400, "InvalidPrivateIpAddress.Duplicated")
}

func TestQuotasAndBalance(t *testing.T) {
	e := newEnv(t, Options{MaxVDCs: 1, MaxPrivateNetworks: 1})
	f := e.fixture()
	_, err := e.client.CreateVdc(e.ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A"})
	wantCode(t, err, 400, "QuotaExceed.Vdc")
	_, err = e.client.CreatePrivateNetwork(e.ctx, cloud.CreatePrivateNetworkRequest{VdcID: f.vdc})
	wantCode(t, err, 400, "QuotaExceed.PrivateNetwork")

	poor := newEnv(t, Options{Arrears: true})
	_, err = poor.client.CreateVdc(poor.ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A"})
	wantCode(t, err, 400, "Account.Arrearage")
	err = poor.srv.Mutate(func(w *World, touch func(string, string)) {
		w.VDCs["11111111-1111-4111-8111-111111111111"] = &VDC{ID: "11111111-1111-4111-8111-111111111111", Region: "CN_Beijing_A", Busy: Busy{Status: statusOK}}
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = poor.client.CreateInstance(poor.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: "11111111-1111-4111-8111-111111111111", Password: "Passw0rd!"})
	wantCode(t, err, 400, "NotEnoughBalance")
}

func TestTaskLifecycle(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 10 * time.Second})
	taskID := must(e.client.CreateVdc(e.ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A"}))
	statuses := []cloud.TaskStatus{}
	for _, step := range []time.Duration{0, 2 * time.Second, 9 * time.Second} {
		e.clk.Advance(step)
		task := must(e.client.DescribeTask(e.ctx, taskID))
		statuses = append(statuses, task.Status)
		if task.TaskType != "CreateVdc" || task.ResourceID == "" {
			t.Errorf("task = %+v", task)
		}
	}
	want := []cloud.TaskStatus{"NEW", "DOING", "FINISH"}
	for i := range want {
		if statuses[i] != want[i] {
			t.Errorf("statuses = %v, want %v", statuses, want)
			break
		}
	}
}

func TestFailedTasksChangeNothing(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	id := e.instance(f, "a")
	e.srv.opts.TaskFailureRate = 1
	spec := must(e.client.ModifyInstanceSpec(e.ctx, cloud.ModifyInstanceSpecRequest{InstanceID: id, CPU: 8, RAM: 16}))
	if _, err := e.client.WaitTask(e.ctx, spec); err == nil {
		t.Fatal("want the task to fail")
	}
	if in := e.describe(id); in.CPU != 2 || in.InstanceStatus != "running" {
		t.Errorf("after a failed spec change: cpu %d status %s", in.CPU, in.InstanceStatus)
	}
	create := must(e.client.CreateInstance(e.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", PublicIP: []string{"auto"}}))
	if _, err := e.client.WaitTask(e.ctx, create); err == nil {
		t.Fatal("want the create to fail")
	}
	if n := len(must(e.client.DescribeInstances(e.ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc})).Instances); n != 1 {
		t.Errorf("%d instances after a failed create, want 1", n)
	}
	del := must(e.client.DeleteInstance(e.ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
	if _, err := e.client.WaitTask(e.ctx, del); err == nil {
		t.Fatal("want the delete to fail")
	}
	if in := e.describe(id); in.InstanceStatus != "running" {
		t.Errorf("after a failed delete: %s", in.InstanceStatus)
	}
	vdcs := must(e.client.DescribeVdc(e.ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))
	if unused := vdcs[0].PublicNetwork[0].UnuseIPNum; unused != 4 {
		t.Errorf("the failed create kept its public address: %d unused, want 4", unused)
	}
}

func TestPagination(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture()
	e.wait(e.client.CreateInstance(e.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", Amount: 25, InstanceName: "n"}))
	d := must(e.client.DescribeInstances(e.ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc}))
	if len(d.Instances) != 10 || d.PageCount != 3 || d.PageNumber != 1 {
		t.Errorf("default page: %d instances, page %d of %d", len(d.Instances), d.PageNumber, d.PageCount)
	}
	all := must(e.client.ListInstances(e.ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc}, 7))
	names := map[string]bool{}
	for _, in := range all {
		names[in.InstanceName] = true
	}
	if len(all) != 25 || len(names) != 25 {
		t.Errorf("ListInstances = %d instances, %d names", len(all), len(names))
	}
}
