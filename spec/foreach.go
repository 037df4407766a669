package spec

import (
	"sort"

	"github.com/cdstack/cdstack/internal/suggest"
)

// ForEach is a resource's for_each: one copy per key, addressed
// name["key"], where ${each.key} is the key and ${each.value} its value (for
// a list of strings, both are the string itself, never its position).
// Unlike count, removing one key removes only that copy.
type ForEach struct {
	Set    bool
	Keys   []string       // in order: the list's, or a map's sorted keys
	Values map[string]any // ${each.value} by key
	Pos    Pos
	// Unknown: for_each comes from a variable without a value (only with
	// AllowUnset); Keys is then empty and keys are not checked.
	Unknown bool
	// Var is the variable for_each comes from, if it does.
	Var string
}

// HasForEach reports whether the resource was declared with for_each.
func (r *Resource) HasForEach() bool { return r.ForEach.Set }

func (f *ForEach) addresses(name string) []string {
	out := make([]string, len(f.Keys))
	for i, k := range f.Keys {
		out[i] = KeyAddress(name, k)
	}
	return out
}

// An Instance is one copy of a resource: its address and what ${index},
// ${each.key} and ${each.value} stand for in it.
type Instance struct {
	Addr  string
	Index int // the copy number with count, else -1
	Key   string
	Value any
	Each  bool // a for_each copy: Key and Value are set
}

// Instances returns the resource's copies in the order of Addresses.
func (r *Resource) Instances() []Instance {
	switch {
	case r.HasForEach():
		out := make([]Instance, len(r.ForEach.Keys))
		for i, k := range r.ForEach.Keys {
			out[i] = Instance{Addr: KeyAddress(r.Name, k), Index: -1, Key: k, Value: r.ForEach.Values[k], Each: true}
		}
		return out
	case r.HasCount():
		out := make([]Instance, r.Count)
		for i := range out {
			out[i] = Instance{Addr: Address{Name: r.Name, Index: i}.String(), Index: i}
		}
		return out
	}
	return []Instance{{Addr: r.Name, Index: -1}}
}

// Instance returns the copy of r at addr, if r has it.
func (r *Resource) Instance(addr string) (Instance, bool) {
	a, err := ParseAddress(addr)
	if err != nil || a.Name != r.Name {
		return Instance{}, false
	}
	switch {
	case r.HasForEach():
		if _, ok := r.ForEach.Values[a.Key]; a.Keyed && ok {
			return Instance{Addr: addr, Index: -1, Key: a.Key, Value: r.ForEach.Values[a.Key], Each: true}, true
		}
	case r.HasCount():
		if a.Index >= 0 && a.Index < r.Count {
			return Instance{Addr: addr, Index: a.Index}, true
		}
	default:
		if !a.Instanced() {
			return Instance{Addr: addr, Index: -1}, true
		}
	}
	return Instance{}, false
}

// InstanceContext is the EvalContext of one copy's values.
func (s *Stack) InstanceContext(in Instance, attr func(*Ref) (any, error)) EvalContext {
	ctx := s.Context(in.Index, attr)
	ctx.Each, ctx.EachKey, ctx.EachValue = in.Each, in.Key, in.Value
	return ctx
}

// checkForEach resolves for_each: a list of distinct strings, a map, or
// ${var.x} holding one; the keys are known before apply. count and
// for_each exclude each other.
func (s *Stack) checkForEach(r *Resource, d *diag) {
	if r.value == nil || r.value.Kind != Map {
		return
	}
	k := r.value.Key("for_each")
	if k == nil {
		return
	}
	path := "resources." + r.Name + ".for_each"
	if c := r.value.Key("count"); c != nil {
		d.errorf(k.Pos, path, "%q has both count and for_each; use one (moved: turns count addresses into for_each ones)", r.Name)
		r.Count = -1
	}
	v := k.Value
	f := &r.ForEach
	f.Set, f.Pos, f.Values = true, v.Pos, map[string]any{}
	add := func(key string, val any, at Pos) {
		if err := CheckKey(key); err != nil {
			d.errorf(at, path, "%v", err)
			return
		}
		if _, dup := f.Values[key]; dup {
			d.errorf(at, path, "for_each key %q appears twice", key)
			return
		}
		f.Keys = append(f.Keys, key)
		f.Values[key] = val
	}
	switch {
	case v.Kind == Null:
		d.errorf(v.Pos, path, "for_each is null: it takes a list of strings, a map, or ${var.name} holding one, known before apply")
	case v.Kind == List:
		for _, e := range v.List {
			if e.Kind != String || e.Tmpl != nil {
				d.errorf(e.Pos, path, "for_each over a list takes plain strings, known before apply")
				continue
			}
			add(e.Str, e.Str, e.Pos)
		}
	case v.Kind == Map:
		for _, e := range v.Keys {
			val, ok := s.eachValue(e.Value, path+"."+e.Name, d)
			if ok {
				add(e.Name, val, e.Pos)
			}
		}
		sort.Strings(f.Keys)
	case v.Tmpl != nil && v.Tmpl.Whole() != nil && v.Tmpl.Whole().Var != "" && len(v.Tmpl.Whole().Sub) == 0:
		ref := v.Tmpl.Whole()
		vr, ok := s.Variables[ref.Var]
		if !ok {
			d.errorf(ref.Pos, path, "unknown variable %q in %s%s", ref.Var, ref, suggest.DidYouMean(ref.Var, sortedKeys(s.Variables)))
			return
		}
		vr.used = true
		if vr.Sensitive {
			d.errorf(ref.Pos, path, "for_each cannot use sensitive variable %q: its keys become addresses, shown in plans and the state", vr.Name)
			return
		}
		f.Var, f.Unknown = vr.Name, vr.Unset
		switch x := vr.Value.(type) {
		case nil:
			// No value: reported with the variable (or allowed).
		case []any:
			for _, e := range x {
				str, ok := e.(string)
				if !ok {
					d.errorf(v.Pos, path, "for_each: variable %q is a list of %s; for_each takes a list of strings or a map", vr.Name, kindOf(e))
					return
				}
				add(str, str, v.Pos)
			}
		case map[string]any:
			for _, key := range sortedKeys(x) {
				add(key, x[key], v.Pos)
			}
			sort.Strings(f.Keys)
		default:
			d.errorf(v.Pos, path, "for_each: variable %q is a %s; for_each takes a list of strings or a map", vr.Name, kindOf(x))
		}
	default:
		d.errorf(v.Pos, path, "for_each must be known before apply: a list of strings, a map, or ${var.name}")
	}
}

