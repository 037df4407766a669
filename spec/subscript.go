package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A Subscript is one step into a list or map value after a reference's
// attribute: [0] (Idx), ["key"] (Key, Keyed) or .field (Key, Field), as in
// ${web[0].private_ips[0]}, ${db.parameters["max_connections"]} or
// ${web[0].interfaces[0].ip}. A field step comes after a bracket only: the
// attribute's own name ends at the first [.
type Subscript struct {
	Idx   int
	Key   string
	Keyed bool // ["key"]
	Field bool // .field
}

// String writes the step as a reference spells it.
func (s Subscript) String() string {
	switch {
	case s.Field:
		return "." + s.Key
	case s.Keyed:
		return `["` + s.Key + `"]`
	}
	return "[" + strconv.Itoa(s.Idx) + "]"
}

// subscriptChain matches the steps after a reference's head: a bracket
// first, then brackets and fields.
var (
	subscriptChain = regexp.MustCompile(`^\[(?:[0-9]+|"[^"]*")\](?:\[(?:[0-9]+|"[^"]*")\]|\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	subscriptStep  = regexp.MustCompile(`\[([0-9]+)\]|\["([^"]*)"\]|\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// splitSubscripts splits raw into the reference's head and its trailing
// subscripts, at the first [ after which the rest is a chain of steps and
// before which the head is a reference on its own. ok is false when raw
// has no such chain.
func splitSubscripts(raw string) (string, []Subscript, bool, string) {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '[' || !subscriptChain.MatchString(raw[i:]) {
			continue
		}
		head := strings.TrimSpace(raw[:i])
		if _, msg := parseHead(head); msg != "" {
			continue
		}
		var subs []Subscript
		for _, m := range subscriptStep.FindAllStringSubmatch(raw[i:], -1) {
			switch {
			case m[1] != "":
				n, err := strconv.Atoi(m[1])
				if err != nil || n > 100000 {
					return "", nil, false, "index [" + m[1] + "] is out of range in ${" + raw + "}"
				}
				subs = append(subs, Subscript{Idx: n})
			case m[3] != "":
				subs = append(subs, Subscript{Key: m[3], Field: true})
			default:
				subs = append(subs, Subscript{Key: m[2], Keyed: true})
			}
		}
		return head, subs, true, ""
	}
	return "", nil, false, ""
}

// subscriptable reports whether a reference's value may be indexed: a
// resource's attribute, a variable, each.value, a data source's attribute,
// another stack's output.
func (r *Ref) subscriptable() bool {
	return r.Addr != "" || r.Var != "" || r.Each == "value" || r.IsExternal()
}

// SubscriptText is the reference's subscripts as written ("[0]", "" when it
// has none).
func (r *Ref) SubscriptText() string {
	var b strings.Builder
	for _, s := range r.Sub {
		b.WriteString(s.String())
	}
	return b.String()
}

// applySubscripts indexes x, the value of r's head, by r's subscripts. A
// value known only after apply stays so; an index out of range, a key a
// map lacks, or a step into what is neither list nor map is an error at
// r's position. Of a splat (${web[*].private_ips[0]}) each element is
// indexed.
func (r *Ref) applySubscripts(x any) (any, error) {
	v, msg := r.subscripted(x)
	if msg != "" {
		return nil, fmt.Errorf("%s: %s: %s", r.Pos, r, msg)
	}
	return v, nil
}

// subscripted is applySubscripts with the problem as a message without
// position ("" when there is none), for validate to report.
func (r *Ref) subscripted(x any) (any, string) {
	if len(r.Sub) == 0 {
		return x, ""
	}
	if list, ok := x.([]any); ok && r.Splat {
		out := make([]any, len(list))
		for i, e := range list {
			v, msg := r.index(e)
			if msg != "" {
				return nil, msg
			}
			out[i] = v
		}
		return out, ""
	}
	return r.index(x)
}

// index walks x by r's subscripts. Messages name types and sizes, never
// values: a variable may be sensitive.
func (r *Ref) index(x any) (any, string) {
	at := r.headText()
	for _, s := range r.Sub {
		if _, unknown := x.(Unknown); unknown {
			return x, "" // known after apply; its Ref still names where it comes from
		}
		switch t := x.(type) {
		case []any:
			if s.Keyed || s.Field {
				return nil, fmt.Sprintf("%s is a list of %d; index it with a number, such as %s[0]", at, len(t), at)
			}
			if s.Idx >= len(t) {
				return nil, fmt.Sprintf("index %d is out of range: %s has %d element%s", s.Idx, at, len(t), plural(len(t)))
			}
			x = t[s.Idx]
		case map[string]any:
			if !s.Keyed && !s.Field {
				return nil, fmt.Sprintf("%s is a map; name a key, such as %s[\"key\"]", at, at)
			}
			v, ok := t[s.Key]
			if !ok {
				return nil, fmt.Sprintf("%s has no key %q", at, s.Key)
			}
			x = v
		case nil:
			return nil, fmt.Sprintf("%s has no value to index", at)
		default:
			return nil, fmt.Sprintf("%s is %s, not a list or a map; it cannot be indexed", at, describeScalar(t))
		}
		at += s.String()
	}
	return x, ""
}

// headText is the reference without its subscripts, as written.
func (r *Ref) headText() string {
	return strings.TrimSuffix(r.Raw, r.SubscriptText())
}

func describeScalar(x any) string {
	switch x.(type) {
	case string:
		return "a text"
	case bool:
		return "a boolean"
	case int64, float64, int:
		return "a number"
	}
	return fmt.Sprintf("a %T", x)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// checkSubscripts reports at validate what can be known of a reference's
// subscripts now: those into a variable's value, into an attribute that is
// text, or into a property written as a literal in the target. The rest is
// checked when the plan evaluates the reference.
func (s *Stack) checkSubscripts(ref *Ref, path string, d *diag) {
	if len(ref.Sub) == 0 {
		return
	}
	report := func(x any) {
		if _, msg := ref.subscripted(x); msg != "" {
			d.errorf(ref.Pos, path, "%s: %s", ref, msg)
		}
	}
	switch {
	case ref.Var != "":
		if v, ok := s.Variables[ref.Var]; ok && v.Value != nil && !v.Unset {
			report(v.Value)
		}
	case ref.Data != "":
		if ds, ok := s.Data[ref.Data]; ok {
			if typ, _ := dataAttrType(ds.Kind, ref.Attr); typ == "string" {
				report("")
			}
		}
	case ref.IsResource():
		target, ok := s.Resources[ref.Addr]
		if !ok {
			return
		}
		typ, exported := Exports[target.Kind][ref.Attr]
		var x any
		switch {
		case exported && typ == "string":
			x = ""
		case exported && typ == "list" && (ref.Sub[0].Keyed || ref.Sub[0].Field):
			x = []any{Unknown{}}
		case !exported && target.Properties != nil:
			v := target.Properties.Get(ref.Attr)
			if v == nil || len(v.PathRefs("")) > 0 {
				return
			}
			val, err := v.Eval(EvalContext{Index: -1})
			if err != nil {
				return
			}
			x = val
		default:
			return
		}
		if ref.Splat {
			x = []any{x}
		}
		report(x)
	}
}

// subscriptedKnown is x indexed by r's subscripts when that is a value
// known now; false when it is not (reported elsewhere, or unknown).
func (r *Ref) subscriptedKnown(x any) (any, bool) {
	v, msg := r.subscripted(x)
	return v, msg == "" && !HasUnknown(v)
}
