package planner_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// TestTenantDrift: in the platform's VDC, a resource no state records is
// unmanaged drift; one a tenant's state records (or creates, in its
// journal) is that tenant's and not drift; one of a tenant whose state
// could not be read stays unmanaged, and so does everything when the stack
// names no tenants.
func TestTenantDrift(t *testing.T) {
	src := "version: 1\nstack: platform\nregion: CN_Beijing_A\ntenants:\n  app: {state: a.db}\n  web: {state: w.db}\nresources:\n" +
		"  net: {kind: vdc, properties: {name: p}}\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan}}\n"
	s, err := spec.Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 2}, Resources: map[string]*state.Record{
		"net": {Addr: "net", Kind: "vdc", ID: "v1", Inputs: map[string]any{"name": "p"}, Outputs: map[string]any{"id": "v1"}},
		"lan": {Addr: "lan", Kind: "private_network", ID: "n1", Inputs: map[string]any{"vdc": "v1", "name": "lan", "type": "auto"}, Outputs: map[string]any{"id": "n1"}},
	}}
	live := resources.NewLive()
	v := cloud.Vdc{VdcID: "v1", VdcName: "p", RegionID: "CN_Beijing_A", PrivateNetwork: []cloud.PrivateNetwork{
		{PrivateID: "n1", Name: "lan", Status: "ok"}, {PrivateID: "n2", Name: "app-lan", Status: "ok"}}}
	live.VDCs["v1"] = &v
	for _, p := range v.PrivateNetwork {
		live.Privates[p.PrivateID] = &resources.LivePrivate{PrivateNetwork: p, VdcID: "v1"}
	}
	live.ListedInstances["v1"] = true
	for id, name := range map[string]string{"i1": "app-0", "i2": "by-hand", "i3": "web-0", "i4": "app-1"} {
		live.Instances[id] = &cloud.Instance{InstanceID: id, InstanceName: name, VdcID: "v1"}
	}
	app := &state.Snapshot{Meta: state.Meta{Lineage: "a", Serial: 7}, Resources: map[string]*state.Record{
		"app[0]": {Addr: "app[0]", Kind: "instance", ID: "i1", Inputs: map[string]any{"vdc": "v1", "name": "app-0"}},
		"lan2":   {Addr: "lan2", Kind: "private_network", ID: "n2", Inputs: map[string]any{"vdc": "v1", "name": "app-lan"}},
	}, Journal: []*state.JournalEntry{{Addr: "app[1]", Kind: "instance", Action: "create", Inputs: map[string]any{"vdc": "v1", "name": "app-1"}}}}
	tenant := func(id, name, vdc, tenant, addr string, kind string) *planner.DriftItem {
		return &planner.DriftItem{Kind: kind, ID: id, Class: planner.DriftTenant, Name: name, VDC: vdc, Tenant: tenant, TenantAddr: addr}
	}
	unmanaged := func(id, name string) *planner.DriftItem {
		return &planner.DriftItem{Kind: "instance", ID: id, Class: planner.DriftUnmanaged, Name: name, VDC: "v1"}
	}
	readable := &planner.Tenant{Name: "app", State: "a.db", Serial: 7, Snapshot: app}
	unreadable := &planner.Tenant{Name: "web", State: "w.db", Error: "state w.db cannot be read: there is no such file (has that stack been applied?)"}
	tests := map[string]struct {
		tenants    []*planner.Tenant
		drift      []*planner.DriftItem
		tenantRecs []*planner.DriftItem
	}{
		"no tenants": {nil,
			[]*planner.DriftItem{{Kind: "private_network", ID: "n2", Class: planner.DriftUnmanaged, Name: "app-lan", VDC: "v1"},
				unmanaged("i1", "app-0"), unmanaged("i2", "by-hand"), unmanaged("i3", "web-0"), unmanaged("i4", "app-1")}, nil},
		"one tenant read, one not": {[]*planner.Tenant{readable, unreadable},
			[]*planner.DriftItem{unmanaged("i2", "by-hand"), unmanaged("i3", "web-0")},
			[]*planner.DriftItem{tenant("i1", "app-0", "v1", "app", "app[0]", "instance"), tenant("i4", "app-1", "v1", "app", "app[1]", "instance"),
				tenant("n2", "app-lan", "v1", "app", "lan2", "private_network")}},
		"unreadable only": {[]*planner.Tenant{unreadable},
			[]*planner.DriftItem{{Kind: "private_network", ID: "n2", Class: planner.DriftUnmanaged, Name: "app-lan", VDC: "v1"},
				unmanaged("i1", "app-0"), unmanaged("i2", "by-hand"), unmanaged("i3", "web-0"), unmanaged("i4", "app-1")}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Tenants: tc.tenants, Report: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.drift, p.Drift); diff != "" {
				t.Errorf("drift (-want +got)\n%s", diff)
			}
			if diff := cmp.Diff(tc.tenantRecs, p.TenantResources); diff != "" {
				t.Errorf("tenant resources (-want +got)\n%s", diff)
			}
			if len(p.Tenants) != len(tc.tenants) || len(tc.tenants) > 0 && p.Tenants[0] != tc.tenants[0] {
				t.Errorf("the document's tenants %+v, want %+v", p.Tenants, tc.tenants)
			}
			if p.HasChanges() {
				t.Errorf("a tenant's resources change nothing of the stack: %+v", p.Changes[0])
			}
		})
	}
}

// TestTenantNameTaken: a resource the stack would create whose name a
// tenant's resource holds is refused naming that stack (not with an
// import, which would take it from the tenant); drift leaves it to the
// tenant.
func TestTenantNameTaken(t *testing.T) {
	src := "version: 1\nstack: platform\nregion: CN_Beijing_A\ntenants:\n  app: {state: a.db}\nresources:\n" +
		"  web: {kind: instance, properties: {vdc: v1, name: app-0, instance_type: Standard, cpu: 1, ram: 2, image: Centos_7.6_64, password: Passw0rd-Passw0rd}}\n"
	s, err := spec.Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	live := resources.NewLive()
	live.VDCs["v1"] = &cloud.Vdc{VdcID: "v1", VdcName: "p", RegionID: "CN_Beijing_A"}
	live.ListedInstances["v1"] = true
	live.Instances["i1"] = &cloud.Instance{InstanceID: "i1", InstanceName: "app-0", VdcID: "v1"}
	app := &planner.Tenant{Name: "app", State: "a.db", Serial: 3, Snapshot: &state.Snapshot{Meta: state.Meta{Lineage: "a", Serial: 3},
		Resources: map[string]*state.Record{"app[0]": {Addr: "app[0]", Kind: "instance", ID: "i1"}}}}
	snap := &state.Snapshot{Resources: map[string]*state.Record{}}
	_, err = planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Tenants: []*planner.Tenant{app}})
	want := `web: a instance named "app-0" already exists in v1 (i1), managed by stack app as app[0]; give this one another name`
	if err == nil || err.Error() != want {
		t.Errorf("plan: %v\nwant %s", err, want)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Tenants: []*planner.Tenant{app}, Report: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Drift) != 0 {
		t.Errorf("drift: %+v", p.Drift[0])
	}
	// Without the tenant it is someone's to import.
	_, err = planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
	if err == nil || !strings.Contains(err.Error(), "adopt it with: cdstack import web i1") {
		t.Errorf("plan without tenants: %v", err)
	}
}
