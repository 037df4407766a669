package executor_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const partWay = `version: 1
stack: t
region: CN_Beijing_A
resources:
  sg:
    kind: security_group
    properties:
      name: web
      type: public
      rules:
        - {protocol: TCP, ports: [22], addresses: [0.0.0.0/0], priority: 10}
        - {protocol: TCP, ports: [80], addresses: [10.9.9.0/24], priority: 20}
`

// TestCreateFailedPartWayRecordsTheCloud: a create whose resource was made
// but whose follow-up call was refused (the cloud refuses the second NSG
// rule) fails its step and records what the cloud has, marked incomplete:
// drift finds nothing, the next plan is an update that finishes the job,
// and after it the state and the cloud agree (drift clean, no changes).
func TestCreateFailedPartWayRecordsTheCloud(t *testing.T) {
	ctx := context.Background()
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	var refusing atomic.Bool
	refusing.Store(true)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == "AddNSGRule" && refusing.Load() {
			b, _ := io.ReadAll(r.Body)
			if strings.Contains(string(b), "10.9.9.0/24") {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"Code":"InvalidParameter.IpList","Message":"injected refusal"}`)
				return
			}
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	st := state.NewMemory().Open()
	if err := st.Lock(ctx, state.LockInfo{Command: "test"}, 0); err != nil {
		t.Fatal(err)
	}
	defer st.Unlock()
	s, err := spec.Parse("s.yaml", []byte(partWay))
	if err != nil {
		t.Fatal(err)
	}
	plan := func() *planner.Document {
		t.Helper()
		snap, _ := st.Snapshot(ctx)
		live, err := resources.Refresh(ctx, c, scope(snap))
		if err != nil {
			t.Fatal(err)
		}
		p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	apply := func() *executor.Result {
		t.Helper()
		res, err := executor.New(c, st, s).Apply(ctx, plan())
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cloudRules := func() []any {
		t.Helper()
		snap, _ := st.Snapshot(ctx)
		live, err := resources.Refresh(ctx, c, scope(snap))
		if err != nil {
			t.Fatal(err)
		}
		obs := resources.Registry["security_group"].Observe(live, snap.Resources["sg"].ID, nil)
		if obs == nil {
			t.Fatal("the group is not in the cloud")
		}
		return resources.Canon(obs.Attrs["rules"]).([]any)
	}

	res := apply()
	if len(res.Failed) != 1 || res.Failed[0].Step != "sg" || res.Added != 0 {
		t.Fatalf("apply: failed %v, %d added; want sg failed, 0 added", res.Failed, res.Added)
	}
	snap, _ := st.Snapshot(ctx)
	rec := snap.Resources["sg"]
	if rec == nil || !rec.Incomplete || len(snap.Journal) != 0 {
		t.Fatalf("record %+v, journal %v: want an incomplete record and no entry", rec, snap.Journal)
	}
	if diff := cmp.Diff(cloudRules(), resources.Canon(rec.Inputs["rules"])); diff != "" {
		t.Errorf("recorded rules are not the cloud's (-cloud +state)\n%s", diff)
	}
	p := plan()
	if len(p.Drift) != 0 {
		t.Errorf("drift after a part-way create: %+v", p.Drift[0])
	}
	if ch := p.Change("sg"); ch == nil || ch.Action != planner.Update || ch.Reason != planner.ReasonIncomplete {
		t.Fatalf("next plan for sg: %+v, want an update finishing the create", ch)
	}

	// The cause fixed, the next apply finishes the job: converged.
	refusing.Store(false)
	if res := apply(); res.Err() != nil || res.Changed != 1 {
		t.Fatalf("second apply: %v, %d changed", res.Err(), res.Changed)
	}
	snap, _ = st.Snapshot(ctx)
	if rec := snap.Resources["sg"]; rec.Incomplete {
		t.Error("the record is still marked incomplete after the update")
	}
	if got := cloudRules(); len(got) != 2 {
		t.Errorf("cloud holds %d rules, want 2", len(got))
	}
	if diff := cmp.Diff(cloudRules(), resources.Canon(snap.Resources["sg"].Inputs["rules"])); diff != "" {
		t.Errorf("recorded rules are not the cloud's (-cloud +state)\n%s", diff)
	}
	if p := plan(); p.HasChanges() || len(p.Drift) != 0 {
		t.Errorf("after convergence: changes %v, drift %v", p.HasChanges(), p.Drift)
	}
}

// scope reads every security group, and the rules of those in snap.
func scope(snap *state.Snapshot) resources.Scope {
	sc := resources.Scope{ListGroups: true}
	for _, r := range snap.Resources {
		if r.Kind == "security_group" {
			sc.Groups = append(sc.Groups, r.ID)
		}
	}
	return sc
}
