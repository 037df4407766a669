package planner_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const small = `version: 1
stack: small
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: small}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.7.0.0, mask: 16}}
  web:
    kind: instance
    protect: PROTECT
    properties: {vdc: "${net.id}", name: web, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Planner-Passw0rd, private_ips: [{network: "${lan.id}"}]}
`

func stack(t *testing.T, protect bool, edit func(string) string) *spec.Stack {
	t.Helper()
	src := strings.Replace(small, "PROTECT", map[bool]string{true: "true", false: "false"}[protect], 1)
	if edit != nil {
		src = edit(src)
	}
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// applied is the state after the small stack was applied.
func applied() *state.Snapshot {
	return &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 3}, Resources: map[string]*state.Record{
		"net": {Addr: "net", Kind: "vdc", ID: "v1", Inputs: map[string]any{"name": "small", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v1"}},
		"lan": {Addr: "lan", Kind: "private_network", ID: "p1", Inputs: map[string]any{"vdc": "v1", "name": "lan", "type": "auto", "address": "10.7.0.0", "mask": int64(16)},
			Outputs: map[string]any{"id": "p1"}, Deps: []string{"net"}},
		"web": {Addr: "web", Kind: "instance", ID: "i1", Protect: true, Deps: []string{"lan", "net"}, Outputs: map[string]any{"id": "i1"},
			Inputs: map[string]any{"vdc": "v1", "name": "web", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1), "image": "Centos_7.6_64",
				"region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "", "data_disks": []any{},
				"private_ips": []any{map[string]any{"network": "p1", "ip": "auto"}}, "security_groups": []any{}}},
	}}
}

func steps(p *planner.Document) map[string][]string {
	out := map[string][]string{}
	for _, s := range p.Steps() {
		out[s.ID] = append([]string{}, s.Deps...)
	}
	return out
}

func TestCreateOrder(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: stack(t, false, nil), Snapshot: &state.Snapshot{Resources: map[string]*state.Record{}}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"net": {}, "lan": {"net"}, "web": {"lan", "net"}}
	if diff := cmp.Diff(want, steps(p)); diff != "" {
		t.Errorf("steps (-want +got)\n%s", diff)
	}
}

func TestNoChangesFromState(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: applied()})
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("changes: %+v", p.Changes)
	}
}

func TestReplaceOrder(t *testing.T) {
	s := stack(t, false, func(src string) string { return strings.Replace(src, "10.7.0.0", "10.8.0.0", 1) })
	snap := applied()
	snap.Resources["web"].Protect = false
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Change("web"); c.Action != planner.Replace || c.Reason != planner.ReasonDependencyReplaced {
		t.Errorf("web: %s %s", c.Action, c.Reason)
	}
	want := map[string][]string{
		"web (delete)": {}, "lan (delete)": {"web (delete)"},
		"lan": {"lan (delete)"}, "web": {"web (delete)", "lan"},
	}
	if diff := cmp.Diff(want, steps(p)); diff != "" {
		t.Errorf("steps (-want +got)\n%s", diff)
	}
}

func TestProtectRefusesReplace(t *testing.T) {
	s := stack(t, true, func(src string) string {
		return strings.Replace(src, "instance_type: Standard", "instance_type: Standard, dedicated_host: h-2", 1)
	})
	_, err := planner.Plan(planner.Input{Stack: s, Snapshot: applied()})
	var pe *planner.ProtectError
	if !errors.As(err, &pe) || pe.Addrs[0] != "web" {
		t.Fatalf("err = %v, want a ProtectError for web", err)
	}
}

