package state

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInFlight(t *testing.T) {
	rec := func(addr, id string) *Record {
		return &Record{Addr: addr, Kind: "vdc", ID: id, Inputs: map[string]any{"name": addr}}
	}
	entry := func(op, addr, action, id string) *JournalEntry {
		return &JournalEntry{OpID: op, Addr: addr, Kind: "vdc", Action: action, APIAction: "CreateVdc", ResourceID: id}
	}
	snap := func(serial uint64, recs []*Record, journal ...*JournalEntry) *Snapshot {
		s := &Snapshot{Meta: Meta{Lineage: "L", Serial: serial}, Resources: map[string]*Record{}, Journal: journal}
		for _, r := range recs {
			s.Resources[r.Addr] = r
		}
		return s
	}
	a, b := rec("a", "id-a"), rec("b", "id-b")
	bRenamed := rec("b", "id-b")
	bRenamed.Inputs = map[string]any{"name": "b2"}
	for _, tc := range []struct {
		name          string
		before, after *Snapshot
		moving        []string
		journal       []*JournalEntry // of the result
	}{
		{"nothing committed", snap(3, []*Record{a}), snap(3, []*Record{a, b}), nil, nil},
		{"another lineage", snap(3, []*Record{a}), &Snapshot{Meta: Meta{Lineage: "M", Serial: 4}}, nil, nil},
		{"serial moved, records the same", snap(3, []*Record{a}), snap(4, []*Record{a}), nil, nil},
		{"create journaled", snap(3, []*Record{a}), snap(4, []*Record{a}, entry("op1", "b", "create", "id-b")),
			[]string{"b"}, []*JournalEntry{entry("op1", "b", "create", "id-b")}},
		{"create begun and ended", snap(3, []*Record{a}), snap(5, []*Record{a, b}),
			[]string{"b"}, []*JournalEntry{{Addr: "b", Kind: "vdc", Action: "create", ResourceID: "id-b", Inputs: b.Inputs}}},
		{"delete begun and ended", snap(3, []*Record{a, b}), snap(5, []*Record{a}),
			[]string{"b"}, []*JournalEntry{{Addr: "b", Kind: "vdc", Action: "delete", ResourceID: "id-b", Inputs: b.Inputs}}},
		{"update begun and ended", snap(3, []*Record{a, b}), snap(5, []*Record{a, bRenamed}),
			[]string{"b"}, []*JournalEntry{{Addr: "b", Kind: "vdc", Action: "update", ResourceID: "id-b", Inputs: bRenamed.Inputs}}},
		{"pending settled since: shown as first read", snap(3, []*Record{a}, entry("op1", "b", "create", "")), snap(4, []*Record{a, b}),
			[]string{"b"}, []*JournalEntry{entry("op1", "b", "create", "")}},
		{"pending moved on: its newer entry", snap(3, []*Record{a}, entry("op1", "b", "create", "")), snap(4, []*Record{a}, entry("op1", "b", "create", "id-b")),
			[]string{"b"}, []*JournalEntry{entry("op1", "b", "create", "id-b")}},
		{"pending elsewhere kept", snap(3, []*Record{a}, entry("op1", "a", "update", "id-a")), snap(4, []*Record{a}, entry("op1", "a", "update", "id-a"), entry("op2", "b", "create", "")),
			[]string{"b"}, []*JournalEntry{entry("op1", "a", "update", "id-a"), entry("op2", "b", "create", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, moving := InFlight(tc.before, tc.after)
			if diff := cmp.Diff(tc.moving, moving); diff != "" {
				t.Errorf("moving (-want +got):\n%s", diff)
			}
			if tc.moving == nil && got != tc.before {
				t.Errorf("nothing moved: want the first read itself")
			}
			if diff := cmp.Diff(tc.journal, got.Journal); diff != "" {
				t.Errorf("journal (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.before.Resources, got.Resources); diff != "" {
				t.Errorf("records are the first read's (-want +got):\n%s", diff)
			}
			if got.Meta != tc.before.Meta {
				t.Errorf("meta %+v, want the first read's %+v (a saved plan stays stale)", got.Meta, tc.before.Meta)
			}
		})
	}
}
