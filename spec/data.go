package spec

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/internal/suggest"
)

// A DataSource is one entry of data: a read-only lookup of one existing
// resource the stack does not own, read as ${data.NAME.attr}.
//
// A component's data sources are its own: one per use and per copy, named
// with the use's prefix (api.data.img, api["eu"].data.img), and
// ${data.img.id} inside the component reads it (the reference becomes
// ${api.data.img.id}). The stack's own are named without one (img).
type DataSource struct {
	// Name is the key of Stack.Data and of what the state records: img, or
	// api.data.img inside component api (DataAddress gives both as shown).
	Name string
	Kind string
	Pos  Pos // the entry's name in the file: where lookup errors point
	// Filter is the filter map as written (values may hold references).
	Filter      *Value
	Description string
	kindVal     *Value
}

// DataFilters lists, per kind a data source may read, the filters the
// lookup can answer. A kind added to cdstack becomes readable as data with
// one line here and one entry in resources.DataKinds.
var DataFilters = map[string][]string{
	"vdc":             {"id", "name", "name_prefix", "region"},
	"public_network":  {"id", "name", "name_prefix", "vdc"},
	"private_network": {"id", "name", "name_prefix", "vdc"},
	"security_group":  {"id", "name", "name_prefix"},
	"instance":        {"id", "name", "name_prefix", "vdc", "region", "tags"},
	"template":        {"id", "name", "name_prefix", "region"},
	"image":           {"id", "name", "name_prefix", "region"},
	"load_balancer":   {"id", "name", "name_prefix", "vdc"},
	"certificate":     {"id", "name", "name_prefix"},
	"mysql":           {"id", "name", "name_prefix", "vdc"},
	"mysql_readonly":  {"id", "name", "name_prefix"},
	"redis":           {"id", "name", "name_prefix", "vdc"},
	"mongodb":         {"id", "name", "name_prefix", "vdc"},
	"dedicated_host":  {"id", "name", "name_prefix", "region"},
}

// dataOnlyExports are the attributes of the kinds that are read but never
// managed (a managed kind's data source exports what the resource does:
// its Exports and its properties, secrets left out).
var dataOnlyExports = map[string]map[string]string{
	"image": {"id": "string", "name": "string", "type": "string", "region": "string", "os_type": "string"},
}

// DataKinds returns the kinds a data source may read, sorted.
func DataKinds() []string { return sortedKeys(DataFilters) }

// DataAttrs lists what ${data.NAME.attr} may name for a data source of kind.
func DataAttrs(kind string) []string {
	if ex, ok := dataOnlyExports[kind]; ok {
		return sortedKeys(ex)
	}
	var out []string
	for _, a := range attrNames(kind) {
		if !slices.Contains(SensitiveProperties[kind], a) {
			out = append(out, a)
		}
	}
	return out
}

// dataAttrType is "string", "list" or "" (any) for an attribute of a data
// source of kind.
func dataAttrType(kind, attr string) (string, bool) {
	if ex, ok := dataOnlyExports[kind]; ok {
		t, ok := ex[attr]
		return t, ok
	}
	if slices.Contains(SensitiveProperties[kind], attr) {
		return "", false
	}
	return attrType(kind, attr)
}

var refData = regexp.MustCompile(`^data\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$`)

func (s *Stack) readData(v *Value) { s.readDataAt(v, "") }

// readDataAt reads the data sources of the file whose resources are
// prefixed with prefix ("" in the stack file, "api." in component api).
func (s *Stack) readDataAt(v *Value, prefix string) {
	if v == nil || v.Kind != Map {
		return
	}
	for _, k := range v.Keys {
		name := k.Name
		if prefix != "" {
			name = prefix + "data." + k.Name
		}
		ds := &DataSource{Name: name, Pos: k.Pos, Filter: &Value{Kind: Map, Pos: k.Pos}}
		if m := k.Value; m != nil && m.Kind == Map {
			if x := m.Get("kind"); x != nil && x.Kind == String {
				ds.Kind, ds.kindVal = x.Str, x
			}
			if x := m.Get("filter"); x != nil && x.Kind == Map {
				ds.Filter = x
			}
			if x := m.Get("description"); x != nil && x.Kind == String {
				ds.Description = x.Str
			}
		}
		s.Data[name] = ds
		s.DataOrder = append(s.DataOrder, name)
	}
}

// checkData checks each data source: a kind that can be read, filters that
// kind answers, and references a lookup can resolve before anything is
// created (variables, other data sources, other stacks' outputs).
func (s *Stack) checkData(d *diag) {
	for _, name := range s.DataOrder {
		ds := s.Data[name]
		path := DataAddress(name)
		kindVal := ds.kindVal
		allowed, ok := DataFilters[ds.Kind]
		if !ok {
			if kindVal != nil && kindVal.Kind == String {
				d.errorf(kindVal.Pos, path+".kind", "a data source cannot read kind %q; it reads %s%s", ds.Kind, strings.Join(DataKinds(), ", "), suggest.DidYouMean(ds.Kind, DataKinds()))
			}
		} else {
			for _, k := range ds.Filter.Keys {
				if !slices.Contains(allowed, k.Name) && slices.Contains([]string{"id", "name", "name_prefix", "vdc", "region", "tags"}, k.Name) {
					d.errorf(k.Pos, path+".filter."+k.Name, "a %s lookup cannot filter by %s; it filters by %s", ds.Kind, k.Name, strings.Join(allowed, ", "))
				}
			}
		}
		prefix, local := splitDataName(name)
		if _, managed := s.Resources[prefix+local]; managed {
			d.warnf(ds.Pos, path, "data source %q has the name of a resource of the stack; ${data.%s.…} and ${%s.…} are different things", local, local, local)
		}
		for _, pr := range ds.Filter.PathRefs(path + ".filter") {
			ref := pr.Ref
			switch {
			case ref.Var != "":
				s.checkRef(ref, nil, pr.Path, d)
			case ref.Workspace:
			case ref.Data == name:
				d.errorf(ref.Pos, pr.Path, "data source %q refers to itself in %s", name, ref)
			case ref.IsExternal():
				s.checkExternalRef(ref, pr.Path, d)
			default:
				d.errorf(ref.Pos, pr.Path, "%s cannot be used in a data filter: lookups happen before anything is created, so a filter may refer to variables, ${workspace}, other data sources and other stacks' outputs, not to resources or ${index}", ref)
			}
		}
	}
	for _, cyc := range FindCycles(s.dataGraph()) {
		d.errorf(s.Data[cyc[0]].Pos, DataAddress(cyc[0]), "data sources refer to each other in a cycle: %s", strings.Join(cyc, " → "))
	}
}

