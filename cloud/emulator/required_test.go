package emulator

import (
	"errors"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestContractRequiredFields: the emulator refuses what the current
// documents mark required and cdstack once left out: Password on ResetImage
// and ModifyIpAddress (the right one for ModifyIpAddress), ImagePassword
// on CreateInstance and ResetImage from a custom image, Currency on bills;
// with them, the requests go through.
func TestContractRequiredFields(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.instance(f, "req")
	nic := e.describe(id).PrivateNetworkInterface[0].InterfaceID
	tpl := e.wait(c.CreateTemplate(ctx, cloud.CreateTemplateRequest{InstanceID: id, DisplayName: "golden", PowerOn: true}))

	refused := func(what, code string, err error) {
		t.Helper()
		if !cloud.IsCode(err, code) {
			t.Errorf("%s: err = %v, want %s", what, err, code)
		}
	}
	_, err := c.ResetImage(ctx, cloud.ResetImageRequest{InstanceID: id, ImageID: "Ubuntu_16.04_64"})
	refused("ResetImage without Password", "IncompleteParamter", err)
	_, err = c.ResetImage(ctx, cloud.ResetImageRequest{InstanceID: id, ImageID: tpl, Password: "Passw0rd!"})
	refused("ResetImage from a template without ImagePassword", "IncompleteParamter", err)
	_, err = c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic, Address: "10.10.1.7"})
	refused("ModifyIpAddress without Password", "IncompleteParamter", err)
	_, err = c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic, Address: "10.10.1.7", Password: "Wrong-Passw0rd"})
	refused("ModifyIpAddress with a wrong Password", "InvalidPassword.Malformed", err)
	_, err = c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", InstanceName: "fromtpl",
		CPU: 2, RAM: 4, InstanceType: "Standard", ImageID: tpl})
	refused("CreateInstance from a template without ImagePassword", "IncompleteParamter", err)
	_, err = c.Call(ctx, "DescribeBill", map[string]any{"DateFromTo": "2026.11.01 - 2026.11.30"}, nil)
	refused("DescribeBill without Currency", "IncompleteParamter", err)
	_, err = c.Call(ctx, "DescribeBillInfo", map[string]any{"DateFrom": "2026.11.01", "DateTo": "2026.11.30", "ResourceId": id}, nil)
	refused("DescribeBillInfo without Currency", "IncompleteParamter", err)

	e.wait(c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic, Address: "10.10.1.7", Password: "Passw0rd!"}))
	e.wait(c.ResetImage(ctx, cloud.ResetImageRequest{InstanceID: id, ImageID: tpl, Password: "N3w-Passw0rd", ImagePassword: "Image-Passw0rd"}))
	e.wait(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!", InstanceName: "fromtpl",
		CPU: 2, RAM: 4, InstanceType: "Standard", ImageID: tpl, ImagePassword: "Image-Passw0rd"}))
	// ResetImage set the new password: ModifyIpAddress now wants it.
	_, err = c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic, Address: "10.10.1.8", Password: "Passw0rd!"})
	refused("ModifyIpAddress with the password from before ResetImage", "InvalidPassword.Malformed", err)
	if _, err := c.DescribeBill(ctx, cloud.DescribeBillRequest{DateFromTo: "2026.11.01 - 2026.11.30"}); err != nil {
		t.Errorf("DescribeBill with the default currency: %v", err)
	}
}

// TestContractFailedInstanceKeptAsError: with KeepFailedInstances, a failed
// CreateInstance leaves its instance listed as "error" (a failure status
// the official provider handles); nothing but DeleteInstance accepts it.
func TestContractFailedInstanceKeptAsError(t *testing.T) {
	e := newEnv(t, Options{KeepFailedInstances: true})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	e.srv.SetTaskFailureRate(1)
	task, err := c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!",
		InstanceName: "broken", CPU: 2, RAM: 4, InstanceType: "Standard", ImageID: "Centos_7.6_64"})
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.WaitTask(ctx, task)
	var tf *cloud.TaskFailedError
	if !errors.As(err, &tf) || done == nil || done.ResourceID == "" {
		t.Fatalf("wait = %+v, %v; want the task's failure naming the instance", done, err)
	}
	in := e.describe(done.ResourceID)
	if in.InstanceStatus != "error" || !in.Failed() {
		t.Fatalf("failed instance listed as %q", in.InstanceStatus)
	}
	if _, err := c.StartInstance(ctx, cloud.InstanceRequest{InstanceID: in.InstanceID}); !cloud.IsCode(err, "IncorrectInstanceStatus") {
		t.Errorf("StartInstance of a failed instance: %v", err)
	}
	e.srv.SetTaskFailureRate(0)
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{in.InstanceID}}))
	if d := must(c.DescribeInstances(ctx, cloud.DescribeInstancesRequest{VdcID: f.vdc})); len(d.Instances) != 0 {
		t.Errorf("%d instances left after deleting the failed one", len(d.Instances))
	}
}
