package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTenantsChecks: what validate finds in tenants: without the cloud,
// each at its place in the file.
func TestTenantsChecks(t *testing.T) {
	const res = "resources:\n  net: {kind: vdc, properties: {name: n}}\n"
	tests := map[string]struct {
		src  string
		want []string
	}{
		"valid": {head + "tenants:\n  app: {state: ../app/.cdstack/app.db}\n  web: {state: \"etcd://127.0.0.1:2379/teams/web\", workspace: prod}\n" + res, nil},
		"unknown key": {head + "tenants:\n  app: {state: a.db, stat: b.db}\n" + res,
			[]string{`s.yaml:5:22: tenants.app.stat: unknown property "stat"; did you mean "state"?`}},
		"no state": {head + "tenants:\n  app: {workspace: prod}\n" + res,
			[]string{`s.yaml:5:8: tenants.app: missing required property "state"`}},
		"the stack itself": {head + "tenants:\n  t: {state: .cdstack/t.db}\n" + res,
			[]string{`s.yaml:5:3: tenants.t: tenant "t" is this stack itself (stack: t): its own resources are owned by its records; name the other stacks that put resources in its VDCs`}},
		"state with a reference": {head + "variables:\n  p: {default: a.db}\ntenants:\n  app: {state: \"${var.p}\"}\n" + res,
			[]string{`s.yaml:5:3: warning: variables.p: variable "p" is never used`,
				`s.yaml:7:16: tenants.app.state: a tenant's state takes no references (${…}): it is read before anything is evaluated; write the path or URL`}},
		"bad etcd URL": {head + "tenants:\n  app: {state: \"etcd:///prefix\"}\n  web: {state: \"etcd://127.0.0.1:2379\"}\n" + res,
			[]string{`s.yaml:5:16: tenants.app.state: "etcd:///prefix" is not a state: want a file path or etcd://host:2379[,host2:2379]/prefix (etcds:// for TLS)`,
				`s.yaml:6:16: tenants.web.state: "etcd://127.0.0.1:2379" names no key prefix: write it as etcd://127.0.0.1:2379/teams/NAME`}},
		"another scheme": {head + "tenants:\n  app: {state: \"https://example.com/app.db\"}\n" + res,
			[]string{`s.yaml:5:16: tenants.app.state: "https://example.com/app.db" is not a state: want a file path or etcd://host:2379[,host2:2379]/prefix (etcds:// for TLS)`}},
		"a stack read from a bad URL": {head + "stacks:\n  p: {state: \"etcds://\"}\nresources:\n  net: {kind: private_network, properties: {vdc: \"${stack.p.outputs.vdc_id}\", name: lan}}\n",
			[]string{`s.yaml:5:14: stacks.p.state: "etcds://" is not a state: want a file path or etcd://host:2379[,host2:2379]/prefix (etcds:// for TLS)`}},
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

// TestTenantsRead: the entries are read with their places, sorted by name.
func TestTenantsRead(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+"tenants:\n  web: {state: w.db, workspace: prod}\n  app: {state: a.db}\nresources: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.TenantNames(); !cmp.Equal(got, []string{"app", "web"}) {
		t.Fatalf("names %v", got)
	}
	w := s.Tenants["web"]
	if w.State != "w.db" || w.Workspace != "prod" || w.StatePos.String() != "s.yaml:5:16" || w.Pos.String() != "s.yaml:5:3" {
		t.Errorf("web: %+v", w)
	}
}
