package emulator

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// hostRequest is a valid AllocateDedicatedHosts for CN_Beijing_A.
func hostRequest(name string) cloud.AllocateDedicatedHostsRequest {
	return cloud.AllocateDedicatedHostsRequest{RegionID: "CN_Beijing_A", DedicatedHostType: "ded_standard", DedicatedHostGoodID: 6195,
		DedicatedHostName: name, DedicatedHostCPU: 48, DedicatedHostRAM: 192, DedicatedHostLimit: 1, PrepaidMonth: cloud.Ptr(1),
		AutoRenew: cloud.Ptr(1), Amount: 1}
}

// TestContractDedicatedHostTypes: DescribeDedicatedHostTypes lists what a
// region sells, with what AllocateDedicatedHosts accepts; a region is
// required and must be known.
func TestContractDedicatedHostTypes(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	types := must(c.DescribeDedicatedHostTypes(ctx, cloud.DedicatedHostTypesRequest{RegionID: "CN_Beijing_A"}))
	std := cloud.HostTypeOf(types, "ded_standard")
	if std == nil || std.GoodsID != 6195 || std.CPU != 48 || std.RAM != 192 || std.VMTypeName == "" || std.BillSchemeID == "" {
		t.Fatalf("CN_Beijing_A types = %+v", types)
	}
	if cloud.HostTypeOf(types, "ded_compute") == nil {
		t.Errorf("CN_Beijing_A does not sell ded_compute: %+v", types)
	}
	far := must(c.DescribeDedicatedHostTypes(ctx, cloud.DedicatedHostTypesRequest{RegionID: "US_Dallas_A"}))
	if cloud.HostTypeOf(far, "ded_compute") != nil || cloud.HostTypeOf(far, "ded_standard") == nil {
		t.Errorf("US_Dallas_A types = %+v", far)
	}
	_, err := c.DescribeDedicatedHostTypes(ctx, cloud.DedicatedHostTypesRequest{RegionID: "Mars_A"})
	wantCode(t, err, 400, "InvalidRegionId.Malformed")
	_, err = c.DescribeDedicatedHostTypes(ctx, cloud.DedicatedHostTypesRequest{})
	wantCode(t, err, 400, "IncompleteParamter")
}

