package state

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// fsError names what the filesystem refused when err is such a refusal
// (read-only, full, permission, a symlink loop), with what to do; nil for
// anything else. The file is then fine, and advice to restore it from a
// backup would overwrite a good state with an older one.
func fsError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("state file %s is on a read-only filesystem: %w; the state is intact — run where it can be written, or copy it and pass --state", path, err)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("state file %s: the filesystem is full: %w; nothing was recorded by this write — free some space and run the command again", path, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("state file %s: permission denied: %w; the state is intact — check the file's and its directory's owner and mode (ls -l)", path, err)
	case errors.Is(err, syscall.ELOOP):
		return fmt.Errorf("state file %s: too many symbolic links: %w; point --state at the file itself", path, err)
	}
	return nil
}

// stateErr is fsError, or err as it is.
func stateErr(path string, err error) error {
	if fe := fsError(path, err); fe != nil {
		return fe
	}
	return fmt.Errorf("state: %w", err)
}
