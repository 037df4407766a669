package executor

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// A Refresh is what `cdstack refresh` records: the state change that makes
// the records say what the cloud shows, without touching the cloud.
type Refresh struct {
	Change state.Change
	// Updated are the addresses whose recorded inputs or outputs change;
	// Forgotten those whose resource no longer exists.
	Updated, Forgotten []string
	// Items say what differs, as drift does: the inputs that change
	// (modified) and the resources that are gone (deleted).
	Items []*planner.DriftItem
}

// Empty reports whether the records already say what the cloud shows.
func (r *Refresh) Empty() bool { return len(r.Change.Put)+len(r.Change.Delete) == 0 }

// RefreshRecords compares every record with live: a record whose
// observable inputs or outputs differ is rewritten with the live values
// (sensitive and unobservable inputs, and the hashes of secrets, keep what
// was recorded); a record whose resource is gone is removed. Records with a
// pending journal entry are left to settling, missing ones to the next apply.
func RefreshRecords(snap *state.Snapshot, live *resources.Live) *Refresh {
	pending := map[string]bool{}
	for _, j := range snap.Journal {
		pending[j.Addr] = true
	}
	out := &Refresh{}
	now := time.Now().UTC()
	for _, addr := range snap.Addresses() {
		rec := snap.Resources[addr]
		kind, known := resources.Registry[rec.Kind]
		if pending[addr] || rec.Missing || !known {
			continue
		}
		obs := kind.Observe(live, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
		if obs == nil {
			out.Change.Delete = append(out.Change.Delete, addr)
			out.Forgotten = append(out.Forgotten, addr)
			out.Items = append(out.Items, &planner.DriftItem{Addr: addr, Kind: rec.Kind, ID: rec.ID, Class: planner.DriftDeleted})
			continue
		}
		inputs := resources.ObservedInputs(kind, rec.Inputs, obs.Attrs)
		var fields []planner.FieldChange
		for _, f := range kind.Fields() {
			if _, secret := rec.SecretHashes[f.Name]; secret {
				inputs[f.Name] = rec.Inputs[f.Name] // kept as a hash only
				if rec.Inputs[f.Name] == nil {
					delete(inputs, f.Name)
				}
				continue
			}
			if !sameJSON(inputs[f.Name], rec.Inputs[f.Name]) {
				fields = append(fields, planner.FieldChange{Path: f.Name, Before: rec.Inputs[f.Name], After: inputs[f.Name]})
			}
		}
		if len(fields) > 0 {
			out.Items = append(out.Items, &planner.DriftItem{Addr: addr, Kind: rec.Kind, ID: rec.ID, Class: planner.DriftModified, Fields: fields})
		}
		// A record in an older shape (security group rules written before
		// the NSG API) is rewritten in the current one; that is no drift.
		if u, ok := kind.(resources.Upgrader); ok {
			inputs = u.Upgrade(inputs)
		}
		if len(fields) == 0 && sameJSON(obs.Outputs, rec.Outputs) && sameJSON(inputs, rec.Inputs) {
			continue
		}
		updated := *rec
		updated.Inputs, updated.Outputs, updated.UpdatedAt = inputs, obs.Outputs, now
		out.Change.Put = append(out.Change.Put, &updated)
		out.Updated = append(out.Updated, addr)
	}
	return out
}

// sameJSON compares two values as JSON documents (map keys sorted, numbers
// by value), as the state stores them.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
