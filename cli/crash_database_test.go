package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

const databaseCrashStack = `version: 1
stack: dbcrash
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: dbcrash}}
  lan:
    kind: private_network
    properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}
  db:
    kind: mysql
    properties: {vdc: "${net.id}", network: "${lan.id}", name: orders, version: "8.0", architecture: ha, cpu: 2, ram: 4,
                 disk_type: ssd_disk, disk_size: 100}
`

// TestCrashDuringDatabaseCreateConverges kills apply with SIGKILL around
// the MySQL create (the third task): before the call, after it answered and
// before its task was journaled, after the task, before the record. Each
// time the next apply adopts or makes exactly one database: no duplicate,
// no orphan, drift clean.
func TestCrashDuringDatabaseCreateConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel()
	for _, point := range []string{"journaled:5", "called:3", "waited:3", "settled:3"} {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			srv, endpoint, dir := cloudWithStack(t, emulator.Options{TaskLatency: 20 * time.Millisecond}, databaseCrashStack)
			out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve")
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
				t.Fatalf("apply was not killed at %s: %v\n%s", point, err, out)
			}
			// The crash was at the database's create: before its call
			// nothing exists, after it the database does, unrecorded.
			want := 1
			if point == "journaled:5" {
				want = 0
			}
			srv.View(func(w *emulator.World) {
				if len(w.Databases) != want || len(w.Privates) != 1 {
					t.Fatalf("after the crash at %s: %d databases, %d networks; want %d and 1", point, len(w.Databases), len(w.Privates), want)
				}
			})
			if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
				t.Fatalf("apply after the crash: %v\n%s", err, out)
			}
			if out, err := runCdstack(t, dir, endpoint, nil, "plan", "--detailed-exitcode"); err != nil {
				t.Fatalf("plan after recovery shows changes: %v\n%s", err, out)
			}
			if out, err := runCdstack(t, dir, endpoint, nil, "drift"); err != nil {
				t.Fatalf("drift after recovery: %v\n%s", err, out)
			}
			srv.View(func(w *emulator.World) {
				var names []string
				for _, db := range w.Databases {
					names = append(names, db.Name+"/"+db.Status)
				}
				if len(names) != 1 || names[0] != "orders/RUNNING" || len(w.VDCs) != 1 || len(w.Privates) != 1 {
					t.Errorf("cloud holds databases %v, %d VDCs, %d networks; want one of each", names, len(w.VDCs), len(w.Privates))
				}
			})
			if out, err := runCdstack(t, dir, endpoint, nil, "destroy", "--auto-approve"); err != nil {
				t.Fatalf("destroy: %v\n%s", err, out)
			}
			srv.View(func(w *emulator.World) {
				if len(w.Databases)+len(w.VDCs)+len(w.Privates) != 0 {
					t.Errorf("left after destroy: %d databases, %d VDCs, %d networks", len(w.Databases), len(w.VDCs), len(w.Privates))
				}
			})
		})
	}
}

const databaseFaultStack = `version: 1
stack: dbfaults
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: dbfaults}}
  lan:
    kind: private_network
    properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}
  db:
    kind: mysql
    properties: {vdc: "${net.id}", network: "${lan.id}", name: orders, version: "8.0", architecture: ha, cpu: 2, ram: 4,
                 disk_type: ssd_disk, disk_size: 100, parameters: {max_connections: 3000},
                 accounts: [{name: app, password: App-Passw0rd, privileges: [{database: orders, privilege: ReadWrite}]}]}
  ro:
    kind: mysql_readonly
    properties: {source: "${db.id}", name: orders-ro, cpu: 2, ram: 4, disk_type: ssd_disk, disk_size: 100}
  cache:
    kind: redis
    properties: {vdc: "${net.id}", network: "${lan.id}", name: sessions, version: "5.0", architecture: ha, ram: 2, password: Cache-Passw0rd}
  events:
    kind: mongodb
    properties: {vdc: "${net.id}", network: "${lan.id}", name: events, version: "4.0", cpu: 2, ram: 4, disk_type: ssd_disk,
                 disk_size: 100, password: Events-Passw0rd}
`

// TestDatabaseFaultsConverge: with 5% of requests failing and 15% of tasks
// failing, applies of a stack of databases report their failed steps and
// re-running converges: one of each database, drift clean, and after
// destroy nothing left.
func TestDatabaseFaultsConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test: skipped in -short mode")
	}
	t.Parallel()
	srv, endpoint, dir := cloudWithStack(t, emulator.Options{TaskLatency: 10 * time.Millisecond, FaultRate: 0.05, TaskFailureRate: 0.15, Seed: 23},
		databaseFaultStack)
	converged := false
	for attempt := 1; attempt <= 10 && !converged; attempt++ {
		out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve")
		t.Logf("apply %d: %v", attempt, err)
		if err != nil && !strings.Contains(out, "step(s) failed") && !strings.Contains(out, "ServiceUnavailable") && !strings.Contains(out, "task ") {
			t.Fatalf("apply %d failed without saying which step: %v\n%s", attempt, err, out)
		}
		if err == nil {
			_, perr := runCdstack(t, dir, endpoint, nil, "plan", "--detailed-exitcode")
			converged = perr == nil
		}
	}
	if !converged {
		t.Fatal("apply did not converge in 10 runs")
	}
	var drift string
	var err error
	for range 5 { // drift's own reads may meet an injected 503
		if drift, err = runCdstack(t, dir, endpoint, nil, "drift"); err == nil || !strings.Contains(drift, "ServiceUnavailable") {
			break
		}
	}
	if err != nil {
		t.Fatalf("drift after convergence: %v\n%s", err, drift)
	}
	srv.View(func(w *emulator.World) {
		var names []string
		for _, db := range w.Databases {
			names = append(names, db.Product+"/"+db.Name+"/"+db.Status)
		}
		sort.Strings(names)
		want := []string{"mongodb/events/RUNNING", "mysql/orders-ro/RUNNING", "mysql/orders/RUNNING", "redis/sessions/RUNNING"}
		if fmt.Sprint(names) != fmt.Sprint(want) {
			t.Errorf("cloud holds %v, want %v", names, want)
		}
	})
	destroyed := false
	for attempt := 1; attempt <= 10 && !destroyed; attempt++ {
		out, err := runCdstack(t, dir, endpoint, nil, "destroy", "--auto-approve")
		t.Logf("destroy %d: %v", attempt, err)
		destroyed = err == nil && strings.Contains(out, "Destroy complete!")
	}
	srv.View(func(w *emulator.World) {
		if !destroyed || len(w.Databases)+len(w.VDCs)+len(w.Privates) != 0 {
			t.Errorf("after destroy (complete: %v): %d databases, %d VDCs, %d networks", destroyed, len(w.Databases), len(w.VDCs), len(w.Privates))
		}
	})
}
