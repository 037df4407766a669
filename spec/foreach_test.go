package spec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const eachNet = "resources:\n  net: {kind: vdc, properties: {name: n}}\n"

// TestForEachInstances: a list's strings are both key and value; a map's
// keys are sorted and its values kept; a variable may hold either.
func TestForEachInstances(t *testing.T) {
	tests := map[string]struct {
		src  string
		want []Instance
	}{
		"list": {eachNet + "  web:\n    kind: vdc\n    for_each: [eu, us]\n    properties: {name: \"w-${each.key}\"}\n",
			[]Instance{{Addr: `web["eu"]`, Index: -1, Key: "eu", Value: "eu", Each: true}, {Addr: `web["us"]`, Index: -1, Key: "us", Value: "us", Each: true}}},
		"map": {eachNet + "  web:\n    kind: vdc\n    for_each: {us: 2, eu: {size: 1}}\n    properties: {name: \"w-${each.key}\"}\n",
			[]Instance{{Addr: `web["eu"]`, Index: -1, Key: "eu", Value: map[string]any{"size": int64(1)}, Each: true}, {Addr: `web["us"]`, Index: -1, Key: "us", Value: int64(2), Each: true}}},
		"list variable": {"variables:\n  regions: {default: [b, a]}\n" + eachNet + "  web:\n    kind: vdc\n    for_each: ${var.regions}\n    properties: {name: \"w-${each.value}\"}\n",
			[]Instance{{Addr: `web["b"]`, Index: -1, Key: "b", Value: "b", Each: true}, {Addr: `web["a"]`, Index: -1, Key: "a", Value: "a", Each: true}}},
		"map variable with a variable value": {"variables:\n  n: {default: 3}\n" + eachNet + "  web:\n    kind: vdc\n    for_each: {x: \"${var.n}\"}\n    properties: {name: \"w-${each.value}\"}\n",
			[]Instance{{Addr: `web["x"]`, Index: -1, Key: "x", Value: int64(3), Each: true}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := Parse("s.yaml", []byte(head+tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, s.Resources["web"].Instances()); diff != "" {
				t.Errorf("instances (-want +got)\n%s", diff)
			}
			for _, in := range tc.want {
				got, ok := s.Resources["web"].Instance(in.Addr)
				if !ok || !cmp.Equal(got, in) {
					t.Errorf("Instance(%s) = %+v, %v", in.Addr, got, ok)
				}
			}
		})
	}
}

// TestForEachValueField: ${each.value.field} reads a field of a map value.
func TestForEachValueField(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+eachNet+"  web:\n    kind: vdc\n    for_each: {eu: {size: big}}\n    properties: {name: \"${each.key}-${each.value.size}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	web := s.Resources["web"]
	in, _ := web.Instance(`web["eu"]`)
	got, err := web.Properties.Eval(s.InstanceContext(in, nil))
	if err != nil || got.(map[string]any)["name"] != "eu-big" {
		t.Errorf("name = %v, %v; want eu-big", got, err)
	}
}

// TestForEachEval: ${each.key} and ${each.value} inside a copy; a
// reference by key or [*] from another resource.
func TestForEachEval(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+eachNet+"  web:\n    kind: vdc\n    for_each: {eu: big}\n    properties: {name: \"${each.key}-${each.value}\"}\n"+
		"  lan:\n    kind: private_network\n    properties: {vdc: '${web[\"eu\"].id}', name: lan, address: 10.0.0.0, mask: 16}\n"+
		"outputs:\n  names: '${web[*].name}'\n"))
	if err != nil {
		t.Fatal(err)
	}
	web := s.Resources["web"]
	in, _ := web.Instance(`web["eu"]`)
	got, err := web.Properties.Eval(s.InstanceContext(in, nil))
	if err != nil || got.(map[string]any)["name"] != "eu-big" {
		t.Errorf("name = %v, %v; want eu-big", got, err)
	}
	var seen []string
	record := func(r *Ref) (any, error) {
		seen = append(seen, r.Raw+map[bool]string{true: " key=" + r.Key}[r.Keyed])
		return "x", nil
	}
	if _, err = s.Resources["lan"].Properties.Eval(s.Context(-1, record)); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Outputs[0].Value.Eval(s.Context(-1, record)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`web["eu"].id key=eu`, "web[*].name"}, seen); diff != "" {
		t.Errorf("references (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"web"}, s.Dependencies("lan")); diff != "" {
		t.Errorf("dependencies (-want +got)\n%s", diff)
	}
}

