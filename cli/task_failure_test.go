package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

const failingStackVDC = `version: 1
stack: failing
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: failing}}
`

const failingStackNodes = `
  node:
    kind: instance
    count: 2
    properties: {vdc: "${net.id}", name: "node-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: Failing-Passw0rd}
`

// TestFailedTasksEndTheirWait: with every task failing, an apply of two
// instances ends with each task's error (resource, action, task id and the
// API's message) instead of waiting out its timeout; the state holds no
// instance and drift finds nothing. A failed delete keeps the records, and
// the next apply, with tasks succeeding, deletes them.
func TestFailedTasksEndTheirWait(t *testing.T) {
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 10 * time.Millisecond, Seed: 5})
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out, err := runCdstack(t, dir, endpoint, nil, args...)
		if (err == nil) != wantOK {
			t.Fatalf("cdstack %s: err = %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	write(failingStackVDC)
	run(true, "apply", "--auto-approve")

	write(failingStackVDC + failingStackNodes)
	srv.SetTaskFailureRate(1)
	out := run(false, "apply", "--auto-approve")
	for _, want := range []string{"node[0]", "node[1]", "CreateInstance", "no resources available to complete the task", "2 step(s) failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("apply output does not say %q:\n%s", want, out)
		}
	}
	t.Logf("apply with every task failing:\n%s", out)
	if strings.Contains(out, "still creating") {
		t.Errorf("apply kept waiting on failed tasks:\n%s", out)
	}
	run(true, "drift")
	if list := run(true, "state", "list"); strings.Contains(list, "node") {
		t.Errorf("state list holds an instance no task created:\n%s", list)
	}

	// Created for real, then a delete that fails keeps the records.
	srv.SetTaskFailureRate(0)
	run(true, "apply", "--auto-approve")
	write(failingStackVDC)
	srv.SetTaskFailureRate(1)
	out = run(false, "apply", "--auto-approve")
	if !strings.Contains(out, "DeleteInstance") || !strings.Contains(out, "no resources available") {
		t.Errorf("failed delete does not say why:\n%s", out)
	}
	if list := run(true, "state", "list"); !strings.Contains(list, "node[0]") || !strings.Contains(list, "node[1]") {
		t.Errorf("a failed delete dropped the records:\n%s", list)
	}
	run(true, "drift")
	srv.SetTaskFailureRate(0)
	run(true, "apply", "--auto-approve")
	if list := run(true, "state", "list"); strings.Contains(list, "node") {
		t.Errorf("the retried delete left records:\n%s", list)
	}
	run(true, "drift")
	srv.View(func(w *emulator.World) {
		if len(w.Instances) != 0 || len(w.VDCs) != 1 {
			t.Errorf("cloud holds %d instances and %d VDCs; want 0 and 1", len(w.Instances), len(w.VDCs))
		}
	})
}

// TestFailedInstanceKeptAsError: against a service that keeps the instance
// of a failed create listed as "error", the failed apply records it marked
// failed (so drift does not call it unmanaged), the next plan replaces it,
// and the apply after converges.
func TestFailedInstanceKeptAsError(t *testing.T) {
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 10 * time.Millisecond, Seed: 6, KeepFailedInstances: true})
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out, err := runCdstack(t, dir, endpoint, nil, args...)
		if (err == nil) != wantOK {
			t.Fatalf("cdstack %s: err = %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	one := strings.Replace(failingStackNodes, "count: 2", "count: 1", 1)
	write(failingStackVDC)
	run(true, "apply", "--auto-approve")
	write(failingStackVDC + one)
	srv.SetTaskFailureRate(1)
	out := run(false, "apply", "--auto-approve")
	if !strings.Contains(out, "CreateInstance") || !strings.Contains(out, "no resources available") {
		t.Errorf("apply does not give the task's error:\n%s", out)
	}
	if st := run(true, "state", "pull"); !strings.Contains(st, `"failed": true`) {
		t.Errorf("the kept instance is not recorded as failed:\n%s", st)
	}
	if out := run(true, "drift"); strings.Contains(out, "unmanaged") && !strings.Contains(out, "0 unmanaged") {
		t.Errorf("drift calls the failed instance unmanaged:\n%s", out)
	}
	srv.SetTaskFailureRate(0)
	plan := run(true, "plan")
	if !strings.Contains(plan, "node[0] instance") || !strings.Contains(plan, "will be replaced") || !strings.Contains(plan, "failed in the cloud") {
		t.Errorf("plan does not replace the failed instance:\n%s", plan)
	}
	run(true, "apply", "--auto-approve")
	run(true, "plan", "--detailed-exitcode")
	run(true, "drift")
	if st := run(true, "state", "pull"); strings.Contains(st, `"failed": true`) {
		t.Errorf("the replacement is still marked failed:\n%s", st)
	}
	srv.View(func(w *emulator.World) {
		if len(w.Instances) != 1 {
			t.Errorf("cloud holds %d instances, want 1", len(w.Instances))
		}
		for _, in := range w.Instances {
			if in.Status != "running" {
				t.Errorf("instance %s is %s", in.ID, in.Status)
			}
		}
	})
}
