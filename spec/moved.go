package spec

import (
	"fmt"
	"slices"

	"github.com/cdstack/cdstack/internal/suggest"
)

// A Move is one entry of moved: the record at From now belongs at To. The
// plan applies it to the state (never the cloud) wherever the state still
// has From; a From the state no longer has was moved already.
//
// A move between two resource names (from: web, to: app) moves the record
// and every copy (web[0] → app[0], web["a"] → app["a"]); a move that names
// a copy on either side moves that one record (web[0] → web["a"], web →
// web[0]).
type Move struct {
	From, To         string // canonical addresses
	FromAddr, ToAddr Address
	Pos              Pos // of the entry
	FromPos, ToPos   Pos
	// Index is the entry's place in moved: as written (for messages).
	Index int
}

// Whole reports whether the move renames a resource with all its copies.
func (m *Move) Whole() bool { return !m.FromAddr.Instanced() && !m.ToAddr.Instanced() }

// Target returns where the record at addr goes, if the move takes it.
func (m *Move) Target(addr string) (string, bool) {
	if addr == m.From {
		return m.To, true
	}
	if !m.Whole() {
		return "", false
	}
	a, err := ParseAddress(addr)
	if err != nil || a.Name != m.FromAddr.Name || !a.Instanced() {
		return "", false
	}
	a.Name = m.ToAddr.Name
	return a.String(), true
}

// readMoved reads moved: (the schema reports its shape) and checks each
// entry: both addresses well formed, the target declared by the stack, the
// source no longer declared, no source moved twice.
func (s *Stack) readMoved(list *Value, d *diag) {
	if list == nil || list.Kind != List {
		return
	}
	from := map[string]Pos{}
	for i, e := range list.List {
		if e == nil || e.Kind != Map {
			continue
		}
		path := fmt.Sprintf("moved[%d]", i)
		fv, tv := e.Get("from"), e.Get("to")
		if fv == nil || tv == nil || fv.Kind != String || tv.Kind != String {
			continue // the schema says what is missing
		}
		m := &Move{Pos: e.Pos, FromPos: fv.Pos, ToPos: tv.Pos, Index: i}
		var err error
		if m.FromAddr, err = ParseAddress(fv.Str); err != nil {
			d.errorf(fv.Pos, path+".from", "%v", err)
			continue
		}
		if m.ToAddr, err = ParseAddress(tv.Str); err != nil {
			d.errorf(tv.Pos, path+".to", "%v", err)
			continue
		}
		m.From, m.To = m.FromAddr.String(), m.ToAddr.String()
		if m.From == m.To {
			d.errorf(tv.Pos, path+".to", "moved: %s to itself", m.From)
			continue
		}
		if at, dup := from[m.From]; dup {
			d.errorf(fv.Pos, path+".from", "%s is moved twice (first at line %d)", m.From, at.Line)
			continue
		}
		from[m.From] = fv.Pos
		s.Moved = append(s.Moved, m)
	}
}

// checkMoved checks the moves against the resources once their copies are
// known.
func (s *Stack) checkMoved(d *diag) {
	for _, m := range s.Moved {
		path := fmt.Sprintf("moved[%d]", m.Index)
		target := s.Resources[m.ToAddr.Name]
		switch {
		case target == nil:
			d.errorf(m.ToPos, path+".to", "moved: the stack has no resource %q%s", m.ToAddr.Name, suggest.DidYouMean(m.ToAddr.Name, s.Names()))
			continue
		case m.ToAddr.Instanced() && !target.CountUnknown && !target.ForEach.Unknown && !slices.Contains(target.Addresses(), m.To):
			d.errorf(m.ToPos, path+".to", "moved: the stack has no %s; %s has %s", m.To, target.Name, describeAddresses(target))
			continue
		case !m.ToAddr.Instanced() && !m.FromAddr.Instanced() && s.Resources[m.FromAddr.Name] != nil:
			d.errorf(m.FromPos, path+".from", "moved: %s is still declared in the stack; a moved resource's old name is gone from resources:", m.From)
			continue
		}
		if src := s.Resources[m.FromAddr.Name]; src != nil && slices.Contains(src.Addresses(), m.From) {
			d.errorf(m.FromPos, path+".from", "moved: %s is still an address of the stack; a move's source is one the stack no longer has", m.From)
		}
	}
}
