package spec

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A Template is a string with ${…} references.
type Template struct {
	Parts []Part
}

// A Part is literal text or a reference.
type Part struct {
	Lit string
	Ref *Ref
}

// Whole returns the reference when the string is exactly one reference (it
// then keeps the referenced value's type), or nil.
func (t *Template) Whole() *Ref {
	if t != nil && len(t.Parts) == 1 && t.Parts[0].Ref != nil {
		return t.Parts[0].Ref
	}
	return nil
}

// Refs returns the template's references in order.
func (t *Template) Refs() []*Ref {
	if t == nil {
		return nil
	}
	var out []*Ref
	for _, p := range t.Parts {
		if p.Ref != nil {
			out = append(out, p.Ref)
		}
	}
	return out
}

// A Ref is one ${…} reference.
type Ref struct {
	Raw string // the text between ${ and }
	Pos Pos

	Var       string // ${var.name}
	Index     bool   // ${index}
	Workspace bool   // ${workspace}

	Each string // ${each.key}, ${each.value}: "key" or "value" (Attr: ${each.value.field})

	Addr  string // ${addr.attr}, ${addr[i].attr}, ${addr["key"].attr}, ${addr[*].attr}
	Idx   int    // -1 when no [i]
	Key   string // the for_each key of ${addr["key"].attr}, when Keyed
	Keyed bool
	// EachKey: ${addr[each.key].attr}, the copy of addr with this copy's key.
	EachKey bool
	Splat   bool   // [*]
	Attr    string // the attribute; the output's name for ${stack.NAME.outputs.X}
	// Sub are the steps into the attribute's value after it:
	// ${web[0].private_ips[0]}, ${x.attr["key"]} (see Subscript).
	Sub []Subscript

	Input     string // ${input.NAME}, inside a component file
	Component string // ${component.NAME.outputs.X} (Attr: X); NAME[i], NAME["key"], NAME[*] as Addr's

	Data  string // ${data.NAME.attr}
	Stack string // ${stack.NAME.outputs.X}
}

// String gives the reference as written: ${…}.
func (r *Ref) String() string { return "${" + r.Raw + "}" }

// IsResource reports whether the reference names a resource attribute.
func (r *Ref) IsResource() bool { return r.Addr != "" }

// IsExternal reports whether the reference reads what the stack does not
// own: a data source's attribute or another stack's output.
func (r *Ref) IsExternal() bool { return r.Data != "" || r.Stack != "" }

var (
	refVar       = regexp.MustCompile(`^var\.([a-z][a-z0-9_]*)$`)
	refAttr      = regexp.MustCompile(`^([a-z][a-z0-9_]*)(?:\[(\*|[0-9]+|"[^"]*"|each\.key)\])?\.([a-z][a-z0-9_]*)$`)
	refEachField = regexp.MustCompile(`^each\.value\.([A-Za-z_][A-Za-z0-9_]*)$`)
	refInput     = regexp.MustCompile(`^input\.([a-z][a-z0-9_]*)$`)
	refComponent = regexp.MustCompile(`^component\.([a-z][a-z0-9_]*)(?:\[(\*|[0-9]+|"[^"]*")\])?\.outputs\.([a-z][a-z0-9_]*)$`)
	refIndex     = "index"
	refWorkspace = "workspace"
)

type refError struct {
	pos Pos
	msg string
}

// parseTemplate splits s into literal text and references; pos is where s
// starts in the file. It returns nil when s holds no reference.
func parseTemplate(s string, pos Pos) (*Template, []refError) {
	if !strings.Contains(s, "${") {
		return nil, nil
	}
	var t Template
	var errs []refError
	var lit strings.Builder
	// at is where byte byteOff of s is; offsets only grow, so the column
	// is counted on from the last one (linear in len(s), not quadratic).
	seen, cols, multiline := 0, 0, false
	at := func(byteOff int) Pos {
		part := s[seen:byteOff]
		multiline = multiline || strings.Contains(part, "\n")
		cols += utf8.RuneCountInString(part)
		seen = byteOff
		p := pos
		if !multiline {
			p.Col += cols
		}
		return p
	}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			lit.WriteString("${")
			i += 3
			continue
		}
		if !strings.HasPrefix(s[i:], "${") {
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			errs = append(errs, refError{at(i), "unclosed reference: " + strconv.Quote(s[i:]) + " has no closing }"})
			break
		}
		raw := strings.TrimSpace(s[i+2 : i+end])
		ref, msg := parseRef(raw)
		if msg != "" {
			errs = append(errs, refError{at(i), msg})
		} else {
			ref.Pos = at(i)
			if lit.Len() > 0 {
				t.Parts = append(t.Parts, Part{Lit: lit.String()})
				lit.Reset()
			}
			t.Parts = append(t.Parts, Part{Ref: ref})
		}
		i += end + 1
	}
	if lit.Len() > 0 {
		t.Parts = append(t.Parts, Part{Lit: lit.String()})
	}
	if len(t.Refs()) == 0 {
		return nil, errs
	}
	return &t, errs
}

