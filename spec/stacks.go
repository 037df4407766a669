package spec

import (
	"maps"
	"regexp"
	"slices"
)

// A StackRef is one entry of stacks: another stack whose outputs this one
// reads (${stack.NAME.outputs.X}) from its state, without its lock.
type StackRef struct {
	Name string
	Pos  Pos
	// State is the other stack's state as written: a path relative to this
	// stack file, or an etcd:// URL. Workspace is its workspace ("" for the
	// default one).
	State     string
	StatePos  Pos
	Workspace string
}

var refStack = regexp.MustCompile(`^stack\.([a-z][a-z0-9_]*)\.outputs\.([a-z][a-z0-9_]*)$`)

func (s *Stack) readStacks(v *Value) { readStackRefs(v, s.Stacks) }

// readStackRefs reads a map of stack references ({state, workspace}), the
// shape of stacks: and tenants: entries, into refs.
func readStackRefs(v *Value, refs map[string]*StackRef) {
	if v == nil || v.Kind != Map {
		return
	}
	for _, k := range v.Keys {
		sr := &StackRef{Name: k.Name, Pos: k.Pos, StatePos: k.Pos}
		if m := k.Value; m != nil && m.Kind == Map {
			if x := m.Get("state"); x != nil && x.Kind == String {
				sr.State, sr.StatePos = x.Str, x.Pos
			}
			if x := m.Get("workspace"); x != nil && x.Kind == String {
				sr.Workspace = x.Str
			}
		}
		refs[k.Name] = sr
	}
}

// checkStacks checks the stacks: entries: a state written as a plain
// string (it is read before anything is evaluated), and each one used.
func (s *Stack) checkStacks(d *diag) {
	used := map[string]bool{}
	for _, pr := range s.ExternalRefs() {
		used[pr.Ref.Stack] = true
	}
	for _, name := range s.StackNames() {
		sr := s.Stacks[name]
		if v := s.root.Get("stacks").Get(name).Get("state"); v != nil && (v.Tmpl != nil || v.TmplErr) {
			d.errorf(v.Pos, "stacks."+name+".state", "a stack's state takes no references (${…}): it is read before anything is evaluated; write the path or URL")
		} else if v != nil && v.Kind == String {
			if msg := checkStateLocation(v.Str); msg != "" {
				d.errorf(v.Pos, "stacks."+name+".state", "%s", msg)
			}
		}
		if !used[name] {
			d.warnf(sr.Pos, "stacks."+name, "stack %q is never read: no ${stack.%s.outputs.…} refers to it", name, name)
		}
	}
}

// StackNames returns the names of the other stacks read, sorted.
func (s *Stack) StackNames() []string {
	return slices.Sorted(maps.Keys(s.Stacks))
}

// OutputsRead returns, for the other stack name, the outputs this stack
// reads from it, with the first place each is read.
func (s *Stack) OutputsRead(name string) map[string]*Ref {
	out := map[string]*Ref{}
	for _, pr := range s.ExternalRefs() {
		if pr.Ref.Stack == name {
			if _, seen := out[pr.Ref.Attr]; !seen {
				out[pr.Ref.Attr] = pr.Ref
			}
		}
	}
	return out
}
