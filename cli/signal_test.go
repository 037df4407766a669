package cli

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/state"
)

// TestTermStopsReadersAtOnce: plan and drift change nothing, so the first
// SIGTERM (or Ctrl-C) ends them at once, even while they wait on an API
// that never answers.
func TestTermStopsReadersAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(crashStack), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"plan", "drift"} {
		t.Run(command, func(t *testing.T) {
			for len(accepted) > 0 { // connections of the command before
				<-accepted
			}
			cmd := cdstackCommand(dir, "http://"+ln.Addr().String(), nil, command)
			out := &lockedBuffer{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select { // it is waiting on the API now
			case <-accepted:
			case <-time.After(20 * time.Second):
				t.Fatalf("%s never connected to the API:\n%s", command, out)
			}
			sent := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("%s after SIGTERM: %v, want exit 130\n%s", command, err, out)
			}
			// "At once" is well under a second; the bound leaves room for a
			// loaded machine, and is far below any timeout that could end
			// the command instead.
			if took := time.Since(sent); took > 5*time.Second {
				t.Errorf("%s took %s to stop", command, took)
			}
			if !strings.Contains(out.String(), "nothing was changed") {
				t.Errorf("%s did not say it stopped:\n%s", command, out)
			}
		})
	}
}

// TestTermStopsWaitingOnTasks: SIGTERM during an apply whose tasks take an
// hour ends it (exit 130) instead of waiting for them: the operations in
// flight stay in the journal, and once the tasks are done the next apply
// settles them and converges. (No clock is read: an apply that kept
// waiting would only end at the test's timeout.)
func TestTermStopsWaitingOnTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("signal test: skipped in -short mode")
	}
	t.Parallel()
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: time.Hour})
	cmd := cdstackCommand(dir, endpoint, nil, "apply", "--auto-approve")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "creating…", 20*time.Second)
	// Once the cloud has the first create, its task (an hour long) is
	// what the apply would wait on.
	for deadline := time.Now().Add(20 * time.Second); srv.Calls()["CreateVdc"] == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no create reached the cloud:\n%s", out)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("apply after SIGTERM: %v, want exit 130\n%s", err, out)
	}
	if !strings.Contains(out.String(), "no longer waiting on tasks") {
		t.Errorf("apply does not say it stopped waiting:\n%s", out)
	}
	snap, err := state.OpenBolt(filepath.Join(dir, ".cdstack", "crash.db")).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Journal) == 0 {
		t.Fatalf("no journal entry for the create in flight:\n%s", out)
	}
	srv.Advance(2 * time.Hour) // the tasks are done
	// refresh settles the journal as every writer does, creating nothing.
	settled, err := runCdstack(t, dir, endpoint, nil, "refresh", "--auto-approve")
	if err != nil || !strings.Contains(settled, "Settled the interrupted") {
		t.Fatalf("refresh after the tasks ended: %v\n%s", err, settled)
	}
	snap, err = state.OpenBolt(filepath.Join(dir, ".cdstack", "crash.db")).Snapshot(context.Background())
	if err != nil || len(snap.Journal) != 0 || len(snap.Resources) == 0 {
		t.Errorf("after settling: %v, %d entries, %d records\n%s", err, len(snap.Journal), len(snap.Resources), settled)
	}
}
