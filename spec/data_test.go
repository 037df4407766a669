package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDataAndStacksChecks: what validate finds in data: and stacks: without
// the cloud, each at its place in the file.
func TestDataAndStacksChecks(t *testing.T) {
	const vm = "  web: {kind: instance, properties: {vdc: \"${data.net.id}\", name: w, instance_type: Standard, cpu: 2, ram: 4, image: \"${data.img.id}\", password: \"${var.pw}\"}}\n"
	const vars = "variables:\n  pw: {default: Data-Passw0rd, sensitive: true}\n"
	tests := map[string]struct {
		src  string
		want []string
	}{
		"valid": {head + vars + "data:\n  net: {kind: vdc, filter: {name: shared}}\n  img: {kind: image, filter: {name_prefix: Centos_7}}\nresources:\n" + vm, nil},
		"unknown kind": {head + vars + "data:\n  net: {kind: vdcs, filter: {name: shared}}\n  img: {kind: image, filter: {name_prefix: Centos_7}}\nresources:\n" + vm,
			[]string{`s.yaml:7:15: data.net.kind: a data source cannot read kind "vdcs"; it reads certificate, dedicated_host, image, instance, load_balancer, mongodb, mysql, mysql_readonly, private_network, public_network, redis, security_group, template, vdc; did you mean "vdc"?`}},
		"filter the kind cannot answer": {head + vars + "data:\n  net: {kind: vdc, filter: {vdc: x}}\n  img: {kind: image, filter: {name_prefix: Centos_7, tags: [a]}}\nresources:\n" + vm,
			[]string{`s.yaml:7:29: data.net.filter.vdc: a vdc lookup cannot filter by vdc; it filters by id, name, name_prefix, region`,
				`s.yaml:8:54: data.img.filter.tags: a image lookup cannot filter by tags; it filters by id, name, name_prefix, region`}},
		"unknown data source and attribute": {head + vars + "data:\n  net: {kind: vdc, filter: {name: shared}}\nresources:\n" +
			"  web: {kind: instance, properties: {vdc: \"${data.net.cidr}\", name: w, instance_type: Standard, cpu: 2, ram: 4, image: \"${data.ing.id}\", password: \"${var.pw}\"}}\n",
			[]string{`s.yaml:9:44: resources.web.properties.vdc: data source "net" (vdc) has no attribute "cidr" in ${data.net.cidr}; it has id, name, region, status`,
				`s.yaml:9:121: resources.web.properties.image: unknown data source "ing" in ${data.ing.id}`}},
		"filter refers to a resource": {head + "data:\n  sub: {kind: private_network, filter: {vdc: \"${net.id}\", name: lan}}\nresources:\n  net: {kind: vdc, properties: {name: n}}\n",
			[]string{`s.yaml:5:47: data.sub.filter.vdc: ${net.id} cannot be used in a data filter: lookups happen before anything is created, so a filter may refer to variables, ${workspace}, other data sources and other stacks' outputs, not to resources or ${index}`}},
		"data cycle": {head + "data:\n  a: {kind: vdc, filter: {id: \"${data.b.id}\"}}\n  b: {kind: vdc, filter: {id: \"${data.a.id}\"}}\nresources: {}\n",
			[]string{`s.yaml:5:3: data.a: data sources refer to each other in a cycle: a → b → a`}},
		"stack refs": {head + "stacks:\n  platform: {state: ../p/.cdstack/p.db}\n  unused: {state: \"${var.x}\"}\nresources:\n  net: {kind: private_network, properties: {vdc: \"${stack.platfrom.outputs.vdc_id}\", name: lan}}\n",
			[]string{`s.yaml:5:3: warning: stacks.platform: stack "platform" is never read: no ${stack.platform.outputs.…} refers to it`,
				`s.yaml:6:3: warning: stacks.unused: stack "unused" is never read: no ${stack.unused.outputs.…} refers to it`,
				`s.yaml:6:19: stacks.unused.state: a stack's state takes no references (${…}): it is read before anything is evaluated; write the path or URL`,
				`s.yaml:8:51: resources.net.properties.vdc: unknown stack "platfrom" in ${stack.platfrom.outputs.vdc_id}: name it under stacks: with its state; did you mean "platform"?`}},
		"malformed stack ref": {head + "stacks:\n  p: {state: x.db}\nresources:\n  net: {kind: private_network, properties: {vdc: \"${stack.p.vdc_id}\", name: lan}}\n",
			[]string{`s.yaml:5:3: warning: stacks.p: stack "p" is never read: no ${stack.p.outputs.…} refers to it`,
				`s.yaml:7:51: resources.net.properties.vdc: malformed reference ${stack.p.vdc_id}: want ${address.attribute}, ${address[0].attribute}, ${address[*].attribute}, ${address.attribute[0]}, ${var.name}, ${data.name.attribute}, ${stack.name.outputs.output}, ${index} or ${workspace}`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := problems(t, tc.src)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestExternalValues: references to data sources and other stacks' outputs
// are Unknown until they are read, then take the value they were given,
// with its type.
func TestExternalValues(t *testing.T) {
	src := head + "stacks:\n  p: {state: p.db}\ndata:\n  net: {kind: vdc, filter: {id: \"${stack.p.outputs.vdc_id}\"}}\nresources:\n  lan: {kind: private_network, properties: {vdc: \"${data.net.id}\", name: \"lan-${stack.p.outputs.n}\"}}\n"
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	eval := func() any {
		v, err := s.Resources["lan"].Properties.Eval(s.Context(-1, nil))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := eval().(map[string]any); !HasUnknown(v["vdc"]) || !HasUnknown(v["name"]) {
		t.Errorf("before reading: %v, want unknown values", v)
	}
	s.SetExternal(func(r *Ref) (any, error) {
		if r.Data == "net" {
			return "vdc-1", nil
		}
		return int64(3), nil
	})
	if diff := cmp.Diff(map[string]any{"vdc": "vdc-1", "name": "lan-3"}, eval()); diff != "" {
		t.Errorf("after reading (-want +got)\n%s", diff)
	}
	var refs []string
	for _, pr := range s.ExternalRefs() {
		refs = append(refs, pr.Path+"="+pr.Ref.String())
	}
	want := "data.net.filter.id=${stack.p.outputs.vdc_id} resources.lan.properties.vdc=${data.net.id} resources.lan.properties.name=${stack.p.outputs.n}"
	if got := strings.Join(refs, " "); got != want {
		t.Errorf("ExternalRefs = %s\nwant %s", got, want)
	}
	if got := s.DataInOrder(); len(got) != 1 || got[0] != "net" {
		t.Errorf("DataInOrder = %v", got)
	}
}

// FuzzDataAndStacks: data: and stacks: in any shape give positioned errors,
// never a panic.
func FuzzDataAndStacks(f *testing.F) {
	for _, seed := range []string{
		head + "stacks: {p: {state: p.db}}\ndata:\n  net: {kind: vdc, filter: {id: \"${stack.p.outputs.v}\"}}\n  lan: {kind: private_network, filter: {vdc: \"${data.net.id}\", name: lan}}\nresources:\n  x: {kind: private_network, properties: {vdc: \"${data.lan.vdc}\", name: \"${stack.p.outputs.n}\"}}\n",
		head + "data: {a: 5, b: {kind: 5}, c: {kind: image, filter: [1]}, d: {kind: vdc, filter: {tags: [\"${data.d.id}\"]}}}\nresources: {}\n",
		head + "stacks: [1]\ndata: {}\nresources: {}\n",
		head + "stacks: {p: {state: \"${var.x}\", workspace: \"../x\"}}\nresources: {}\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("f.yaml", []byte(src), WithEnv(func(string) string { return "" }))
		if err == nil && s == nil {
			t.Fatal("no stack and no error")
		}
		if err != nil {
			if es, ok := err.(Errors); ok {
				for _, e := range es {
					if e.Pos.Line < 1 || e.Pos.Col < 1 {
						t.Fatalf("unpositioned error %v", e)
					}
				}
			}
			return
		}
		_ = s.ExternalRefs()
		_ = s.DataInOrder()
	})
}
