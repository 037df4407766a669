package state

import (
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

// TestFilesystemRefusalsAreNotCorruption: an open or write the filesystem
// refuses is named for what it is, with what to do, and never called
// corrupt with advice to restore an older copy over a good file.
func TestFilesystemRefusalsAreNotCorruption(t *testing.T) {
	tests := map[syscall.Errno]string{
		syscall.EROFS:  "is on a read-only filesystem",
		syscall.ENOSPC: "the filesystem is full",
		syscall.EDQUOT: "the filesystem is full",
		syscall.EACCES: "permission denied",
		syscall.EPERM:  "permission denied",
		syscall.ELOOP:  "too many symbolic links",
	}
	for errno, want := range tests {
		err := corrupt("s.db", &fs.PathError{Op: "open", Path: "s.db", Err: errno})
		msg := err.Error()
		if !strings.Contains(msg, want) || strings.Contains(msg, "corrupt") || strings.Contains(msg, "restore it from a backup") {
			t.Errorf("%v: %q, want %q and no talk of corruption", errno, msg, want)
		}
		if se := stateErr("s.db", &fs.PathError{Op: "mkdir", Path: ".cdstack", Err: errno}); !strings.Contains(se.Error(), want) {
			t.Errorf("%v: stateErr %q", errno, se)
		}
	}
	if msg := corrupt("s.db", fs.ErrInvalid).Error(); !strings.Contains(msg, "truncated or corrupt") {
		t.Errorf("another error: %q", msg)
	}
}
