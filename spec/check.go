package spec

import (
	"encoding/json"
	"fmt"
	"golang.org/x/crypto/ssh"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cdstack/cdstack/internal/suggest"
	"github.com/cdstack/cdstack/schemas"
)

// check runs the checks that need the whole stack, then the schema.
func (s *Stack) check(d *diag) {
	for _, name := range s.Order {
		r := s.Resources[name]
		s.checkCount(r, d)
		s.checkForEach(r, d)
	}
	for _, name := range s.Order {
		r := s.Resources[name]
		path := "resources." + name
		for _, pr := range r.Properties.PathRefs(path + ".properties") {
			s.checkRef(pr.Ref, r, pr.Path, d)
		}
		s.checkDependsOn(r, path, d)
		s.checkIgnoreChanges(r, path, d)
		checkSecurityGroup(r, path, d)
		s.checkGroupInterfaces(r, path, d)
		s.checkRefused(r, path, d)
		if pw := r.Properties.Get("password"); r.Kind == "instance" && pw != nil && pw.Kind == String && pw.Tmpl == nil {
			d.warnf(pw.Pos, path+".properties.password", "the password is written in the stack file; use a sensitive variable: password: ${var.admin_password}")
		}
		if k := r.Properties.Get("public_key"); r.Kind == "instance" && k != nil && k.Kind == String && k.Tmpl == nil {
			if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.Str)); err != nil {
				d.errorf(k.Pos, path+".properties.public_key", "not an OpenSSH public key (%v): write it as one line of an authorized_keys file, such as ssh-ed25519 AAAA… me@host", err)
			}
		}
		if pw := r.Properties.Get("image_password"); r.Kind == "instance" && pw != nil && pw.Kind == String && pw.Tmpl == nil {
			d.warnf(pw.Pos, path+".properties.image_password", "the image password is written in the stack file; use a sensitive variable: image_password: ${var.image_password}")
		}
	}
	for _, o := range s.Outputs {
		for _, pr := range o.Value.PathRefs("outputs." + o.Name) {
			s.checkRef(pr.Ref, nil, pr.Path, d)
		}
	}
	s.checkComponentOutputs(d)
	s.checkData(d)
	s.checkStacks(d)
	s.checkTenants(d)
	s.checkMoved(d)
	s.checkCycles(d)
	s.checkUniqueNames(d)
	s.checkSchema(d)
	for _, name := range sortedKeys(s.Variables) {
		if v := s.Variables[name]; !v.used {
			d.warnf(v.Pos, "variables."+name, "variable %q is never used", name)
		}
	}
}

// MaxCount is the most copies one resource may have (the schema's maximum).
const MaxCount = 1000

// checkCount resolves count: a non-negative integer or ${var.x}.
func (s *Stack) checkCount(r *Resource, d *diag) {
	if r.value == nil || r.value.Kind != Map {
		return
	}
	k := r.value.Key("count")
	if k == nil {
		return
	}
	v := k.Value
	r.CountPos = v.Pos
	r.Count = 0
	path := "resources." + r.Name + ".count"
	switch {
	case v.Kind == Null:
		d.errorf(v.Pos, path, "count is null: it takes a whole number from 0 to %d, or ${var.name} holding one, known before apply", MaxCount)
	case v.Kind == Int:
		if v.Int >= 0 && v.Int <= MaxCount {
			r.Count = int(v.Int)
		}
	case v.Kind == Float:
		// Not a whole number (3.0 and 1e1 are Int by now): the schema
		// refuses a fraction, the reader an infinity, NaN or 1e300. The
		// copies' number is then unknown: no follow-on range errors.
		r.CountUnknown = true
	case v.Tmpl != nil:
		ref := v.Tmpl.Whole()
		if ref == nil || ref.Var == "" || len(ref.Sub) > 0 {
			if ref != nil && s.Variables[ref.Var] != nil {
				s.Variables[ref.Var].used = true // named, if not as count takes it
			}
			d.errorf(v.Pos, path, "count must be known before apply: a number or ${var.name}, not %q", v.Str)
			return
		}
		vr, ok := s.Variables[ref.Var]
		if !ok {
			d.errorf(ref.Pos, path, "unknown variable %q in %s%s", ref.Var, ref, suggest.DidYouMean(ref.Var, sortedKeys(s.Variables)))
			return
		}
		vr.used = true
		r.CountUnknown, r.CountVar = vr.Unset, vr.Name
		n, isInt := vr.Value.(int64)
		if f, isFloat := vr.Value.(float64); isFloat && f == math.Trunc(f) && math.Abs(f) <= MaxExactInt {
			n, isInt = int64(f), true
		}
		switch {
		case vr.Value == nil:
			// No value is reported with the variable.
		case !isInt, n < 0 || n > MaxCount:
			// Reported by the schema.
		default:
			r.Count = int(n)
		}
	}
}

