package cli

import (
	"errors"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestCrashInVdcWithPublicConverges kills apply at every point of the one
// CreateVdc that makes the crash stack's VDC and its public network
// together (both entries journaled; the call made; its task id journaled;
// the task settled; the VDC's id journaled; before either record; between
// the two records). Each time the next apply converges, drift exits 0, and
// the cloud holds exactly the stack: one VDC with one public network, each
// recorded once, nothing made twice.
func TestCrashInVdcWithPublicConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel()
	for _, point := range []string{"journaled:1", "called:1", "journaled:2", "waited:1", "journaled:3", "settled:1", "settled:2"} {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			// One step at a time: the VDC's create ("net") goes first.
			out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve", "--parallelism", "1")
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
				t.Fatalf("apply was not killed at %s: %v\n%s", point, err, out)
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
			checkWorldMatchesState(t, srv, filepath.Join(dir, ".cdstack", "crash.db"))
		})
	}
}
