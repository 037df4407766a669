package resources

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
)

// Canon returns x with every integral number as int64 and every other
// number as float64, lists and maps copied, so values that came through JSON
// compare equal to values that came from YAML.
func Canon(x any) any {
	switch t := x.(type) {
	case int:
		return int64(t)
	case int32:
		return int64(t)
	case uint64:
		return int64(t)
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
		return t
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = Canon(e)
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = Canon(e)
		}
		return out
	}
	return x
}

// Equal compares two canonical values.
func Equal(a, b any) bool { return reflect.DeepEqual(Canon(a), Canon(b)) }

// Inputs are a resource's properties, canonical.
type Inputs map[string]any

// String returns the text of key, or "".
func (in Inputs) String(key string) string {
	switch v := in[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Int returns key as an integer (0 when absent).
func (in Inputs) Int(key string) int {
	switch v := Canon(in[key]).(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// Bool returns key as a boolean, def when absent.
func (in Inputs) Bool(key string, def bool) bool {
	if v, ok := in[key].(bool); ok {
		return v
	}
	return def
}

// List returns key as a list.
func (in Inputs) List(key string) []any {
	l, _ := Canon(in[key]).([]any)
	return l
}

// Maps returns key as a list of maps.
func (in Inputs) Maps(key string) []map[string]any {
	var out []map[string]any
	for _, e := range in.List(key) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Map returns key as a map, or nil.
func (in Inputs) Map(key string) map[string]any {
	m, _ := Canon(in[key]).(map[string]any)
	return m
}

// Has reports whether key is set.
func (in Inputs) Has(key string) bool {
	v, ok := in[key]
	return ok && v != nil
}

// Strings returns key as a list of strings.
func (in Inputs) Strings(key string) []string {
	var out []string
	for _, e := range in.List(key) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sortedStrings(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