// checkRef checks one reference made from resource from (nil: an output).
func (s *Stack) checkRef(ref *Ref, from *Resource, path string, d *diag) {
	switch {
	case ref.Var != "":
		v, ok := s.Variables[ref.Var]
		if !ok {
			d.errorf(ref.Pos, path, "unknown variable %q in %s%s", ref.Var, ref, suggest.DidYouMean(ref.Var, sortedKeys(s.Variables)))
			return
		}
		v.used = true
		s.checkSubscripts(ref, path, d)
	case ref.IsExternal():
		s.checkExternalRef(ref, path, d)
		s.checkSubscripts(ref, path, d)
	case ref.Index:
		if from != nil && from.HasForEach() {
			d.errorf(ref.Pos, path, "${index} is only defined inside a resource with count; with for_each use ${each.key}")
		} else if from == nil || !from.HasCount() {
			d.errorf(ref.Pos, path, "${index} is only defined inside a resource with count")
		}
	case ref.Each != "":
		if from == nil || !from.HasForEach() {
			d.errorf(ref.Pos, path, "%s is only defined inside a resource with for_each", ref)
		} else if ref.Attr != "" {
			checkEachField(ref, from, path, d)
		}
	case ref.IsResource():
		target, ok := s.Resources[ref.Addr]
		if !ok {
			d.errorf(ref.Pos, path, "unknown resource %q in %s%s", ref.Addr, ref, suggest.DidYouMean(ref.Addr, s.Names()))
			return
		}
		if from != nil && target == from {
			d.errorf(ref.Pos, path, "resource %q refers to itself in %s", from.Name, ref)
			return
		}
		if _, ok := attrType(target.Kind, ref.Attr); !ok && (slices.Contains(Kinds, target.Kind) || Exports[target.Kind] != nil) {
			d.errorf(ref.Pos, path, "%s %q has no attribute %q in %s%s", target.Kind, target.Name, ref.Attr, ref, attrHint(ref.Attr, attrNames(target.Kind)))
		} else {
			s.checkSubscripts(ref, path, d)
		}
		if target.HasForEach() || ref.Keyed || ref.EachKey {
			s.checkKeyedRef(ref, from, target, path, d)
			return
		}
		switch {
		case target.HasCount() && ref.Idx < 0 && !ref.Splat:
			d.errorf(ref.Pos, path, "%q has count: use ${%s[0].%s} for one instance or ${%s[*].%s} for all", target.Name, target.Name, ref.Attr, target.Name, ref.Attr)
		case !target.HasCount() && (ref.Idx >= 0 || ref.Splat):
			d.errorf(ref.Pos, path, "%q has no count: use ${%s.%s}", target.Name, target.Name, ref.Attr)
		case target.HasCount() && !target.CountUnknown && ref.Idx >= target.Count:
			d.errorf(ref.Pos, path, "%s is out of range: %q has %d instance(s)", ref, target.Name, target.Count)
		}
	}
}

// attrHint ends the message of an unknown attribute: the nearest name, if
// one is near (one edit in a short name, two in a longer one), and the
// names there are.
func attrHint(attr string, names []string) string {
	if near := suggest.Closest(attr, names, min(2, max(1, len(attr)/3))); near != "" {
		return fmt.Sprintf("; did you mean %q? It has %s", near, strings.Join(names, ", "))
	}
	return "; it has " + strings.Join(names, ", ")
}

func (s *Stack) checkDependsOn(r *Resource, path string, d *diag) {
	list := r.value.Get("depends_on")
	if list == nil || list.Kind != List {
		return
	}
	for i, e := range list.List {
		if e.Kind != String {
			continue
		}
		p := fmt.Sprintf("%s.depends_on[%d]", path, i)
		a, err := ParseAddress(e.Str)
		if err != nil {
			d.errorf(e.Pos, p, "%v", err)
			continue
		}
		target := s.Resources[a.Name]
		switch {
		case a.Name == r.Name:
			d.errorf(e.Pos, p, "resource %q cannot depend on itself", r.Name)
		case target == nil:
			d.errorf(e.Pos, p, "unknown resource %q%s", a.Name, suggest.DidYouMean(a.Name, s.Names()))
		case a.Instanced() && !target.CountUnknown && !target.ForEach.Unknown && !slices.Contains(target.Addresses(), a.String()):
			d.errorf(e.Pos, p, "the stack has no %s; %s has %s", a, a.Name, describeAddresses(target))
		}
	}
}

