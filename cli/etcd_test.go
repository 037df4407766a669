package cli

import (
	"bufio"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/internal/etcdtest"
)

// TestEtcdStateEndToEnd applies a stack with its state in etcd, shows that
// a second apply at the same time is refused with the holder's details, and
// migrates the state bbolt → etcd → bbolt with identical `state pull`s.
func TestEtcdStateEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("etcd end-to-end: skipped in -short mode")
	}
	t.Parallel() // waits more than it works: overlaps with the others
	url := fmt.Sprintf("etcd://%s/e2e/%d", etcdtest.Endpoint(t), time.Now().UnixNano())
	_, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 400 * time.Millisecond})
	env := []string{"CDSTACK_STATE=" + url, "CDSTACK_LOCK_TTL=5s"}

	// Two applies at once: the second is refused and names the first.
	first := cdstackCommand(dir, endpoint, env, "apply", "--auto-approve")
	stdout, _ := first.StdoutPipe()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "creating…") {
	}
	out, err := runCdstack(t, dir, endpoint, env, "apply", "--auto-approve")
	if err == nil || !strings.Contains(out, fmt.Sprintf("is locked by pid %d", first.Process.Pid)) || !strings.Contains(out, `running "cdstack apply"`) {
		t.Fatalf("second apply: %v\n%s", err, out)
	}
	for sc.Scan() {
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	// The waiting kind of second writer gets its turn.
	if out, err := runCdstack(t, dir, endpoint, env, "plan", "--detailed-exitcode"); err != nil {
		t.Fatalf("plan with etcd state: %v\n%s", err, out)
	}
	if out, err := runCdstack(t, dir, endpoint, env, "state", "list"); err != nil || strings.Count(out, "\n") != 7 {
		t.Fatalf("state list: %v\n%s", err, out)
	}

	// Migrate etcd → bbolt → etcd (new prefix): state pull is the same everywhere.
	pull := func(state string) string {
		out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_STATE=" + state}, "state", "pull")
		if err != nil {
			t.Fatalf("state pull %s: %v\n%s", state, err, out)
		}
		return out
	}
	want := pull(url)
	file := filepath.Join(dir, "copy.db")
	if out, err := runCdstack(t, dir, endpoint, env, "state", "migrate", "--to", file); err != nil || !strings.Contains(out, "Copied 7 records") {
		t.Fatalf("migrate to bbolt: %v\n%s", err, out)
	}
	url2 := url + "-back"
	if out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_STATE=" + file}, "state", "migrate", "--to", url2); err != nil {
		t.Fatalf("migrate back to etcd: %v\n%s", err, out)
	}
	for _, st := range []string{file, url2} {
		if got := pull(st); got != want {
			t.Errorf("state pull of %s differs from the original:\n%s\nwant\n%s", st, got, want)
		}
	}
	if out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_STATE=" + file}, "state", "migrate", "--to", url2); err == nil || !strings.Contains(out, "already holds a state") {
		t.Errorf("migrate onto a non-empty state: %v\n%s", err, out)
	}
}
