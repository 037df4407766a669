package executor_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
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

// faultProxy stands in front of the emulator and breaks a fraction of all
// requests, reads and writes alike, in the three ways a network does: a
// 503 before the server saw anything, a 500 after the server acted (the
// answer is lost), and a connection reset after the server acted.
type faultProxy struct {
	next http.Handler
	rate float64

	mu                   sync.Mutex
	rng                  *rand.Rand
	before, after, reset int
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	fault := p.rng.Float64() < p.rate
	kind := p.rng.IntN(3)
	if fault {
		switch kind {
		case 0:
			p.before++
		case 1:
			p.after++
		default:
			p.reset++
		}
	}
	p.mu.Unlock()
	if !fault {
		p.next.ServeHTTP(w, r)
		return
	}
	if kind == 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"Code":"ServiceUnavailable","Message":"injected before"}`)
		return
	}
	p.next.ServeHTTP(httptest.NewRecorder(), r) // the server acts; its answer is lost
	if kind == 1 {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"Code":"InternalError","Message":"injected after"}`)
		return
	}
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

const thirtyInstances = `version: 1
stack: t
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: faults}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}}
  web:
    kind: instance
    count: 30
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
                 password: Fault-Passw0rd, private_ips: [{network: "${lan.id}"}]}
`

// TestApplyConvergesAtFivePercentFaults: with 5 % of every request failing
// (before the server acted, or after it, the answer lost to a 500 or a
// reset), one apply of 30 instances succeeds; the state then matches the
// cloud exactly (no changes, no drift, no journal entry), and the cloud
// holds exactly 30 instances, none orphaned or made twice. Five seeds.
func TestApplyConvergesAtFivePercentFaults(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, Seed: seed, TaskLatency: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			proxy := &faultProxy{next: srv, rate: 0.05, rng: rand.New(rand.NewPCG(seed, 99))}
			hs := httptest.NewServer(proxy)
			defer hs.Close()
			c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)),
				cloud.WithBackoff(cloud.Backoff{Base: time.Millisecond, Cap: 5 * time.Millisecond}))
			st := state.NewMemory().Open()
			ctx := context.Background()
			if err := st.Lock(ctx, state.LockInfo{Command: "test"}, 0); err != nil {
				t.Fatal(err)
			}
			defer st.Unlock()
			s, err := spec.Parse("s.yaml", []byte(thirtyInstances))
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := st.Snapshot(ctx)
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: &resources.Live{}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := executor.New(c, st, s, executor.WithParallelism(10),
				executor.WithWaitOptions(cloud.WaitIntervals(2*time.Millisecond, 10*time.Millisecond), cloud.WaitFirstPoll(2*time.Millisecond))).Apply(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Err() != nil || res.Added != 32 {
				t.Fatalf("apply at a 5%% fault rate: %d added, %v", res.Added, res.Err())
			}
			proxy.mu.Lock()
			faults := fmt.Sprintf("%d before, %d after with a 500, %d reset", proxy.before, proxy.after, proxy.reset)
			proxy.rate = 0
			proxy.mu.Unlock()
			if proxy.after+proxy.reset == 0 {
				t.Fatalf("no fault after the server acted (%s): the test proves nothing", faults)
			}
			t.Logf("faults: %s", faults)

			// Converged: the state matches the cloud.
			snap, _ = st.Snapshot(ctx)
			if len(snap.Journal) != 0 {
				t.Errorf("journal entries left: %+v", snap.Journal)
			}
			live, err := resources.Refresh(ctx, c, resources.Scope{VDCs: []string{snap.Resources["net"].ID}})
			if err != nil {
				t.Fatal(err)
			}
			p, err = planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
			if err != nil {
				t.Fatal(err)
			}
			if p.HasChanges() || len(p.Drift) != 0 {
				var what []string
				for _, ch := range p.Changes {
					what = append(what, ch.Addr+" "+string(ch.Action))
				}
				for _, d := range p.Drift {
					what = append(what, d.Addr+" "+d.Class+" "+d.ID)
				}
				t.Errorf("after the apply: %s", strings.Join(what, "; "))
			}
			recorded := map[string]string{}
			for addr, r := range snap.Resources {
				recorded[r.ID] = addr
			}
			srv.View(func(w *emulator.World) {
				var names []string
				for id, in := range w.Instances {
					names = append(names, in.Name)
					if recorded[id] == "" {
						t.Errorf("instance %s (%s) is not in the state: an orphan", id, in.Name)
					}
				}
				sort.Strings(names)
				if len(names) != 30 || len(w.VDCs) != 1 || len(w.Privates) != 1 {
					t.Errorf("the cloud holds %d VDCs, %d private networks and %d instances %v; want 1, 1, 30", len(w.VDCs), len(w.Privates), len(names), names)
				}
			})
			if t.Failed() {
				return
			}

			// Updates (a rename and a new size for every copy) and then the
			// destroy, each in one apply at the same fault rate.
			changed := strings.NewReplacer("name: \"web-${index}\"", "name: \"app-${index}\"", "cpu: 1, ram: 1", "cpu: 2, ram: 4").Replace(thirtyInstances)
			for _, phase := range []struct {
				name    string
				src     string
				destroy bool
			}{{"update", changed, false}, {"destroy", changed, true}} {
				s, err := spec.Parse("s.yaml", []byte(phase.src))
				if err != nil {
					t.Fatal(err)
				}
				snap, _ := st.Snapshot(ctx)
				live, err := resources.Refresh(ctx, c, resources.Scope{VDCs: []string{snap.Resources["net"].ID}})
				if err != nil {
					t.Fatal(err)
				}
				p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Destroy: phase.destroy})
				if err != nil {
					t.Fatal(err)
				}
				proxy.mu.Lock()
				proxy.rate = 0.05
				proxy.mu.Unlock()
				res, err := executor.New(c, st, s, executor.WithParallelism(10),
					executor.WithWaitOptions(cloud.WaitIntervals(2*time.Millisecond, 10*time.Millisecond), cloud.WaitFirstPoll(2*time.Millisecond))).Apply(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				proxy.mu.Lock()
				proxy.rate = 0
				proxy.mu.Unlock()
				if res.Err() != nil {
					t.Fatalf("%s at a 5%% fault rate: %v", phase.name, res.Err())
				}
				snap, _ = st.Snapshot(ctx)
				if len(snap.Journal) != 0 {
					t.Errorf("%s: journal entries left: %+v", phase.name, snap.Journal)
				}
				if phase.destroy {
					srv.View(func(w *emulator.World) {
						if len(w.Instances)+len(w.VDCs)+len(w.Privates) != 0 || len(snap.Resources) != 0 {
							t.Errorf("after the destroy: %d instances, %d VDCs, %d private networks in the cloud, %d records", len(w.Instances), len(w.VDCs), len(w.Privates), len(snap.Resources))
						}
					})
					continue
				}
				live, err = resources.Refresh(ctx, c, resources.Scope{VDCs: []string{snap.Resources["net"].ID}})
				if err != nil {
					t.Fatal(err)
				}
				p, err = planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
				if err != nil {
					t.Fatal(err)
				}
				if p.HasChanges() || len(p.Drift) != 0 {
					t.Errorf("after the %s: %d changes, %d drift", phase.name, len(p.Changes), len(p.Drift))
				}
				srv.View(func(w *emulator.World) {
					for _, in := range w.Instances {
						if !strings.HasPrefix(in.Name, "app-") || in.CPU != 2 {
							t.Errorf("instance %s has %d CPUs after the update", in.Name, in.CPU)
						}
					}
				})
			}
		})
	}
}

