package spec

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A Variable is an input of the stack.
type Variable struct {
	Name        string
	Type        string // string, integer, number, boolean, list, map
	Default     *Value
	Env         string
	Sensitive   bool
	Description string
	Pos         Pos

	// Value is the resolved value (string, int64, float64, bool, []any,
	// map[string]any); Source says where it came from.
	Value  any
	Source string
	used   bool
}

// readVariable takes a variable's definition from its YAML value; the
// schema reports structural problems.
func readVariable(k *Key) *Variable {
	v := &Variable{Name: k.Name, Pos: k.Pos, Type: ""}
	def := k.Value
	if def == nil || def.Kind != Map {
		return v
	}
	if t := def.Get("type"); t != nil && t.Kind == String {
		v.Type = t.Str
	}
	v.Default = def.Get("default")
	if e := def.Get("env"); e != nil && e.Kind == String {
		v.Env = e.Str
	}
	if s := def.Get("sensitive"); s != nil && s.Kind == Bool {
		v.Sensitive = s.Bool
	}
	if s := def.Get("description"); s != nil && s.Kind == String {
		v.Description = s.Str
	}
	if v.Type == "" {
		v.Type = "string"
		if v.Default != nil {
			switch v.Default.Kind {
			case Int:
				v.Type = "integer"
			case Float:
				v.Type = "number"
			case Bool:
				v.Type = "boolean"
			case List:
				v.Type = "list"
			case Map:
				v.Type = "map"
			}
		}
	}
	return v
}

// resolve sets v.Value from --var, then the environment, then the default.
func (v *Variable) resolve(vars map[string]string, getenv func(string) string, d *diag) {
	path := "variables." + v.Name
	if s, ok := vars[v.Name]; ok {
		v.convert(s, "--var "+v.Name, d)
		return
	}
	if v.Env != "" {
		if s := getenv(v.Env); s != "" {
			v.convert(s, "environment variable "+v.Env, d)
			return
		}
	}
	if v.Default != nil {
		if v.Default.Tmpl != nil {
			d.errorf(v.Default.Pos, path+".default", "a default cannot hold references")
			return
		}
		val := v.Default.Plain()
		if !typeMatches(v.Type, val) {
			d.errorf(v.Default.Pos, path+".default", "the default is a %s, but the variable's type is %s", kindOf(val), v.Type)
			return
		}
		if v.Type == "number" {
			if i, ok := val.(int64); ok {
				val = float64(i)
			}
		}
		v.Value, v.Source = val, "default"
		return
	}
	how := "--var " + v.Name + "=…"
	if v.Env != "" {
		how += " or $" + v.Env
	}
	d.errorf(v.Pos, path, "variable %q has no value: set it with %s, or give it a default", v.Name, how)
}

func (v *Variable) convert(s, source string, d *diag) {
	var val any
	var err error
	switch v.Type {
	case "string":
		val = s
	case "integer":
		val, err = strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	case "number":
		val, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
	case "boolean":
		val, err = strconv.ParseBool(strings.TrimSpace(s))
	case "list", "map":
		var x any
		err = json.Unmarshal([]byte(s), &x)
		val = normalizeJSON(x)
		if err == nil && !typeMatches(v.Type, val) {
			err = fmt.Errorf("it is a %s", kindOf(val))
		}
	}
	if err != nil {
		shown := strconv.Quote(s)
		if v.Sensitive {
			shown = "(sensitive)"
		}
		d.errorf(v.Pos, "variables."+v.Name, "%s gives %s, which is not a %s", source, shown, v.Type)
		return
	}
	v.Value, v.Source = val, source
}

// normalizeJSON turns float64 integers from encoding/json into int64.
func normalizeJSON(x any) any {
	switch t := x.(type) {
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
	case []any:
		for i, e := range t {
			t[i] = normalizeJSON(e)
		}
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeJSON(e)
		}
	}
	return x
}

func typeMatches(typ string, val any) bool {
	switch val.(type) {
	case string:
		return typ == "string"
	case int64:
		return typ == "integer" || typ == "number"
	case float64:
		return typ == "number"
	case bool:
		return typ == "boolean"
	case []any:
		return typ == "list"
	case map[string]any:
		return typ == "map"
	}
	return false
}

func kindOf(val any) string {
	switch val.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "list"
	case map[string]any:
		return "map"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", val)
}
