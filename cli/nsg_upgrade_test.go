package cli

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeStateFromBeforeNSG reads a state and a local-cloud world made
// by the cdstack of main before the NSG API (testdata/upgrade/README.md):
// drift is clean, refresh rewrites the old rule shape as NSG rules, the
// plan changes only the outbound rules that an absent direction no longer
// asks for, and after apply the stack has converged.
func TestUpgradeStateFromBeforeNSG(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "testdata", "upgrade")
	copyFile := func(from, to string, gz bool) {
		t.Helper()
		f, err := os.Open(filepath.Join(src, from))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var r io.Reader = f
		if gz {
			zr, err := gzip.NewReader(f)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("stack.yaml", "stack.yaml", false)
	copyFile("upgrade.db.gz", filepath.Join(".cdstack", "upgrade.db"), true)
	copyFile("local-cloud.db.gz", filepath.Join(".cdstack", "local-cloud.db"), true)
	env := []string{"WEB_PW=Upgrade-Passw0rd", "CDSTACK_LOCAL_TASK_LATENCY=10ms"}
	run := func(wantErr bool, args ...string) string {
		t.Helper()
		out, err := runCdstack(t, dir, "local", env, args...)
		if (err != nil) != wantErr {
			t.Fatalf("cdstack %s: %v (want failure: %v)\n%s", strings.Join(args, " "), err, wantErr, out)
		}
		return out
	}
	before := run(false, "state", "show", "web_sg", "--json")
	if !strings.Contains(before, `"local_port"`) || !strings.Contains(before, `"direction": "all"`) {
		t.Fatalf("the state from main does not hold the old rule shape:\n%s", before)
	}
	if out := run(false, "drift"); !strings.Contains(out, "No drift") {
		t.Errorf("drift on the old state:\n%s", out)
	}
	if out := run(false, "refresh", "--auto-approve"); !strings.Contains(out, "Records: 2 updated") {
		t.Errorf("refresh did not rewrite the two groups:\n%s", out)
	}
	after := run(false, "state", "show", "web_sg", "--json")
	if strings.Contains(after, `"local_port"`) || strings.Contains(after, `"rule_type"`) ||
		!strings.Contains(after, `"direction": "out"`) || !strings.Contains(after, `"addresses"`) {
		t.Errorf("refresh left the rules in the old shape:\n%s", after)
	}
	if out := run(false, "drift"); !strings.Contains(out, "No drift") {
		t.Errorf("drift after refresh:\n%s", out)
	}
	// Two rules wrote no direction (then: all; now: in): their outbound
	// twins (priorities 13 and 51) go; the explicit direction-all rules keep
	// both halves, and nothing else changes.
	plan := run(true, "plan", "--detailed-exitcode")
	for _, want := range []string{"Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy.", `"priority":13`, `"priority":51`} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Count(plan, "→ null") != 2 {
		t.Errorf("plan removes other than the two outbound twins:\n%s", plan)
	}
	run(false, "apply", "--auto-approve")
	run(false, "plan", "--detailed-exitcode")
	if out := run(false, "drift"); !strings.Contains(out, "No drift") {
		t.Errorf("drift after apply:\n%s", out)
	}
	run(false, "destroy", "--auto-approve")
}