// TestForEachErrors: each mistake is reported at its position.
func TestForEachErrors(t *testing.T) {
	web := func(extra string) string {
		return head + eachNet + "  web:\n    kind: vdc\n" + extra
	}
	tests := map[string]struct {
		src  string
		want string
	}{
		"count and for_each": {web("    count: 2\n    for_each: [a]\n    properties: {name: n}\n"),
			`s.yaml:9:5: resources.web.for_each: "web" has both count and for_each; use one`},
		"duplicate key": {web("    for_each: [a, a]\n    properties: {name: n}\n"),
			`s.yaml:8:19: resources.web.for_each: for_each key "a" appears twice`},
		"bad key": {web("    for_each: ['a\"b']\n    properties: {name: n}\n"),
			`s.yaml:8:16: resources.web.for_each: for_each key "a\"b" holds '"'`},
		"non-string list": {web("    for_each: [1]\n    properties: {name: n}\n"),
			`s.yaml:8:16: resources.web.for_each: for_each over a list takes plain strings`},
		"resource reference": {web("    for_each: ${net.id}\n    properties: {name: n}\n"),
			`s.yaml:8:15: resources.web.for_each: for_each must be known before apply`},
		"resource reference in a value": {web("    for_each: {a: '${net.id}'}\n    properties: {name: n}\n"),
			`s.yaml:8:20: resources.web.for_each.a: a for_each value is known before apply`},
		"number variable": {"variables:\n  n: {default: 2}\n" + web("    for_each: ${var.n}\n    properties: {name: n}\n"),
			`s.yaml:10:15: resources.web.for_each: for_each: variable "n" is a integer`},
		"each outside for_each": {head + eachNet + "  web: {kind: vdc, properties: {name: '${each.key}'}}\n",
			`s.yaml:6:40: resources.web.properties.name: ${each.key} is only defined inside a resource with for_each`},
		"index inside for_each": {web("    for_each: [a]\n    properties: {name: 'n${index}'}\n"),
			`with for_each use ${each.key}`},
		"each.other": {web("    for_each: [a]\n    properties: {name: '${each.index.x}'}\n"),
			`malformed reference ${each.index.x}: a for_each copy has ${each.key}, ${each.value}`},
		"each.value field of a string": {web("    for_each: [a]\n    properties: {name: '${each.value.size}'}\n"),
			`${each.value.size}: the value of key "a" is a string, not a map`},
		"each.value missing field": {web("    for_each: {a: {size: 1}}\n    properties: {name: 'n${each.value.sise}'}\n"),
			`${each.value.sise}: the value of key "a" has no field "sise"; did you mean "size"?`},
		"sensitive for_each": {"variables:\n  s: {default: [a], sensitive: true}\n" + web("    for_each: ${var.s}\n    properties: {name: n}\n"),
			`for_each cannot use sensitive variable "s"`},
		"sensitive for_each value": {"variables:\n  s: {default: x, sensitive: true}\n" + web("    for_each: {a: '${var.s}'}\n    properties: {name: n}\n"),
			`a for_each value cannot use sensitive variable "s"`},
		"unknown key": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, properties: {name: '${web[\"us\"].name}'}}\n",
			`${web["us"].name}: "web" has no key "us"; it has web["eu"]`},
		"index of for_each": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, properties: {name: '${web[0].name}'}}\n",
			`"web" has for_each: name a copy by its key, ${web["eu"].name}`},
		"whole for_each": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, properties: {name: '${web.name}'}}\n",
			`"web" has for_each: use ${web["eu"].name} for one copy or ${web[*].name} for all`},
		"each.key index outside for_each": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, properties: {name: '${web[each.key].name}'}}\n",
			`[each.key] is only defined inside a resource with for_each`},
		"each.key index of a missing key": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, for_each: [eu, us], properties: {name: '${web[each.key].name}'}}\n",
			`${web[each.key].name}: "web" has no key "us" that "lan" has; it has web["eu"]`},
		"key without for_each": {head + eachNet + "  lan: {kind: vdc, properties: {name: '${net[\"a\"].name}'}}\n",
			`"net" has no for_each`},
		"depends_on a missing key": {web("    for_each: [eu]\n    properties: {name: n}\n") + "  lan: {kind: vdc, depends_on: ['web[\"us\"]'], properties: {name: l}}\n",
			`s.yaml:10:33: resources.lan.depends_on[0]: the stack has no web["us"]; web has web["eu"]`},
		"depends_on a malformed address": {head + eachNet + "  lan: {kind: vdc, depends_on: [\"net['a']\"], properties: {name: l}}\n",
			`written in double quotes`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := strings.Join(problems(t, tc.src), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", got, tc.want)
			}
		})
	}
}

