package planner

import (
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// A Tenant is another stack that puts resources in this stack's VDCs
// (tenants:), as its state was read for drift: what it records there is
// its, not unmanaged drift.
type Tenant struct {
	Name string `json:"name"`
	// State is the state read (a path or etcd URL), Serial its serial.
	State  string `json:"state"`
	Serial uint64 `json:"serial,omitempty"`
	// Error says why the state could not be read; what the tenant made is
	// then reported as unmanaged, never hidden.
	Error string `json:"error,omitempty"`
	// Snapshot is the state as read; nil when it could not be.
	Snapshot *state.Snapshot `json:"-"`
}

// DriftTenant is the class of a resource in the stack's VDCs that a
// tenant's state records: managed by that stack, not drift.
const DriftTenant = "tenant"

// ownedBy returns, by resource id, the address a state holds it at: its
// records, the resources of its journal entries, and what a create in
// flight made (found by name in live).
func ownedBy(snap *state.Snapshot, live *resources.Live) map[string]string {
	owned := map[string]string{}
	for _, j := range snap.Journal {
		if j.ResourceID != "" {
			owned[j.ResourceID] = j.Addr
		} else if k := resources.Registry[j.Kind]; k != nil && j.Action == "create" && live != nil {
			// A create in flight: what it made is not someone else's.
			if id := k.FindByName(live, resources.Inputs(j.Inputs)); id != "" {
				owned[id] = j.Addr
			}
		}
	}
	for addr, rec := range snap.Resources {
		if rec.ID != "" {
			owned[rec.ID] = addr
		}
	}
	return owned
}

// tenantOf returns the tenant whose state holds id and its address there
// ("" when none does). Tenants are looked at in order; one whose state was
// not read owns nothing.
func tenantOf(owners []map[string]string, tenants []*Tenant, id string) (string, string) {
	for i, t := range tenants {
		if addr, ok := owners[i][id]; ok {
			return t.Name, addr
		}
	}
	return "", ""
}

// TenantOwning returns the tenant whose state holds id and its address
// there ("" when none does).
func TenantOwning(tenants []*Tenant, live *resources.Live, id string) (string, string) {
	return tenantOf(tenantOwners(tenants, live), tenants, id)
}

// tenantOwners reads each tenant's ownership (nil for one not read).
func tenantOwners(tenants []*Tenant, live *resources.Live) []map[string]string {
	out := make([]map[string]string, len(tenants))
	for i, t := range tenants {
		if t.Snapshot != nil && t.Error == "" {
			out[i] = ownedBy(t.Snapshot, live)
		}
	}
	return out
}
