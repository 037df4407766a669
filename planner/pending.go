package planner

import (
	"maps"
	"slices"

	"github.com/cdstack/cdstack/state"
)

// An Outlook is what settling a pending journal entry is likely to do, as
// a command that holds no lock reads it from the cloud (executor.Outlook).
type Outlook struct {
	// Text says it, for the plan.
	Text string
	// Ends is where settling leaves the address's record when the cloud
	// already shows it; "" when it cannot be known yet (a task still
	// running or unreadable, a call that may still be in flight).
	Ends string
	// ID is the resource the record holds (EndsRecorded).
	ID string
}

// Where settling a pending entry leaves the address's record.
const (
	// EndsDiscarded: the entry is dropped and the record stays as it is
	// (a create whose task failed before it made anything).
	EndsDiscarded = "discarded"
	// EndsRemoved: the record is removed (a delete that finished).
	EndsRemoved = "removed"
	// EndsRecorded: the record holds Outlook.ID (a create adopted or
	// finished, an update finished, a delete that left the resource).
	EndsRecorded = "recorded"
)

// settleAhead returns snap as it will be once the pending entries whose
// outcome the cloud already shows are settled, and those entries by
// address. The plan is made from it, so a pull request's plan shows what
// the apply will do after settling them (a finished delete of a resource
// the stack still has is followed by its create), not only the settling.
// Entries whose outcome is not known stay pending.
func settleAhead(snap *state.Snapshot, pending map[string]Outlook) (*state.Snapshot, map[string]*state.JournalEntry) {
	settled := map[string]*state.JournalEntry{}
	var out *state.Snapshot
	for _, j := range snap.Journal {
		o := pending[j.Addr]
		if o.Ends == "" || settled[j.Addr] != nil {
			continue
		}
		if out == nil {
			copied := *snap
			copied.Resources = maps.Clone(snap.Resources)
			out = &copied
		}
		settled[j.Addr] = j
		switch rec := out.Resources[j.Addr]; o.Ends {
		case EndsRemoved:
			delete(out.Resources, j.Addr)
		case EndsRecorded:
			if rec == nil || rec.ID != o.ID || rec.Missing {
				out.Resources[j.Addr] = &state.Record{Addr: j.Addr, Kind: j.Kind, ID: o.ID, Inputs: j.Inputs,
					SecretHashes: j.SecretHashes, Deps: j.Deps, Protect: j.Protect}
			}
		}
	}
	if out == nil {
		return snap, settled
	}
	out.Journal = slices.DeleteFunc(slices.Clone(snap.Journal), func(j *state.JournalEntry) bool { return settled[j.Addr] == j })
	return out, settled
}

// SettledAhead is the state a plan made with pending was planned from:
// snap as it will be once the pending entries whose outcome the cloud
// already shows are settled. Preflight and pricing look at it too.
func SettledAhead(snap *state.Snapshot, pending map[string]Outlook) *state.Snapshot {
	out, _ := settleAhead(snap, pending)
	return out
}

// showSettled says, on each change of an address whose pending entry the
// plan settled ahead, that the entry is settled first: a change that has
// nothing else to do is the settling itself; any other keeps its action,
// after the settling.
func showSettled(p *Document, settled map[string]*state.JournalEntry, pending map[string]Outlook) {
	for _, addr := range slices.Sorted(maps.Keys(settled)) {
		j := settled[addr]
		c := p.Change(addr)
		if c == nil {
			c = &Change{Addr: addr, Resource: resourceName(addr), Kind: j.Kind}
			p.Changes = append(p.Changes, c)
		}
		if c.Action == NoOp || c.Action == "" {
			settleFirst(c, j, pending[addr].Text)
			continue
		}
		c.Journal = j
		first := pendingText(addr, j, pending[addr].Text)
		if c.Detail != "" {
			first = c.Detail + "; " + first
		}
		c.Detail = first
	}
}
