package cli

import (
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
			srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(databaseCrashStack), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := runCdstack(t, dir, hs.URL, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve")
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
			if out, err := runCdstack(t, dir, hs.URL, nil, "apply", "--auto-approve"); err != nil {
				t.Fatalf("apply after the crash: %v\n%s", err, out)
			}
			if out, err := runCdstack(t, dir, hs.URL, nil, "plan", "--detailed-exitcode"); err != nil {
				t.Fatalf("plan after recovery shows changes: %v\n%s", err, out)
			}
			if out, err := runCdstack(t, dir, hs.URL, nil, "drift"); err != nil {
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
			if out, err := runCdstack(t, dir, hs.URL, nil, "destroy", "--auto-approve"); err != nil {
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
