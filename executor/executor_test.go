package executor_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
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

const twoBranches = `version: 1
stack: t
region: CN_Beijing_A
resources:
  a: {kind: vdc, properties: {name: a}}
  a_lan: {kind: private_network, properties: {vdc: "${a.id}", name: lan}}
  b: {kind: vdc, properties: {name: b, region: REGION_B}}
  b_lan: {kind: private_network, properties: {vdc: "${b.id}", name: lan, address: ADDRESS}}
  b_web: {kind: instance, properties: {vdc: "${b.id}", name: web, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Exec-Passw0rd, region: REGION_B, private_ips: [{network: "${b_lan.id}"}]}}
`

type fixture struct {
	srv    *emulator.Server
	client *cloud.Client
	store  state.Store
}

func newFixture(t *testing.T, opts emulator.Options) *fixture {
	t.Helper()
	opts.AccessKeys = map[string]string{"k": "s"}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	st := state.NewMemory().Open()
	if err := st.Lock(context.Background(), state.LockInfo{Command: "test"}, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Unlock() })
	return &fixture{srv: srv, client: c, store: st}
}

func (f *fixture) apply(t *testing.T, src string) *executor.Result {
	t.Helper()
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := f.store.Snapshot(context.Background())
	var scope resources.Scope
	for _, r := range snap.Resources {
		if r.Kind == "vdc" {
			scope.VDCs = append(scope.VDCs, r.ID)
		}
	}
	live, err := resources.Refresh(context.Background(), f.client, scope)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
	if err != nil {
		t.Fatal(err)
	}
	res, err := executor.New(f.client, f.store, s, executor.WithParallelism(3)).Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFailedBranchSkipsDependentsOnly(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	// 10.0.0.1/24 is an address the schema accepts and the API refuses (not a network address).
	src := replace(replace(twoBranches, "REGION_B", "CN_Shanghai_A"), "ADDRESS", "10.0.0.1")
	res := f.apply(t, src)
	if len(res.Failed) != 1 || res.Failed[0].Step != "b_lan" {
		t.Fatalf("failed = %v", res.Failed)
	}
	if diff := cmp.Diff([]string{"b_web"}, res.Skipped); diff != "" {
		t.Errorf("skipped (-want +got)\n%s", diff)
	}
	snap, _ := f.store.Snapshot(context.Background())
	if diff := cmp.Diff([]string{"a", "a_lan", "b"}, snap.Addresses()); diff != "" {
		t.Errorf("state (-want +got)\n%s", diff)
	}
	if len(snap.Journal) != 0 {
		t.Errorf("journal after a refused call: %+v", snap.Journal)
	}
	// Fixed, the next apply does the rest.
	res = f.apply(t, replace(replace(twoBranches, "REGION_B", "CN_Shanghai_A"), "ADDRESS", "10.0.0.0"))
	if res.Err() != nil || res.Added != 2 {
		t.Fatalf("second apply: %v, %d added", res.Err(), res.Added)
	}
	snap, _ = f.store.Snapshot(context.Background())
	for _, addr := range snap.Addresses() {
		if r := snap.Resources[addr]; r.Inputs["password"] != nil || (addr == "b_web" && r.SecretHashes["password"] == "") {
			t.Errorf("%s: password stored as %v / hash %q", addr, r.Inputs["password"], r.SecretHashes["password"])
		}
	}
}

func TestRecoverSettlesEveryKindOfEntry(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 50 * time.Millisecond})
	ctx := context.Background()
	c := f.client
	// A create whose task finished: adopted through the task.
	t1, _ := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "by-task"})
	// A create that never got a task id but happened: found by name.
	t2, _ := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "by-name"})
	// A create that never happened (o3): discarded.
	entry := func(op, marker, task string) *state.JournalEntry {
		return &state.JournalEntry{OpID: op, Addr: marker, Kind: "vdc", Action: "create", APIAction: "CreateVdc", TaskID: task, Marker: marker,
			Scope: "CN_Beijing_A", StartedAt: time.Now(), Inputs: map[string]any{"name": marker, "region": "CN_Beijing_A"}}
	}
	if _, err := f.store.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{
		entry("o1", "by-task", t1), entry("o2", "by-name", ""), entry("o3", "never", ""),
	}}); err != nil {
		t.Fatal(err)
	}
	_ = t2
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	f.srv.ResetCalls()
	settled, err := executor.New(c, f.store, s).Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// o2 and o3 look their names up in one listing; o1 and o2 are read back.
	if diff := cmp.Diff(map[string]int{"DescribeTask": 1, "DescribeVdc": 3}, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got)\n%s", diff)
	}
	var outcomes []string
	for _, st := range settled {
		outcomes = append(outcomes, st.Entry.OpID+": "+st.Outcome[:min(len(st.Outcome), 12)])
	}
	sort.Strings(outcomes)
	want := []string{"o1: adopted vdc ", "o2: adopted vdc ", `o3: no vdc named`}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	snap, _ := f.store.Snapshot(ctx)
	if len(snap.Journal) != 0 || len(snap.Resources) != 2 {
		t.Errorf("after recovery: %d records, %d entries", len(snap.Resources), len(snap.Journal))
	}
}

