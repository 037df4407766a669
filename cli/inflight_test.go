package cli

import (
	"context"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// firstRead is a state that an apply changes right after a reader's first
// look: its first Snapshot is first, later ones the state as it is.
type firstRead struct {
	state.Reader
	first *state.Snapshot
	reads int
}

func (r *firstRead) Snapshot(ctx context.Context) (*state.Snapshot, error) {
	r.reads++
	if r.reads == 1 {
		return r.first, nil
	}
	return r.Reader.Snapshot(ctx)
}

// TestReaderBesideApply: a drift or plan that takes no lock reads the state,
// then the cloud, while an apply changes both. What the apply made or
// deleted in between is shown as in flight: not as an unmanaged resource, a
// name conflict or a deleted one. Without the second read (control) each
// case is the drift the reader must not report.
func TestReaderBesideApply(t *testing.T) {
	_, endpoint, dir := cloudWithStack(t, emulator.Options{}, `version: 1
stack: beside
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: beside}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.6.0.0, mask: 16}}
`)
	if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	ctx := context.Background()
	st := state.OpenBolt(filepath.Join(dir, ".cdstack", "beside.db"))
	now, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(filepath.Join(dir, "stack.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := cloud.New(endpoint, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	// earlier is now as a reader saw it before the apply's last commit.
	earlier := func(change func(recs map[string]*state.Record)) *state.Snapshot {
		s := *now
		s.Meta.Serial--
		s.Resources = maps.Clone(now.Resources)
		change(s.Resources)
		return &s
	}
	for _, tc := range []struct {
		name  string
		first *state.Snapshot
		addr  string // shown as in flight
		drift string // what the control reports
	}{
		{"created", earlier(func(recs map[string]*state.Record) { delete(recs, "lan") }), "lan", planner.DriftUnmanaged},
		{"deleted", earlier(func(recs map[string]*state.Record) {
			recs["old"] = &state.Record{Addr: "old", Kind: "private_network", ID: "gone-network", Inputs: map[string]any{"name": "old"}}
		}), "old", planner.DriftDeleted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range []planOptions{{refresh: true, lenient: true, unlocked: true}, {refresh: true, unlocked: true}} {
				p, err := makePlan(ctx, s, &firstRead{Reader: st, first: tc.first}, client, o)
				if err != nil {
					t.Fatalf("lenient %v: %v", o.lenient, err)
				}
				if len(p.Drift) != 0 {
					t.Errorf("lenient %v: drift %+v, want none", o.lenient, *p.Drift[0])
				}
				c := p.Change(tc.addr)
				if c == nil || c.Action != planner.Read || !strings.Contains(c.Detail, "another cdstack process changed "+tc.addr) {
					t.Errorf("lenient %v: %s planned as %+v, want in flight", o.lenient, tc.addr, c)
				}
			}
			// Control: planned from the first read alone.
			p, err := makePlan(ctx, s, &firstRead{Reader: frozen{tc.first}, first: tc.first}, client, planOptions{refresh: true, lenient: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Drift) != 1 || p.Drift[0].Class != tc.drift {
				t.Errorf("control: drift %v, want one %s", p.Drift, tc.drift)
			}
		})
	}
}

// frozen is a state no one changes.
type frozen struct{ snap *state.Snapshot }

func (f frozen) Snapshot(context.Context) (*state.Snapshot, error) { return f.snap, nil }

func (frozen) History(context.Context) ([]state.HistoryEntry, error) { return nil, nil }
