package planner_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const hostStack = `version: 1
stack: hosts
region: CN_Beijing_A
resources:
  dh: {kind: dedicated_host, PROTECT properties: {name: dh-1, type: TYPE, goods_id: 6195, cpu: 48, ram: 192, prepaid_month: MONTHS}}
`

// hostState is the state after hostStack was applied.
func hostState() *state.Snapshot {
	return &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 2}, Resources: map[string]*state.Record{
		"dh": {Addr: "dh", Kind: "dedicated_host", ID: "h1", Region: "CN_Beijing_A", Outputs: map[string]any{"id": "h1"},
			Inputs: map[string]any{"name": "dh-1", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
				"limit": int64(1), "prepaid_month": int64(1), "auto_renew": true, "region": "CN_Beijing_A"}},
	}}
}

// hostLive is a cloud with host h1 (or none).
func hostLive(with bool) *resources.Live {
	l := resources.NewLive()
	l.ListedHosts = true
	if with {
		l.Hosts["h1"] = &cloud.DedicatedHost{HostID: "h1", HostName: "dh-1", HostType: "ded_standard", Region: "CN_Beijing_A", Status: "running"}
	}
	return l
}

// TestDedicatedHostNeverDeleted: a plan that would delete or replace a
// host that exists is refused, whatever asks for it (a changed field,
// --replace, removal from the stack, destroy, with or without a refresh),
// naming the address, why and the way out; a host already gone (released
// in the console) is only forgotten, and a change the API need not make
// (prepaid_month) is planned.
func TestDedicatedHostNeverDeleted(t *testing.T) {
	parse := func(t *testing.T, typ, months, protect string, removed bool) *spec.Stack {
		src := strings.NewReplacer("TYPE", typ, "MONTHS", months, "PROTECT", protect).Replace(hostStack)
		if removed {
			src = "version: 1\nstack: hosts\nregion: CN_Beijing_A\nresources:\n  net: {kind: vdc, properties: {name: n}}\n"
		}
		s, err := spec.Parse("s.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := map[string]struct {
		typ, months, protect string
		removed, destroy     bool
		replace              []string
		live                 *resources.Live
		refused              []planner.Undeletable // nil: planned
		want                 map[string]planner.Action
	}{
		"no change": {typ: "ded_standard", months: "1", live: hostLive(true), want: map[string]planner.Action{"dh": planner.NoOp}},
		"prepaid_month is only recorded": {typ: "ded_standard", months: "3", live: hostLive(true),
			want: map[string]planner.Action{"dh": planner.Update}},
		"a new type": {typ: "ded_memory", months: "1", live: hostLive(true), refused: []planner.Undeletable{
			{Addr: "dh", Kind: "dedicated_host", Action: planner.Replace, Fields: []string{"type"}}}},
		"--replace": {typ: "ded_standard", months: "1", replace: []string{"dh"}, live: hostLive(true), refused: []planner.Undeletable{
			{Addr: "dh", Kind: "dedicated_host", Action: planner.Replace}}},
		"removed from the stack": {removed: true, live: hostLive(true), refused: []planner.Undeletable{
			{Addr: "dh", Kind: "dedicated_host", Action: planner.Delete}}},
		"destroy": {typ: "ded_standard", months: "1", destroy: true, live: hostLive(true), refused: []planner.Undeletable{
			{Addr: "dh", Kind: "dedicated_host", Action: planner.Delete}}},
		"destroy without a refresh": {typ: "ded_standard", months: "1", destroy: true, refused: []planner.Undeletable{
			{Addr: "dh", Kind: "dedicated_host", Action: planner.Delete}}},
		"destroy once released in the console": {typ: "ded_standard", months: "1", destroy: true, live: hostLive(false),
			want: map[string]planner.Action{"dh": planner.Delete}},
		"removed once released in the console": {removed: true, live: hostLive(false),
			want: map[string]planner.Action{"dh": planner.Delete, "net": planner.Create}},
		"released, still in the stack: a new one": {typ: "ded_standard", months: "1", live: hostLive(false),
			want: map[string]planner.Action{"dh": planner.Create}},
		"protected and removed: kept": {removed: true, live: hostLive(true), protect: "protect: true,",
			want: map[string]planner.Action{"dh": planner.NoOp, "net": planner.Create}},
		"protected and destroyed: kept": {typ: "ded_standard", months: "1", destroy: true, live: hostLive(true), protect: "protect: true,",
			want: map[string]planner.Action{"dh": planner.NoOp}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			snap := hostState()
			snap.Resources["dh"].Protect = tc.protect != ""
			p, err := planner.Plan(planner.Input{Stack: parse(t, tc.typ, tc.months, tc.protect, tc.removed), Snapshot: snap,
				Live: tc.live, Destroy: tc.destroy, Replace: tc.replace})
			if tc.refused != nil {
				var ue *planner.UndeletableError
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want an UndeletableError", err)
				}
				for i := range ue.Items {
					if !strings.Contains(ue.Items[i].Why, "cannot release a dedicated host") {
						t.Errorf("why = %q", ue.Items[i].Why)
					}
					ue.Items[i].Why = ""
				}
				if diff := cmp.Diff(tc.refused, ue.Items); diff != "" {
					t.Errorf("refused (-want +got)\n%s", diff)
				}
				for _, s := range []string{"dh (dedicated_host) would be", "release it in the console, then run cdstack state rm dh", "nothing was changed"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("message %q lacks %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]planner.Action{}
			for _, c := range p.Changes {
				got[c.Addr] = c.Action
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("actions (-want +got)\n%s", diff)
			}
			if c := p.Change("dh"); c.Action == planner.Update && c.Detail != "only the record changes: nothing is sent to the cloud" {
				t.Errorf("an update of recorded-only fields says %q", c.Detail)
			}
		})
	}
}

// TestDedicatedHostDrift: a host renamed or released outside cdstack is
// drift (modified, deleted); drift reports it, where a plan to apply is
// refused (renamed) or only forgets the record (released).
func TestDedicatedHostDrift(t *testing.T) {
	s, err := spec.Parse("s.yaml", []byte(strings.NewReplacer("TYPE", "ded_standard", "MONTHS", "1", "PROTECT", "").Replace(hostStack)))
	if err != nil {
		t.Fatal(err)
	}
	renamed := hostLive(true)
	renamed.Hosts["h1"].HostName = "renamed-in-console"
	if _, err := planner.Plan(planner.Input{Stack: s, Snapshot: hostState(), Live: renamed}); err == nil {
		t.Error("a plan that replaces a renamed host was not refused")
	}
	for name, tc := range map[string]struct {
		live  func() *resources.Live
		class string
	}{
		"renamed":  {func() *resources.Live { return renamed }, "modified"},
		"released": {func() *resources.Live { return hostLive(false) }, "deleted"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: hostState(), Live: tc.live(), Report: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range p.Drift {
				got = append(got, d.Addr+" "+string(d.Class))
			}
			if diff := cmp.Diff([]string{"dh " + tc.class}, got); diff != "" {
				t.Errorf("drift (-want +got)\n%s", diff)
			}
		})
	}
}
