package cli

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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
