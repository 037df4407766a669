package reads

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/internal/suggest"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// A Source is another stack's state, opened for reading.
type Source interface {
	Snapshot(ctx context.Context) (*state.Snapshot, error)
	Close() error
}

// Input is what Resolve looks at.
type Input struct {
	Stack *spec.Stack
	// Snapshot is this stack's state: what it manages (a data source may
	// not read it) and what its last apply read.
	Snapshot *state.Snapshot
	// Live is the refresh's view, extended as lookups need; nil without a
	// refresh.
	Live   *resources.Live
	Client *cloud.Client
	// Open opens another stack's state (a path made by StatePath).
	Open func(path string) (Source, error)
	// Lenient (drift) turns a data source that no longer matches exactly
	// one resource, or an output that is gone, into a change from what the
	// last apply read, instead of an error, when the last apply read it.
	Lenient bool
}

// A Result is what the stack read: the one resource of each data source
// (with the attributes the stack uses) and the outputs used of each other
// stack, with the serial they were read at. Its shape is the one the state
// records (state.Exports' Data and Stacks).
type Result struct {
	Data   map[string]*state.DataRead  `json:"data,omitempty"`
	Stacks map[string]*state.StackRead `json:"stacks,omitempty"`
	// gone says, by reference, why a value the last apply read cannot be
	// read now (Lenient only).
	gone map[string]string
}

// Empty reports whether the stack reads nothing.
func (r *Result) Empty() bool { return r == nil || len(r.Data) == 0 && len(r.Stacks) == 0 }

// StatePath is the state of stack reference sr of the stack file
// stackFile: an etcd URL with /WORKSPACE added outside the default
// workspace, or a path relative to the stack file's directory with
// .WORKSPACE before its .db.
func StatePath(stackFile string, sr *spec.StackRef) string {
	ws := sr.Workspace
	if state.IsEtcdURL(sr.State) {
		if ws == "" || ws == spec.DefaultWorkspace {
			return sr.State
		}
		return strings.TrimRight(sr.State, "/") + "/" + ws
	}
	p := sr.State
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(stackFile), p)
	}
	if ws != "" && ws != spec.DefaultWorkspace {
		p = strings.TrimSuffix(p, ".db") + "." + ws + ".db"
	}
	return p
}

