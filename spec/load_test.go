package spec

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const head = "version: 1\nstack: t\nregion: CN_Beijing_A\n"

func problems(t *testing.T, src string, opts ...Option) []string {
	t.Helper()
	_, err := Parse("s.yaml", []byte(src), opts...)
	if err == nil {
		return nil
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v is not Errors", err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Error())
	}
	return out
}

// TestMalformedYAML: each broken file gets a positioned error, never a panic
// or a hang.
func TestMalformedYAML(t *testing.T) {
	tests := map[string]struct {
		src  string
		want string
	}{
		"tab indentation": {"version: 1\nresources:\n\tnet: 1\n", "s.yaml:3:1: invalid YAML: found character that cannot start any token"},
		"duplicate key":   {head + "resources:\n  net: {kind: vdc, properties: {name: a}}\n  net: {kind: vdc, properties: {name: b}}\n", `s.yaml:6:3: resources: duplicate key "net" (first at line 5, column 3)`},
		"unknown anchor":  {head + "resources: *nothing\n", "s.yaml:1:1: invalid YAML: unknown anchor 'nothing' referenced"},
		"merge key":       {head + "x: &a {name: a}\nresources:\n  net: {kind: vdc, properties: {<<: *a}}\n", "s.yaml:6:33: resources.net.properties: merge keys (<<) are not supported"},
		"custom tag":      {head + "resources: !include other.yaml\n", "s.yaml:4:12: resources: custom YAML tag !include is not supported"},
		"binary garbage":  {"version: 1\nstack: \x00\x01\x02", "s.yaml:2:8: the file is not UTF-8 text"},
		"invalid UTF-8":   {"version: 1\n\xff\xfe", "s.yaml:2:1: the file is not UTF-8 text"},
		"empty":           {"", "s.yaml:1:1: the file is empty"},
		"two documents":   {head + "resources: {}\n---\nversion: 2\n", "s.yaml:5:1: a stack file holds one YAML document"},
		"not a map":       {"- 1\n- 2\n", "s.yaml:1:1: a stack file is a map"},
		"deep nesting":    {head + "resources: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", "nesting deeper than 64 levels"},
		"unclosed flow":   {head + "resources: {net: [1,\n", "s.yaml:4:1: invalid YAML"},
		// yaml.v3 counts the lines of its parser's errors from 0: the
		// line must be the one that opened what is left unclosed.
		"unclosed flow sequence mid-file": {head + "a: 1\nb: [1,\nc: 2\n", "s.yaml:5:1: invalid YAML: did not find expected ',' or ']'"},
		"unclosed flow mapping mid-file":  {head + "resources:\n  net:\n    kind: vdc\n    properties: {name: a\n  lan:\n    kind: vdc\n", "s.yaml:7:1: invalid YAML: did not find expected ',' or '}'"},
		"key less indented":               {head + "resources:\n  net:\n    kind: vdc\n   properties: {name: a}\n", "s.yaml:5:1: invalid YAML: did not find expected key"},
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

func TestAliasBomb(t *testing.T) {
	src := head + "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nresources: {}\n"
	got := problems(t, src)
	if len(got) != 1 || !strings.Contains(got[0], "aliases expand to more than 200000 values") {
		t.Errorf("problems (want the one bomb error, no follow-on errors):\n%s", strings.Join(got, "\n"))
	}
}

// TestLargeFileWithoutAliases: 50,000 resources without a single alias are
// read (and checked), not taken for an alias bomb.
func TestLargeFileWithoutAliases(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nstack: large\nregion: CN_Beijing_A\nresources:\n")
	for i := 0; i < 50_000; i++ {
		fmt.Fprintf(&b, "  net%d: {kind: vdc, properties: {name: n%d}}\n", i, i)
	}
	s, err := Parse("large.yaml", []byte(b.String()))
	if err != nil || s == nil || len(s.Resources) != 50_000 {
		t.Fatalf("50,000 resources: %v", err)
	}
}

func TestHugeFile(t *testing.T) {
	big := make([]byte, 50<<20)
	for i := range big {
		big[i] = 'a'
	}
	got := strings.Join(problems(t, string(big)), "\n")
	if !strings.Contains(got, "s.yaml:1:1: the file is 52428800 bytes; stack files are limited to 16 MiB") {
		t.Errorf("problems: %s", got)
	}
}

// TestSemanticChecks: each problem once, at its exact position.
func TestSemanticChecks(t *testing.T) {
	tests := map[string]struct {
		src  string
		opts []Option
		want []string
	}{
		"unknown reference": {head + "resources:\n  net: {kind: vdc, properties: {name: a}}\n  lan:\n    kind: private_network\n    properties: {vdc: \"${nett.id}\", name: l}\n",
			nil, []string{`s.yaml:8:24: resources.lan.properties.vdc: unknown resource "nett" in ${nett.id}; did you mean "net"?`}},
		"attribute not exported": {head + "resources:\n  net: {kind: vdc, properties: {name: a}}\n  lan:\n    kind: private_network\n    properties: {vdc: \"${net.cidr}\", name: l}\n",
			nil, []string{`s.yaml:8:24: resources.lan.properties.vdc: vdc "net" has no attribute "cidr" in ${net.cidr}; it has id, name, region, status`}},
		"self reference": {head + "resources:\n  net: {kind: vdc, properties: {name: \"${net.id}\"}}\n",
			nil, []string{`s.yaml:5:40: resources.net.properties.name: resource "net" refers to itself in ${net.id}`}},
		"cycle": {head + "resources:\n  a: {kind: vdc, properties: {name: \"${c.name}\"}}\n  b: {kind: vdc, properties: {name: \"${a.name}\"}}\n  c: {kind: vdc, properties: {name: x}, depends_on: [b]}\n",
			nil, []string{"s.yaml:5:3: resources.a: dependency cycle: a → c → b → a"}},
		"count negative": {head + "resources:\n  net: {kind: vdc, count: -1, properties: {name: a}}\n",
			nil, []string{"s.yaml:5:27: resources.net.count: -1 is less than the minimum 0"}},
		"count from resource": {head + "resources:\n  a: {kind: vdc, properties: {name: a}}\n  b: {kind: vdc, count: \"${a.id}\", properties: {name: b}}\n",
			nil, []string{`s.yaml:6:25: resources.b.count: count must be known before apply: a number or ${var.name}, not "${a.id}"`}},
		"count from string variable": {head + "variables: {n: {default: two}}\nresources:\n  a: {kind: vdc, count: \"${var.n}\", properties: {name: \"a${index}\"}}\n",
			nil, []string{`s.yaml:6:25: resources.a.count: "two" is a string, want an integer`}},
		"index without count": {head + "resources:\n  a: {kind: vdc, properties: {name: \"a-${index}\"}}\n",
			nil, []string{"s.yaml:5:40: resources.a.properties.name: ${index} is only defined inside a resource with count"}},
		"index out of range": {head + "resources:\n  a: {kind: vdc, count: 2, properties: {name: \"a${index}\"}}\n  b: {kind: vdc, properties: {name: \"${a[2].name}\"}}\n",
			nil, []string{`s.yaml:6:38: resources.b.properties.name: ${a[2].name} is out of range: "a" has 2 instance(s)`}},
		"type mismatch": {head + "resources:\n  net: {kind: vdc, properties: {name: a}}\n  web:\n    kind: instance\n    properties: {vdc: \"${net.id}\", name: w, instance_type: Standard, cpu: \"${net.id}\", ram: 1, image: x}\n",
			nil, []string{"s.yaml:8:75: resources.web.properties.cpu: ${net.id} is a string, want an integer"}},
		"list where string wanted": {head + "resources:\n  n: {kind: vdc, count: 2, properties: {name: \"n${index}\"}}\n  l: {kind: private_network, properties: {vdc: \"${n[*].id}\", name: l}}\n",
			nil, []string{"s.yaml:6:48: resources.l.properties.vdc: ${n[*].id} is a list, want a string"}},
		"variable value checked by the schema": {head + "variables: {cpu: {default: 3}}\nresources:\n  net: {kind: vdc, properties: {name: a}}\n  web:\n    kind: instance\n    properties: {vdc: \"${net.id}\", name: w, instance_type: Standard, cpu: \"${var.cpu}\", ram: 1, image: x}\n",
			nil, []string{"s.yaml:9:75: resources.web.properties.cpu: 3 is not one of [1 2 4 8 10 16 32]"}},
		"unknown variable": {head + "resources:\n  a: {kind: vdc, properties: {name: \"${var.nmae}\"}}\n",
			nil, []string{`s.yaml:5:38: resources.a.properties.name: unknown variable "nmae" in ${var.nmae}`}},
		"variable without value": {head + "variables: {pw: {env: PW_ENV}}\nresources:\n  a: {kind: vdc, properties: {name: \"${var.pw}\"}}\n",
			[]Option{WithEnv(func(string) string { return "" })}, []string{`s.yaml:4:13: variables.pw: variable "pw" has no value: set it with --var pw=…, a --var-file or $PW_ENV, or give it a default`}},
		"bad --var": {head + "variables: {n: {type: integer}}\nresources:\n  a: {kind: vdc, count: \"${var.n}\", properties: {name: \"a${index}\"}}\n",
			[]Option{WithVars(map[string]string{"n": "many"})}, []string{`s.yaml:4:13: variables.n: --var n gives "many", which is not an integer`}},
		"sensitive value never printed": {head + "variables: {pw: {sensitive: true}}\nresources:\n  net: {kind: vdc, properties: {name: a}}\n  web:\n    kind: instance\n    properties: {vdc: \"${net.id}\", name: w, instance_type: Standard, cpu: 1, ram: 1, image: x, password: \"${var.pw}\"}\n",
			[]Option{WithVars(map[string]string{"pw": ""})}, []string{"s.yaml:9:106: resources.web.properties.password: (sensitive) is shorter than 1 characters"}},
		"depends_on unknown": {head + "resources:\n  a: {kind: vdc, properties: {name: a}, depends_on: [bb]}\n  b: {kind: vdc, properties: {name: b}}\n",
			nil, []string{`s.yaml:5:54: resources.a.depends_on[0]: unknown resource "bb"; did you mean "b"?`}},
		"ignore_changes unknown": {head + "resources:\n  a: {kind: vdc, properties: {name: a}, ignore_changes: [nmae]}\n",
			nil, []string{`s.yaml:5:58: resources.a.ignore_changes[0]: vdc has no property "nmae"; did you mean "name"?`}},
		"unknown property": {head + "resources:\n  a: {kind: vdc, properties: {name: a, regoin: CN_Beijing_A}}\n",
			nil, []string{`s.yaml:5:40: resources.a.properties.regoin: unknown property "regoin"; did you mean "region"?`}},
		"missing property": {head + "resources:\n  a: {kind: vdc, properties: {}}\n",
			nil, []string{`s.yaml:5:30: resources.a.properties: missing required property "name"`}},
		"unknown kind": {head + "resources:\n  a: {kind: vm, properties: {}}\n",
			nil, []string{`s.yaml:5:13: resources.a.kind: "vm" is not one of ["vdc" "public_network" "private_network" "instance" "security_group" "template" "load_balancer" "certificate" "dedicated_host" "mysql" "mysql_readonly" "redis" "mongodb"]`}},
		"bad address": {head + "resources:\n  Web: {kind: vdc, properties: {name: a}}\n",
			nil, []string{`s.yaml:5:3: resources.Web: name "Web" must start with a lower-case letter and hold only a-z, 0-9 and _`}},
		"qos step": {head + "resources:\n  n: {kind: vdc, properties: {name: a}}\n  w: {kind: public_network, properties: {vdc: \"${n.id}\", name: w, bandwidth_type: Bandwidth_BGP, qos: 12, ip_count: 4}}\n",
			nil, []string{"s.yaml:6:103: resources.w.properties.qos: 12 is not valid fixed bandwidth: 1–5 Mbps, or a multiple of 5 up to 500"}},
		"unclosed reference in place": {head + "resources:\n  a: {kind: vdc, properties: {name: \"x-${var.n\"}}\n",
			nil, []string{`s.yaml:5:40: resources.a.properties.name: unclosed reference: "${var.n" has no closing }`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := problems(t, tc.src, tc.opts...)
			var errs []string
			for _, g := range got {
				if !strings.Contains(g, "warning:") {
					errs = append(errs, g)
				}
			}
			for i := range tc.want {
				if i >= len(errs) || !strings.HasPrefix(errs[i], tc.want[i]) {
					t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tc.want, "\n"))
					return
				}
			}
			if len(errs) != len(tc.want) {
				t.Errorf("problems:\n%s\nwant exactly:\n%s", strings.Join(errs, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestVariablesResolveInOrder(t *testing.T) {
	src := head + "variables:\n  a: {default: 1}\n  b: {env: B_ENV, default: x}\n  c: {type: list}\nresources:\n  n: {kind: vdc, count: \"${var.a}\", properties: {name: \"${var.b}-${index}\"}}\n" +
		"outputs:\n  o: \"${var.c}\"\n"
	env := func(k string) string {
		if k == "B_ENV" {
			return "from-env"
		}
		return ""
	}
	s, err := Parse("s.yaml", []byte(src), WithEnv(env), WithVars(map[string]string{"a": "3", "c": `["x", 2]`}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for n, v := range s.Variables {
		got[n] = []any{v.Value, v.Source}
	}
	want := map[string]any{"a": []any{int64(3), "--var a"}, "b": []any{"from-env", "environment variable B_ENV"}, "c": []any{[]any{"x", int64(2)}, "--var c"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"n[0]", "n[1]", "n[2]"}, s.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
}

func TestUnusedVariableWarns(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+"variables: {x: {default: 1}}\nresources: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Error() != `s.yaml:4:13: warning: variables.x: variable "x" is never used` {
		t.Errorf("warnings = %v", s.Warnings)
	}
}

func TestExamplesValidate(t *testing.T) {
	env := func(k string) string {
		switch k {
		case "WEB_ADMIN_PASSWORD":
			return "Examp1e-Password"
		case "WEB_TLS_CERT": // the web tier's certificate: loading does not parse it
			return "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
		case "WEB_TLS_KEY":
			return "-----BEGIN EC PRIVATE KEY-----\n-----END EC PRIVATE KEY-----\n"
		}
		return ""
	}
	entries, err := os.ReadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		n++
		s, err := Load("../examples/"+e.Name(), WithEnv(env))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if len(s.Warnings) > 0 {
			t.Errorf("%s warnings: %v", e.Name(), s.Warnings)
		}
	}
	if n < 2 {
		t.Errorf("%d example stacks, want at least 2", n)
	}
}

func FuzzLoad(f *testing.F) {
	for _, seed := range []string{head + "resources: {}\n", "a: [", head + "resources:\n  a: {kind: vdc, count: 2, properties: {name: \"${a[*].id}-${index}\"}}\n",
		"x: &a [*a]", "\t", head + "variables: {v: {default: [1]}}\nresources: {a: {kind: vdc, properties: {name: \"${var.v}\"}}}\n"} {
		f.Add(seed)
	}
	// Numbers YAML reads as floats, in count, an integer property, a
	// variable's default and the budget.
	for _, n := range []string{"3.0", "1e3", "2e0", "1.5e1", "2.5", ".inf", "-.inf", ".nan", ".NaN", "1e300", "-0.0", "9007199254740993.0", "0x10", "0o7", "1_000", "+1"} {
		f.Add(head + "budget: {monthly: " + n + "}\nvariables: {v: {default: " + n + "}}\nresources:\n  a: {kind: vdc, count: " + n + ", properties: {name: \"a${index}\"}}\n" +
			"  l: {kind: private_network, count: \"${var.v}\", properties: {vdc: \"${a[0].id}\", name: l, address: 10.0.0.0, mask: " + n + "}}\n")
	}
	if b, err := os.ReadFile("../examples/quickstart.yaml"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("f.yaml", []byte(src), WithEnv(func(string) string { return "" }))
		if err == nil && s == nil {
			t.Fatal("no stack and no error")
		}
		var es Errors
		if err != nil && errors.As(err, &es) {
			for _, e := range es {
				if e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("unpositioned error %v", e)
				}
			}
		}
	})
}

// TestHostileStackFiles: each of the audit's hostile inputs gets exactly
// the errors it should, in file order.
func TestHostileStackFiles(t *testing.T) {
	tests := map[string]struct {
		src  string
		want []string
	}{
		"every unknown top-level key, in order": {head + "zeta: 1\nresources: {}\nalpha: 2\nmid: 3\nomega: 4\n", []string{
			`s.yaml:4:1: zeta: unknown property "zeta"; did you mean "data"?`, `s.yaml:6:1: alpha: unknown property "alpha"`,
			`s.yaml:7:1: mid: unknown property "mid"`, `s.yaml:8:1: omega: unknown property "omega"`}},
		"a stack name with a reference": {"version: 1\nstack: \"${var.x}/../../../../tmp/ESCAPED\"\nregion: CN_Beijing_A\nresources: {}\n", []string{
			"s.yaml:2:8: stack: the stack's name takes no references (${…}): it names the state file; write a plain name"}},
		"a stack name naming a resource": {"version: 1\nstack: \"${net.id}\"\nregion: CN_Beijing_A\nresources:\n  net: {kind: vdc, properties: {name: a}}\n", []string{
			"s.yaml:2:8: stack: the stack's name takes no references (${…}): it names the state file; write a plain name"}},
		"a 300-character stack name": {"version: 1\nstack: " + strings.Repeat("a", 300) + "\nregion: CN_Beijing_A\nresources: {}\n", []string{
			`s.yaml:2:8: stack: "` + strings.Repeat("a", 80) + `"… (300 characters) is longer than 63 characters`}},
		"a stack name with a path": {"version: 1\nstack: a/../b\nregion: CN_Beijing_A\nresources: {}\n", []string{
			`s.yaml:2:8: stack: "a/../b" is not a name of a-z, 0-9, '_' and '-' starting with a letter or digit`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, problems(t, tc.src)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestDollarEscape: $${ writes a literal ${, with and without references
// beside it.
func TestDollarEscape(t *testing.T) {
	src := head + "variables: {x: {default: v}}\nresources:\n  net: {kind: vdc, properties: {name: a}}\noutputs:\n  plain: \"cost: $${HOME}\"\n  mixed: \"$${x} is ${var.x}\"\n"
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, o := range s.Outputs {
		v, err := o.Value.Eval(EvalContext{Index: -1, Var: s.VarsOf()})
		if err != nil {
			t.Fatal(err)
		}
		got[o.Name] = v
	}
	if diff := cmp.Diff(map[string]any{"plain": "cost: ${HOME}", "mixed": "${x} is v"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestNumbersWithoutFraction: a float with no fraction is the integer it is,
// in count, in an integer property and in a variable; anything else that is
// not an integer is refused at its position.
func TestNumbersWithoutFraction(t *testing.T) {
	counts := map[string]int{"3.0": 3, "1e1": 10, "2e0": 2, "1.5e1": 15, "1e3": 1000, "-0.0": 0}
	for src, want := range counts {
		s, err := Parse("s.yaml", []byte(head+"resources:\n  a: {kind: vdc, count: "+src+", properties: {name: \"a${index}\"}}\n"))
		if err != nil {
			t.Errorf("count: %s: %v", src, err)
			continue
		}
		if got := s.Resources["a"].Count; got != want {
			t.Errorf("count: %s is %d copies, want %d", src, got, want)
		}
	}
	refused := map[string]string{
		"2.5":   "s.yaml:5:25: resources.a.count: 2.5 is a number, want an integer",
		".inf":  "s.yaml:5:25: resources.a.count: .inf is infinite; write a finite number",
		"-.Inf": "s.yaml:5:25: resources.a.count: -.Inf is infinite; write a finite number",
		".nan":  "s.yaml:5:25: resources.a.count: .nan is not a number (NaN); write a finite number",
		"1e300": "s.yaml:5:25: resources.a.count: 1e300 is out of range: numbers in a stack file are at most 9007199254740992 in magnitude",
		"1e4":   "s.yaml:5:25: resources.a.count: 10000 is greater than the maximum 1000",
	}
	for src, want := range refused {
		got := problems(t, head+"resources:\n  a: {kind: vdc, count: "+src+", properties: {name: \"a${index}\"}}\n")
		if len(got) != 1 || got[0] != want {
			t.Errorf("count: %s: problems %q, want [%q]", src, got, want)
		}
	}
	// Through a variable, from --var, a default and a variable file's value.
	vs := head + "variables: {n: {type: integer}, f: {default: 1.0}}\nresources:\n  a: {kind: vdc, count: \"${var.n}\", properties: {name: \"a${index}\"}}\n  b: {kind: vdc, count: \"${var.f}\", properties: {name: \"b${index}\"}}\n"
	s, err := Parse("s.yaml", []byte(vs), WithVars(map[string]string{"n": "4.0", "f": "2"}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Resources["a"].Count != 4 || s.Resources["b"].Count != 2 || s.Variables["f"].Type != "number" {
		t.Errorf("counts %d, %d and f's type %s; want 4, 2, number", s.Resources["a"].Count, s.Resources["b"].Count, s.Variables["f"].Type)
	}
	for _, bad := range []string{"inf", "NaN", "2.5", "1e300"} {
		got := problems(t, vs, WithVars(map[string]string{"n": bad}))
		if len(got) != 1 || !strings.Contains(got[0], "--var n gives \""+bad+"\", which is not an integer") {
			t.Errorf("--var n=%s: problems %q", bad, got)
		}
		got = problems(t, vs, WithVars(map[string]string{"n": "1", "f": bad}))
		if bad != "2.5" && (len(got) != 1 || !strings.Contains(got[0], "--var f gives \""+bad+"\", which is not a number")) {
			t.Errorf("--var f=%s: problems %q", bad, got)
		}
	}
}

// TestNamesUniqueInTheirScope: two resources, or two copies of one, with
// one name in one VDC are refused at the second, naming the first; the same
// name in different VDCs, or of different kinds, is fine.
func TestNamesUniqueInTheirScope(t *testing.T) {
	base := head + "resources:\n  net: {kind: vdc, properties: {name: n}}\n  net2: {kind: vdc, properties: {name: n2}}\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${net.id}\", name: lan, address: 10.0.0.0, mask: 16}}\n"
	inst := func(addr, count, name, vdc string) string {
		return "  " + addr + ": {kind: instance" + count + ", properties: {vdc: \"${" + vdc + ".id}\", name: \"" + name + "\", instance_type: Standard, cpu: 1, ram: 1, image: x, private_ips: [{network: \"${lan.id}\"}]}}\n"
	}
	tests := map[string]struct {
		src  string
		want []string
	}{
		"two instances, one name": {base + inst("a", "", "web", "net") + inst("b", "", "web", "net"), []string{
			`s.yaml:9:60: resources.b.properties.name: b is named "web", as a is (line 8, column 60): an instance's name must be unique in its VDC (cdstack finds it again by its name)`}},
		"copies without index": {base + inst("a", ", count: 3", "web", "net"), []string{
			`s.yaml:8:70: resources.a.properties.name: a[0] and a[1] are both named "web": an instance's name must be unique in its VDC (cdstack finds it again by its name); put ${index} in the name`}},
		"a copy and another": {base + inst("a", ", count: 3", "web-${index}", "net") + inst("b", "", "web-2", "net"), []string{
			`s.yaml:9:60: resources.b.properties.name: b is named "web-2", as a[2] is (line 8, column 70)`}},
		"two VDCs, one name": {head + "resources:\n  a: {kind: vdc, properties: {name: same}}\n  b: {kind: vdc, properties: {name: same}}\n", []string{
			`s.yaml:6:37: resources.b.properties.name: b is named "same", as a is (line 5, column 37): a vdc's name must be unique in its region`}},
		"same name, other VDC":  {base + inst("a", "", "web", "net") + inst("b", "", "web", "net2"), nil},
		"with index":            {base + inst("a", ", count: 3", "web-${index}", "net"), nil},
		"same name, other kind": {base + "  other: {kind: private_network, properties: {vdc: \"${net.id}\", name: web, address: 10.1.0.0, mask: 16}}\n" + inst("a", "", "web", "net"), nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var errs []string
			for _, p := range problems(t, tc.src) {
				if !strings.Contains(p, "warning:") {
					errs = append(errs, p)
				}
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tc.want, "\n"))
			}
			for i := range tc.want {
				if !strings.HasPrefix(errs[i], tc.want[i]) {
					t.Errorf("problem:\n%s\nwant:\n%s", errs[i], tc.want[i])
				}
			}
		})
	}
}
