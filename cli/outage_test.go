package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/internal/etcdtest"
	"github.com/cdstack/cdstack/state"
)

// serveWorld serves a persisted world on addr (port 0: any) and returns
// the running emulator.
func serveWorld(t *testing.T, path, addr string, opts emulator.Options) *emulator.Running {
	t.Helper()
	st, err := emulator.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	opts.Store = st
	opts.AccessKeys = map[string]string{testKey: testSecret}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	run, err := emulator.Listen(addr, srv)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// waitForCall waits until srv has been asked action at least once.
func waitForCall(t *testing.T, srv *emulator.Server, action string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for srv.Calls()[action] == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", action, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAPIOutageMidApplyConverges: the API goes away while tasks are in
// flight. The apply fails within its outage bound, names the API, starts
// nothing more and keeps every operation in flight in the journal; once the
// API is back (same world), the next apply settles them and converges, with
// nothing orphaned or duplicated and a clean drift.
func TestAPIOutageMidApplyConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	_, _, dir := stackInCloud(t, emulator.Options{})
	world := filepath.Join(dir, "world.db")
	// Tasks outlast the moment between the VDC's create (with its public
	// network: one CreateVdc) reaching the API and the API going away,
	// however slow the machine.
	opts := emulator.Options{TaskLatency: 3 * time.Second}
	run := serveWorld(t, world, "127.0.0.1:0", opts)
	addr := strings.TrimPrefix(run.URL, "http://")

	cmd := cdstackCommand(dir, run.URL, nil, "apply", "--auto-approve", "--outage-timeout", "3s")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "net: creating…", 20*time.Second)
	waitForCall(t, run.Server, "CreateVdc", 20*time.Second) // its task is in flight
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("apply during the outage: %v, want exit 1\n%s", err, out)
	}
	if took > 20*time.Second {
		t.Errorf("apply took %s to give up; its bound is about 3 s of retries", took)
	}
	for _, want := range []string{"is unreachable", "were not started", "the journal keeps what was in flight"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("apply's output does not say %q:\n%s", want, out)
		}
	}
	snap, err := state.OpenBolt(filepath.Join(dir, ".cdstack", "crash.db")).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Journal) == 0 {
		t.Fatalf("the journal is empty after an outage with tasks in flight:\n%s", out)
	}

	// The API is back, on the same world.
	run = serveWorld(t, world, addr, opts)
	defer run.Close()
	if out, err := runCdstack(t, dir, run.URL, nil, "plan"); err != nil || strings.Contains(out, "already exists") || !strings.Contains(out, "is pending") {
		t.Errorf("plan before the settling apply: %v; want the pending operations shown as pending\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, run.URL, nil, "apply", "--auto-approve"); err != nil {
		t.Fatalf("apply after the outage: %v\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, run.URL, nil, "drift"); err != nil {
		t.Fatalf("drift after recovery: %v\n%s", err, out)
	}
	checkWorldMatchesState(t, run.Server, filepath.Join(dir, ".cdstack", "crash.db"))
}

// TestStateStoreOutageMidApply: etcd, holding the state, is killed during
// an apply. The apply fails within its outage bound saying the state store
// is unreachable, instead of printing "still creating…" for ever; once etcd
// is back, the next apply settles what was in flight and converges.
func TestStateStoreOutageMidApply(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	etcd := etcdtest.Start(t)
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 700 * time.Millisecond})
	env := []string{"CDSTACK_STATE=etcd://" + etcd.Endpoint + "/outage", "CDSTACK_LOCK_TTL=3s", "CDSTACK_OUTAGE_TIMEOUT=4s"}
	cmd := cdstackCommand(dir, endpoint, env, "apply", "--auto-approve")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "net: created after", 20*time.Second)
	etcd.Kill()
	start := time.Now()
	err := cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("apply with etcd gone: %v, want exit 1\n%s", err, out)
	}
	if took > 30*time.Second {
		t.Errorf("apply took %s to give up on etcd; its bound is 4 s per request", took)
	}
	// Killed between two requests, etcd does not answer within the bound;
	// killed under a commit, it drops the connection: either names it.
	if !strings.Contains(out.String(), "the state store is unreachable") ||
		!strings.Contains(out.String(), "state etcd://"+etcd.Endpoint+"/outage: etcd ") || !strings.Contains(out.String(), "(is it down?)") {
		t.Errorf("apply's output does not name the state store:\n%s", out)
	}

	t.Logf("apply gave up after %s", took)
	if err := etcd.Restart(); err != nil {
		t.Fatal(err)
	}
	if out, err := runCdstack(t, dir, endpoint, append(env, "CDSTACK_LOCK_TIMEOUT=30s"), "apply", "--auto-approve", "--lock-timeout", "30s"); err != nil {
		t.Fatalf("apply after etcd came back: %v\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, endpoint, env, "drift"); err != nil {
		t.Fatalf("drift after recovery: %v\n%s", err, out)
	}
	snapOut, err := runCdstack(t, dir, endpoint, env, "state", "list")
	if err != nil || strings.Count(snapOut, "\n") != 7 {
		t.Fatalf("state list: %v\n%s", err, snapOut)
	}
	srv.View(func(w *emulator.World) {
		if len(w.VDCs) != 1 || len(w.Publics) != 1 || len(w.Privates) != 1 || len(w.Groups) != 1 || len(w.Instances) != 3 {
			t.Errorf("cloud holds %d VDCs, %d public and %d private networks, %d groups, %d instances; want 1, 1, 1, 1, 3",
				len(w.VDCs), len(w.Publics), len(w.Privates), len(w.Groups), len(w.Instances))
		}
	})
}

// TestThrottledAPIConverges: against a service that answers 429 Throttling
// above 5 requests/s, an apply of 12 instances converges within two runs
// (writes refused for the rate are retried, the limiter slows down), with
// nothing orphaned or duplicated, and a destroy at --rate-limit 4 succeeds.
func TestThrottledAPIConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("throttling test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 50 * time.Millisecond, ThrottleQPS: 5})
	twelve := strings.NewReplacer("count: 3", "count: 12", "ip_count: 8", "ip_count: 16").Replace(crashStack)
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(twelve), 0o600); err != nil {
		t.Fatal(err)
	}
	var out string
	var err error
	runs := 0
	for runs < 2 {
		runs++
		if out, err = runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err == nil {
			break
		}
		t.Logf("apply %d: %v\n%s", runs, err, out)
	}
	if err != nil {
		t.Fatalf("apply did not converge in two runs: %v\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, endpoint, nil, "drift"); err != nil {
		t.Fatalf("drift: %v\n%s", err, out)
	}
	srv.View(func(w *emulator.World) {
		names := map[string]int{}
		for _, in := range w.Instances {
			names[in.Name]++
		}
		if len(w.Instances) != 12 || len(names) != 12 || len(w.VDCs) != 1 {
			t.Errorf("cloud holds %d instances (%d names), %d VDCs; want 12 distinct, 1", len(w.Instances), len(names), len(w.VDCs))
		}
	})
	if out, err := runCdstack(t, dir, endpoint, nil, "destroy", "--auto-approve", "--rate-limit", "4"); err != nil {
		t.Fatalf("destroy at 4 requests/s: %v\n%s", err, out)
	}
	srv.View(func(w *emulator.World) {
		if n := len(w.Instances) + len(w.VDCs) + len(w.Publics) + len(w.Privates) + len(w.Groups); n != 0 {
			t.Errorf("%d resources left after destroy", n)
		}
	})
}