// TestForEachDependsOnKey: depends_on may name one copy; the plan orders
// after the whole resource.
func TestForEachDependsOnKey(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+eachNet+"  web:\n    kind: vdc\n    for_each: [eu]\n    properties: {name: w}\n  lan: {kind: vdc, depends_on: ['web[\"eu\"]'], properties: {name: l}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"web"}, s.Dependencies("lan")); diff != "" {
		t.Errorf("dependencies (-want +got)\n%s", diff)
	}
}

// TestForEachUnset: validate without values accepts a for_each from a
// variable without one, and a keyed reference into it.
func TestForEachUnset(t *testing.T) {
	src := head + "variables:\n  regions: {type: list}\n" + eachNet + "  web:\n    kind: vdc\n    for_each: ${var.regions}\n    properties: {name: \"w-${each.key}\"}\n" +
		"  lan: {kind: vdc, depends_on: ['web[\"eu\"]'], properties: {name: '${web[\"eu\"].name}'}}\n"
	s, err := Parse("s.yaml", []byte(src), AllowUnset())
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Resources["web"]; !w.ForEach.Unknown || len(w.Addresses()) != 0 {
		t.Errorf("for_each = %+v", w.ForEach)
	}
	if got := problems(t, src); len(got) == 0 || !strings.Contains(got[0], `variable "regions" has no value`) {
		t.Errorf("with values required: %v", got)
	}
}

// TestForEachNull: for_each written without a value (null, ~ or nothing)
// is reported once, saying so and what it takes, on a resource and on a
// component use.
func TestForEachNull(t *testing.T) {
	want := "for_each is null: it takes a list of strings, a map, or ${var.name} holding one, known before apply"
	for _, null := range []string{"null", "~", ""} {
		_, err := Parse("s.yaml", []byte(head+eachNet+"  web:\n    kind: vdc\n    for_each: "+null+"\n    properties: {name: w}\n"))
		es, _ := err.(Errors)
		var got []string
		for _, e := range es {
			got = append(got, e.Error())
		}
		col := "15"
		if null == "" {
			col = "14" // an empty value is placed after its key
		}
		if diff := cmp.Diff([]string{"s.yaml:8:" + col + ": resources.web.for_each: " + want}, got); diff != "" {
			t.Errorf("for_each: %s (-want +got)\n%s", null, diff)
		}
	}
	_, err := Parse("s.yaml", []byte(head+eachNet+"  web:\n    kind: vdc\n    count: null\n    properties: {name: w}\n"))
	if diff := cmp.Diff("s.yaml:8:12: resources.web.count: count is null: it takes a whole number from 0 to 1000, or ${var.name} holding one, known before apply", fmt.Sprint(err)); diff != "" {
		t.Errorf("count: null (-want +got)\n%s", diff)
	}
	dir := writeFiles(t, map[string]string{
		"stack.yaml": head + "resources: {}\ncomponents:\n  api:\n    source: c/svc.yaml\n    for_each: null\n    inputs: {vdc: x, name: a}\n",
		"c/svc.yaml": svc,
	})
	_, got := loadIn(t, dir)
	if diff := cmp.Diff([]string{"stack.yaml:8:15: components.api.for_each: " + want}, got); diff != "" {
		t.Errorf("for_each: null on a component (-want +got)\n%s", diff)
	}
}
