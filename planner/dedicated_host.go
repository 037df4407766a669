package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// An UndeletableError refuses a plan that would delete or replace a
// resource the API cannot delete (a dedicated host: the API has no
// release action). The plan is refused whole, before anything changes,
// rather than leaving an orphan behind silently or sending a delete that
// does not exist. Each item says what and why, and how to let go: release
// it outside cdstack, then `cdstack state rm ADDR`.
type UndeletableError struct{ Items []Undeletable }

// An Undeletable is one refused delete or replacement.
type Undeletable struct {
	Addr, Kind string
	// Action is Delete or Replace; Fields the fields that force a
	// replacement.
	Action Action
	Fields []string
	// Why is the kind's reason (resources.UndeletableKind).
	Why string
}

func (e *UndeletableError) Error() string {
	var lines []string
	for _, it := range e.Items {
		what := "deleted"
		if it.Action == Replace {
			what = "replaced"
			if len(it.Fields) > 0 {
				what += " (" + strings.Join(it.Fields, ", ") + " changed)"
			}
		}
		line := fmt.Sprintf("%s (%s) would be %s, and %s: release it in the console, then run cdstack state rm %s to forget it",
			it.Addr, it.Kind, what, it.Why, it.Addr)
		if it.Action == Replace {
			line += ", and apply again to make a new one; or undo the change (or list the fields in ignore_changes) to keep it"
		} else {
			line += "; or set protect: true on it to keep it, in the cloud and in the state, while the rest goes"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n") + "\nnothing was changed"
}

// checkUndeletable refuses the deletes and replacements of records whose
// kind the API cannot delete, unless the resource is already gone (the
// delete only forgets the record) or the record is missing since a
// replacement. Without a look at the cloud (--refresh=false) a record
// counts as existing.
func checkUndeletable(p *Document, snap *state.Snapshot, live *resources.Live) error {
	var items []Undeletable
	for _, c := range p.Changes {
		if c.Action != Delete && c.Action != Replace {
			continue
		}
		why := resources.UndeletableReason(resources.Registry[c.Kind])
		if why == "" {
			continue
		}
		rec := snap.Resources[c.Addr]
		if rec == nil || rec.Missing || rec.ID == "" {
			continue
		}
		if live != nil && observe(live, rec) == nil {
			continue // gone: deleting is only forgetting
		}
		it := Undeletable{Addr: c.Addr, Kind: c.Kind, Action: c.Action, Why: why}
		for _, f := range c.Fields {
			if f.Replace {
				it.Fields = append(it.Fields, f.Path)
			}
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Addr < items[j].Addr })
	return &UndeletableError{Items: items}
}