// TestContractAllocateDedicatedHosts: a host is allocated at once (its id
// in the answer, no task) and listed; what a real account would refuse
// is refused, and nothing is made then.
func TestContractAllocateDedicatedHosts(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx

	refused := map[string]struct {
		edit func(*cloud.AllocateDedicatedHostsRequest)
		code string
	}{
		"unknown region": {func(r *cloud.AllocateDedicatedHostsRequest) { r.RegionID = "Mars_A" }, "InvalidRegionId.Malformed"},
		"unknown type":   {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostType = "ded_huge" }, "InvalidParameter.DedicatedHostType"},
		"type not sold there": {func(r *cloud.AllocateDedicatedHostsRequest) {
			r.RegionID, r.DedicatedHostType = "US_Dallas_A", "ded_compute"
		}, "InvalidParameter.DedicatedHostType"},
		"another type's goods id": {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostGoodID = 6196 },
			"InvalidParameter.DedicatedHostGoodId"},
		"no name":         {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostName = "" }, "IncompleteParamter"},
		"bad name":        {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostName = "two words" }, "InvalidParameter.DedicatedHostName"},
		"cpu not type's":  {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostCPU = 32 }, "InvalidParameter.DedicatedHostCpu"},
		"ram not type's":  {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostRAM = 384 }, "InvalidParameter.DedicatedHostCpu"},
		"limit 0":         {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostLimit = 0 }, "InvalidParameter.DedicatedHostLimit"},
		"limit too large": {func(r *cloud.AllocateDedicatedHostsRequest) { r.DedicatedHostLimit = MaxHostLimit + 1 }, "InvalidParameter.DedicatedHostLimit"},
		"37 months":       {func(r *cloud.AllocateDedicatedHostsRequest) { r.PrepaidMonth = cloud.Ptr(37) }, "InvalidParameter.PrepaidMonth"},
		"negative months": {func(r *cloud.AllocateDedicatedHostsRequest) { r.PrepaidMonth = cloud.Ptr(-1) }, "InvalidParameter.PrepaidMonth"},
		"auto renew 2":    {func(r *cloud.AllocateDedicatedHostsRequest) { r.AutoRenew = cloud.Ptr(2) }, "InvalidParameter.AutoRenew"},
		"amount 100":      {func(r *cloud.AllocateDedicatedHostsRequest) { r.Amount = 100 }, "InvalidParameter.Amount"},
	}
	for name, tc := range refused {
		t.Run(name, func(t *testing.T) {
			r := hostRequest("h")
			tc.edit(&r)
			_, err := c.AllocateDedicatedHosts(ctx, r)
			wantCode(t, err, 400, tc.code)
		})
	}
	if n := len(must(c.ListDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{}, 100))); n != 0 {
		t.Fatalf("%d hosts after refused requests", n)
	}

	resp, err := c.Call(ctx, "AllocateDedicatedHosts", hostRequest("dh-1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.TaskID != "" || string(resp.Data) == "" || resp.Data[0] != '[' {
		t.Fatalf("AllocateDedicatedHosts answered TaskId %q, Data %s; want the ids in a list and no task", resp.TaskID, resp.Data)
	}
	var ids cloud.HostIDs
	if err := ids.UnmarshalJSON(resp.Data); err != nil || len(ids) != 1 {
		t.Fatalf("Data %s: %v", resp.Data, err)
	}
	h := must(c.DedicatedHostByID(ctx, ids[0]))
	if h == nil || h.HostName != "dh-1" || h.HostType != "ded_standard" || h.Region != "CN_Beijing_A" || h.Status != "running" ||
		h.VMNum != 0 || h.Duration != 1 || h.BillMethod != "PrePaid" || h.EndBillTime == "" || h.CPURate != "0%" {
		t.Fatalf("host = %+v", h)
	}

	// Several at once get numbered names; the arrears refuse a purchase.
	r := hostRequest("pair")
	r.Amount = 2
	two := must(c.AllocateDedicatedHosts(ctx, r))
	if len(two) != 2 {
		t.Fatalf("Amount 2 answered %v", two)
	}
	byName := must(c.ListDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{HostName: "pair"}, 100))
	if len(byName) != 2 || byName[0].HostName != "pair-1" || byName[1].HostName != "pair-2" {
		t.Errorf("HostName=pair lists %+v", byName)
	}
	broke := newEnv(t, Options{Arrears: true})
	_, err = broke.client.AllocateDedicatedHosts(broke.ctx, hostRequest("x"))
	wantCode(t, err, 400, "NotEnoughBalance")
}

// TestContractDescribeDedicatedHosts: the listing pages (PageNumber,
// PageSize, Total), finds one host by HostId (an unknown one is an empty
// list) and counts the instances placed on each.
func TestContractDescribeDedicatedHosts(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	var made []string
	for _, n := range []string{"a", "b", "c"} {
		made = append(made, must(c.AllocateDedicatedHosts(ctx, hostRequest(n)))...)
	}
	page, p, err := c.DescribeDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{PageNumber: 2, PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.HostList) != 1 || page.HostList[0].HostName != "c" || p.Total != 3 {
		t.Errorf("page 2 of 2 = %+v (total %d)", page.HostList, p.Total)
	}
	all := must(c.ListDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{}, 2))
	if len(all) != 3 {
		t.Errorf("ListDedicatedHosts by 2 = %d hosts", len(all))
	}
	if h := must(c.DedicatedHostByID(ctx, "00000000-0000-4000-8000-000000000009")); h != nil {
		t.Errorf("unknown id found %+v", h)
	}
	one := must(c.ListDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{HostID: made[1]}, 100))
	if len(one) != 1 || one[0].HostName != "b" {
		t.Errorf("HostId=%s lists %+v", made[1], one)
	}
	_, _, err = c.DescribeDedicatedHosts(ctx, cloud.DescribeDedicatedHostsRequest{PageSize: MaxPageSize + 1})
	wantCode(t, err, 400, "InvalidParameter.PageSize")
}

