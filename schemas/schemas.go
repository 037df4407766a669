package schemas

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/cdstack/cdstack/internal/suggest"
)

// StackSchema is the stack file schema as published.
//
//go:embed stack.schema.json
var StackSchema []byte

// SchemaURL is the schema's $id.
const SchemaURL = "https://cdstack.dev/schemas/stack.schema.json"

var (
	compileOnce sync.Once
	compiled    *jsonschema.Schema
	rawSchema   any
	compileErr  error
)

func schema() (*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(SchemaURL, bytes.NewReader(StackSchema)); err != nil {
			compileErr = err
			return
		}
		compiled, compileErr = c.Compile(SchemaURL)
		if compileErr == nil {
			compileErr = json.Unmarshal(StackSchema, &rawSchema)
		}
	})
	return compiled, compileErr
}

// A Violation is one way a document breaks the schema, at the JSON pointer
// Location (split into Path), with a message written for people.
type Violation struct {
	Path    []string // the instance location, one element per step
	Keyword string   // the failing keyword: enum, type, required, additionalProperties, …
	Message string
	// Key is set when the violation is about a key rather than a value
	// (unknown or misspelt property).
	Key string
	// Want is the expected type of a type violation ("an integer").
	Want string
}

// Validate checks doc (decoded JSON: map[string]any, []any, string, float64
// or json.Number, bool, nil) against the stack schema and returns the most
// specific violations, or none.
func Validate(doc any) ([]Violation, error) {
	s, err := schema()
	if err != nil {
		return nil, fmt.Errorf("stack schema: %w", err)
	}
	err = s.Validate(doc)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, err
	}
	var out []Violation
	for _, leaf := range leaves(ve) {
		out = append(out, describe(leaf, doc)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.Join(out[i].Path, "/") < strings.Join(out[j].Path, "/") })
	return dedupe(out), nil
}

// leaves returns the deepest causes. Inside an anyOf whose one branch is the
// reference form, the reference branch is dropped: a value that is not a
// reference should hear what is wrong with it as a value.
// without returns the errors that drop does not match, leaving errs as it is.
func without(errs []*jsonschema.ValidationError, drop func(*jsonschema.ValidationError) bool) []*jsonschema.ValidationError {
	return slices.DeleteFunc(slices.Clone(errs), drop)
}

func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	causes := ve.Causes
	if strings.HasSuffix(ve.KeywordLocation, "/anyOf") {
		if xMessage(ve.AbsoluteKeywordLocation) != "" {
			return []*jsonschema.ValidationError{ve} // the schema says in one line what it wants
		}
		if kept := without(causes, isReferenceBranch); len(kept) > 0 {
			causes = kept
		}
		// Of what is left, a type mismatch says less than a failure of the
		// branch whose type matched: keep the most specific.
		if specific := without(causes, isTypeOnly); len(specific) > 0 {
			causes = specific
		} else if len(causes) > 1 {
			// Every branch failed on type: one message naming them all.
			return []*jsonschema.ValidationError{mergeTypes(ve, causes)}
		}
	}
	var out []*jsonschema.ValidationError
	for _, c := range causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// isReferenceBranch reports whether an anyOf branch is the "${…}" form.
func isReferenceBranch(ve *jsonschema.ValidationError) bool {
	if strings.Contains(ve.AbsoluteKeywordLocation, "/$defs/reference") {
		return true
	}
	for _, c := range ve.Causes {
		if isReferenceBranch(c) {
			return true
		}
	}
	return false
}

// xMessage returns the x-message annotation of the schema that holds the
// keyword at abs: a one-line description of what the schema wants.
func xMessage(abs string) string {
	i := strings.LastIndex(abs, "/")
	if i < 0 {
		return ""
	}
	m, _ := schemaValue(abs[:i]).(map[string]any)
	s, _ := m["x-message"].(string)
	return s
}

