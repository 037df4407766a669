package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// An EvalContext resolves references while a Value is evaluated.
type EvalContext struct {
	// Index is the copy number for ${index} (-1 outside count).
	Index int
	// Workspace is what ${workspace} stands for.
	Workspace string
	// Each is set inside a for_each copy: EachKey and EachValue are what
	// ${each.key} and ${each.value} stand for.
	Each      bool
	EachKey   string
	EachValue any
	// Var returns a variable's value.
	Var func(name string) (any, bool)
	// Attr returns a resource attribute: a value, Unknown when it is known
	// only after apply, or an error.
	Attr func(ref *Ref) (any, error)
	// External returns a data source's attribute or another stack's output
	// (nil: Unknown, as before they are read).
	External func(ref *Ref) (any, error)
}

// Context is the EvalContext of the stack's values: its variables, its
// workspace, copy number index (-1 outside count) and attr for resources.
func (s *Stack) Context(index int, attr func(*Ref) (any, error)) EvalContext {
	return EvalContext{Index: index, Var: s.VarsOf(), Workspace: s.Workspace, Attr: attr, External: s.external}
}

// VarsOf returns a Var function over the stack's resolved variables.
func (s *Stack) VarsOf() func(string) (any, bool) {
	return func(name string) (any, bool) {
		v, ok := s.Variables[name]
		switch {
		case ok && v.Unset && s.UnsetIsUnknown:
			return Unknown{Ref: "var." + name}, true
		case !ok || v.Value == nil:
			return nil, false
		}
		return v.Value, true
	}
}

// Eval computes v: maps, lists and scalars as plain Go values (integers as
// int64), references resolved through ctx. A string that is one reference
// keeps the referenced type; an interpolated string with an unknown part is
// Unknown.
func (v *Value) Eval(ctx EvalContext) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch v.Kind {
	case List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			x, err := e.Eval(ctx)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case Map:
		out := make(map[string]any, len(v.Keys))
		for _, k := range v.Keys {
			x, err := k.Value.Eval(ctx)
			if err != nil {
				return nil, err
			}
			out[k.Name] = x
		}
		return out, nil
	case String:
		if v.Tmpl == nil {
			return v.Str, nil
		}
	default:
		return v.Plain(), nil
	}
	if ref := v.Tmpl.Whole(); ref != nil {
		return ctx.ref(ref)
	}
	var b strings.Builder
	for _, p := range v.Tmpl.Parts {
		if p.Ref == nil {
			b.WriteString(p.Lit)
			continue
		}
		x, err := ctx.ref(p.Ref)
		if err != nil {
			return nil, err
		}
		switch t := x.(type) {
		case Unknown:
			return Unknown{Ref: v.Str}, nil
		case string:
			b.WriteString(t)
		default:
			b.WriteString(fmt.Sprint(t))
		}
	}
	return b.String(), nil
}

// ref resolves r: its head, then its subscripts into the head's value.
func (ctx EvalContext) ref(r *Ref) (any, error) {
	x, err := ctx.head(r)
	if err != nil || len(r.Sub) == 0 {
		return x, err
	}
	return r.applySubscripts(x)
}

