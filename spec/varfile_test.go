package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeVarFile(t *testing.T, name, content string) *VarFile {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadVarFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestVarFilesPrecedence(t *testing.T) {
	src := head + "variables:\n  a: {default: 1}\n  b: {env: B_ENV, default: x}\n  c: {type: list, default: []}\n  d: {type: number}\n" +
		"resources:\n  n: {kind: vdc, count: \"${var.a}\", properties: {name: \"${var.b}-${var.d}-${index}\"}}\n" +
		"outputs:\n  o: \"${var.c}\"\n"
	env := func(k string) string {
		if k == "B_ENV" {
			return "from-env"
		}
		return ""
	}
	common := writeVarFile(t, "common.yaml", "a: 2\nb: from-common\nc: [x, 2]\nd: 3\n")
	dev := writeVarFile(t, "dev.yaml", "a: 4\n")
	s, err := Parse("s.yaml", []byte(src), WithEnv(env), WithVarFiles(common, dev), WithVars(map[string]string{"c": `["y"]`}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for n, v := range s.Variables {
		got[n] = []any{v.Value, v.Source}
	}
	want := map[string]any{
		"a": []any{int64(4), "variable file " + dev.Path},         // the later file wins
		"b": []any{"from-common", "variable file " + common.Path}, // a file wins over the environment
		"c": []any{[]any{"y"}, "--var c"},                         // --var wins over files
		"d": []any{float64(3), "variable file " + common.Path},    // an integer is a number
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestVarFileProblems(t *testing.T) {
	src := head + "variables:\n  count: {type: integer, default: 1}\n  name: {default: x}\nresources:\n  n: {kind: vdc, count: \"${var.count}\", properties: {name: \"${var.name}-${index}\"}}\n"
	tests := []struct {
		name, file string
		want       []string
	}{
		{"undeclared", "naem: y\n", []string{`vars.yaml:1:1: naem: the stack declares no variable "naem"; did you mean "name"?`}},
		{"wrong type", "count: many\n", []string{`vars.yaml:1:8: count: the value is a string, but the variable's type is integer`}},
		{"number for text", "name: 7\n", []string{`vars.yaml:1:7: name: the value is an integer, but the variable's type is string; quote it to make it text`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := writeVarFile(t, "vars.yaml", tt.file)
			_, err := Parse("s.yaml", []byte(src), WithVarFiles(f))
			var got []string
			if errs, ok := err.(Errors); ok {
				for _, e := range errs {
					got = append(got, strings.Replace(e.Error(), filepath.Dir(f.Path)+string(filepath.Separator), "", 1))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	for content, want := range map[string]string{
		"- a\n- b\n":           "a variable file is a map of variable names to values",
		"name: \"${var.x}\"\n": "a variable file holds plain values; ${var.x} is a reference",
		"name: [\n":            "invalid YAML",
	} {
		path := filepath.Join(t.TempDir(), "bad.yaml")
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := ReadVarFile(path); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path+":1:") {
			t.Errorf("%q: err = %v, want %q at %s:1", content, err, want, path)
		}
	}
	if _, err := ReadVarFile(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
}

func TestValidateWithoutValues(t *testing.T) {
	src := head + "variables:\n  pw: {env: PW_ENV, sensitive: true}\n  n: {type: integer}\n" +
		"resources:\n  net: {kind: vdc, properties: {name: \"net-${workspace}\"}}\n" +
		"  web: {kind: vdc, count: \"${var.n}\", properties: {name: \"w${index}\"}}\n" +
		"  db: {kind: vdc, properties: {name: \"${web[1].name}-${var.pw}\"}}\n"
	noEnv := WithEnv(func(string) string { return "" })
	s, err := Parse("s.yaml", []byte(src), noEnv, AllowUnset())
	if err != nil {
		t.Fatalf("without values: %v", err)
	}
	var unset []string
	for _, v := range s.Unset() {
		unset = append(unset, v.Name)
	}
	if diff := cmp.Diff([]string{"n", "pw"}, unset); diff != "" {
		t.Errorf("unset (-want +got)\n%s", diff)
	}
	if !s.Resources["web"].CountUnknown {
		t.Error("web's count is not marked unknown")
	}
	// The shape of references is still checked.
	bad := strings.Replace(src, "${web[1].name}", "${web[1].nmae}", 1)
	if _, err := Parse("s.yaml", []byte(bad), noEnv, AllowUnset()); err == nil || !strings.Contains(err.Error(), `vdc "web" has no attribute "nmae"`) {
		t.Errorf("bad attribute: %v", err)
	}
	bad = strings.Replace(src, "${web[1].name}", "${web.name}", 1)
	if _, err := Parse("s.yaml", []byte(bad), noEnv, AllowUnset()); err == nil || !strings.Contains(err.Error(), `"web" has count`) {
		t.Errorf("missing index: %v", err)
	}
	// Given values, the range is checked too.
	if _, err := Parse("s.yaml", []byte(src), noEnv, AllowUnset(), WithVars(map[string]string{"n": "1"})); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("with n=1: %v", err)
	}
	// Without AllowUnset, a missing value is an error.
	if _, err := Parse("s.yaml", []byte(src), noEnv); err == nil || !strings.Contains(err.Error(), `variable "n" has no value`) {
		t.Errorf("strict: %v", err)
	}
}

func TestWorkspaceReference(t *testing.T) {
	src := head + "resources:\n  net: {kind: vdc, properties: {name: \"net-${workspace}\"}}\n"
	for ws, want := range map[string]string{"": "net-default", "prod": "net-prod"} {
		opts := []Option{}
		if ws != "" {
			opts = append(opts, WithWorkspace(ws))
		}
		s, err := Parse("s.yaml", []byte(src), opts...)
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.Resources["net"].Properties.Eval(s.Context(-1, nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := v.(map[string]any)["name"]; got != want {
			t.Errorf("workspace %q: name %v, want %s", ws, got, want)
		}
	}
	bad := strings.Replace(src, "stack: t", "stack: \"t-${workspace}\"", 1)
	if _, err := Parse("s.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "the stack's name takes no references") {
		t.Errorf("workspace in the stack name: %v", err)
	}
}

// An instance with a public address depends on the public networks of its
// VDC: they are built before it and deleted after it.
func TestInstanceDependsOnItsPublicNetworks(t *testing.T) {
	src := head + "resources:\n  net: {kind: vdc, properties: {name: a}}\n  other: {kind: vdc, properties: {name: b}}\n" +
		"  wan: {kind: public_network, properties: {vdc: \"${net.id}\", name: w, bandwidth_type: Bandwidth_BGP, qos: 5, ip_count: 4}}\n" +
		"  wan2: {kind: public_network, properties: {vdc: \"${other.id}\", name: w, bandwidth_type: Bandwidth_BGP, qos: 5, ip_count: 4}}\n" +
		"  web: {kind: instance, properties: {vdc: \"${net.id}\", name: w, instance_type: Standard, cpu: 1, ram: 1, image: x, public_ip: auto}}\n" +
		"  db: {kind: instance, properties: {vdc: \"${net.id}\", name: d, instance_type: Standard, cpu: 1, ram: 1, image: x}}\n"
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"net", "wan"}, s.Dependencies("web")); diff != "" {
		t.Errorf("web (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"net"}, s.Dependencies("db")); diff != "" {
		t.Errorf("db, without a public address (-want +got)\n%s", diff)
	}
}
