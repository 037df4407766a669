package reads

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

func TestStatePath(t *testing.T) {
	tests := map[string]struct {
		file string
		ref  spec.StackRef
		want string
	}{
		"relative to the stack file": {"app/app.yaml", spec.StackRef{State: "../platform/.cdstack/platform.db"}, "platform/.cdstack/platform.db"},
		"absolute":                   {"app/app.yaml", spec.StackRef{State: "/srv/p.db"}, "/srv/p.db"},
		"workspace of a file":        {"app.yaml", spec.StackRef{State: ".cdstack/platform.db", Workspace: "prod"}, ".cdstack/platform.prod.db"},
		"default workspace":          {"app.yaml", spec.StackRef{State: ".cdstack/platform.db", Workspace: "default"}, ".cdstack/platform.db"},
		"etcd":                       {"app.yaml", spec.StackRef{State: "etcd://h:2379/teams/platform"}, "etcd://h:2379/teams/platform"},
		"etcd workspace":             {"app.yaml", spec.StackRef{State: "etcd://h:2379/teams/platform/", Workspace: "prod"}, "etcd://h:2379/teams/platform/prod"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := StatePath(tc.file, &tc.ref); got != tc.want {
				t.Errorf("StatePath = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestChanges(t *testing.T) {
	prev := &state.Exports{
		Data: map[string]*state.DataRead{
			"net": {Kind: "vdc", ID: "vdc-1", Name: "p", Attrs: map[string]any{"id": "vdc-1", "name": "p"}},
			"img": {Kind: "image", ID: "Centos_7.6_64", Attrs: map[string]any{"os_type": "centos"}},
			"new": nil,
		},
		Stacks: map[string]*state.StackRead{"platform": {Serial: 3, Outputs: map[string]any{"vdc_id": "vdc-1", "n": float64(2)}}},
	}
	now := &Result{
		Data: map[string]*state.DataRead{
			"net":   {Kind: "vdc", ID: "vdc-2", Name: "p", Attrs: map[string]any{"id": "vdc-2", "name": "p"}},
			"img":   {Kind: "image", ID: "Centos_7.6_64", Attrs: map[string]any{"os_type": "centos"}},
			"fresh": {Kind: "vdc", ID: "vdc-9"},
		},
		Stacks: map[string]*state.StackRead{"platform": {Serial: 8, Outputs: map[string]any{"vdc_id": "vdc-2", "n": int64(2)}}},
	}
	want := []planner.ReadChange{
		{Ref: "${data.net.id}", Before: "vdc-1", After: "vdc-2", Detail: `data source net now matches "p"`},
		{Ref: "${stack.platform.outputs.vdc_id}", Before: "vdc-1", After: "vdc-2", Detail: "stack platform, serial 3 then, 8 now"},
	}
	if diff := cmp.Diff(want, Changes(prev, now)); diff != "" {
		t.Errorf("Changes (-want +got)\n%s", diff)
	}
	// What cannot be read now (drift is lenient) is a change from what was.
	now.gone = map[string]string{"${data.img.id}": "(no image matches {name: \"x\"})", "${stack.platform.outputs.n}": "(no output \"n\" at serial 8)"}
	got := Changes(prev, now)
	if len(got) != 4 || got[0].Ref != "${data.img.id}" || got[0].Before != "Centos_7.6_64" || got[2].Ref != "${stack.platform.outputs.n}" || got[2].Before != float64(2) {
		t.Errorf("Changes with values gone = %+v", got)
	}
	if got := Changes(nil, now); got != nil {
		t.Errorf("Changes with nothing recorded = %v, want none", got)
	}
}

func TestNearestAndCandidates(t *testing.T) {
	all := []resources.Candidate{{ID: "v1", Name: "platform-prod"}, {ID: "v2", Name: "platform-stage"}, {ID: "v3", Name: "billing"}, {ID: "n1", Name: "lan", VDC: "v1"}}
	if got, want := nearest(resources.Filter{Name: "platfrom-prod"}, all), `; the nearest are "platform-prod" (v1), "platform-stage" (v2), "lan" (n1, VDC v1)`; got != want {
		t.Errorf("nearest = %s\nwant %s", got, want)
	}
	if got, want := nearest(resources.Filter{Name: "x"}, nil), "; there is none at all"; got != want {
		t.Errorf("nearest of nothing = %s", got)
	}
	if got, want := candidates(all[:2]), `"platform-prod" (v1), "platform-stage" (v2)`; got != want {
		t.Errorf("candidates = %s", got)
	}
	if got, want := describe(resources.Filter{NamePrefix: "p", VDC: "v1", Tags: []string{"a", "b"}}), `{name_prefix: "p", vdc: "v1", tags: [a, b]}`; got != want {
		t.Errorf("describe = %s", got)
	}
}

// TestChangesOfComponentData: a component's data source is named with its
// use's prefix, and its changes name the reference as the component's
// values hold it (${api.data.img.id}), so the plan can say what they cause.
func TestChangesOfComponentData(t *testing.T) {
	prev := &state.Exports{Data: map[string]*state.DataRead{
		`api["eu"].data.img`: {Kind: "image", ID: "Centos_7.6_64", Attrs: map[string]any{"os_type": "centos"}},
		"api.data.net":       {Kind: "vdc", ID: "vdc-1"},
	}}
	now := &Result{Data: map[string]*state.DataRead{
		`api["eu"].data.img`: {Kind: "image", ID: "Centos_7.6_64", Attrs: map[string]any{"os_type": "linux"}},
	}, gone: map[string]string{"${api.data.net.id}": "(no vdc matches {name: \"x\"})"}}
	want := []planner.ReadChange{
		{Ref: "${api.data.net.id}", Before: "vdc-1", After: "(no vdc matches {name: \"x\"})"},
		{Ref: `${api["eu"].data.img.os_type}`, Before: "centos", After: "linux"},
	}
	if diff := cmp.Diff(want, Changes(prev, now)); diff != "" {
		t.Errorf("Changes (-want +got)\n%s", diff)
	}
}
