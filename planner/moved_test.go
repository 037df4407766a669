package planner_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// countApplied is the state after two counted VDCs v-0, v-1 and a network
// in the first were applied.
func countApplied() *state.Snapshot {
	return &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 1}, Resources: map[string]*state.Record{
		"net[0]": {Addr: "net[0]", Kind: "vdc", ID: "v0", Inputs: map[string]any{"name": "v-0", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v0"}},
		"net[1]": {Addr: "net[1]", Kind: "vdc", ID: "v1", Inputs: map[string]any{"name": "v-1", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v1"}},
		"lan": {Addr: "lan", Kind: "private_network", ID: "p0", Deps: []string{"net[0]"},
			Inputs:  map[string]any{"vdc": "v0", "name": "lan", "type": "auto", "address": "10.7.0.0", "mask": int64(16)},
			Outputs: map[string]any{"id": "p0"}},
	}}
}

func movedStack(t *testing.T, moved string) *spec.Stack {
	t.Helper()
	src := "version: 1\nstack: m\nregion: CN_Beijing_A\nresources:\n" +
		"  net:\n    kind: vdc\n    for_each: {a: 0, b: 1}\n    properties: {name: \"v-${each.value}\"}\n" +
		"  lan:\n    kind: private_network\n    properties: {vdc: '${net[\"a\"].id}', name: lan, address: 10.7.0.0, mask: 16}\n" +
		"moved:\n" + moved
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const countToEach = "  - {from: \"net[0]\", to: 'net[\"a\"]'}\n  - {from: \"net[1]\", to: 'net[\"b\"]'}\n"

// TestMovedCountToForEach: switching count to for_each with moved: plans
// the moves and nothing else (no replacement), and the state change they
// make renames the records and what depends on them.
func TestMovedCountToForEach(t *testing.T) {
	snap := countApplied()
	p, err := planner.Plan(planner.Input{Stack: movedStack(t, countToEach), Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(p); len(got) != 0 {
		t.Errorf("changes beside the moves: %v", got)
	}
	var moves []string
	for _, m := range p.Moves {
		moves = append(moves, m.From+" -> "+m.To+" "+m.ID+" "+m.Declared)
	}
	if diff := cmp.Diff([]string{`net[0] -> net["a"] v0 s.yaml:13:5`, `net[1] -> net["b"] v1 s.yaml:14:5`}, moves); diff != "" {
		t.Errorf("moves (-want +got)\n%s", diff)
	}
	if !p.HasChanges() {
		t.Error("a plan with moves has no changes")
	}
	now := time.Unix(1, 0).UTC()
	c := planner.MoveChange(snap, p.Moves, now)
	if diff := cmp.Diff([]string{"net[0]", "net[1]"}, c.Delete); diff != "" {
		t.Errorf("deleted (-want +got)\n%s", diff)
	}
	put := map[string]string{}
	for _, r := range c.Put {
		put[r.Addr] = r.ID + " " + strings.Join(r.Deps, ",")
	}
	if diff := cmp.Diff(map[string]string{`net["a"]`: "v0 ", `net["b"]`: "v1 ", "lan": `p0 net["a"]`}, put); diff != "" {
		t.Errorf("put (-want +got)\n%s", diff)
	}
	if snap.Resources["lan"].Deps[0] != "net[0]" {
		t.Error("planning changed the snapshot it was given")
	}

	// Once made, the moves are done: nothing left to plan.
	after := &state.Snapshot{Meta: snap.Meta, Resources: map[string]*state.Record{}}
	for addr, r := range snap.Resources {
		after.Resources[addr] = r
	}
	for _, a := range c.Delete {
		delete(after.Resources, a)
	}
	for _, r := range c.Put {
		after.Resources[r.Addr] = r
	}
	p, err = planner.Plan(planner.Input{Stack: movedStack(t, countToEach), Snapshot: after})
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("after the moves: moves %v, changes %v", p.Moves, actions(p))
	}

	// Without moved: the same switch replaces everything.
	p, err = planner.Plan(planner.Input{Stack: movedStack(t, "  []\n"), Snapshot: countApplied()})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{`net["a"]`: "create create_new", `net["b"]`: "create create_new", "net[0]": "delete delete_because_removed_from_spec",
		"net[1]": "delete delete_because_removed_from_spec", "lan": "replace replace_because_dependency_replaced"}, actions(p)); diff != "" {
		t.Errorf("without moved (-want +got)\n%s", diff)
	}
}

// TestMovedTargetTaken: a move onto an address the state has is refused.
func TestMovedTargetTaken(t *testing.T) {
	snap := countApplied()
	snap.Resources[`net["a"]`] = &state.Record{Addr: `net["a"]`, Kind: "vdc", ID: "vx"}
	_, err := planner.Plan(planner.Input{Stack: movedStack(t, countToEach), Snapshot: snap})
	if err == nil || !strings.Contains(err.Error(), `s.yaml:13:5: moved: net[0] to net["a"]: the state already has net["a"] (vdc vx)`) {
		t.Errorf("err = %v", err)
	}
}

// TestMovedWholeResource: a move between names takes every copy.
func TestMovedWholeResource(t *testing.T) {
	src := "version: 1\nstack: m\nregion: CN_Beijing_A\nresources:\n" +
		"  vdc:\n    kind: vdc\n    count: 2\n    properties: {name: \"v-${index}\"}\n" +
		"  lan:\n    kind: private_network\n    properties: {vdc: '${vdc[0].id}', name: lan, address: 10.7.0.0, mask: 16}\n" +
		"moved:\n  - {from: net, to: vdc}\n"
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: countApplied()})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Moves) != 2 || p.Moves[0].To != "vdc[0]" || p.Moves[1].To != "vdc[1]" {
		t.Errorf("moves: %+v", p.Moves)
	}
	if got := actions(p); len(got) != 0 {
		t.Errorf("changes beside the moves: %v", got)
	}
}

