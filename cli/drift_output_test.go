package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDriftOutputReadableByTheCollector: the metrics file drift --output
// writes is read by node_exporter, which runs as a user of its own: it is
// made readable by others (0644), or keeps the mode of the file it
// replaces; a directory that does not exist is named with the flag.
func TestDriftOutputReadableByTheCollector(t *testing.T) {
	dir := t.TempDir()
	stack := "version: 1\nstack: metrics\nregion: CN_Beijing_A\nresources:\n  net: {kind: vdc, properties: {name: metrics}}\n"
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	drift := func(out string) (string, error) {
		b, err := cdstackCommand(dir, "local", nil, "drift", "--format", "prometheus", "--output", out).CombinedOutput()
		return string(b), err
	}
	if out, err := drift("m.prom"); err != nil {
		t.Fatalf("drift: %v\n%s", err, out)
	}
	if info, err := os.Stat(filepath.Join(dir, "m.prom")); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("m.prom: %v, mode %v; want 0644", err, info.Mode().Perm())
	}
	if err := os.Chmod(filepath.Join(dir, "m.prom"), 0o640); err != nil {
		t.Fatal(err)
	}
	if out, err := drift("m.prom"); err != nil {
		t.Fatalf("drift: %v\n%s", err, out)
	}
	if info, _ := os.Stat(filepath.Join(dir, "m.prom")); info.Mode().Perm() != 0o640 {
		t.Errorf("m.prom replaced with mode %v; want the 0640 it had", info.Mode().Perm())
	}
	out, err := drift("nowhere/m.prom")
	if err == nil || !strings.Contains(out, "--output nowhere/m.prom") {
		t.Errorf("drift --output into a missing directory: %v\n%s", err, out)
	}
}
