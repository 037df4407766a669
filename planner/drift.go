package planner

import (
	"maps"
	"slices"
	"sort"

	"github.com/cdstack/cdstack/resources"
)

// detectDrift compares every record with the cloud: deleted, modified
// (per observable field), and unmanaged resources inside the stack's VDCs.
// A resource there that a tenant's state holds (in.Tenants) is returned in
// hosted, as that tenant's, and is not drift.
func detectDrift(in Input, work map[string]*planned) (items, hosted []*DriftItem) {
	snap, live := in.Snapshot, in.Live
	items = []*DriftItem{}
	owned := ownedBy(snap, live)
	var vdcs []string
	pending := map[string]bool{}
	for _, j := range snap.Journal {
		pending[j.Addr] = true
	}
	for addr := range in.settled {
		pending[addr] = true // settled ahead: as the settling will record it
	}
	for _, addr := range snap.Addresses() {
		rec := snap.Resources[addr]
		if pending[addr] || rec.Missing || rec.Failed {
			continue // shown as pending, missing or failed by the plan
		}
		if rec.Kind == "vdc" {
			vdcs = append(vdcs, rec.ID)
		}
		kind, ok := resources.Registry[rec.Kind]
		if !ok {
			continue
		}
		obs := kind.Observe(live, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
		if obs == nil {
			items = append(items, &DriftItem{Addr: addr, Kind: rec.Kind, ID: rec.ID, Class: DriftDeleted})
			continue
		}
		recorded := resources.Inputs(resources.Canon(rec.Inputs).(map[string]any))
		ignored := map[string]bool{}
		if pl := work[addr]; pl != nil && pl.resource != nil {
			for _, f := range pl.resource.IgnoreChanges {
				ignored[f] = true
			}
		}
		var fields []FieldChange
		for _, f := range kind.Fields() {
			if f.Unobservable || f.Sensitive || ignored[f.Name] || !recorded.Has(f.Name) {
				continue
			}
			if kind.Differs(f.Name, recorded, obs.Attrs) {
				fields = append(fields, FieldChange{Path: f.Name, Before: recorded[f.Name], After: obs.Attrs[f.Name]})
			}
		}
		if len(fields) > 0 {
			items = append(items, &DriftItem{Addr: addr, Kind: rec.Kind, ID: rec.ID, Class: DriftModified, Fields: fields})
		}
	}
	sort.Strings(vdcs)
	owners := tenantOwners(in.Tenants, live)
	for _, vdc := range vdcs {
		if _, ok := live.VDCs[vdc]; !ok {
			continue
		}
		for _, kind := range []string{"public_network", "private_network", "instance"} {
			if kind == "instance" && !live.ListedInstances[vdc] {
				continue
			}
			for _, id := range live.InVDC(kind, vdc) {
				if _, ok := owned[id]; ok {
					continue
				}
				if t, addr := tenantOf(owners, in.Tenants, id); t != "" {
					hosted = append(hosted, &DriftItem{Kind: kind, ID: id, Class: DriftTenant, Name: liveName(live, kind, id), VDC: vdc, Tenant: t, TenantAddr: addr})
					continue
				}
				items = append(items, &DriftItem{Kind: kind, ID: id, Class: DriftUnmanaged, Name: liveName(live, kind, id), VDC: vdc})
			}
		}
	}
	sort.SliceStable(hosted, func(i, j int) bool {
		a, b := hosted[i], hosted[j]
		if a.Tenant != b.Tenant {
			return a.Tenant < b.Tenant
		}
		return a.TenantAddr < b.TenantAddr
	})
	return items, hosted
}

func liveName(l *resources.Live, kind, id string) string {
	switch kind {
	case "public_network":
		return l.Publics[id].Name
	case "private_network":
		return l.Privates[id].Name
	case "instance":
		return l.Instances[id].InstanceName
	}
	return ""
}

// Drift compares the state with the cloud alone (in.Live must be set): no
// property of the stack is evaluated, so it needs no variable values, and
// only ignore_changes is taken from the stack.
func Drift(in Input) []*DriftItem {
	work := map[string]*planned{}
	if in.Stack != nil {
		for _, r := range in.Stack.Resources {
			for _, addr := range r.Addresses() {
				work[addr] = &planned{resource: r}
			}
		}
	}
	items, _ := detectDrift(in, work)
	return items
}

// takenDrift reports, as unmanaged, the resources no record owns that have
// the name of one the stack would create (Report), except those the
// drift found already.
func takenDrift(found []*DriftItem, work map[string]*planned) []*DriftItem {
	seen := map[string]bool{}
	for _, d := range found {
		seen[d.ID] = true
	}
	var out []*DriftItem
	for _, addr := range slices.Sorted(maps.Keys(work)) {
		t := work[addr].taken
		if t == nil || seen[t.ID] || t.Tenant != "" {
			continue // a tenant's is in TenantResources; plan refuses the name
		}
		seen[t.ID] = true
		out = append(out, &DriftItem{Addr: t.Addr, Kind: t.Kind, ID: t.ID, Class: DriftUnmanaged, Name: t.Name, VDC: t.Scope})
	}
	return out
}
