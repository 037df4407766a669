package planner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// eachStack is a for_each stack over keys, with a network per VDC.
func eachStack(t *testing.T, keys ...string) *spec.Stack {
	t.Helper()
	src := "version: 1\nstack: each\nregion: CN_Beijing_A\nresources:\n" +
		"  net:\n    kind: vdc\n    for_each: [" + strings.Join(keys, ", ") + "]\n    properties: {name: \"v-${each.key}\"}\n" +
		"  lan:\n    kind: private_network\n    for_each: [" + strings.Join(keys, ", ") + "]\n" +
		"    properties: {vdc: '${net[each.key].id}', name: \"l-${each.value}\", address: 10.7.0.0, mask: 16}\n"
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// eachApplied is the state after eachStack(keys) was applied.
func eachApplied(keys ...string) *state.Snapshot {
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 1}, Resources: map[string]*state.Record{}}
	for _, k := range keys {
		net, lan := spec.KeyAddress("net", k), spec.KeyAddress("lan", k)
		snap.Resources[net] = &state.Record{Addr: net, Kind: "vdc", ID: "v-" + k, Inputs: map[string]any{"name": "v-" + k, "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v-" + k}}
		snap.Resources[lan] = &state.Record{Addr: lan, Kind: "private_network", ID: "p-" + k, Deps: []string{net},
			Inputs:  map[string]any{"vdc": "v-" + k, "name": "l-" + k, "type": "auto", "address": "10.7.0.0", "mask": int64(16)},
			Outputs: map[string]any{"id": "p-" + k}}
	}
	return snap
}

func actions(p *planner.Document) map[string]string {
	out := map[string]string{}
	for _, c := range p.Changes {
		if c.Action != planner.NoOp {
			out[c.Addr] = fmt.Sprintf("%s %s", c.Action, c.Reason)
		}
	}
	return out
}

// TestForEachRemoveMiddleKey: removing the middle key plans exactly the
// deletion of that key's copies; the others are untouched (count would
// renumber and replace them).
func TestForEachRemoveMiddleKey(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: eachStack(t, "a", "b", "c"), Snapshot: eachApplied("a", "b", "c")})
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(p); len(got) != 0 {
		t.Fatalf("unchanged stack plans %v", got)
	}
	p, err = planner.Plan(planner.Input{Stack: eachStack(t, "a", "c"), Snapshot: eachApplied("a", "b", "c")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`net["b"]`: "delete delete_because_key_removed",
		`lan["b"]`: "delete delete_because_key_removed",
	}
	if diff := cmp.Diff(want, actions(p)); diff != "" {
		t.Errorf("changes (-want +got)\n%s", diff)
	}
}

// TestForEachAddKey: a new key creates only its copy.
func TestForEachAddKey(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: eachStack(t, "a", "ab", "c"), Snapshot: eachApplied("a", "c")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{`net["ab"]`: "create create_new", `lan["ab"]`: "create create_new"}
	if diff := cmp.Diff(want, actions(p)); diff != "" {
		t.Errorf("changes (-want +got)\n%s", diff)
	}
}

// TestForEachTargetAndReplace: --target and --replace take keyed addresses.
func TestForEachTargetAndReplace(t *testing.T) {
	p, err := planner.Plan(planner.Input{Stack: eachStack(t, "a", "b"), Snapshot: eachApplied(), Targets: []string{`net["b"]`}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{`net["b"]`: "create create_new"}, actions(p)); diff != "" {
		t.Errorf("--target (-want +got)\n%s", diff)
	}
	p, err = planner.Plan(planner.Input{Stack: eachStack(t, "a", "b"), Snapshot: eachApplied("a", "b"), Replace: []string{`lan["a"]`}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{`lan["a"]`: "replace replace_because_requested"}, actions(p)); diff != "" {
		t.Errorf("--replace (-want +got)\n%s", diff)
	}
	for _, bad := range []struct{ addr, want string }{
		{`lan["z"]`, `the stack has no such address; lan has lan["a"], lan["b"]`},
		{`lan[0]`, `the stack has no such address`},
		{`lan['a']`, `a key is written in double quotes: lan["a"]`},
	} {
		if _, err := planner.Plan(planner.Input{Stack: eachStack(t, "a", "b"), Snapshot: eachApplied("a", "b"), Replace: []string{bad.addr}}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--replace %s: %v, want %q", bad.addr, err, bad.want)
		}
	}
	if _, err := planner.Plan(planner.Input{Stack: eachStack(t, "a"), Snapshot: eachApplied("a"), Targets: []string{`lan["a`}}); err == nil || !strings.Contains(err.Error(), "unclosed") {
		t.Errorf("--target of a malformed address: %v", err)
	}
}