func isTypeOnly(ve *jsonschema.ValidationError) bool {
	for len(ve.Causes) == 1 {
		ve = ve.Causes[0]
	}
	return len(ve.Causes) == 0 && strings.HasSuffix(ve.KeywordLocation, "/type")
}

func mergeTypes(parent *jsonschema.ValidationError, causes []*jsonschema.ValidationError) *jsonschema.ValidationError {
	var want []string
	for _, c := range causes {
		for len(c.Causes) == 1 {
			c = c.Causes[0]
		}
		if t := expectedType(c.Message); t != "" && !slices.Contains(want, t) {
			want = append(want, t)
		}
	}
	return &jsonschema.ValidationError{KeywordLocation: parent.KeywordLocation + "/type", InstanceLocation: parent.InstanceLocation,
		AbsoluteKeywordLocation: parent.AbsoluteKeywordLocation, Message: "expected " + strings.Join(want, " or ")}
}

// expectedType pulls "integer" out of "expected integer, but got string".
func expectedType(msg string) string {
	msg = strings.TrimPrefix(msg, "expected ")
	t, _, _ := strings.Cut(msg, ",")
	return t
}

func dedupe(in []Violation) []Violation {
	seen := map[string]bool{}
	var out []Violation
	for _, v := range in {
		k := strings.Join(v.Path, "/") + "\x00" + v.Key + "\x00" + v.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// describe turns a leaf error into Violations with readable messages: one,
// or one per unknown key.
func describe(ve *jsonschema.ValidationError, doc any) []Violation {
	path := splitPointer(ve.InstanceLocation)
	kw := ve.KeywordLocation[strings.LastIndex(ve.KeywordLocation, "/")+1:]
	v := Violation{Path: path, Keyword: kw, Message: ve.Message}
	value, _ := lookup(doc, path)
	if kw == "pattern" && strings.Contains(ve.KeywordLocation, "/propertyNames/") && len(path) > 0 {
		v.Key = path[len(path)-1]
		v.Message = fmt.Sprintf("name %q must start with a lower-case letter and hold only a-z, 0-9 and _", v.Key)
		return []Violation{v}
	}
	if msg, ok := fileKindMessage(ve); ok {
		v.Keyword, v.Key, v.Message = "false", path[len(path)-1], msg
		return []Violation{v}
	}
	if msg := xMessage(ve.AbsoluteKeywordLocation); msg != "" && (kw == "anyOf" || kw == "pattern") {
		v.Message = fmt.Sprintf("%s is not %s", show(value), msg)
		return []Violation{v}
	}
	switch kw {
	case "enum":
		if enum, ok := schemaValue(ve.AbsoluteKeywordLocation).([]any); ok {
			v.Message = fmt.Sprintf("%s is not one of %s", show(value), showList(enum))
		}
	case "const":
		v.Message = fmt.Sprintf("%s must be %s", show(value), show(schemaValue(ve.AbsoluteKeywordLocation)))
	case "type":
		v.Want = article(expectedType(ve.Message))
		v.Message = fmt.Sprintf("%s is %s, want %s", show(value), typeName(value), v.Want)
	case "required":
		missing := quoted(ve.Message)
		v.Message = fmt.Sprintf("missing required property %s", strings.Join(missing, ", "))
	case "additionalProperties", "false":
		// The library names every unknown key of the map in one message.
		var out []Violation
		for _, k := range quoted(ve.Message) {
			u := v
			u.Key, _ = strconv.Unquote(k)
			u.Path = append(slices.Clone(path), u.Key)
			u.Message = fmt.Sprintf("unknown property %q", u.Key)
			if s := suggest.Closest(u.Key, siblings(ve.AbsoluteKeywordLocation), 2); s != "" {
				u.Message += fmt.Sprintf("; did you mean %q?", s)
			}
			out = append(out, u)
		}
		if len(out) > 0 {
			return out
		}
	case "pattern":
		v.Message = fmt.Sprintf("%s does not match the pattern %s", show(value), show(schemaValue(ve.AbsoluteKeywordLocation)))
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
		bound := schemaValue(ve.AbsoluteKeywordLocation)
		words := map[string]string{"minimum": "is less than the minimum", "maximum": "is greater than the maximum",
			"exclusiveMinimum": "must be greater than", "exclusiveMaximum": "must be less than", "multipleOf": "is not a multiple of"}
		v.Message = fmt.Sprintf("%s %s %s", show(value), words[kw], show(bound))
	case "minLength", "maxLength", "minItems", "maxItems":
		bound := schemaValue(ve.AbsoluteKeywordLocation)
		words := map[string]string{"minLength": "is shorter than %s characters", "maxLength": "is longer than %s characters",
			"minItems": "has fewer than %s items", "maxItems": "has more than %s items"}
		v.Message = fmt.Sprintf("%s "+words[kw], show(value), show(bound))
	case "uniqueItems":
		v.Message = "has duplicate items: " + strings.TrimPrefix(ve.Message, "items at ")
	}
	return []Violation{v}
}

func article(t string) string {
	if t == "" {
		return "another type"
	}
	if strings.Contains(t, " or ") {
		return t
	}
	if strings.IndexAny(t[:1], "aeiou") == 0 {
		return "an " + t
	}
	return "a " + t
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number, int, int64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}

// maxShown bounds how much of a value a message quotes.
const maxShown = 80

// show prints a value for a message: strings quoted, lists and maps as
// JSON, anything longer than maxShown cut with its length said.
func show(v any) string {
	if s, ok := v.(string); ok && utf8.RuneCountInString(s) > maxShown {
		return strconv.Quote(string([]rune(s)[:maxShown])) + fmt.Sprintf("… (%d characters)", utf8.RuneCountInString(s))
	}
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	case nil:
		return "null"
	case []any, map[string]any:
		b, _ := json.Marshal(t)
		return string(b)
	}
	return fmt.Sprint(v)
}

// showList prints an enum as [1 2 4] or ["a" "b"].
func showList(list []any) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = show(e)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// quoted returns the 'single-quoted' words of a library message.
func quoted(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, strconv.Quote(msg[i+1:i+1+j]))
		msg = msg[i+j+2:]
	}
}