// checkExternalRef checks a ${data.…} or ${stack.…} reference.
func (s *Stack) checkExternalRef(ref *Ref, path string, d *diag) {
	switch {
	case ref.Data != "":
		ds, ok := s.Data[ref.Data]
		if !ok && strings.Contains(ref.Data, ".") {
			return // a component's: reported where the component was read
		}
		if !ok {
			d.errorf(ref.Pos, path, "unknown data source %q in %s%s", ref.Data, ref, suggest.DidYouMean(ref.Data, s.DataOrder))
			return
		}
		if _, known := DataFilters[ds.Kind]; !known {
			return // the kind is reported on its own
		}
		if _, ok := dataAttrType(ds.Kind, ref.Attr); !ok {
			d.errorf(ref.Pos, path, "data source %q (%s) has no attribute %q in %s%s", ds.Name, ds.Kind, ref.Attr, ref, attrHint(ref.Attr, DataAttrs(ds.Kind)))
		}
	case ref.Stack != "":
		if _, ok := s.Stacks[ref.Stack]; !ok {
			d.errorf(ref.Pos, path, "unknown stack %q in %s: name it under stacks: with its state%s", ref.Stack, ref, suggest.DidYouMean(ref.Stack, sortedKeys(s.Stacks)))
		}
	}
}

// dataGraph is which data sources each one's filter refers to.
func (s *Stack) dataGraph() map[string][]string {
	g := map[string][]string{}
	for name, ds := range s.Data {
		set := map[string]bool{}
		for _, ref := range ds.Filter.Refs() {
			if ref.Data != "" && ref.Data != name && s.Data[ref.Data] != nil {
				set[ref.Data] = true
			}
		}
		g[name] = sortedKeys(set)
	}
	return g
}

// DataInOrder returns the data source names so that each comes after those
// its filter refers to (file order otherwise).
func (s *Stack) DataInOrder() []string {
	g := s.dataGraph()
	done := map[string]bool{}
	var out []string
	var visit func(string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, dep := range g[n] {
			visit(dep)
		}
		out = append(out, n)
	}
	for _, n := range s.DataOrder {
		visit(n)
	}
	return out
}

// ExternalRefs returns every ${data.…} and ${stack.…} reference of the
// stack (resources, outputs, data filters) with its path, in file order:
// the stack file's, then each component file's as used (paths start with
// the use's name: api.resources.web.…).
func (s *Stack) ExternalRefs() []PathRef {
	if s.root == nil {
		return nil
	}
	out := externalRefs(s.root, "")
	for _, cr := range s.componentRoots {
		out = append(out, externalRefs(cr.root, cr.name)...)
	}
	return out
}

func externalRefs(root *Value, prefix string) []PathRef {
	var out []PathRef
	for _, pr := range root.PathRefs(prefix) {
		if pr.Ref.IsExternal() {
			out = append(out, pr)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return out
}

// SetExternal sets how ${data.…} and ${stack.…} references are answered
// once the data sources and other stacks are read; before, they are
// Unknown.
func (s *Stack) SetExternal(f func(*Ref) (any, error)) { s.external = f }

// ExternalRefsOf returns the ${data.…} and ${stack.…} references in the
// properties of resource name.
func (s *Stack) ExternalRefsOf(name string) []*Ref {
	r, ok := s.Resources[name]
	if !ok {
		return nil
	}
	var out []*Ref
	for _, ref := range r.Properties.Refs() {
		if ref.IsExternal() {
			out = append(out, ref)
		}
	}
	return out
}

// String names the data source as references do: data.NAME, or
// api.data.NAME inside component api.
func (ds *DataSource) String() string { return DataAddress(ds.Name) }

// DataAddress is how the data source named name (a key of Stack.Data and
// of the state's reads) is written: data.img for the stack's own,
// api.data.img (already its name) for one of component api.
func DataAddress(name string) string {
	if strings.Contains(name, ".") {
		return name
	}
	return "data." + name
}

// DataRef is the reference to attribute attr of the data source named name
// as the stack's values hold it: ${data.img.id}, ${api.data.img.id}.
func DataRef(name, attr string) string {
	return fmt.Sprintf("${%s.%s}", DataAddress(name), attr)
}

// splitDataName splits a data source's name into its component prefix
// ("api." or "") and its name in its file.
func splitDataName(name string) (prefix, local string) {
	if i := strings.LastIndex(name, ".data."); i >= 0 {
		return name[:i+1], name[i+len(".data."):]
	}
	return "", name
}