// TestRecoveryNeverRecordsOneResourceTwice: an unfinished create found by
// a name another record's resource already has is not adopted at a second
// address; the entry stays and the error says what to do.
func TestRecoveryNeverRecordsOneResourceTwice(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	task, err := f.client.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "dup"})
	if err != nil {
		t.Fatal(err)
	}
	done, err := f.client.WaitTask(ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := f.store.Commit(ctx, state.Change{
		Put: []*state.Record{{Addr: "a", Kind: "vdc", ID: done.ResourceID, Inputs: map[string]any{"name": "dup", "region": "CN_Beijing_A"}, CreatedAt: now, UpdatedAt: now}},
		JournalPut: []*state.JournalEntry{{OpID: "o1", Addr: "b", Kind: "vdc", Action: "create", APIAction: "CreateVdc", Marker: "dup",
			Scope: "CN_Beijing_A", StartedAt: now, Inputs: map[string]any{"name": "dup", "region": "CN_Beijing_A"}}},
	}); err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	_, err = executor.New(f.client, f.store, s).Recover(ctx)
	if err == nil || !strings.Contains(err.Error(), "is recorded as a already") {
		t.Fatalf("Recover: %v; want the name's owner named", err)
	}
	snap, _ := f.store.Snapshot(ctx)
	if snap.Resources["b"] != nil || len(snap.Journal) != 1 {
		t.Errorf("b recorded (%v) or the entry gone (%d left)", snap.Resources["b"], len(snap.Journal))
	}
}

// TestOne500IsNotAnOutage: a write answered 500 every time fails its step
// alone (after reading the cloud shows it did not happen, MaxAttempts
// times); the apply does not stop as if the API were gone, and independent
// branches finish.
func TestOne500IsNotAnOutage(t *testing.T) {
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	var refused int
	var mu sync.Mutex
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == "CreatePrivateNetwork" {
			b, _ := io.ReadAll(r.Body)
			body := string(b)
			if strings.Contains(body, `"broken"`) || strings.Contains(r.URL.RawQuery, "broken") {
				mu.Lock()
				refused++
				mu.Unlock()
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"Code":"InternalError","Message":"injected"}`)
				return
			}
			r.Body = io.NopCloser(strings.NewReader(body))
		}
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	st := state.NewMemory().Open()
	ctx := context.Background()
	if err := st.Lock(ctx, state.LockInfo{Command: "test"}, 0); err != nil {
		t.Fatal(err)
	}
	defer st.Unlock()
	s, err := spec.Parse("s.yaml", []byte(`version: 1
stack: t
region: CN_Beijing_A
resources:
  a: {kind: vdc, properties: {name: a}}
  a_lan: {kind: private_network, properties: {vdc: "${a.id}", name: broken}}
  b: {kind: vdc, properties: {name: b}}
  b_lan: {kind: private_network, properties: {vdc: "${b.id}", name: fine}}
`))
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := st.Snapshot(ctx)
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: &resources.Live{}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := executor.New(c, st, s, executor.WithParallelism(1)).Apply(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outage != nil || res.Added != 3 || len(res.Failed) != 1 || res.Failed[0].Step != "a_lan" {
		t.Fatalf("outage %v, %d added, failed %v; want no outage, 3 added, a_lan failed", res.Outage, res.Added, res.Failed)
	}
	if msg := res.Failed[0].Error(); !strings.Contains(msg, fmt.Sprintf("did not take effect in %d attempts", executor.MaxAttempts)) {
		t.Errorf("failure: %s", msg)
	}
	if refused != executor.MaxAttempts {
		t.Errorf("the write was made %d times, want %d", refused, executor.MaxAttempts)
	}
	snap, _ = st.Snapshot(ctx)
	if len(snap.Journal) != 0 {
		t.Errorf("journal: %+v", snap.Journal)
	}
}
