package state

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestLockInfoNeverFollowsSymlinks: whoever can write the state's
// directory cannot make Lock write through a symlink, at the old fixed
// temporary name or at the lock file's own name.
func TestLockInfoNeverFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.db")
	for _, link := range []string{path + ".lock.tmp", path + ".lock"} {
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
	}
	b := OpenBolt(path)
	if err := b.Lock(context.Background(), LockInfo{Command: "test"}, 0); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(path + ".lock"); err != nil || fi.Mode()&os.ModeSymlink != 0 {
		t.Errorf("the lock file is still a symlink: %v", err)
	}
	b.Unlock()
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Errorf("the symlinks' target was overwritten: %q", got)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "s.db.lock.*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
