package resources

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestDedicatedHostNormalize: the region defaults to the stack's, limit
// to 1, prepaid_month to 1 and auto_renew to true (the official
// provider's defaults); what the stack says is kept.
func TestDedicatedHostNormalize(t *testing.T) {
	k := Registry["dedicated_host"]
	base := Inputs{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192)}
	tests := map[string]struct {
		in   Inputs
		want Inputs
	}{
		"defaults": {base, Inputs{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
			"region": "CN_Beijing_A", "limit": int64(1), "prepaid_month": int64(1), "auto_renew": true}},
		"given": {func() Inputs {
			in := copyInputs(base)
			in["region"], in["limit"], in["prepaid_month"], in["auto_renew"] = "CN_Shanghai_A", int64(2), int64(0), false
			return in
		}(), Inputs{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
			"region": "CN_Shanghai_A", "limit": int64(2), "prepaid_month": int64(0), "auto_renew": false}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, k.Normalize(tc.in, "CN_Beijing_A")); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestDedicatedHostObserveAndDiff: the name comes from the listing; the
// rest from the record (the listing's type and region are the service's
// text, in a form the SDK does not give), so an observed host equals its
// record and a change of any field but prepaid_month is a replacement,
// with a reason. A host the listing lacks is gone; FindByName looks in the
// host's region.
func TestDedicatedHostObserveAndDiff(t *testing.T) {
	k := Registry["dedicated_host"]
	rec := Inputs{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
		"region": "CN_Beijing_A", "limit": int64(1), "prepaid_month": int64(1), "auto_renew": true}
	l := NewLive()
	l.Hosts["h1"] = &cloud.DedicatedHost{HostID: "h1", HostName: "dh", HostType: "ded_standard", Region: "CN_Beijing_A", Status: "running",
		VMNum: 2, CPURate: "8%", RAMRate: "4%", EndBillTime: "2027-01-01 00:00:00"}
	l.Hosts["h2"] = &cloud.DedicatedHost{HostID: "h2", HostName: "dh", HostType: "ded_standard", Region: "CN_Shanghai_A", Status: "running"}
	obs := k.Observe(l, "h1", &Recorded{Inputs: rec})
	if diff := cmp.Diff(rec, obs.Attrs); diff != "" {
		t.Errorf("attrs (-record +observed)\n%s", diff)
	}
	wantOut := map[string]any{"id": "h1", "status": "running", "vm_count": int64(2), "cpu_rate": "8%", "ram_rate": "4%", "end_bill_time": "2027-01-01 00:00:00"}
	if diff := cmp.Diff(wantOut, obs.Outputs); diff != "" {
		t.Errorf("outputs (-want +got)\n%s", diff)
	}
	if k.Observe(l, "h9", &Recorded{Inputs: rec}) != nil {
		t.Error("a host the listing lacks is observed")
	}
	for f, v := range map[string]any{"name": "dh2", "type": "ded_memory", "region": "CN_Shanghai_A", "goods_id": int64(6196),
		"cpu": int64(96), "ram": int64(384), "limit": int64(2), "auto_renew": false, "prepaid_month": int64(6)} {
		desired := copyInputs(rec)
		desired[f] = v
		if !k.Differs(f, desired, obs.Attrs) {
			t.Errorf("a change of %s is not seen", f)
		}
		if got, want := k.Replaces(f, desired, obs.Attrs), f != "prepaid_month"; got != want {
			t.Errorf("Replaces(%s) = %v, want %v", f, got, want)
		}
	}
	if why := k.(ReplaceExplainer).ReplaceReason("type", nil, nil); why != "the API cannot change a dedicated host's type" {
		t.Errorf("ReplaceReason = %q", why)
	}
	if got := k.FindByName(l, Inputs{"name": "dh", "region": "CN_Shanghai_A"}); got != "h2" {
		t.Errorf("FindByName in CN_Shanghai_A = %q", got)
	}
	// A listing that names the type and the region in words reads as the
	// record (a host's type and region never change), and is still found.
	l.Hosts["h3"] = &cloud.DedicatedHost{HostID: "h3", HostName: "dh3", HostType: "标准型专有宿主机", Region: "北京1", Status: "running"}
	rec3 := copyInputs(rec)
	rec3["name"] = "dh3"
	if diff := cmp.Diff(rec3, k.Observe(l, "h3", &Recorded{Inputs: rec3}).Attrs); diff != "" {
		t.Errorf("a listing in words (-record +observed)\n%s", diff)
	}
	if got := k.FindByName(l, Inputs{"name": "dh3", "region": "CN_Beijing_A"}); got != "h3" {
		t.Errorf("FindByName with a region in words = %q", got)
	}
	if got := k.FindByName(l, Inputs{"name": "dh", "region": "CN_Guangzhou_A"}); got != "" {
		t.Errorf("FindByName in a region without it = %q", got)
	}
	if UndeletableReason(k) == "" || UndeletableReason(Registry["instance"]) != "" {
		t.Error("only the dedicated host is undeletable")
	}
}

// TestDedicatedHostAgainstEmulator: Create allocates one host and returns
// its id with no task to wait on; ReadBack and the batched refresh see it;
// Delete only reads: it refuses a host that exists and forgets one that
// is gone.
func TestDedicatedHostAgainstEmulator(t *testing.T) {
	srv, url := emulated(t, emulator.Options{})
	c := testClient(t, url)
	ctx := context.Background()
	k := Registry["dedicated_host"]
	in := k.Normalize(Inputs{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192)}, "CN_Beijing_A")
	noWait := func(context.Context, string) (*cloud.Task, error) {
		t.Fatal("a host's create waited on a task")
		return nil, nil
	}
	id, err := k.Create(ctx, c, in, nil, noWait)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := ReadBack(ctx, c, k, id, &Recorded{Inputs: in})
	if err != nil || obs == nil {
		t.Fatalf("ReadBack = %v, %v", obs, err)
	}
	if diff := cmp.Diff(in, obs.Attrs); diff != "" {
		t.Errorf("read back (-created +observed)\n%s", diff)
	}
	l, err := Refresh(ctx, c, Scope{ListHosts: true, Regions: []string{"CN_Beijing_A"}})
	if err != nil || l.Hosts[id] == nil || !l.ListedHosts {
		t.Fatalf("Refresh: %v, hosts %v", err, l.Hosts)
	}
	bad := copyInputs(in)
	bad["goods_id"] = int64(1)
	if _, err := k.Create(ctx, c, bad, nil, noWait); !cloud.IsCode(err, "InvalidParameter.DedicatedHostGoodId") {
		t.Errorf("a wrong goods id: %v", err)
	}
	srv.ResetCalls()
	if err := k.Delete(ctx, c, id, in, noWait); !errors.Is(err, ErrCannotRelease) {
		t.Errorf("Delete = %v", err)
	}
	// A host released in the console is only forgotten.
	if err := k.Delete(ctx, c, "00000000-0000-4000-8000-000000000009", in, noWait); err != nil {
		t.Errorf("Delete of a host gone = %v", err)
	}
	if diff := cmp.Diff(map[string]int{"DescribeDedicatedHosts": 2}, srv.Calls()); diff != "" {
		t.Errorf("Delete made other calls than reads (-want +got)\n%s", diff)
	}
}
