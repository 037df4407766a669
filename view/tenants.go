package view

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/planner"
)

// tenantKinds are the kinds drift looks for in the stack's VDCs, and so
// the kinds a tenant's resources there are counted by.
var tenantKinds = []string{"instance", "private_network", "public_network"}

// TenantsText writes what the stack's tenants (tenants:) manage in its
// VDCs, one line per resource, then one line per tenant with its counts
// and the state read, or why it could not be read. Nothing is written for
// a stack without tenants.
func TenantsText(w io.Writer, tenants []*planner.Tenant, items []*planner.DriftItem, st Style) {
	if len(tenants) == 0 {
		return
	}
	counts := map[string]map[string]int{}
	for _, d := range items {
		where := ""
		if d.VDC != "" {
			where = " (in VDC " + d.VDC + ")"
		}
		fmt.Fprintf(w, "%s %s %s %q%s: managed by stack %s as %s\n", st.paint("32", "="), d.Kind, d.ID, d.Name, where, d.Tenant, d.TenantAddr)
		if counts[d.Tenant] == nil {
			counts[d.Tenant] = map[string]int{}
		}
		counts[d.Tenant][d.Kind]++
	}
	for _, t := range tenants {
		if t.Error != "" {
			fmt.Fprintf(w, "Managed by stack %s: not known (%s); what it made is counted as unmanaged.\n", t.Name, t.Error)
			continue
		}
		var parts []string
		for _, k := range tenantKinds {
			if n := counts[t.Name][k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s(s)", n, k))
			}
		}
		what := strings.Join(parts, ", ")
		if what == "" {
			what = "nothing in this stack's VDCs"
		}
		fmt.Fprintf(w, "Managed by stack %s (state %s, serial %d): %s.\n", t.Name, t.State, t.Serial, what)
	}
}

// PrometheusTenants writes, for a stack with tenants, the resources each
// tenant manages in the stack's VDCs by kind (not drift:
// cdstack_drift_resources leaves them out) and whether its state could not
// be read (then what it made is counted as unmanaged there).
func PrometheusTenants(w io.Writer, stack string, tenants []*planner.Tenant, items []*planner.DriftItem) {
	if len(tenants) == 0 {
		return
	}
	counts := map[[2]string]int{}
	for _, d := range items {
		counts[[2]string{d.Tenant, d.Kind}]++
	}
	sorted := append([]*planner.Tenant(nil), tenants...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	fmt.Fprintln(w, "# HELP cdstack_drift_tenant_resources Resources in the stack's VDCs that a tenant stack (tenants:) manages, by tenant and kind: not drift.")
	fmt.Fprintln(w, "# TYPE cdstack_drift_tenant_resources gauge")
	for _, t := range sorted {
		for _, k := range tenantKinds {
			fmt.Fprintf(w, "cdstack_drift_tenant_resources{stack=%q,tenant=%q,kind=%q} %d\n", stack, t.Name, k, counts[[2]string{t.Name, k}])
		}
	}
	fmt.Fprintln(w, "# HELP cdstack_drift_tenant_unread Whether a tenant's state could not be read (1): what it made is then counted as unmanaged.")
	fmt.Fprintln(w, "# TYPE cdstack_drift_tenant_unread gauge")
	for _, t := range sorted {
		unread := 0
		if t.Error != "" {
			unread = 1
		}
		fmt.Fprintf(w, "cdstack_drift_tenant_unread{stack=%q,tenant=%q} %d\n", stack, t.Name, unread)
	}
}
