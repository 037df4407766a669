package spec

import (
	"encoding/json"
	"strconv"
	"strings"
)

// A Kind is the type of a Value.
type Kind int

// The kinds of YAML values a stack holds.
const (
	Null Kind = iota
	Bool
	Int
	Float
	String
	List
	Map
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "integer", "number", "string", "list", "map"}[k]
}

// A Value is a YAML value with its position. Strings that contain ${…} carry
// their parsed Template.
type Value struct {
	Kind  Kind
	Pos   Pos
	Bool  bool
	Int   int64
	Float float64
	Str   string
	List  []*Value
	Keys  []*Key
	Tmpl  *Template
	// TmplErr is set when the string has a malformed reference (reported).
	TmplErr bool
	// FloatForm is set on an Int written as a float without a fraction
	// (3.0, 1e1): it is the integer, and a variable whose default it is
	// has type number.
	FloatForm bool
}

// A Key is one entry of a map, in file order.
type Key struct {
	Name  string
	Pos   Pos
	Value *Value
}

// Get returns the value of key name, or nil.
func (v *Value) Get(name string) *Value {
	if k := v.Key(name); k != nil {
		return k.Value
	}
	return nil
}

// Key returns the entry named name, or nil.
func (v *Value) Key(name string) *Key {
	if v == nil || v.Kind != Map {
		return nil
	}
	for _, k := range v.Keys {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Plain returns the value as plain Go data (map[string]any, []any, string,
// int64, float64, bool, nil), with templates left as their source text.
func (v *Value) Plain() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Int:
		return v.Int
	case Float:
		return v.Float
	case String:
		return v.Str
	case List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			out[i] = e.Plain()
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Keys))
		for _, k := range v.Keys {
			out[k.Name] = k.Value.Plain()
		}
		return out
	}
	return nil
}

// Refs returns every reference inside v.
func (v *Value) Refs() []*Ref {
	var out []*Ref
	v.walk(func(x *Value) {
		if x.Tmpl != nil {
			out = append(out, x.Tmpl.Refs()...)
		}
	})
	return out
}

// A PathRef is a reference with the property path it was found at.
type PathRef struct {
	Path string
	*Ref
}

// PathRefs returns every reference inside v with its path below prefix.
func (v *Value) PathRefs(prefix string) []PathRef {
	var out []PathRef
	var walk func(x *Value, path []string)
	walk = func(x *Value, path []string) {
		if x == nil {
			return
		}
		if x.Tmpl != nil {
			for _, r := range x.Tmpl.Refs() {
				out = append(out, PathRef{Path: joinPath(path), Ref: r})
			}
		}
		for i, e := range x.List {
			walk(e, append(path, strconv.Itoa(i)))
		}
		for _, k := range x.Keys {
			walk(k.Value, append(path, k.Name))
		}
	}
	walk(v, []string{prefix})
	return out
}

func (v *Value) walk(f func(*Value)) {
	if v == nil {
		return
	}
	f(v)
	for _, e := range v.List {
		e.walk(f)
	}
	for _, k := range v.Keys {
		k.Value.walk(f)
	}
}

// path elements join as a.b[0].c for messages.
func joinPath(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// at follows a path of map keys and list indexes; it returns the deepest
// value reached and, when the last step names a key, that key.
func (v *Value) at(path []string) (*Value, *Key) {
	cur := v
	var key *Key
	for _, p := range path {
		key = nil
		switch cur.Kind {
		case Map:
			k := cur.Key(p)
			if k == nil {
				return cur, nil
			}
			key, cur = k, k.Value
		case List:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(cur.List) {
				return cur, nil
			}
			cur = cur.List[i]
		default:
			return cur, nil
		}
	}
	return cur, key
}

// Unknown stands for a value known only after apply (an attribute of a
// resource not yet created).
type Unknown struct{ Ref string }

// unknownText is how an Unknown is written.
const unknownText = "(known after apply)"

// MarshalJSON writes an unknown value as the string "(known after apply)".
func (u Unknown) MarshalJSON() ([]byte, error) { return json.Marshal(unknownText) }

func (u Unknown) String() string { return unknownText }