func splitPointer(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

// lookup follows path in a decoded JSON document.
func lookup(doc any, path []string) (any, bool) {
	cur := doc
	for _, p := range path {
		switch t := cur.(type) {
		case map[string]any:
			v, ok := t[p]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			cur = t[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// schemaValue returns the schema's value at an absolute keyword location
// (SchemaURL#/json/pointer).
func schemaValue(abs string) any {
	_, ptr, ok := strings.Cut(abs, "#")
	if !ok {
		return nil
	}
	v, _ := lookup(rawSchema, splitPointer(ptr))
	return v
}

// siblings lists the properties allowed next to an unknown one.
func siblings(abs string) []string {
	base, ok := strings.CutSuffix(abs, "/additionalProperties")
	if !ok {
		return nil
	}
	props, _ := schemaValue(base + "/properties").(map[string]any)
	var out []string
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fileKindMessage says why a top-level key is refused by the kind of file:
// a file with stack: is a stack file, which has no inputs; one without is a
// component file, which has none of what only a stack has.
func fileKindMessage(ve *jsonschema.ValidationError) (string, bool) {
	if name, ok := strings.CutPrefix(ve.KeywordLocation, "/then/properties/"); ok && !strings.Contains(name, "/") {
		return fmt.Sprintf("a stack file (one with stack:) has no %s: only a component file has inputs (${input.NAME}); a stack declares variables", name), true
	}
	if name, ok := strings.CutPrefix(ve.KeywordLocation, "/else/properties/"); ok && !strings.Contains(name, "/") {
		return fmt.Sprintf("%s belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components", name), true
	}
	return "", false
}
