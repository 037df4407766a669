package executor_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// TestRecoverDedicatedHost: AllocateDedicatedHosts answers no task, so a
// run killed between the call and the record leaves an entry with neither
// a task nor an id: the host is found by its name in its region (one
// listing for every such entry) and adopted, and an entry whose call never
// took effect is discarded; nothing is allocated twice.
func TestRecoverDedicatedHost(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	c := f.client
	if _, err := c.AllocateDedicatedHosts(ctx, cloud.AllocateDedicatedHostsRequest{RegionID: "CN_Beijing_A", DedicatedHostType: "ded_standard",
		DedicatedHostGoodID: 6195, DedicatedHostName: "made", DedicatedHostCPU: 48, DedicatedHostRAM: 192, DedicatedHostLimit: 1, Amount: 1}); err != nil {
		t.Fatal(err)
	}
	entry := func(op, name string) *state.JournalEntry {
		return &state.JournalEntry{OpID: op, Addr: name, Kind: "dedicated_host", Action: "create", APIAction: "AllocateDedicatedHosts",
			Marker: name, StartedAt: time.Now(), Inputs: map[string]any{"name": name, "type": "ded_standard", "goods_id": int64(6195),
				"cpu": int64(48), "ram": int64(192), "limit": int64(1), "prepaid_month": int64(1), "auto_renew": true, "region": "CN_Beijing_A"}}
	}
	if _, err := f.store.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{entry("o1", "made"), entry("o2", "never")}}); err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	f.srv.ResetCalls()
	settled, err := executor.New(c, f.store, s).Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, st := range settled {
		outcomes = append(outcomes, st.Entry.OpID+": "+st.Outcome[:min(len(st.Outcome), 23)])
	}
	sort.Strings(outcomes)
	if diff := cmp.Diff([]string{"o1: adopted dedicated_host ", "o2: no dedicated_host named"}, outcomes); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if calls := f.srv.Calls(); calls["AllocateDedicatedHosts"] != 0 {
		t.Errorf("recovery allocated a host: %v", calls)
	}
	snap, _ := f.store.Snapshot(ctx)
	if len(snap.Journal) != 0 || len(snap.Resources) != 1 || snap.Resources["made"] == nil || snap.Resources["made"].ID == "" {
		t.Errorf("after recovery: %+v, %d entries", snap.Resources, len(snap.Journal))
	}
}

// TestDestroyReleasedDedicatedHost: a host released in the console (gone
// from the listing) is only forgotten by a destroy: no delete is sent,
// the record goes, and nothing is left pending.
func TestDestroyReleasedDedicatedHost(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	rec := &state.Record{Addr: "dh", Kind: "dedicated_host", ID: "00000000-0000-4000-8000-000000000009", Region: "CN_Beijing_A",
		Inputs: map[string]any{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
			"limit": int64(1), "prepaid_month": int64(1), "auto_renew": true, "region": "CN_Beijing_A"},
		Outputs: map[string]any{"id": "00000000-0000-4000-8000-000000000009"}}
	if _, err := f.store.Commit(ctx, state.Change{Put: []*state.Record{rec}}); err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	snap, _ := f.store.Snapshot(ctx)
	live, err := resources.Refresh(ctx, f.client, resources.Scope{ListHosts: true, Regions: []string{"CN_Beijing_A"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Destroy: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Change("dh"); c == nil || c.Action != planner.Delete || !strings.Contains(c.Detail, "already deleted outside") {
		t.Fatalf("dh: %+v", c)
	}
	f.srv.ResetCalls()
	res, err := executor.New(f.client, f.store, s).Apply(ctx, p)
	if err != nil || res.Err() != nil {
		t.Fatalf("apply: %v, %v", err, res.Err())
	}
	if diff := cmp.Diff(map[string]int{"DescribeDedicatedHosts": 1}, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got)\n%s", diff)
	}
	snap, _ = f.store.Snapshot(ctx)
	if len(snap.Resources) != 0 || len(snap.Journal) != 0 {
		t.Errorf("after the destroy: %d records, %d entries", len(snap.Resources), len(snap.Journal))
	}
}