// eachValue evaluates a for_each map's value now: literals, variables and
// ${workspace}, as the keys are known before apply.
func (s *Stack) eachValue(v *Value, path string, d *diag) (any, bool) {
	ok := true
	for _, pr := range v.PathRefs(path) {
		ref := pr.Ref
		switch {
		case ref.Workspace:
		case ref.Var != "":
			vr, known := s.Variables[ref.Var]
			if !known {
				d.errorf(ref.Pos, pr.Path, "unknown variable %q in %s%s", ref.Var, ref, suggest.DidYouMean(ref.Var, sortedKeys(s.Variables)))
				ok = false
				continue
			}
			vr.used = true
			if vr.Sensitive {
				d.errorf(ref.Pos, pr.Path, "a for_each value cannot use sensitive variable %q: ${each.value} is shown in plans", vr.Name)
				ok = false
			} else if vr.Value == nil {
				ok = false
			}
		default:
			d.errorf(ref.Pos, pr.Path, "a for_each value is known before apply: literals, ${var.name} and ${workspace}, not %s", ref)
			ok = false
		}
	}
	if !ok {
		return nil, true // keep the key: its value is unknown or reported
	}
	x, err := v.Eval(EvalContext{Index: -1, Var: s.VarsOf(), Workspace: s.Workspace})
	if err != nil {
		d.errorf(v.Pos, path, "%v", err)
		return nil, false
	}
	return x, true
}

// checkKeyedRef checks a reference to a resource with for_each, or one
// written with a key: ${web["eu"].id} names a copy, ${web[*].id} all, and
// ${web[each.key].id} inside a for_each resource the copy with its key.
func (s *Stack) checkKeyedRef(ref *Ref, from, target *Resource, path string, d *diag) {
	switch {
	case !target.HasForEach():
		d.errorf(ref.Pos, path, "%q has no for_each: %s names a key it does not have", target.Name, ref)
	case ref.Splat:
	case ref.EachKey:
		if from == nil || !from.HasForEach() {
			d.errorf(ref.Pos, path, "%s: [each.key] is only defined inside a resource with for_each", ref)
			return
		}
		if target.ForEach.Unknown || from.ForEach.Unknown {
			return
		}
		for _, k := range from.ForEach.Keys {
			if _, ok := target.ForEach.Values[k]; !ok {
				d.errorf(ref.Pos, path, "%s: %q has no key %q that %q has; it has %s", ref, target.Name, k, from.Name, describeAddresses(target))
				return
			}
		}
	case ref.Idx >= 0:
		d.errorf(ref.Pos, path, "%q has for_each: name a copy by its key, ${%s[\"%s\"].%s}, or all with ${%s[*].%s}", target.Name, target.Name, firstKey(target), ref.Attr, target.Name, ref.Attr)
	case !ref.Keyed:
		d.errorf(ref.Pos, path, "%q has for_each: use ${%s[\"%s\"].%s} for one copy or ${%s[*].%s} for all", target.Name, target.Name, firstKey(target), ref.Attr, target.Name, ref.Attr)
	case target.ForEach.Unknown:
	default:
		if _, ok := target.ForEach.Values[ref.Key]; !ok {
			d.errorf(ref.Pos, path, "%s: %q has no key %q; it has %s%s", ref, target.Name, ref.Key, describeAddresses(target), suggest.DidYouMean(ref.Key, target.ForEach.Keys))
		}
	}
}

func firstKey(r *Resource) string {
	if len(r.ForEach.Keys) > 0 {
		return r.ForEach.Keys[0]
	}
	return "KEY"
}

// describeAddresses lists a resource's addresses for a message.
func describeAddresses(r *Resource) string {
	addrs := r.Addresses()
	if len(addrs) == 0 {
		return "no copies"
	}
	out := ""
	for i, a := range addrs {
		if i > 0 {
			out += ", "
		}
		out += a
	}
	return out
}

// checkEachField checks ${each.value.field}: every known value is a map
// with that field.
func checkEachField(ref *Ref, r *Resource, path string, d *diag) {
	for _, k := range r.ForEach.Keys {
		v := r.ForEach.Values[k]
		if v == nil {
			continue // not known before apply
		}
		m, ok := v.(map[string]any)
		if !ok {
			d.errorf(ref.Pos, path, "%s: the value of key %q is a %s, not a map", ref, k, kindOf(v))
			return
		}
		if _, ok := m[ref.Attr]; !ok {
			d.errorf(ref.Pos, path, "%s: the value of key %q has no field %q%s", ref, k, ref.Attr, suggest.DidYouMean(ref.Attr, sortedKeys(m)))
			return
		}
	}
}