// Resolve reads the other stacks' outputs, then each data source in the
// order their filters need, and binds the values to the stack (its
// ${data.…} and ${stack.…} references answer from them). Problems of the
// stack file are spec.Errors, all of them, sorted.
func Resolve(ctx context.Context, in Input) (*Result, error) {
	s := in.Stack
	res := &Result{Data: map[string]*state.DataRead{}, Stacks: map[string]*state.StackRead{}, gone: map[string]string{}}
	prev := in.Snapshot.Exports
	if prev == nil {
		prev = &state.Exports{}
	}
	// lenient reports whether a problem with what the last apply read is
	// a change (drift) rather than an error, and notes it.
	lenient := func(ref, why string, wasRead bool) bool {
		if in.Lenient && wasRead {
			res.gone[ref] = why
			return true
		}
		return false
	}
	var problems spec.Errors
	fail := func(pos spec.Pos, path, format string, args ...any) {
		problems = append(problems, &spec.Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	res.Bind(s)

	for _, name := range s.StackNames() {
		sr := s.Stacks[name]
		used := s.OutputsRead(name)
		if len(used) == 0 {
			continue
		}
		path := StatePath(s.File, sr)
		snap, err := readStack(ctx, in.Open, path)
		if err != nil {
			fail(sr.StatePos, "stacks."+name+".state", "stack %q: %v", name, err)
			continue
		}
		read := &state.StackRead{State: path, Lineage: snap.Meta.Lineage, Serial: snap.Meta.Serial, Outputs: map[string]any{}}
		for _, out := range sortedKeys(used) {
			ref := used[out]
			ex := snap.Exports
			switch v, ok := ex.Outputs[out]; {
			case ex.IsSensitive(out):
				fail(ref.Pos, "", "%s: output %q of stack %q is sensitive: another stack cannot read it", ref, out, name)
			case !ok:
				if was := prev.Stacks[name]; was != nil && lenient(ref.String(), fmt.Sprintf("(no output %q at serial %d)", out, snap.Meta.Serial), was.Outputs[out] != nil) {
					continue
				}
				fail(ref.Pos, "", "%s: stack %q (state %s, serial %d) has no output %q; it has %s", ref, name, path, snap.Meta.Serial, out, listOr(ex.OutputNames(), "none"))
			default:
				read.Outputs[out] = v
			}
		}
		res.Stacks[name] = read
	}

	refs := s.ExternalRefs()
	for _, name := range s.DataInOrder() {
		ds := s.Data[name]
		path := spec.DataAddress(name)
		raw, err := ds.Filter.Eval(s.Context(-1, nil))
		if err != nil || spec.HasUnknown(raw) {
			continue // what it needs failed (reported there): it stays unknown
		}
		f := filterOf(raw)
		if f.Region == "" && ds.Kind == "image" {
			f.Region = s.Region
		}
		if in.Live == nil {
			if prev := in.Snapshot.Exports; prev != nil && prev.Data[name] != nil && prev.Data[name].Kind == ds.Kind {
				res.Data[name] = prev.Data[name]
			}
			continue // else unknown
		}
		dk := resources.DataKinds[ds.Kind]
		if err := resources.Extend(ctx, in.Client, in.Live, dk.Need(in.Live, f)); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		matches, all, err := resources.Lookup(in.Live, ds.Kind, f)
		if err != nil {
			fail(ds.Pos, path, "%v", err)
			continue
		}
		idRef := spec.DataRef(name, "id")
		wasRead := prev.Data[name] != nil && prev.Data[name].Kind == ds.Kind
		switch len(matches) {
		case 0:
			if lenient(idRef, fmt.Sprintf("(no %s matches %s)", ds.Kind, describe(f)), wasRead) {
				continue
			}
			fail(ds.Pos, path, "no %s matches %s%s", ds.Kind, describe(f), nearest(f, all))
			continue
		case 1:
		default:
			if lenient(idRef, fmt.Sprintf("(%d of kind %s match %s)", len(matches), ds.Kind, describe(f)), wasRead) {
				continue
			}
			fail(ds.Pos, path, "%d of kind %s match %s, and a data source must match exactly one: %s; narrow the filter (id, name, vdc, …)", len(matches), ds.Kind, describe(f), candidates(matches))
			continue
		}
		m := matches[0]
		if addr := managedAs(in.Snapshot, m.ID); addr != "" {
			fail(ds.Pos, path, "data source %q reads %s %s, which this stack manages as %s: refer to ${%s.…} instead, or remove one of them", name, ds.Kind, m.ID, addr, addr)
			continue
		}
		read := &state.DataRead{Kind: ds.Kind, ID: m.ID, Name: m.Name, VDC: m.VDC, Attrs: map[string]any{}}
		for _, pr := range refs {
			if pr.Ref.Data == name {
				read.Attrs[pr.Ref.Attr] = resources.Canon(m.Attrs[pr.Ref.Attr])
			}
		}
		res.Data[name] = read
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return res, nil
}

// Bind makes the stack's ${data.…} and ${stack.…} references answer from r.
func (r *Result) Bind(s *spec.Stack) { s.SetExternal(r.value) }

// value answers one reference; what was not read is Unknown.
func (r *Result) value(ref *spec.Ref) (any, error) {
	switch {
	case ref.Data != "":
		if d := r.Data[ref.Data]; d != nil {
			if ref.Attr == "id" {
				return d.ID, nil
			}
			if v, ok := d.Attrs[ref.Attr]; ok {
				return v, nil
			}
		}
	case ref.Stack != "":
		if st := r.Stacks[ref.Stack]; st != nil {
			if v, ok := st.Outputs[ref.Attr]; ok {
				return resources.Canon(v), nil
			}
		}
	}
	return spec.Unknown{Ref: ref.String()}, nil
}

// readStack reads another stack's last committed state, without its lock,
// with the outputs it recorded.
func readStack(ctx context.Context, open func(string) (Source, error), path string) (*state.Snapshot, error) {
	snap, err := readState(ctx, open, path)
	if err != nil {
		return nil, err
	}
	if snap.Exports == nil {
		return nil, fmt.Errorf("state %s (serial %d) has recorded no outputs: apply that stack (with this cdstack or later) first", path, snap.Meta.Serial)
	}
	return snap, nil
}

// readState reads another stack's last committed state, without its lock.
func readState(ctx context.Context, open func(string) (Source, error), path string) (*state.Snapshot, error) {
	if !state.IsEtcdURL(path) {
		if _, err := os.Stat(path); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("state %s cannot be read: there is no such file (has that stack been applied?)", path)
			}
			return nil, fmt.Errorf("state %s cannot be read: %w", path, err)
		}
	}
	src, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("state %s cannot be read: %w", path, err)
	}
	defer src.Close()
	snap, err := src.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("state %s cannot be read: %w", path, err)
	}
	return snap, nil
}

