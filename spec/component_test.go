package spec

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFiles writes name → content under a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const svc = `version: 1
inputs:
  vdc: {type: string}
  name: {type: string}
  replicas: {type: integer, default: 1}
resources:
  sg:
    kind: security_group
    properties: {name: "${input.name}-sg", type: private}
  net:
    kind: vdc
    count: "${input.replicas}"
    properties: {name: "${input.name}-${index}"}
outputs:
  group: "${sg.id}"
  names: "${net[*].name}"
`

func loadIn(t *testing.T, dir string) (*Stack, []string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	s, err := Load("stack.yaml")
	if err == nil {
		return s, nil
	}
	es, ok := err.(Errors)
	if !ok {
		t.Fatalf("error %v is not Errors", err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Error())
	}
	return s, out
}

// TestComponentLoad: a component's resources join the stack under its
// name, its inputs are substituted, its outputs read by the stack.
func TestComponentLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"stack.yaml": head + "resources:\n  root: {kind: vdc, properties: {name: root}}\n" +
			"components:\n  api:\n    source: ./c/svc.yaml\n    inputs: {vdc: \"${root.id}\", name: api, replicas: 2}\n" +
			"  db:\n    source: c/svc.yaml\n    inputs: {vdc: \"${root.id}\", name: \"${component.api.outputs.group}\"}\n" +
			"outputs:\n  g: \"${component.api.outputs.group}\"\n  n: \"${component.db.outputs.names}\"\n",
		"c/svc.yaml": svc,
	})
	s, problems := loadIn(t, dir)
	if problems != nil {
		t.Fatal(problems)
	}
	if diff := cmp.Diff([]string{"api.net[0]", "api.net[1]", "api.sg", "db.net[0]", "db.sg", "root"}, s.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
	if got := s.Resources["db.sg"].Properties.Get("name").Str; got != "${api.sg.id}-sg" {
		t.Errorf("db.sg name = %q", got)
	}
	if diff := cmp.Diff([]string{"api.sg"}, s.Dependencies("db.sg")); diff != "" {
		t.Errorf("dependencies (-want +got)\n%s", diff)
	}
	if len(s.Sources) != 1 || s.Sources[filepath.Join("c", "svc.yaml")] == "" {
		t.Errorf("sources = %v", s.Sources)
	}
	if got := s.Outputs[1].Value.Str; got != "${db.net[*].name}" {
		t.Errorf("output n = %q", got)
	}
}

