package executor_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const vdcWithPublic = `version: 1
stack: t
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: together}}
  wan:
    kind: public_network
    properties: {vdc: "${net.id}", name: NAME, bandwidth_type: Bandwidth_BGP, qos: 5, ip_count: 8}
    DEPS
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}}
`

// noAddresses refuses every purchase of public addresses (CreateVdc with
// a PublicNetwork, CreatePublicNetwork) as the emulator does when its pool
// is spent.
type noAddresses struct{ next http.Handler }

func (p noAddresses) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	a := r.URL.Query().Get("Action")
	if a == "CreatePublicNetwork" || a == "CreateVdc" && bytes.Contains(body, []byte("PublicNetwork")) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"Code":"InvalidPublicNetwork.Ip.NotEnough","Message":"No public addresses are left in the pool.","RequestId":"r"}`)
		return
	}
	p.next.ServeHTTP(w, r)
}

// loseFirst loses the answer to the first request of action: the server
// acts, the client gets a 500.
type loseFirst struct {
	next   http.Handler
	action string
	mu     sync.Mutex
	lost   bool
}

func (p *loseFirst) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	lose := !p.lost && r.URL.Query().Get("Action") == p.action
	p.lost = p.lost || lose
	p.mu.Unlock()
	if !lose {
		p.next.ServeHTTP(w, r)
		return
	}
	p.next.ServeHTTP(httptest.NewRecorder(), r)
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `{"Code":"InternalError","Message":"answer lost"}`)
}

// TestVdcAndPublicNetworkInOneCreateVdc: a plan that creates a VDC and its
// public network sends one CreateVdc with PublicNetwork and no
// CreatePublicNetwork; each gets its own record, the network's id the one
// the VDC lists, and the next plan shows no change and no drift. A network
// CreateVdc cannot buy (128 addresses: two segments) is created on its own;
// a CreateVdc refused for the network's sake is made again without it, so
// the VDC is created and the network fails on its own; a CreateVdc whose
// answer is lost is settled by reading, the network found in the VDC.
func TestVdcAndPublicNetworkInOneCreateVdc(t *testing.T) {
	for name, tc := range map[string]struct {
		name, deps string
		lose       bool
		refuse     bool
		calls      map[string]int
		added      int
		failed     string
		publics    int
		recordWAN  bool
	}{
		"together":               {calls: map[string]int{"CreateVdc": 1, "CreatePublicNetwork": 0}, added: 3, publics: 1, recordWAN: true},
		"another dependency":     {deps: "depends_on: [lan]", calls: map[string]int{"CreateVdc": 1, "CreatePublicNetwork": 1}, added: 3, publics: 1, recordWAN: true},
		"named after the VDC id": {name: `"wan-${net.id}"`, calls: map[string]int{"CreateVdc": 1, "CreatePublicNetwork": 1}, added: 3, publics: 1, recordWAN: true},
		"network refused":        {refuse: true, calls: map[string]int{"CreateVdc": 1, "CreatePublicNetwork": 0}, added: 2, failed: "wan", publics: 0},
		"answer lost":            {lose: true, calls: map[string]int{"CreateVdc": 1, "CreatePublicNetwork": 0}, added: 3, publics: 1, recordWAN: true},
	} {
		t.Run(name, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, Seed: 7, TaskLatency: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var h http.Handler = srv
			if tc.lose {
				h = &loseFirst{next: srv, action: "CreateVdc"}
			}
			if tc.refuse {
				h = noAddresses{next: srv}
			}
			hs := httptest.NewServer(h)
			defer hs.Close()
			c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)),
				cloud.WithBackoff(cloud.Backoff{Base: time.Millisecond, Cap: 5 * time.Millisecond}))
			st := state.NewMemory().Open()
			ctx := context.Background()
			if err := st.Lock(ctx, state.LockInfo{Command: "test"}, 0); err != nil {
				t.Fatal(err)
			}
			defer st.Unlock()
			s, err := spec.Parse("s.yaml", []byte(strings.NewReplacer("NAME", cmp.Or(tc.name, "wan"), "DEPS", tc.deps).Replace(vdcWithPublic)))
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := st.Snapshot(ctx)
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: &resources.Live{}})
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetCalls()
			res, err := executor.New(c, st, s, executor.WithWaitOptions(cloud.WaitIntervals(2*time.Millisecond, 10*time.Millisecond), cloud.WaitFirstPoll(2*time.Millisecond))).Apply(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			calls := srv.Calls()
			for action, n := range tc.calls {
				if calls[action] != n {
					t.Errorf("%s sent %d times, want %d (calls %v)", action, calls[action], n, calls)
				}
			}
			var failed []string
			for _, f := range res.Failed {
				failed = append(failed, f.Step)
			}
			if res.Added != tc.added || strings.Join(failed, ",") != tc.failed || len(res.Skipped) != 0 {
				t.Fatalf("apply: %d added, failed %v, skipped %v (want %d added, failed %q): %v", res.Added, failed, res.Skipped, tc.added, tc.failed, res.Err())
			}
			if tc.failed != "" && !strings.Contains(res.Err().Error(), "InvalidPublicNetwork.Ip.NotEnough") {
				t.Errorf("the network's own error is not reported: %v", res.Err())
			}
			snap, _ = st.Snapshot(ctx)
			if len(snap.Journal) != 0 {
				t.Errorf("journal entries left: %+v", snap.Journal)
			}
			var publicIDs []string
			srv.View(func(w *emulator.World) {
				if len(w.VDCs) != 1 || len(w.Privates) != 1 || len(w.Publics) != tc.publics {
					t.Errorf("the cloud holds %d VDCs, %d public and %d private networks; want 1, %d, 1", len(w.VDCs), len(w.Publics), len(w.Privates), tc.publics)
				}
				for id := range w.Publics {
					publicIDs = append(publicIDs, id)
				}
			})
			wan := snap.Resources["wan"]
			switch {
			case tc.recordWAN && (wan == nil || len(publicIDs) != 1 || wan.ID != publicIDs[0] || wan.Inputs["vdc"] != snap.Resources["net"].ID):
				t.Fatalf("wan recorded as %+v; the cloud's public networks %v", wan, publicIDs)
			case !tc.recordWAN && wan != nil:
				t.Fatalf("wan recorded as %+v though it failed", wan)
			}
			if snap.Resources["net"] == nil || snap.Resources["net"].Outputs["status"] == nil {
				t.Errorf("net recorded without its read-back: %+v", snap.Resources["net"])
			}
			live, err := resources.Refresh(ctx, c, resources.Scope{VDCs: []string{snap.Resources["net"].ID}})
			if err != nil {
				t.Fatal(err)
			}
			p, err = planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
			if err != nil {
				t.Fatal(err)
			}
			var what []string
			for _, ch := range p.Changes {
				if ch.Action != planner.NoOp {
					what = append(what, ch.Addr+" "+string(ch.Action))
				}
			}
			for _, d := range p.Drift {
				what = append(what, d.Addr+" "+d.Class)
			}
			want := ""
			if tc.failed != "" {
				want = "wan create"
			}
			if strings.Join(what, "; ") != want {
				t.Errorf("after the apply: %q, want %q", strings.Join(what, "; "), want)
			}
		})
	}
}
