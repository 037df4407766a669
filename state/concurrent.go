package state

import "reflect"

// InFlight returns the snapshot a reader that holds no lock plans from
// when another process (an apply) committed to the state while the reader
// listed the cloud. before is the state read first, after the state read
// again once the cloud was listed.
//
// Neither read alone agrees with the listing: a resource created after the
// first read is listed but not in before (it would look unmanaged, or like
// a name conflict), and one created after the listing is in after but not
// listed (it would look deleted). So the result is before, with every
// address whose record or journal entry differs between the reads shown as
// in flight: with after's journal entry, else before's, else (an operation
// begun and ended between the reads) an entry made here, with no OpID, that
// names what after records. The addresses are returned too, sorted.
func InFlight(before, after *Snapshot) (*Snapshot, []string) {
	if before.Meta.Lineage != after.Meta.Lineage || before.Meta.Serial == after.Meta.Serial {
		return before, nil
	}
	journal := func(s *Snapshot) map[string]*JournalEntry {
		out := map[string]*JournalEntry{}
		for _, j := range s.Journal {
			out[j.Addr] = j
		}
		return out
	}
	jb, ja := journal(before), journal(after)
	addrs := map[string]bool{}
	for addr, r := range after.Resources {
		if !reflect.DeepEqual(r, before.Resources[addr]) {
			addrs[addr] = true
		}
	}
	for addr := range before.Resources {
		if _, ok := after.Resources[addr]; !ok {
			addrs[addr] = true
		}
	}
	for addr, j := range ja {
		if !reflect.DeepEqual(j, jb[addr]) {
			addrs[addr] = true
		}
	}
	for addr := range jb {
		if _, ok := ja[addr]; !ok {
			addrs[addr] = true
		}
	}
	if len(addrs) == 0 {
		return before, nil
	}
	out := *before
	out.Journal = nil
	for _, j := range before.Journal {
		if !addrs[j.Addr] || ja[j.Addr] == nil {
			out.Journal = append(out.Journal, j)
		}
	}
	moving := make([]string, 0, len(addrs))
	for addr := range addrs {
		moving = append(moving, addr)
	}
	sortStrings(moving)
	for _, addr := range moving {
		switch {
		case ja[addr] != nil:
			out.Journal = append(out.Journal, ja[addr])
		case jb[addr] != nil:
			// Kept above: settled since, and shown as it was first read.
		default:
			out.Journal = append(out.Journal, finished(addr, before.Resources[addr], after.Resources[addr]))
		}
	}
	return &out, moving
}

// finished is the journal entry standing for an operation another process
// began and ended between two reads: the record of addr went from was to
// is (nil: none).
func finished(addr string, was, is *Record) *JournalEntry {
	j := &JournalEntry{Addr: addr, Action: "update"}
	rec := is
	switch {
	case was == nil:
		j.Action = "create"
	case is == nil:
		j.Action, rec = "delete", was
	}
	j.Kind, j.ResourceID, j.Inputs = rec.Kind, rec.ID, rec.Inputs
	return j
}