// TestComponentErrors: each mistake is reported at its position, inside a
// component with the chain of uses.
func TestComponentErrors(t *testing.T) {
	use := func(inputs string) string {
		return head + "resources:\n  root: {kind: vdc, properties: {name: root}}\ncomponents:\n  api:\n    source: c/svc.yaml\n    inputs: " + inputs + "\n"
	}
	tests := map[string]struct {
		files map[string]string
		want  string
	}{
		"type error in an input": {map[string]string{"stack.yaml": use(`{vdc: x, name: api, replicas: many}`), "c/svc.yaml": svc},
			`stack.yaml:9:43: components.api.inputs.replicas: input "replicas" is a string (many), want integer (declared at stack.yaml:7:3 → c/svc.yaml:5:3)`},
		"required input": {map[string]string{"stack.yaml": use(`{vdc: x}`), "c/svc.yaml": svc},
			`stack.yaml:7:3: components.api.inputs: component api: input "name" is required (declared at stack.yaml:7:3 → c/svc.yaml:4:3)`},
		"unknown input": {map[string]string{"stack.yaml": use(`{vdc: x, name: a, replica: 2}`), "c/svc.yaml": svc},
			`component api (c/svc.yaml) has no input "replica"; did you mean "replicas"?`},
		"missing source": {map[string]string{"stack.yaml": use(`{}`)},
			`stack.yaml:8:13: components.api.source: component source c/svc.yaml does not exist`},
		"error inside the component": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`), "c/svc.yaml": strings.Replace(svc, "kind: vdc", "kind: vcd", 1)},
			`stack.yaml:7:3 → c/svc.yaml:11:11: resources.net.kind: "vcd" is not one of`},
		"unknown input reference": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`), "c/svc.yaml": strings.Replace(svc, "${input.name}-sg", "${input.nmae}-sg", 1)},
			`stack.yaml:7:3 → c/svc.yaml:9:25: unknown input "nmae" in ${input.nmae}; did you mean "name"?`},
		"variable inside a component": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`), "c/svc.yaml": strings.Replace(svc, "${input.name}-sg", "${var.x}-sg", 1)},
			`a component reads its inputs, ${input.NAME}; variables belong to the stack that passes them`},
		"input in the stack": {map[string]string{"stack.yaml": head + "resources:\n  root: {kind: vdc, properties: {name: '${input.x}'}}\n"},
			`${input.x} is only defined inside a component file`},
		"unknown output": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "outputs:\n  o: '${component.api.outputs.grp}'\n", "c/svc.yaml": svc},
			`component "api" has no output "grp" in ${component.api.outputs.grp}; it has group, names`},
		"unknown component": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "outputs:\n  o: '${component.apj.outputs.group}'\n", "c/svc.yaml": svc},
			`unknown component "apj" in ${component.apj.outputs.group}; did you mean "api"?`},
		"cycle of sources": {map[string]string{"stack.yaml": use(`{}`),
			"c/svc.yaml":   "version: 1\nresources: {}\ncomponents:\n  inner: {source: ../d/inner.yaml}\n",
			"d/inner.yaml": "version: 1\nresources: {}\ncomponents:\n  back: {source: ../c/svc.yaml}\n"},
			`component sources form a cycle: svc.yaml → inner.yaml → svc.yaml`},
		"outputs of copies without an index": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    count: 2\noutputs:\n  o: '${component.api.outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: component "api" has count: use ${component.api[0].outputs.group} for one copy or ${component.api[*].outputs.group} for all`},
		"index out of range": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    count: 2\noutputs:\n  o: '${component.api[2].outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: ${component.api[2].outputs.group} is out of range: component "api" has 2 copies, api[0] and api[1]`},
		"an index of for_each copies": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    for_each: [eu, us]\noutputs:\n  o: '${component.api[0].outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: component "api" has for_each: name a copy by its key, ${component.api["eu"].outputs.group}, or all with ${component.api[*].outputs.group}`},
		"an unknown key": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    for_each: [eu, us]\noutputs:\n  o: '${component.api[\"euu\"].outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: ${component.api["euu"].outputs.group}: component "api" has no key "euu"; it has api["eu"], api["us"]; did you mean "eu"?`},
		"a key of count copies": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    count: 2\noutputs:\n  o: '${component.api[\"eu\"].outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: component "api" has count: name a copy by its number, ${component.api[0].outputs.group}, or all with ${component.api[*].outputs.group}`},
		"an index without copies": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "outputs:\n  o: '${component.api[0].outputs.group}'\n", "c/svc.yaml": svc},
			`stack.yaml:11:7: component "api" has no count or for_each: use ${component.api.outputs.group}`},
		"an unknown output of copies": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    count: 2\noutputs:\n  o: '${component.api[*].outputs.grp}'\n", "c/svc.yaml": svc},
			`stack.yaml:12:7: component "api" has no output "grp" in ${component.api[*].outputs.grp}; it has group, names`},
		"a required input missing is not also unknown": {map[string]string{"stack.yaml": use(`{vdc: x}`), "c/svc.yaml": svc},
			`!unknown input`},
		"count and for_each on a component": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`) + "    count: 2\n    for_each: [a]\n", "c/svc.yaml": svc},
			`"api" has both count and for_each`},
		"stack in a component": {map[string]string{"stack.yaml": use(`{vdc: x, name: a}`), "c/svc.yaml": "stack: x\n" + svc},
			`stack.yaml:7:3 → c/svc.yaml:1:1: stack: a component file has no stack`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, got := loadIn(t, writeFiles(t, tc.files))
			all := strings.Join(got, "\n")
			if not, ok := strings.CutPrefix(tc.want, "!"); ok {
				if len(got) == 0 || strings.Contains(all, not) {
					t.Errorf("problems:\n%s\nwant some, none containing %q", all, not)
				}
				return
			}
			if !strings.Contains(all, tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", all, tc.want)
			}
		})
	}
}

// TestComponentNested: a component using a component prefixes twice, and
// the chain of an error inside names both uses.
func TestComponentNested(t *testing.T) {
	files := map[string]string{
		"stack.yaml":    head + "resources: {}\ncomponents:\n  app: {source: c/app.yaml, inputs: {name: shop}}\n",
		"c/app.yaml":    "version: 1\ninputs:\n  name: {}\nresources: {}\ncomponents:\n  db:\n    source: db.yaml\n    inputs: {name: \"${input.name}-db\"}\n",
		"c/db.yaml":     "version: 1\ninputs:\n  name: {}\nresources:\n  net: {kind: vdc, properties: {name: \"${input.name}\"}}\n",
		"c/bad_db.yaml": "version: 1\ninputs:\n  name: {}\nresources:\n  net: {kind: vdc, properties: {name: \"${input.name}\", size: 1}}\n",
	}
	s, problems := loadIn(t, writeFiles(t, files))
	if problems != nil {
		t.Fatal(problems)
	}
	if diff := cmp.Diff([]string{"app.db.net"}, s.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
	if got := s.Resources["app.db.net"].Properties.Get("name").Str; got != "shop-db" {
		t.Errorf("name = %q", got)
	}
	// A type error in the inner use's input names both uses and where the
	// input is declared.
	typed := map[string]string{"stack.yaml": files["stack.yaml"], "c/app.yaml": strings.Replace(files["c/app.yaml"], "{name: \"${input.name}-db\"}", "{name: [x]}", 1),
		"c/db.yaml": strings.Replace(files["c/db.yaml"], "name: {}", "name: {type: string}", 1)}
	_, problems = loadIn(t, writeFiles(t, typed))
	want := `stack.yaml:6:3 → c/app.yaml:8:20: components.db.inputs.name: input "name" is a list ([x]), want string (declared at stack.yaml:6:3 → c/app.yaml:6:3 → c/db.yaml:3:3)`
	if diff := cmp.Diff([]string{want}, problems); diff != "" {
		t.Errorf("a type error in a nested use (-want +got)\n%s", diff)
	}
	files["c/app.yaml"] = strings.Replace(files["c/app.yaml"], "db.yaml", "bad_db.yaml", 1)
	_, problems = loadIn(t, writeFiles(t, files))
	want = "stack.yaml:6:3 → c/app.yaml:6:3 → c/bad_db.yaml:5:56: resources.net.properties.size: unknown property \"size\""
	if all := strings.Join(problems, "\n"); !strings.Contains(all, want) {
		t.Errorf("problems:\n%s\nwant one containing %q", all, want)
	}
}

// TestComponentRestrictions: what belongs to the stack is refused in a
// component file; a sensitive input takes a sensitive variable.
func TestComponentRestrictions(t *testing.T) {
	use := head + "variables:\n  pw: {default: x, sensitive: true}\nresources: {}\ncomponents:\n  api:\n    source: c.yaml\n    inputs: {pw: PW}\n"
	comp := "version: 1\ninputs:\n  pw: {type: string, sensitive: true}\nresources:\n  net: {kind: vdc, properties: {name: '${input.pw}'}}\n"
	_, problems := loadIn(t, writeFiles(t, map[string]string{"stack.yaml": strings.Replace(use, "PW", "'${var.pw}'", 1), "c.yaml": comp}))
	if problems != nil {
		t.Errorf("a sensitive variable: %v", problems)
	}
	_, problems = loadIn(t, writeFiles(t, map[string]string{"stack.yaml": strings.Replace(use, "PW", "secret", 1), "c.yaml": comp}))
	if all := strings.Join(problems, "\n"); !strings.Contains(all, `input "pw" is sensitive: pass a sensitive variable`) || strings.Contains(all, "secret") {
		t.Errorf("a literal for a sensitive input: %v", problems)
	}
	_, problems = loadIn(t, writeFiles(t, map[string]string{"stack.yaml": strings.Replace(use, "PW", "'${var.pw}'", 1), "c.yaml": comp + "budget: {monthly: 1}\n"}))
	if all := strings.Join(problems, "\n"); !strings.Contains(all, "c.yaml:6:1: budget: a component file has version, inputs, data, resources, outputs and components; budget belongs to the stack") {
		t.Errorf("budget in a component: %v", problems)
	}
}

// TestComponentCopies: count and for_each on a use make copies of the
// whole component, each with its ${index} or ${each.…} in its inputs.
func TestComponentCopies(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"stack.yaml": head + "resources: {}\ncomponents:\n" +
			"  api:\n    source: c/svc.yaml\n    count: 2\n    inputs: {vdc: x, name: \"api${index}\"}\n" +
			"  reg:\n    source: c/svc.yaml\n    for_each: {eu: 1, us: 2}\n    inputs: {vdc: x, name: \"r-${each.key}\", replicas: \"${each.value}\"}\n",
		"c/svc.yaml": svc,
	})
	s, problems := loadIn(t, dir)
	if problems != nil {
		t.Fatal(problems)
	}
	want := []string{"api[0].net[0]", "api[0].sg", "api[1].net[0]", "api[1].sg", `reg["eu"].net[0]`, `reg["eu"].sg`, `reg["us"].net[0]`, `reg["us"].net[1]`, `reg["us"].sg`}
	if diff := cmp.Diff(want, s.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
	if got := s.Resources["api[1].sg"].Properties.Get("name").Str; got != "api1-sg" {
		t.Errorf("api[1].sg name = %q", got)
	}
	if got := s.Resources[`reg["us"].net`].Properties.Get("name").Str; got != "r-us-${index}" {
		t.Errorf(`reg["us"].net name = %q`, got)
	}
	for _, a := range want {
		p, err := ParseAddress(a)
		if err != nil || s.Resources[p.Name] == nil {
			t.Errorf("ParseAddress(%s) = %+v, %v", a, p, err)
		}
	}
}

// A component with its own data source: an image looked up by the name its
// use passes, read by an instance and an output of the component.
const svcData = `version: 1
inputs:
  vdc: {type: string}
  image: {type: string}