func (s *Stack) checkIgnoreChanges(r *Resource, path string, d *diag) {
	list := r.value.Get("ignore_changes")
	props, known := Properties[r.Kind]
	if list == nil || list.Kind != List || !known {
		return
	}
	for i, e := range list.List {
		if e.Kind == String && !slices.Contains(props, e.Str) {
			d.errorf(e.Pos, fmt.Sprintf("%s.ignore_changes[%d]", path, i), "%s has no property %q%s", r.Kind, e.Str, suggest.DidYouMean(e.Str, props))
		}
	}
}

// checkSchema validates the stack against the JSON Schema with references
// substituted: variables by their values, ${index} by 0, resource attributes
// by placeholders of the attribute's type. Problems at a placeholder are
// reported only when they are type mismatches: anything else depends on a
// value known after apply.
func (s *Stack) checkSchema(d *diag) {
	b := &docBuilder{s: s, unknown: map[string]string{}, sensitiveText: map[string]string{}}
	doc := b.root()
	violations, err := schemas.Validate(doc)
	if err != nil {
		d.errorf(s.root.Pos, "", "%v", err)
		return
	}
	// A type the checks reported already, saying more, is not reported
	// twice (for_each: null).
	reported := map[string]bool{}
	for _, e := range d.errs {
		reported[e.Pos.String()+" "+e.Path] = true
	}
	if b.missingStack {
		violations = append(violations, schemas.Violation{Keyword: "required", Message: `missing required property "stack"`})
	}
	for _, v := range violations {
		path := v.Path
		key := strings.Join(path, "/")
		if refType, unknown := b.unknownAt(path); unknown {
			typ, exact := b.unknown[key]
			if v.Keyword != "type" || !exact || refType == "" {
				continue
			}
			val, _ := s.root.at(path)
			d.errorf(val.Pos, joinPath(path), "%s is a %s, want %s", val.Str, typ, v.Want)
			continue
		}
		msg := v.Message
		val, k := s.root.at(path)
		pos := val.Pos
		if k != nil && v.Key != "" {
			pos = k.Pos
		}
		if val.TmplErr && v.Keyword == "pattern" {
			continue // the malformed reference is reported on its own
		}
		if v.Keyword == "type" && reported[pos.String()+" "+joinPath(path)] {
			continue
		}
		if secret, ok := b.sensitiveText[key]; ok {
			msg = maskSensitive(msg, secret)
		}
		d.errorf(pos, joinPath(path), "%s", msg)
	}
}

// maskSensitive hides a sensitive value in a schema message, which starts
// with the value (quoted when a string).
func maskSensitive(msg, secret string) string {
	for _, shown := range []string{strconv.Quote(secret), secret} {
		if shown != "" && strings.HasPrefix(msg, shown) {
			msg = "(sensitive)" + msg[len(shown):]
			break
		}
	}
	if secret != "" {
		msg = maskAll(msg, secret)
	}
	return msg
}

// maskAll replaces secret in msg by (sensitive): every occurrence, but a
// number only where it stands alone (a secret 3 is not the 3 of 32 in a
// list of allowed values, and masking that would both garble the list and
// show the value by its place).
func maskAll(msg, secret string) string {
	if _, err := strconv.ParseFloat(secret, 64); err != nil {
		return strings.ReplaceAll(msg, secret, "(sensitive)")
	}
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	var b strings.Builder
	for i := 0; i < len(msg); {
		j := strings.Index(msg[i:], secret)
		if j < 0 {
			b.WriteString(msg[i:])
			break
		}
		at, end := i+j, i+j+len(secret)
		b.WriteString(msg[i:at])
		if (at == 0 || !digit(msg[at-1])) && (end == len(msg) || !digit(msg[end])) {
			b.WriteString("(sensitive)")
		} else {
			b.WriteString(secret) // part of another number
		}
		i = end
	}
	return b.String()
}

// docBuilder makes the JSON document the schema sees.
type docBuilder struct {
	s             *Stack
	unknown       map[string]string // path → "string", "list" or "" for a placeholder
	sensitiveText map[string]string // path → the sensitive variable's text it holds
	missingStack  bool              // a stack file without stack:
}

// variable returns the value of variable name for the document at key, and
// remembers a sensitive one's text so messages about key can hide it.
func (b *docBuilder) variable(key, name string) (any, bool) {
	vr, ok := b.s.Variables[name]
	if !ok || vr.Value == nil {
		return nil, false
	}
	if vr.Sensitive {
		b.sensitiveText[key] = fmt.Sprint(vr.Value)
	}
	return vr.Value, true
}