// unescape writes "$${" as "${" in a string that holds no reference.
func unescape(s string) string { return strings.ReplaceAll(s, "$${", "${") }

// parseRef parses the text inside ${…}: a head (parseHead), then perhaps
// subscripts into its value.
func parseRef(raw string) (*Ref, string) {
	r, msg := parseHead(raw)
	if msg == "" {
		return r, ""
	}
	head, subs, ok, bad := splitSubscripts(raw)
	if bad != "" {
		return nil, bad
	}
	if !ok {
		return nil, msg
	}
	r, _ = parseHead(head)
	if !r.subscriptable() {
		return nil, "${" + head + "} cannot be indexed in ${" + raw + "}: only a resource's attribute, a variable, each.value, a data source's attribute or another stack's output can"
	}
	r.Raw, r.Sub = raw, subs
	return r, ""
}

// parseHead parses a reference without subscripts.
func parseHead(raw string) (*Ref, string) {
	r := &Ref{Raw: raw, Idx: -1}
	switch {
	case raw == refIndex:
		r.Index = true
	case raw == refWorkspace:
		r.Workspace = true
	case refData.MatchString(raw):
		m := refData.FindStringSubmatch(raw)
		r.Data, r.Attr = m[1], m[2]
	case refStack.MatchString(raw):
		m := refStack.FindStringSubmatch(raw)
		r.Stack, r.Attr = m[1], m[2]
	case raw == "each.key" || raw == "each.value":
		r.Each = strings.TrimPrefix(raw, "each.")
	case refEachField.MatchString(raw):
		r.Each, r.Attr = "value", refEachField.FindStringSubmatch(raw)[1]
	case strings.HasPrefix(raw, "each."):
		return nil, "malformed reference ${" + raw + "}: a for_each copy has ${each.key}, ${each.value} and, when the values are maps, ${each.value.field}"
	case refInput.MatchString(raw):
		r.Input = refInput.FindStringSubmatch(raw)[1]
	case refComponent.MatchString(raw):
		m := refComponent.FindStringSubmatch(raw)
		r.Component, r.Attr = m[1], m[3]
		if msg := r.componentCopy(m[2]); msg != "" {
			return nil, msg
		}
	case refVar.MatchString(raw):
		r.Var = refVar.FindStringSubmatch(raw)[1]
	case refAttr.MatchString(raw):
		m := refAttr.FindStringSubmatch(raw)
		r.Addr, r.Attr = m[1], m[3]
		switch m[2] {
		case "":
		case "*":
			r.Splat = true
		case "each.key":
			r.EachKey = true
		default:
			if strings.HasPrefix(m[2], `"`) {
				key := strings.Trim(m[2], `"`)
				if err := CheckKey(key); err != nil {
					return nil, err.Error() + " in ${" + raw + "}"
				}
				r.Key, r.Keyed = key, true
				break
			}
			n, err := strconv.Atoi(m[2])
			if err != nil || n > 100000 {
				return nil, "index " + m[2] + " is out of range in ${" + raw + "}"
			}
			r.Idx = n
		}
	case raw == "":
		return nil, "empty reference ${}"
	default:
		return nil, "malformed reference ${" + raw + "}: want ${address.attribute}, ${address[0].attribute}, ${address[*].attribute}, ${address.attribute[0]}, ${var.name}, ${data.name.attribute}, ${stack.name.outputs.output}, ${index} or ${workspace}"
	}
	return r, ""
}