// TestMovedKindMismatch: a move onto a resource of another kind would lose
// the record's resource; it is refused.
func TestMovedKindMismatch(t *testing.T) {
	src := "version: 1\nstack: m\nregion: CN_Beijing_A\nresources:\n" +
		"  net:\n    kind: vdc\n    count: 2\n    properties: {name: \"v-${index}\"}\n" +
		"  lan2:\n    kind: vdc\n    properties: {name: x}\n" +
		"moved:\n  - {from: lan, to: lan2}\n"
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = planner.Plan(planner.Input{Stack: s, Snapshot: countApplied()})
	if err == nil || !strings.Contains(err.Error(), "s.yaml:13:5: moved: lan is a private_network (p0) and lan2 a vdc") {
		t.Errorf("err = %v", err)
	}
}

// TestMovedIntoComponent: resources written in the stack move into a
// component with moved: {from: net, to: svc.net}, every copy, without
// replacement.
func TestMovedIntoComponent(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"stack.yaml": "version: 1\nstack: m\nregion: CN_Beijing_A\nresources: {}\ncomponents:\n  svc: {source: svc.yaml}\n" +
			"moved:\n  - {from: net, to: svc.net}\n  - {from: lan, to: svc.lan}\n",
		"svc.yaml": "version: 1\nresources:\n  net:\n    kind: vdc\n    count: 2\n    properties: {name: \"v-${index}\"}\n" +
			"  lan:\n    kind: private_network\n    properties: {vdc: '${net[0].id}', name: lan, address: 10.7.0.0, mask: 16}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := spec.Load(filepath.Join(dir, "stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	snap := countApplied()
	snap.Resources["lan"].Inputs["vdc"] = "v0"
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, m := range p.Moves {
		moves = append(moves, m.From+" -> "+m.To)
	}
	if diff := cmp.Diff([]string{"net[0] -> svc.net[0]", "net[1] -> svc.net[1]", "lan -> svc.lan"}, moves); diff != "" {
		t.Errorf("moves (-want +got)\n%s", diff)
	}
	if got := actions(p); len(got) != 0 {
		t.Errorf("changes beside the moves: %v", got)
	}
}
