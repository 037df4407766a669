package spec

import (
	"encoding/json"
	"fmt"
	"math"
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
	// map[string]any); Source says where it came from. Unset: no value was
	// given and Load was told to allow that (validate without values).
	Value  any
	Source string
	Unset  bool
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
				if v.Default.FloatForm {
					v.Type = "number"
				}
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

// resolve sets v.Value from --var, then the variable files (the last that
// sets it), then the environment, then the default. Without any, it is an
// error, or with allowUnset the variable stays without a value (Unset).
func (v *Variable) resolve(cfg *loadConfig, d *diag) {
	path := "variables." + v.Name
	if s, ok := cfg.vars[v.Name]; ok {
		v.convert(s, "--var "+v.Name, d)
		return
	}
	for i := len(cfg.files) - 1; i >= 0; i-- {
		if val, ok := cfg.files[i].value(v.Name); ok {
			v.setPlain(val, "variable file "+cfg.files[i].Path, "the value", d)
			return
		}
	}
	if v.Env != "" {
		if s := cfg.getenv(v.Env); s != "" {
			v.convert(s, "environment variable "+v.Env, d)
			return
		}
	}
	if v.Default != nil {
		if v.Default.Tmpl != nil {
			d.errorf(v.Default.Pos, path+".default", "a default cannot hold references")
			return
		}
		v.setPlain(v.Default, "default", "the default", d)
		return
	}
	if cfg.allowUnset {
		v.Unset = true
		return
	}
	d.errorf(v.Pos, path, "variable %q has no value: set it with %s, or give it a default", v.Name, v.HowToSet())
}

// HowToSet says how a value is given: "--var name=… or $ENV".
func (v *Variable) HowToSet() string {
	if v.Env == "" {
		return "--var " + v.Name + "=… or a --var-file"
	}
	return "--var " + v.Name + "=…, a --var-file or $" + v.Env
}

// setPlain takes a YAML value (a default, or a variable file's) if its type
// is the variable's; what names it in an error ("the default").
func (v *Variable) setPlain(val *Value, source, what string, d *diag) {
	x := val.Plain()
	if !typeMatches(v.Type, x) {
		path := "variables." + v.Name
		if source != "default" {
			path = v.Name
		} else {
			path += ".default"
		}
		hint := ""
		if v.Type == "string" && val.Kind != String && val.Kind != List && val.Kind != Map {
			hint = "; quote it to make it text"
		}
		d.errorf(val.Pos, path, "%s is %s, but the variable's type is %s%s", what, withArticle(kindOf(x)), v.Type, hint)
		return
	}
	if v.Type == "number" {
		if i, ok := x.(int64); ok {
			x = float64(i)
		}
	}
	v.Value, v.Source = x, source
}

func (v *Variable) convert(s, source string, d *diag) {
	var val any
	var err error
	switch v.Type {
	case "string":
		val = s
	case "integer":
		val, err = parseInteger(strings.TrimSpace(s))
	case "number":
		val, err = parseNumber(strings.TrimSpace(s))
	case "boolean":
		val, err = strconv.ParseBool(strings.TrimSpace(s))
	case "list", "map":
		var x any
		err = json.Unmarshal([]byte(s), &x)
		val = normalizeJSON(x)
		if err == nil && !typeMatches(v.Type, val) {
			err = fmt.Errorf("it is %s", withArticle(kindOf(val)))
		}
	}
	if err != nil {
		shown := strconv.Quote(s)
		if v.Sensitive {
			shown = "(sensitive)"
		}
		how := ""
		switch v.Type {
		case "list":
			how = ` (write it as JSON, such as ["a", "b"], or in a --var-file)`
		case "map":
			how = ` (write it as JSON, such as {"a": 1}, or in a --var-file)`
		}
		d.errorf(v.Pos, "variables."+v.Name, "%s gives %s, which is not %s%s", source, shown, withArticle(v.Type), how)
		return
	}
	v.Value, v.Source = val, source
}

// parseInteger reads an integer, or a float without a fraction (3.0, 1e1)
// as the integer it is.
func parseInteger(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := parseNumber(s)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > MaxExactInt {
		return 0, fmt.Errorf("number: %s is not a whole number in range", s)
	}
	return int64(f), nil
}

// parseNumber reads a finite number within ±MaxExactInt, as the stack
// file's reader does: ParseFloat alone takes "inf", "NaN" and 1e300.
func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxExactInt {
		return 0, fmt.Errorf("number: %s is not finite or out of range", s)
	}
	return f, nil
}

// normalizeJSON turns float64 integers from encoding/json into int64.
func normalizeJSON(x any) any {
	switch t := x.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) <= MaxExactInt {
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

// withArticle is "an integer", "a string".
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
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