data:
  img: {kind: image, filter: {name: "${input.image}"}}
  net: {kind: vdc, filter: {id: "${input.vdc}"}}
resources:
  web:
    kind: instance
    properties: {vdc: "${data.net.id}", name: web, instance_type: Standard, cpu: 1, ram: 2, image: "${data.img.id}"}
outputs:
  image: "${data.img.os_type}"
`

// TestComponentData: a component's data sources are its own, addressed
// with its prefix (api.data.img), one per use and per copy; ${data.NAME…}
// inside the component reads the component's own.
func TestComponentData(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"stack.yaml": head + "variables:\n  img: {default: Centos_7.6_64}\ndata:\n  img: {kind: image, filter: {name: Ubuntu}}\nresources: {}\ncomponents:\n" +
			"  api:\n    source: c/svc.yaml\n    inputs: {vdc: v1, image: \"${var.img}\"}\n" +
			"  reg:\n    source: c/svc.yaml\n    for_each: [eu, us]\n    inputs: {vdc: \"v-${each.key}\", image: \"${data.img.name}\"}\n" +
			"outputs:\n  os: '${component.api.outputs.image}'\n",
		"c/svc.yaml": svcData,
	})
	s, problems := loadIn(t, dir)
	if problems != nil {
		t.Fatal(problems)
	}
	want := []string{"img", "api.data.img", "api.data.net", `reg["eu"].data.img`, `reg["eu"].data.net`, `reg["us"].data.img`, `reg["us"].data.net`}
	if diff := cmp.Diff(want, s.DataOrder); diff != "" {
		t.Errorf("data sources (-want +got)\n%s", diff)
	}
	for _, name := range want {
		if s.Data[name] == nil || s.Data[name].Name != name {
			t.Errorf("data source %s: %+v", name, s.Data[name])
		}
	}
	if got := s.Data["api.data.img"].String(); got != "api.data.img" {
		t.Errorf("api.data.img is shown as %q", got)
	}
	if got := s.Data["img"].String(); got != "data.img" {
		t.Errorf("img is shown as %q", got)
	}
	img := s.Resources[`reg["us"].web`].Properties.Get("image")
	if img.Str != `${reg["us"].data.img.id}` || img.Tmpl.Whole().Data != `reg["us"].data.img` || img.Tmpl.Whole().Attr != "id" {
		t.Errorf(`reg["us"].web image = %q (%+v)`, img.Str, img.Tmpl.Whole())
	}
	if got := s.Data[`reg["eu"].data.net`].Filter.Get("id").Str; got != "v-eu" {
		t.Errorf(`reg["eu"].data.net filter id = %q`, got)
	}
	if got := s.Data[`reg["us"].data.img`].Filter.Get("name").Str; got != "${data.img.name}" {
		t.Errorf(`reg["us"].data.img filter name = %q`, got)
	}
	if got := s.DataInOrder(); slices.Index(got, "img") > slices.Index(got, `reg["eu"].data.img`) {
		t.Errorf("the stack's img is read after what its filter feeds: %v", got)
	}
	if got := s.Outputs[0].Value.Str; got != "${api.data.img.os_type}" {
		t.Errorf("output os = %q", got)
	}
	// Every reference to a component's data source is an external one:
	// what the reads record the attributes of.
	var refs []string
	for _, pr := range s.ExternalRefs() {
		refs = append(refs, pr.Ref.String())
	}
	for _, r := range []string{"${api.data.img.id}", "${api.data.net.id}", "${api.data.img.os_type}", `${reg["eu"].data.img.id}`, "${data.img.name}"} {
		if !slices.Contains(refs, r) {
			t.Errorf("ExternalRefs lacks %s: %v", r, refs)
		}
	}
	if got := DataRef(`reg["eu"].data.img`, "id"); got != `${reg["eu"].data.img.id}` {
		t.Errorf("DataRef = %q", got)
	}
	if got := DataRef("img", "id"); got != "${data.img.id}" {
		t.Errorf("DataRef = %q", got)
	}
}

// TestComponentDataErrors: mistakes in a component's data sources are
// reported in the component file with the chain of uses.
func TestComponentDataErrors(t *testing.T) {
	use := head + "variables:\n  img: {default: x}\nresources: {}\ncomponents:\n  api:\n    source: c/svc.yaml\n    inputs: {vdc: v1, image: \"${var.img}\"}\n"
	tests := map[string]struct {
		comp, want string
	}{
		"unknown data source": {strings.Replace(svcData, "${data.img.id}", "${data.imj.id}", 1),
			`stack.yaml:8:3 → c/svc.yaml:11:101: unknown data source "imj" in ${data.imj.id}; did you mean "img"?`},
		"unknown attribute": {strings.Replace(svcData, "${data.img.os_type}", "${data.img.os}", 1),
			`stack.yaml:8:3 → c/svc.yaml:13:11: components.api.outputs.image: data source "api.data.img" (image) has no attribute "os" in ${api.data.img.os}`},
		"unknown kind": {strings.Replace(svcData, "kind: image", "kind: imag", 1),
			`stack.yaml:8:3 → c/svc.yaml:6:15: api.data.img.kind: a data source cannot read kind "imag"`},
		"filter the kind cannot answer": {strings.Replace(svcData, "{name: \"${input.image}\"}", "{vdc: \"${input.image}\"}", 1),
			`stack.yaml:8:3 → c/svc.yaml:6:31: api.data.img.filter.vdc: a image lookup cannot filter by vdc`},
		"a resource in a filter": {strings.Replace(svcData, "{id: \"${input.vdc}\"}", "{id: \"${web.id}\"}", 1),
			`stack.yaml:8:3 → c/svc.yaml:7:34: api.data.net.filter.id: ${api.web.id} cannot be used in a data filter`},
		"another stack inside a component": {strings.Replace(svcData, "${data.img.os_type}", "${stack.x.outputs.y}", 1),
			`data sources of the stack and other stacks are read by the stack and passed as inputs`},
		"a cycle of data sources": {strings.Replace(strings.Replace(svcData, "{name: \"${input.image}\"}", "{name: \"${data.net.name}\"}", 1), "{id: \"${input.vdc}\"}", "{id: \"${data.img.id}\"}", 1),
			`data sources refer to each other in a cycle: api.data.img → api.data.net → api.data.img`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, got := loadIn(t, writeFiles(t, map[string]string{"stack.yaml": use, "c/svc.yaml": tc.comp}))
			if all := strings.Join(got, "\n"); !strings.Contains(all, tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", all, tc.want)
			}
		})
	}
}

// TestComponentCopyOutputs: the stack reads one copy's output by index or
// key, or every copy's as a list in index or key order.
func TestComponentCopyOutputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"stack.yaml": head + "resources: {}\ncomponents:\n" +
			"  api:\n    source: c/svc.yaml\n    count: 2\n    inputs: {vdc: x, name: \"api${index}\"}\n" +
			"  reg:\n    source: c/svc.yaml\n    for_each: [us, eu]\n    inputs: {vdc: x, name: \"r-${each.key}\"}\n" +
			"  db:\n    source: c/svc.yaml\n    inputs: {vdc: x, name: '${component.reg[\"eu\"].outputs.group}'}\n" +
			"outputs:\n  one: '${component.api[1].outputs.group}'\n  eu: '${component.reg[\"eu\"].outputs.names}'\n" +
			"  all: '${component.reg[*].outputs.group}'\n  text: 'g-${component.api[0].outputs.group}'\n",
		"c/svc.yaml": svc,
	})
	s, problems := loadIn(t, dir)
	if problems != nil {
		t.Fatal(problems)
	}
	out := map[string]*Value{}
	for _, o := range s.Outputs {
		out[o.Name] = o.Value
	}
	if got := out["one"].Str; got != "${api[1].sg.id}" {
		t.Errorf("one = %q", got)
	}
	if got := out["eu"].Str; got != `${reg["eu"].net[*].name}` {
		t.Errorf("eu = %q", got)
	}
	if got := out["text"].Str; got != "g-${api[0].sg.id}" {
		t.Errorf("text = %q", got)
	}
	all := out["all"]
	if all.Kind != List || len(all.List) != 2 || all.List[0].Str != `${reg["us"].sg.id}` || all.List[1].Str != `${reg["eu"].sg.id}` {
		t.Errorf("all = %+v", all.Plain())
	}
	if got := s.Resources["db.sg"].Properties.Get("name").Str; got != `${reg["eu"].sg.id}-sg` {
		t.Errorf("db.sg name = %q", got)
	}
	x, err := all.Eval(s.Context(-1, nil))
	if err != nil || !HasUnknown(x) {
		t.Errorf("all evaluates to %v, %v before apply; want unknown", x, err)
	}
}

// TestFileKinds: the loader and the schema agree on what a stack file and
// a component file may hold, each problem reported once.
func TestFileKinds(t *testing.T) {
	use := head + "resources: {}\ncomponents:\n  api: {source: c.yaml}\n"
	comp := "version: 1\nresources:\n  net: {kind: vdc, properties: {name: n}}\n"
	tests := map[string]struct {
		files map[string]string
		want  []string
	}{
		"a component without inputs": {map[string]string{"stack.yaml": use, "c.yaml": comp}, nil},
		"inputs in a stack file": {map[string]string{"stack.yaml": head + "inputs: {a: {}}\nresources: {}\n"},
			[]string{"stack.yaml:4:1: inputs: a stack file (one with stack:) has no inputs: only a component file has inputs (${input.NAME}); a stack declares variables"}},
		"a stack file without stack": {map[string]string{"stack.yaml": "version: 1\nregion: CN_Beijing_A\nresources: {}\n"},
			[]string{`stack.yaml:1:1: missing required property "stack"`}},
		"region in a component": {map[string]string{"stack.yaml": use, "c.yaml": comp + "region: CN_Beijing_A\n"},
			[]string{"stack.yaml:6:3 → c.yaml:4:1: region: a component file has version, inputs, data, resources, outputs and components; region belongs to the stack (pass what it gives as an input)"}},
		"moved in a component": {map[string]string{"stack.yaml": use, "c.yaml": comp + "moved: [{from: a, to: b}]\n"},
			[]string{"stack.yaml:6:3 → c.yaml:4:1: moved: a component file has version, inputs, data, resources, outputs and components; moved belongs to the stack (pass what it gives as an input)"}},
		"stack in a component": {map[string]string{"stack.yaml": use, "c.yaml": "stack: x\n" + comp},
			[]string{"stack.yaml:6:3 → c.yaml:1:1: stack: a component file has no stack: it is part of the stack that uses it"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, got := loadIn(t, writeFiles(t, tc.files))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got)\n%s", diff)
			}
		})
	}
}

// TestComponentCountFromVariable: a use's count or for_each may come from
// a variable, given by --var or a default (the variables are resolved
// before the components are read).
func TestComponentCountFromVariable(t *testing.T) {
	files := map[string]string{
		"stack.yaml": head + "variables:\n  n: {type: integer}\n  regions: {default: [eu, us]}\nresources: {}\ncomponents:\n" +
			"  api:\n    source: c/svc.yaml\n    count: \"${var.n}\"\n    inputs: {vdc: x, name: \"api${index}\"}\n" +
			"  reg:\n    source: c/svc.yaml\n    for_each: \"${var.regions}\"\n    inputs: {vdc: x, name: \"r-${each.key}\"}\n" +
			"outputs:\n  last: '${component.api[2].outputs.group}'\n",
		"c/svc.yaml": svc,
	}
	dir := writeFiles(t, files)
	s, err := Load(filepath.Join(dir, "stack.yaml"), WithVars(map[string]string{"n": "3"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"api[0].net[0]", "api[0].sg", "api[1].net[0]", "api[1].sg", "api[2].net[0]", "api[2].sg", `reg["eu"].net[0]`, `reg["eu"].sg`, `reg["us"].net[0]`, `reg["us"].sg`}
	if diff := cmp.Diff(want, s.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got)\n%s", diff)
	}
	if got := s.Outputs[0].Value.Str; got != "${api[2].sg.id}" {
		t.Errorf("output last = %q", got)
	}
	// Without the value (validate without values), the copies are not
	// known: no error for what depends on how many there are.
	s, err = Load(filepath.Join(dir, "stack.yaml"), AllowUnset())
	if err != nil {
		t.Fatalf("without a value: %v", err)
	}
	if len(s.Unset()) != 1 {
		t.Errorf("unset = %v", s.Unset())
	}
}
