package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/state"
)

const crashStack = `version: 1
stack: crash
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: crash}}
  wan:
    kind: public_network
    properties: {vdc: "${net.id}", name: wan, bandwidth_type: Bandwidth_BGP, qos: 5, ip_count: 8}
  lan:
    kind: private_network
    properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}
  sg:
    kind: security_group
    properties: {name: crash, type: public, rules: [{protocol: TCP, local_port: 22, target_address: 0.0.0.0/0, priority: 1}]}
  web:
    kind: instance
    count: 3
    depends_on: [wan]
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
                 password: Crash-Passw0rd, public_ip: auto, private_ips: [{network: "${lan.id}"}], security_groups: ["${sg.id}"]}
`

// runCdstack runs this test binary as cdstack in dir.
func runCdstack(t *testing.T, dir, endpoint string, env []string, args ...string) (string, error) {
	cmd := cdstackCommand(dir, endpoint, env, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// A lockedBuffer collects a running command's output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until out holds text.
func waitFor(t *testing.T, out *lockedBuffer, text string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(out.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %s:\n%s", text, limit, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const testKey, testSecret = "crash-key", "crash-secret"

// stackInCloud starts an emulator with opts and writes the crash stack to a
// fresh directory: the setup of every test here.
func stackInCloud(t *testing.T, opts emulator.Options) (*emulator.Server, string, string) {
	t.Helper()
	return cloudWithStack(t, opts, crashStack)
}

// cloudWithStack starts an emulator with opts (and the tests' access key)
// and writes stack to stack.yaml in a fresh directory; it returns the
// emulator, its endpoint and the directory.
func cloudWithStack(t *testing.T, opts emulator.Options, stack string) (*emulator.Server, string, string) {
	t.Helper()
	opts.AccessKeys = map[string]string{testKey: testSecret}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(stack), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, hs.URL, dir
}

// TestCrashAnywhereConverges kills apply with SIGKILL at many points of the
// write-ahead protocol; each time the next apply converges and the cloud
// holds exactly the stack's resources: no orphan, no duplicate.
func TestCrashAnywhereConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	// Five calls answer a task: the VDC's (with its public network), the
	// private network's and the three instances'.
	points := []string{"journaled:1", "journaled:5", "journaled:11", "called:1", "called:4", "called:5",
		"waited:2", "waited:3", "waited:5", "settled:1", "settled:4", "settled:7"}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve", "--parallelism", "4")
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
				t.Fatalf("apply was not killed at %s: %v\n%s", point, err, out)
			}
			if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
				t.Fatalf("apply after the crash: %v\n%s", err, out)
			}
			if out, err := runCdstack(t, dir, endpoint, nil, "plan", "--detailed-exitcode"); err != nil {
				t.Fatalf("plan after recovery shows changes: %v\n%s", err, out)
			}
			checkWorldMatchesState(t, srv, filepath.Join(dir, ".cdstack", "crash.db"))
		})
	}
}