// placeholder stands for a string known only after apply; it matches no
// reference pattern, so it is checked as a plain value.
const placeholder = "\x00known after apply"

func (b *docBuilder) root() any {
	out := map[string]any{}
	for _, k := range b.s.root.Keys {
		switch k.Name {
		case "variables", "outputs", "inputs":
			out[k.Name] = jsonPlain(k.Value)
		default:
			out[k.Name] = b.value(k.Value, []string{k.Name})
		}
	}
	// The schema tells the files apart by stack:. What a component file
	// must not have is reported when it is read (readComponents), so the
	// schema sees a component file without it; a stack file without a name
	// is reported here, and checked as a stack file all the same.
	if b.s.component {
		for _, k := range []string{"stack", "region", "budget", "variables", "moved", "stacks", "tenants"} {
			delete(out, k)
		}
	} else if _, ok := out["stack"]; !ok {
		b.missingStack = true
		out["stack"] = "stack"
	}
	return out
}

func (b *docBuilder) unknownAt(path []string) (string, bool) {
	for i := len(path); i >= 0; i-- {
		if t, ok := b.unknown[strings.Join(path[:i], "/")]; ok {
			return t, true
		}
	}
	return "", false
}

func (b *docBuilder) value(v *Value, path []string) any {
	if v == nil {
		return nil
	}
	key := strings.Join(path, "/")
	switch v.Kind {
	case List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			out[i] = b.value(e, append(path, strconv.Itoa(i)))
		}
		return out
	case Map:
		out := make(map[string]any, len(v.Keys))
		for _, k := range v.Keys {
			out[k.Name] = b.value(k.Value, append(path, k.Name))
		}
		return out
	case String:
		if v.Tmpl == nil {
			return v.Str
		}
	case Float:
		if !finite(v.Float) || math.Abs(v.Float) > MaxExactInt {
			b.unknown[key] = "" // reported where it was read
			return placeholder
		}
		return jsonPlain(v)
	default:
		return jsonPlain(v)
	}
	if ref := v.Tmpl.Whole(); ref != nil {
		switch {
		case ref.Var != "":
			val, ok := b.variable(key, ref.Var)
			if ok && len(ref.Sub) > 0 {
				val, ok = ref.subscriptedKnown(val)
			}
			if !ok {
				b.unknown[key] = ""
				return placeholder
			}
			return toJSON(val)
		case ref.Index:
			return json.Number("0")
		case ref.Workspace:
			return b.s.Workspace
		default:
			typ := ""
			if r, ok := b.s.Resources[ref.Addr]; ok {
				typ, _ = attrType(r.Kind, ref.Attr)
			}
			if ds, ok := b.s.Data[ref.Data]; ok {
				typ, _ = dataAttrType(ds.Kind, ref.Attr)
			}
			if len(ref.Sub) > 0 {
				typ = "" // an element: its type is not known
			}
			if ref.Splat {
				typ = "list"
			}
			if len(path) == 3 && path[0] == "resources" && path[2] == "count" {
				typ = "" // reported by checkCount
			}
			b.unknown[key] = typ
			if typ == "list" {
				return []any{}
			}
			return placeholder
		}
	}
	// Interpolation: a string, known now if it uses only variables and ${index}.
	var sb strings.Builder
	for _, p := range v.Tmpl.Parts {
		switch {
		case p.Ref == nil:
			sb.WriteString(p.Lit)
		case p.Ref.Index:
			sb.WriteString("0")
		case p.Ref.Workspace:
			sb.WriteString(b.s.Workspace)
		case p.Ref.Var != "":
			val, ok := b.variable(key, p.Ref.Var)
			if ok && len(p.Ref.Sub) > 0 {
				val, ok = p.Ref.subscriptedKnown(val)
			}
			if !ok {
				b.unknown[key] = "string"
				return placeholder
			}
			sb.WriteString(fmt.Sprint(val))
		default:
			b.unknown[key] = "string"
			return placeholder
		}
	}
	return sb.String()
}

// jsonPlain converts a value with numbers as json.Number, templates as text.
func jsonPlain(v *Value) any { return toJSON(v.Plain()) }

func toJSON(x any) any {
	switch t := x.(type) {
	case int64:
		return json.Number(strconv.FormatInt(t, 10))
	case float64:
		if !finite(t) {
			return nil // refused where it was read; the schema must not see it
		}
		return json.Number(strconv.FormatFloat(t, 'f', -1, 64))
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = toJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = toJSON(e)
		}
		return out
	}
	return x
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