// TestContractInstanceOnDedicatedHost: CreateInstance places an instance
// on a host of its region with room for it, and the host's listing counts
// it; an unknown host, one of another region, or one without room is
// refused before anything is made. Deleting the instance frees the room;
// ModifyInstanceSpec may not grow one past it.
func TestContractInstanceOnDedicatedHost(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	host := must(c.AllocateDedicatedHosts(ctx, hostRequest("dh")))[0]
	far := hostRequest("far")
	far.RegionID = "CN_Shanghai_A"
	other := must(c.AllocateDedicatedHosts(ctx, far))[0]

	create := func(name, host string, cpu, ram int) (string, error) {
		return c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!",
			InstanceName: name, CPU: cpu, RAM: ram, InstanceType: "Standard", ImageID: "Centos_7.6_64", DedicatedHostID: host})
	}
	_, err := create("lost", "00000000-0000-4000-8000-000000000009", 2, 4)
	wantCode(t, err, 400, "InvalidDedicatedHostId.NotFound")
	_, err = create("far", other, 2, 4)
	wantCode(t, err, 400, "InvalidParameter.DedicatedHostId")
	if n := len(e.srv.world.Instances); n != 0 {
		t.Fatalf("%d instances after refused creates", n)
	}

	id := e.wait(create("on", host, 16, 64))
	h := must(c.DedicatedHostByID(ctx, host))
	if h.VMNum != 1 || h.CPURate != "33%" || h.RAMRate != "33%" {
		t.Errorf("host with one instance = %+v", h)
	}
	// 48 vCPU, 192 GB: another 16/64 fits twice, a third does not.
	e.wait(create("two", host, 16, 64))
	e.wait(create("three", host, 16, 64))
	_, err = create("four", host, 1, 1)
	wantCode(t, err, 403, "DedicatedHost.InsufficientCapacity")
	e.wait(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
	four := e.wait(create("four", host, 16, 64))
	if h := must(c.DedicatedHostByID(ctx, host)); h.VMNum != 3 || h.CPURate != "100%" {
		t.Errorf("full host = %+v", h)
	}
	// A full host refuses an instance that grows, not one that shrinks.
	_, err = c.ModifyInstanceSpec(ctx, cloud.ModifyInstanceSpecRequest{InstanceID: four, CPU: 32, RAM: 64})
	wantCode(t, err, 403, "DedicatedHost.InsufficientCapacity")
	e.wait(c.ModifyInstanceSpec(ctx, cloud.ModifyInstanceSpecRequest{InstanceID: four, CPU: 8, RAM: 32}))
	if h := must(c.DedicatedHostByID(ctx, host)); h.CPURate != "83%" {
		t.Errorf("after shrinking one: %+v", h)
	}
}

// TestDedicatedHostsSurviveRestart: hosts are kept in the world's store.
func TestDedicatedHostsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cloud.db")
	clk := cloud.NewFakeClock(epoch)
	open := func() (*cloud.Client, func()) {
		st, err := OpenStore(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Clock: clk, Store: st})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s)
		c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithClock(clk))
		return c, func() { hs.Close(); s.Close() }
	}
	c, closeFn := open()
	id := must(c.AllocateDedicatedHosts(context.Background(), hostRequest("kept")))[0]
	closeFn()
	c, closeFn = open()
	defer closeFn()
	if h := must(c.DedicatedHostByID(context.Background(), id)); h == nil || h.HostName != "kept" {
		t.Fatalf("after a restart: %+v", h)
	}
}

// hostAction reports the dedicated host actions, which the
// TestContract*DedicatedHost* tests call.
func hostAction(a cloud.ActionSpec) bool {
	switch a.Name {
	case "AllocateDedicatedHosts", "DescribeDedicatedHosts", "DescribeDedicatedHostTypes":
		return true
	}
	return false
}
