package planner_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// TestReadChangesExplainAndDrift: a network whose VDC comes from another
// stack's output is replaced when that output changed, the plan says so
// on the change, and drift has a line for the output; the data sources and
// stacks read are in the document.
func TestReadChangesExplainAndDrift(t *testing.T) {
	src := "version: 1\nstack: app\nregion: CN_Beijing_A\nstacks:\n  platform: {state: p.db}\nresources:\n" +
		"  lan: {kind: private_network, properties: {vdc: \"${stack.platform.outputs.vdc_id}\", name: lan}}\n" +
		"  other: {kind: private_network, properties: {vdc: vdc-0, name: \"${stack.platform.outputs.vdc_id}\"}}\n"
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s.SetExternal(func(*spec.Ref) (any, error) { return "vdc-2", nil })
	rec := func(addr, id string, in map[string]any) *state.Record {
		return &state.Record{Addr: addr, Kind: "private_network", ID: id, Inputs: in, Outputs: map[string]any{"id": id}}
	}
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 3}, Resources: map[string]*state.Record{
		"lan":   rec("lan", "n1", map[string]any{"vdc": "vdc-1", "name": "lan"}),
		"other": rec("other", "n2", map[string]any{"vdc": "vdc-0", "name": "vdc-1"}),
	}}
	live := resources.NewLive()
	for _, v := range []cloud.Vdc{
		{VdcID: "vdc-1", PrivateNetwork: []cloud.PrivateNetwork{{PrivateID: "n1", Name: "lan", Status: "ok"}}},
		{VdcID: "vdc-0", PrivateNetwork: []cloud.PrivateNetwork{{PrivateID: "n2", Name: "vdc-1", Status: "ok"}}},
	} {
		v := v
		live.VDCs[v.VdcID] = &v
		for _, p := range v.PrivateNetwork {
			live.Privates[p.PrivateID] = &resources.LivePrivate{PrivateNetwork: p, VdcID: v.VdcID}
		}
	}
	rc := planner.ReadChange{Ref: "${stack.platform.outputs.vdc_id}", Before: "vdc-1", After: "vdc-2", Detail: "stack platform, serial 3 then, 4 now"}
	reads := &planner.Reads{Stacks: map[string]*state.StackRead{"platform": {State: "p.db", Serial: 4, Outputs: map[string]any{"vdc_id": "vdc-2"}}},
		Changed: []planner.ReadChange{rc}}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Reads: reads})
	if err != nil {
		t.Fatal(err)
	}
	why := `${stack.platform.outputs.vdc_id} changed since the last apply: "vdc-1" → "vdc-2" (stack platform, serial 3 then, 4 now)`
	if c := p.Change("lan"); c.Action != planner.Replace || !cmp.Equal(c.Because, []string{why}) {
		t.Errorf("lan: %s because %v, want a replacement because %s", c.Action, c.Because, why)
	}
	// Another property the same output feeds (a name) names it too.
	if c := p.Change("other"); c.Action == planner.NoOp || !cmp.Equal(c.Because, []string{why}) {
		t.Errorf("other: %s because %v", c.Action, c.Because)
	}
	want := []*planner.DriftItem{{Addr: rc.Ref, Kind: "stack", Class: planner.DriftRead, Name: rc.Detail,
		Fields: []planner.FieldChange{{Path: rc.Ref, Before: "vdc-1", After: "vdc-2"}}}}
	if diff := cmp.Diff(want, p.Drift); diff != "" {
		t.Errorf("drift (-want +got)\n%s", diff)
	}
	if p.Stacks["platform"].Serial != 4 {
		t.Errorf("the document does not carry what was read: %+v", p.Stacks)
	}
}