func replace(s, old, new string) string {
	out := ""
	for {
		i := index(s, old)
		if i < 0 {
			return out + s
		}
		out += s[:i] + new
		s = s[i+len(old):]
	}
}

func index(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestParallelismBoundsTasksInFlight: at most --parallelism steps change the
// cloud at once. A step gives its slot back when its last task has settled
// (reading back and recording come after), so when any create is sent, at
// most parallelism-1 other tasks are still running in the cloud.
func TestParallelismBoundsTasksInFlight(t *testing.T) {
	const parallelism = 2
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, TaskLatency: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	most, creates := 0, 0
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == "CreateInstance" {
			srv.View(func(world *emulator.World) {
				running := 0
				for _, task := range world.Tasks {
					if time.Now().Before(task.Due) {
						running++
					}
				}
				mu.Lock()
				most, creates = max(most, running), creates+1
				mu.Unlock()
			})
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	st := state.NewMemory().Open()
	if err := st.Lock(context.Background(), state.LockInfo{Command: "test"}, 0); err != nil {
		t.Fatal(err)
	}
	defer st.Unlock()
	s, err := spec.Parse("s.yaml", []byte(`version: 1
stack: t
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: net}}
  web:
    kind: instance
    count: 6
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Exec-Passw0rd}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: &state.Snapshot{Resources: map[string]*state.Record{}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := executor.New(c, st, s, executor.WithParallelism(parallelism)).Apply(context.Background(), p)
	if err != nil || res.Err() != nil || res.Added != 7 {
		t.Fatalf("apply: %v, %v, %d added", err, res.Err(), res.Added)
	}
	mu.Lock()
	defer mu.Unlock()
	if creates != 6 || most != parallelism-1 {
		t.Errorf("%d creates; up to %d other tasks running at a create, want exactly %d (the others)", creates, most, parallelism-1)
	}
}

// A fingerprint of the older form is made again in the current one when
// its record is next written, and still tells the password unchanged.
func TestOldSecretFingerprintUpgradedOnWrite(t *testing.T) {
	ctx := context.Background()
	src := replace(replace(twoBranches, "REGION_B", "CN_Beijing_A"), "ADDRESS", "10.9.0.0")
	f := newFixture(t, emulator.Options{})
	if res := f.apply(t, src); res.Err() != nil {
		t.Fatalf("apply: %v %+v", res.Err(), res)
	}
	snap, _ := f.store.Snapshot(ctx)
	web := snap.Resources["b_web"]
	if h := web.SecretHashes["password"]; !strings.HasPrefix(h, "argon2id:") {
		t.Fatalf("new record's fingerprint %q is not argon2id", h)
	}
	salt := []byte("0123456789abcdef")
	sum := sha256.Sum256(append(salt, "Exec-Passw0rd"...))
	web.SecretHashes = map[string]string{"password": "sha256:" + hex.EncodeToString(salt) + ":" + hex.EncodeToString(sum[:])}
	if _, err := f.store.Commit(ctx, state.Change{Put: []*state.Record{web}}); err != nil {
		t.Fatal(err)
	}

	// Reading it changes nothing: the old fingerprint still matches.
	if res := f.apply(t, src); res.Added+res.Changed+res.Replaced+res.Destroyed != 0 {
		t.Fatalf("an unchanged password was planned as a change: %+v", res)
	}
	// A rename writes the record: its fingerprint is upgraded.
	if res := f.apply(t, replace(src, "name: web,", "name: web2,")); res.Changed != 1 {
		t.Fatalf("rename: %+v", res)
	}
	snap, _ = f.store.Snapshot(ctx)
	h := snap.Resources["b_web"].SecretHashes["password"]
	if !strings.HasPrefix(h, "argon2id:") || !state.SecretMatches(h, "Exec-Passw0rd") {
		t.Errorf("after a write the fingerprint is %q, want an argon2id one of the password", h)
	}
}
