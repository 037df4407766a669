package view_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/view"
)

// TestTenantsTextAndPrometheus: what tenants manage is written per
// resource and counted per tenant and kind; a tenant whose state was not
// read says why and is counted as unread; a stack without tenants writes
// nothing new.
func TestTenantsTextAndPrometheus(t *testing.T) {
	tenants := []*planner.Tenant{
		{Name: "web", State: "w.db", Error: "state w.db cannot be read: there is no such file (has that stack been applied?)"},
		{Name: "app", State: "a.db", Serial: 9},
		{Name: "batch", State: "b.db", Serial: 2},
	}
	items := []*planner.DriftItem{
		{Kind: "instance", ID: "i1", Class: planner.DriftTenant, Name: "app-0", VDC: "v1", Tenant: "app", TenantAddr: "app[0]"},
		{Kind: "private_network", ID: "n2", Class: planner.DriftTenant, Name: "lan2", VDC: "v1", Tenant: "app", TenantAddr: "lan2"},
	}
	var text bytes.Buffer
	view.TenantsText(&text, tenants, items, view.Style{})
	wantText := `= instance i1 "app-0" (in VDC v1): managed by stack app as app[0]
= private_network n2 "lan2" (in VDC v1): managed by stack app as lan2
Managed by stack web: not known (state w.db cannot be read: there is no such file (has that stack been applied?)); what it made is counted as unmanaged.
Managed by stack app (state a.db, serial 9): 1 instance(s), 1 private_network(s).
Managed by stack batch (state b.db, serial 2): nothing in this stack's VDCs.
`
	if diff := cmp.Diff(wantText, text.String()); diff != "" {
		t.Errorf("text (-want +got)\n%s", diff)
	}
	var prom bytes.Buffer
	view.PrometheusTenants(&prom, "platform", tenants, items)
	wantProm := `# HELP cdstack_drift_tenant_resources Resources in the stack's VDCs that a tenant stack (tenants:) manages, by tenant and kind: not drift.
# TYPE cdstack_drift_tenant_resources gauge
cdstack_drift_tenant_resources{stack="platform",tenant="app",kind="instance"} 1
cdstack_drift_tenant_resources{stack="platform",tenant="app",kind="private_network"} 1
cdstack_drift_tenant_resources{stack="platform",tenant="app",kind="public_network"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="batch",kind="instance"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="batch",kind="private_network"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="batch",kind="public_network"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="web",kind="instance"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="web",kind="private_network"} 0
cdstack_drift_tenant_resources{stack="platform",tenant="web",kind="public_network"} 0
# HELP cdstack_drift_tenant_unread Whether a tenant's state could not be read (1): what it made is then counted as unmanaged.
# TYPE cdstack_drift_tenant_unread gauge
cdstack_drift_tenant_unread{stack="platform",tenant="app"} 0
cdstack_drift_tenant_unread{stack="platform",tenant="batch"} 0
cdstack_drift_tenant_unread{stack="platform",tenant="web"} 1
`
	if diff := cmp.Diff(wantProm, prom.String()); diff != "" {
		t.Errorf("prometheus (-want +got)\n%s", diff)
	}
	var none bytes.Buffer
	view.TenantsText(&none, nil, nil, view.Style{})
	view.PrometheusTenants(&none, "platform", nil, nil)
	if none.Len() != 0 {
		t.Errorf("a stack without tenants writes %q", none.String())
	}
}
