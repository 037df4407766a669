package planner

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// A Move is one record a moved: entry takes from one address to another:
// apply makes it in the state, before anything else and without touching
// the cloud.
type Move struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// Declared is where the moved: entry is (file:line:col).
	Declared string `json:"declared"`
}

// planMoves finds the records the stack's moved: entries take, in the
// order they are written, and returns them with the snapshot as it is once
// they are made. A source the state does not have was moved already
// (another workspace, an earlier apply) and is skipped; a target the state
// already has is an error.
func planMoves(s *spec.Stack, snap *state.Snapshot) ([]*Move, *state.Snapshot, error) {
	if len(s.Moved) == 0 {
		return nil, snap, nil
	}
	pending := map[string]bool{}
	for _, j := range snap.Journal {
		pending[j.Addr] = true
	}
	recs := copyRecords(snap.Resources)
	var out []*Move
	for _, m := range s.Moved {
		var from []string
		for addr := range recs {
			if _, ok := m.Target(addr); ok {
				from = append(from, addr)
			}
		}
		sort.Strings(from)
		for _, addr := range from {
			to, _ := m.Target(addr)
			if other, taken := recs[to]; taken {
				return nil, nil, fmt.Errorf("%s: moved: %s to %s: the state already has %s (%s %s); remove one of them with cdstack state rm, or drop the move", m.Pos, addr, to, to, other.Kind, other.ID)
			}
			if pending[addr] {
				return nil, nil, fmt.Errorf("%s: moved: %s has an interrupted operation pending; cdstack apply settles it first, then makes the move", m.Pos, addr)
			}
			rec := recs[addr]
			if r := s.Resources[m.ToAddr.Name]; r != nil && r.Kind != rec.Kind {
				return nil, nil, fmt.Errorf("%s: moved: %s is a %s (%s) and %s a %s: a move keeps the resource, so both must be the same kind", m.Pos, addr, rec.Kind, rec.ID, to, r.Kind)
			}
			out = append(out, &Move{From: addr, To: to, Kind: rec.Kind, ID: rec.ID, Declared: m.Pos.String()})
			moveIn(recs, addr, to)
		}
	}
	moved := *snap
	moved.Resources = recs
	return out, &moved, nil
}

// copyRecords copies the records (each record too, as moves change them).
func copyRecords(in map[string]*state.Record) map[string]*state.Record {
	out := make(map[string]*state.Record, len(in))
	for k, r := range in {
		cp := *r
		cp.Deps = slices.Clone(r.Deps)
		out[k] = &cp
	}
	return out
}

// moveIn moves the record at from to to in recs, and what depends on it
// with it.
func moveIn(recs map[string]*state.Record, from, to string) {
	rec := recs[from]
	delete(recs, from)
	rec.Addr = to
	recs[to] = rec
	for _, r := range recs {
		for i, d := range r.Deps {
			if d == from {
				r.Deps[i] = to
			}
		}
	}
}

// MoveChange is the one state change that makes the moves in snap: the
// records at their new addresses (and those whose dependencies moved),
// the old addresses deleted. A move whose record is gone is skipped.
func MoveChange(snap *state.Snapshot, moves []*Move, now time.Time) state.Change {
	recs := copyRecords(snap.Resources)
	for _, m := range moves {
		if _, ok := recs[m.From]; ok {
			if _, taken := recs[m.To]; !taken {
				moveIn(recs, m.From, m.To)
			}
		}
	}
	var c state.Change
	for _, addr := range snap.Addresses() {
		if _, still := recs[addr]; !still {
			c.Delete = append(c.Delete, addr)
		}
	}
	addrs := make([]string, 0, len(recs))
	for addr := range recs {
		addrs = append(addrs, addr)
	}
	sort.Strings(addrs)
	for _, addr := range addrs {
		r, old := recs[addr], snap.Resources[addr]
		if old == nil || old.ID != r.ID || !slices.Equal(old.Deps, r.Deps) {
			r.UpdatedAt = now
			c.Put = append(c.Put, r)
		}
	}
	return c
}