func (ctx EvalContext) head(r *Ref) (any, error) {
	switch {
	case r.Index:
		if ctx.Index < 0 {
			return nil, fmt.Errorf("%s: ${index} outside a resource with count", r.Pos)
		}
		return int64(ctx.Index), nil
	case r.Workspace:
		return ctx.Workspace, nil
	case r.Each != "":
		if !ctx.Each {
			return nil, fmt.Errorf("%s: %s outside a resource with for_each", r.Pos, r)
		}
		if r.Each == "key" {
			return ctx.EachKey, nil
		}
		if ctx.EachValue == nil {
			return Unknown{Ref: r.String()}, nil
		}
		if r.Attr != "" {
			m, ok := ctx.EachValue.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: %s: the value of key %q is not a map", r.Pos, r, ctx.EachKey)
			}
			x, ok := m[r.Attr]
			if !ok {
				return nil, fmt.Errorf("%s: %s: the value of key %q has no field %q", r.Pos, r, ctx.EachKey, r.Attr)
			}
			return x, nil
		}
		return ctx.EachValue, nil
	case r.Var != "":
		if ctx.Var != nil {
			if x, ok := ctx.Var(r.Var); ok {
				return x, nil
			}
		}
		return nil, fmt.Errorf("%s: variable %q has no value", r.Pos, r.Var)
	case r.IsExternal():
		if ctx.External == nil {
			return Unknown{Ref: r.String()}, nil
		}
		return ctx.External(r)
	default:
		if ctx.Attr == nil {
			return Unknown{Ref: r.String()}, nil
		}
		if r.EachKey {
			if !ctx.Each {
				return nil, fmt.Errorf("%s: %s outside a resource with for_each", r.Pos, r)
			}
			keyed := *r
			keyed.EachKey, keyed.Key, keyed.Keyed = false, ctx.EachKey, true
			return ctx.Attr(&keyed)
		}
		return ctx.Attr(r)
	}
}

// Known reports whether x is a value known now: not nil, holding no
// Unknown, and not the text a saved plan writes for one.
func Known(x any) bool {
	if x == nil || HasUnknown(x) {
		return false
	}
	s, ok := x.(string)
	return !ok || s != unknownText
}

// HasUnknown reports whether x holds an Unknown anywhere.
func HasUnknown(x any) bool {
	switch t := x.(type) {
	case Unknown:
		return true
	case []any:
		for _, e := range t {
			if HasUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if HasUnknown(e) {
				return true
			}
		}
	}
	return false
}

// SplitAddress splits "web[2]" into ("web", 2), `web["eu"]` into ("web",
// -1) and "net" into ("net", -1); what is not an address (tag:NAME,
// web~replaced) comes back whole. See ParseAddress.
func SplitAddress(addr string) (string, int) {
	a, err := ParseAddress(addr)
	if err != nil {
		return addr, -1
	}
	return a.Name, a.Index
}

// SensitiveProperties returns the top-level properties of r whose value
// refers to a sensitive variable: they are shown as (sensitive) and stored
// only as hashes.
func (s *Stack) SensitiveProperties(r *Resource) map[string]bool {
	out := map[string]bool{}
	if r.Properties == nil {
		return out
	}
	for _, k := range r.Properties.Keys {
		for _, ref := range k.Value.PathRefs(k.Name) {
			if v, ok := s.Variables[ref.Var]; ref.Var != "" && ok && v.Sensitive && !splitSecret(r.Kind, k.Name, ref.Path) {
				out[k.Name] = true
			}
		}
	}
	return out
}

// SensitiveValue reports whether v shows a secret: it refers to a
// sensitive variable, to a sensitive property of a resource (a password,
// a private key), or to a property whose value comes from a sensitive
// variable. An output made from it is shown as (sensitive).
func (s *Stack) SensitiveValue(v *Value) bool {
	for _, ref := range v.Refs() {
		if vr, ok := s.Variables[ref.Var]; ref.Var != "" && ok && vr.Sensitive {
			return true
		}
		if !ref.IsResource() {
			continue
		}
		target := s.Resources[ref.Addr]
		if target == nil {
			continue
		}
		if slices.Contains(SensitiveProperties[target.Kind], ref.Attr) || s.SensitiveProperties(target)[ref.Attr] {
			return true
		}
	}
	return false
}

// CheckAddress says what is wrong with addr as an address of a state
// record, or nil (ParseAddress: NAME, NAME[N], NAME["KEY"], with component
// prefixes).
func CheckAddress(addr string) error {
	_, err := ParseAddress(addr)
	return err
}

// splitSecret reports whether path is a secret the kind takes out of
// property itself (SplitSecrets: an account's password), so the rest of the
// property is shown and stored.
func splitSecret(kind, property, path string) bool {
	if SplitSecretProperties[kind] != property {
		return false
	}
	rest, ok := strings.CutPrefix(path, property+"[")
	if !ok {
		return false
	}
	n, tail, ok := strings.Cut(rest, "]")
	_, err := strconv.Atoi(n)
	return ok && err == nil && tail == ".password"
}