// filterOf converts an evaluated filter map.
func filterOf(raw any) resources.Filter {
	m, _ := raw.(map[string]any)
	str := func(k string) string {
		if v, ok := m[k]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	f := resources.Filter{ID: str("id"), Name: str("name"), NamePrefix: str("name_prefix"), VDC: str("vdc"), Region: str("region")}
	if tags, ok := m["tags"].([]any); ok {
		for _, t := range tags {
			f.Tags = append(f.Tags, fmt.Sprint(t))
		}
	}
	return f
}

// describe writes a filter as the stack file does: {name: "x", vdc: "y"}.
func describe(f resources.Filter) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf("%s: %q", k, v))
		}
	}
	add("id", f.ID)
	add("name", f.Name)
	add("name_prefix", f.NamePrefix)
	add("vdc", f.VDC)
	add("region", f.Region)
	if len(f.Tags) > 0 {
		parts = append(parts, fmt.Sprintf("tags: [%s]", strings.Join(f.Tags, ", ")))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// maxListed is how many candidates or near names an error lists.
const maxListed = 5

// candidates lists matches as name (id, VDC vdc).
func candidates(cs []resources.Candidate) string {
	var out []string
	for i, c := range cs {
		if i == maxListed {
			out = append(out, fmt.Sprintf("and %d more", len(cs)-maxListed))
			break
		}
		out = append(out, candidate(c))
	}
	return strings.Join(out, ", ")
}

func candidate(c resources.Candidate) string {
	where := c.ID
	if c.VDC != "" && c.VDC != c.ID {
		where += ", VDC " + c.VDC
	}
	return fmt.Sprintf("%q (%s)", c.Name, where)
}

// nearest names the candidates whose names are closest to what the filter
// asked for (its name, name prefix or id), or says there are none.
func nearest(f resources.Filter, all []resources.Candidate) string {
	if len(all) == 0 {
		return "; there is none at all"
	}
	want := f.Name
	if want == "" {
		want = f.NamePrefix
	}
	key := func(c resources.Candidate) int {
		switch {
		case want != "":
			name := c.Name
			if f.NamePrefix != "" && len(name) > len(want) {
				name = name[:len(want)]
			}
			return suggest.Distance(want, name)
		case f.ID != "":
			return suggest.Distance(f.ID, c.ID)
		}
		return 0
	}
	sorted := append([]resources.Candidate(nil), all...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ki, kj := key(sorted[i]), key(sorted[j])
		if ki != kj {
			return ki < kj
		}
		return sorted[i].Name < sorted[j].Name
	})
	if len(sorted) > 3 {
		sorted = sorted[:3]
	}
	return "; the nearest are " + candidates(sorted)
}

// managedAs returns the address under which the stack manages id, or "".
func managedAs(snap *state.Snapshot, id string) string {
	if snap == nil {
		return ""
	}
	for _, addr := range snap.Addresses() {
		if snap.Resources[addr].ID == id {
			return addr
		}
	}
	return ""
}

func listOr(names []string, none string) string {
	if len(names) == 0 {
		return none
	}
	return strings.Join(names, ", ")
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// equal compares two read values as the state stores them.
func equal(a, b any) bool { return reflect.DeepEqual(resources.Canon(a), resources.Canon(b)) }