// TestCrashDuringChangesConverges kills applies that change an applied
// stack: renames (answered at once), an in-place update (a task), a
// replacement and deletes, at points before and after their calls. Each
// time the next apply converges, drift is clean (a record that disagrees
// with the cloud would show there, where plan cannot see it) and the cloud
// holds exactly the stack.
func TestCrashDuringChangesConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	type world struct {
		vdc, prefix string
		instances   int
	}
	edits := map[string]struct {
		edit   *strings.Replacer
		points []string
		want   world
	}{
		"rename": {strings.NewReplacer(`name: "web-${index}"`, `name: "app-${index}"`, "name: crash}", "name: crash2}"),
			[]string{"journaled:1", "journaled:3", "settled:1", "settled:3"}, world{"crash2", "app-", 3}},
		"update": {strings.NewReplacer("ram: 1,", "ram: 2,"),
			[]string{"journaled:2", "called:1", "waited:2", "settled:1"}, world{"crash", "web-", 3}},
		"replace": {strings.NewReplacer("instance_type: Standard", "instance_type: Compute"),
			[]string{"journaled:2", "called:2", "waited:3", "settled:2"}, world{"crash", "web-", 3}},
		"delete": {strings.NewReplacer("count: 3", "count: 1"),
			[]string{"journaled:1", "called:2", "waited:1"}, world{"crash", "web-", 1}},
	}
	for name, ed := range edits {
		for _, point := range ed.points {
			t.Run(name+"/"+point, func(t *testing.T) {
				t.Parallel()
				srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
				if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
					t.Fatalf("first apply: %v\n%s", err, out)
				}
				if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(ed.edit.Replace(crashStack)), 0o600); err != nil {
					t.Fatal(err)
				}
				out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve", "--parallelism", "2")
				var ee *exec.ExitError
				if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
					t.Fatalf("apply was not killed at %s: %v\n%s", point, err, out)
				}
				// Before anything settles it, a reader shows the operation
				// as pending, not as drift or a name conflict.
				if out, err := runCdstack(t, dir, endpoint, nil, "plan"); err != nil || !strings.Contains(out, "is pending") ||
					strings.Contains(out, "modified outside cdstack") || strings.Contains(out, "already exists") {
					t.Errorf("plan after the crash: %v; want the interrupted operation shown as pending\n%s", err, out)
				}
				if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
					t.Fatalf("apply after the crash: %v\n%s", err, out)
				}
				if out, err := runCdstack(t, dir, endpoint, nil, "drift"); err != nil {
					t.Fatalf("drift after recovery: %v\n%s", err, out)
				}
				if out, err := runCdstack(t, dir, endpoint, nil, "plan", "--detailed-exitcode"); err != nil {
					t.Fatalf("plan after recovery shows changes: %v\n%s", err, out)
				}
				checkWorld(t, srv, filepath.Join(dir, ".cdstack", "crash.db"), ed.want.vdc, ed.want.prefix, ed.want.instances)
			})
		}
	}
}

// checkWorldMatchesState: one of each resource of the stack in the cloud,
// three instances with distinct names, and every record's id alive.
func checkWorldMatchesState(t *testing.T, srv *emulator.Server, statePath string) {
	t.Helper()
	checkWorld(t, srv, statePath, "crash", "web-", 3)
}

// checkWorld is checkWorldMatchesState with the VDC's name, the prefix of
// the instances' names and how many there are.
func checkWorld(t *testing.T, srv *emulator.Server, statePath, vdcName, prefix string, instances int) {
	t.Helper()
	snap, err := state.OpenBolt(statePath).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Journal) != 0 {
		t.Errorf("journal entries left: %+v", snap.Journal)
	}
	srv.View(func(w *emulator.World) {
		var names []string
		for _, in := range w.Instances {
			names = append(names, in.Name)
		}
		sort.Strings(names)
		var vdcs []string
		for _, v := range w.VDCs {
			vdcs = append(vdcs, v.Name)
		}
		got := fmt.Sprintf("vdcs=%v publics=%d privates=%d groups=%d instances=%v", vdcs, len(w.Publics), len(w.Privates), len(w.Groups), names)
		var wantNames []string
		for i := 0; i < instances; i++ {
			wantNames = append(wantNames, fmt.Sprintf("%s%d", prefix, i))
		}
		want := fmt.Sprintf("vdcs=[%s] publics=1 privates=1 groups=1 instances=%v", vdcName, wantNames)
		if got != want {
			t.Errorf("cloud holds %s, want %s", got, want)
		}
		ids := map[string]bool{}
		for id := range w.VDCs {
			ids[id] = true
		}
		for id := range w.Publics {
			ids[id] = true
		}
		for id := range w.Privates {
			ids[id] = true
		}
		for id := range w.Groups {
			ids[id] = true
		}
		for id := range w.Instances {
			ids[id] = true
		}
		if len(snap.Resources) != 4+instances {
			t.Errorf("state has %d records, want %d: %v", len(snap.Resources), 4+instances, snap.Addresses())
		}
		for _, addr := range snap.Addresses() {
			if !ids[snap.Resources[addr].ID] {
				t.Errorf("record %s points at %s, which the cloud does not have", addr, snap.Resources[addr].ID)
			}
		}
	})
}