func TestDestroyKeepsProtectedAndWhatItNeeds(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: applied(), Destroy: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range p.Changes {
		got[c.Addr] = string(c.Action) + " " + c.Reason
	}
	want := map[string]string{"web": "no-op kept_because_protected", "lan": "no-op kept_because_protected", "net": "no-op kept_because_protected"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	snap := applied()
	snap.Resources["web"].Protect = false
	p, _ = planner.Plan(planner.Input{Stack: stack(t, false, nil), Snapshot: snap, Destroy: true})
	want2 := map[string][]string{"web (delete)": {}, "lan (delete)": {"web (delete)"}, "net (delete)": {"lan (delete)", "web (delete)"}}
	if diff := cmp.Diff(want2, steps(p)); diff != "" {
		t.Errorf("destroy steps (-want +got)\n%s", diff)
	}
}

func TestPendingJournalIsRead(t *testing.T) {
	snap := applied()
	snap.Journal = []*state.JournalEntry{{OpID: "o", Addr: "extra", Kind: "vdc", Action: "create", APIAction: "CreateVdc", TaskID: "t1", StartedAt: time.Unix(1, 0)}}
	p, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Change("extra")
	if c == nil || c.Action != planner.Read || c.Reason != planner.ReasonPendingJournal {
		t.Fatalf("change = %+v", c)
	}
	if len(p.Steps()) != 0 {
		t.Errorf("a Read made steps: %v", steps(p))
	}
}

func TestTargets(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: stack(t, false, nil), Snapshot: &state.Snapshot{Resources: map[string]*state.Record{}}, Targets: []string{"lan"}})
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, c := range p.Changes {
		addrs = append(addrs, c.Addr)
	}
	if diff := cmp.Diff([]string{"lan", "net"}, addrs); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestCreateBeforeDestroy(t *testing.T) {
	cbd := func(edits ...string) func(string) string {
		return func(src string) string {
			src = strings.Replace(src, "protect: PROTECT", "protect: false\n    create_before_destroy: true", 1)
			src = strings.Replace(src, "protect: false", "protect: false\n    create_before_destroy: true", 1)
			for i := 0; i+1 < len(edits); i += 2 {
				src = strings.Replace(src, edits[i], edits[i+1], 1)
			}
			return src
		}
	}
	held := func(snap *state.Snapshot) {
		web := snap.Resources["web"]
		web.Protect = false
		web.Outputs["public_ip"] = "198.18.0.5"
		web.Outputs["interfaces"] = []any{map[string]any{"network": "p1", "ip": "10.7.0.9"}}
	}
	tests := []struct {
		name      string
		edit      func(string) string
		wantSteps map[string][]string
		renamed   bool
		wantErr   string
	}{{
		name:      "same name: created under a temporary name, renamed after the delete",
		edit:      cbd("instance_type: Standard", "instance_type: Standard, dedicated_host: h-2"),
		wantSteps: map[string][]string{"web": nil, "web (delete)": {"web"}, "web (rename)": {"web (delete)"}},
		renamed:   true,
	}, {
		name:      "new name: nothing to rename",
		edit:      cbd("instance_type: Standard", "instance_type: Standard, dedicated_host: h-2", "name: web,", "name: web2,"),
		wantSteps: map[string][]string{"web": nil, "web (delete)": {"web"}},
	}, {
		name:    "a public address the old one holds",
		edit:    cbd("instance_type: Standard", "instance_type: Standard, dedicated_host: h-2", "image:", "public_ip: 198.18.0.5, image:"),
		wantErr: "web: create_before_destroy: the new instance would need public address 198.18.0.5, which the one it replaces holds",
	}, {
		name:    "a private address the old one holds",
		edit:    cbd("instance_type: Standard", "instance_type: Standard, dedicated_host: h-2", `{network: "${lan.id}"}`, `{network: "${lan.id}", ip: 10.7.0.9}`),
		wantErr: "web: create_before_destroy: the new instance would need private address 10.7.0.9, which the one it replaces holds",
	}, {
		name:      "a free fixed address",
		edit:      cbd("instance_type: Standard", "instance_type: Standard, dedicated_host: h-2", `{network: "${lan.id}"}`, `{network: "${lan.id}", ip: 10.7.0.10}`),
		wantSteps: map[string][]string{"web": nil, "web (delete)": {"web"}, "web (rename)": {"web (delete)"}},
		renamed:   true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := applied()
			held(snap)
			p, err := planner.Plan(planner.Input{Stack: stack(t, false, tt.edit), Snapshot: snap})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for id, deps := range steps(p) {
				if len(deps) == 0 {
					deps = nil
				}
				got[id] = deps
			}
			if diff := cmp.Diff(tt.wantSteps, got); diff != "" {
				t.Errorf("steps (-want +got)\n%s", diff)
			}
			c := p.Change("web")
			if !c.CreateBeforeDestroy {
				t.Error("change is not create-before-destroy")
			}
			if tt.renamed != strings.HasPrefix(c.TempName, "web-new-") {
				t.Errorf("temporary name %q, renamed = %v", c.TempName, tt.renamed)
			}
		})
	}
}

func TestMissingRecordIsCreated(t *testing.T) {
	snap := applied()
	snap.Resources["web"].Missing = true
	p, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Change("web"); c.Action != planner.Create || c.Reason != planner.ReasonMissing {
		t.Errorf("web: %s %s, want create %s", c.Action, c.Reason, planner.ReasonMissing)
	}
}

func TestReplaceRequested(t *testing.T) {
	snap := applied()
	snap.Resources["web"].Protect = false
	p, err := planner.Plan(planner.Input{Stack: stack(t, false, nil), Snapshot: snap, Replace: []string{"lan"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range p.Changes {
		got[c.Addr] = string(c.Action) + " " + c.Reason
	}
	want := map[string]string{
		"net": "no-op ",
		"lan": "replace replace_because_requested",
		"web": "replace replace_because_dependency_replaced", // its network is new
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	for _, bad := range []struct{ addr, want string }{
		{"nett", `the stack has no resource "nett"; did you mean "net"?`},
		{"net[1]", "net has no count"},
	} {
		if _, err := planner.Plan(planner.Input{Stack: stack(t, false, nil), Snapshot: snap, Replace: []string{bad.addr}}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--replace %s: %v, want %q", bad.addr, err, bad.want)
		}
	}
	if _, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: applied(), Replace: []string{"web"}}); err == nil || !strings.Contains(err.Error(), "protected") {
		t.Errorf("--replace of a protected resource: %v", err)
	}
}