// TestFaultsConverge: with 5% of requests failing, throttling and 2% of
// tasks failing, each apply either completes or reports its failed steps,
// the state always matches the cloud, and re-running converges.
func TestFaultsConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 10 * time.Millisecond,
		FaultRate: 0.05, TaskFailureRate: 0.02, ThrottleQPS: 15, Seed: 11})
	converged := false
	for attempt := 1; attempt <= 8 && !converged; attempt++ {
		out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve")
		if err != nil && !bytes.Contains([]byte(out), []byte("step(s) failed")) && !bytes.Contains([]byte(out), []byte("ServiceUnavailable")) &&
			!bytes.Contains([]byte(out), []byte("Throttling")) && !bytes.Contains([]byte(out), []byte("task ")) {
			t.Fatalf("apply %d failed without saying which step: %v\n%s", attempt, err, out)
		}
		t.Logf("apply %d: %v", attempt, err)
		if err == nil {
			plan, perr := runCdstack(t, dir, endpoint, nil, "plan", "--detailed-exitcode")
			converged = perr == nil
			if !converged {
				t.Logf("plan after apply %d: %v\n%s", attempt, perr, plan)
			}
		}
	}
	if !converged {
		t.Fatal("apply did not converge in 8 runs")
	}
	checkWorldMatchesState(t, srv, filepath.Join(dir, ".cdstack", "crash.db"))
}

// TestInterruptStopsCleanly: Ctrl-C during an apply stops starting steps
// and stops waiting on the running ones (their journal entries stay), and
// exits 130; the next apply settles what was in flight and finishes the job.
func TestInterruptStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("interrupt test: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 300 * time.Millisecond})
	cmd := cdstackCommand(dir, endpoint, nil, "apply", "--auto-approve", "--parallelism", "2")
	var out bytes.Buffer
	pr, pw, _ := os.Pipe()
	cmd.Stdout, cmd.Stderr = pw, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	buf := make([]byte, 64<<10)
	seen := ""
	for !bytes.Contains([]byte(seen), []byte("created after")) {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("apply ended before the first step finished: %v\n%s", err, seen)
		}
		seen += string(buf[:n])
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest := make([]byte, 64<<10)
	for {
		n, err := pr.Read(rest)
		seen += string(rest[:n])
		if err != nil {
			break
		}
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit = %v, want 130\n%s\n%s", err, seen, out.String())
	}
	if !bytes.Contains(out.Bytes(), []byte("interrupted before the end")) {
		t.Errorf("stderr does not say it was interrupted:\n%s", out.String())
	}
	snap, err := state.OpenBolt(filepath.Join(dir, ".cdstack", "crash.db")).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Resources) == 0 || len(snap.Resources)+len(snap.Journal) > 7 {
		t.Errorf("after Ctrl-C: %d records, %d journal entries; want some records, and an entry at most for each step in flight", len(snap.Resources), len(snap.Journal))
	}
	if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
		t.Fatalf("apply after the interrupt: %v\n%s", err, out)
	}
	checkWorldMatchesState(t, srv, filepath.Join(dir, ".cdstack", "crash.db"))
}

// TestPlanShowsWhatFollowsASettledDelete: a targeted destroy killed after
// its delete task finished leaves the delete pending; the plan a pull
// request shows before the next apply says that apply creates the
// instance again (the stack still has it), as the apply then does.
func TestPlanShowsWhatFollowsASettledDelete(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel()
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=waited:1"}, "destroy", "--target", "web[2]", "--auto-approve")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("destroy was not killed after its task: %v\n%s", err, out)
	}
	out, err = runCdstack(t, dir, endpoint, nil, "plan")
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	for _, want := range []string{"+ web[2] instance will be created", "DeleteInstance of web[2] is pending", "is gone; it will be removed from the state", "1 to add",
		"cost: +¥58.40 a month"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan does not say %q:\n%s", want, out)
		}
	}
	if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil || !strings.Contains(out, "1 added") {
		t.Fatalf("apply: %v, want web[2] created again\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, endpoint, nil, "drift"); err != nil {
		t.Fatalf("drift after the apply: %v\n%s", err, out)
	}
	checkWorld(t, srv, filepath.Join(dir, ".cdstack", "crash.db"), "crash", "web-", 3)
}
