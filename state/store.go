package state

import (
	"context"
	"time"
)

// A Reader reads the state. It never takes the lock.
type Reader interface {
	// Snapshot returns the last committed state.
	Snapshot(ctx context.Context) (*Snapshot, error)
	// History returns the history, newest first.
	History(ctx context.Context) ([]HistoryEntry, error)
}

// A Writer changes the state; it must hold the lock.
type Writer interface {
	// Commit applies c in one transaction and returns the new serial.
	Commit(ctx context.Context, c Change) (uint64, error)
}

// A Locker takes and releases the state's single-writer lock.
type Locker interface {
	// Lock waits up to timeout (0: not at all) and fails with *LockError.
	Lock(ctx context.Context, info LockInfo, timeout time.Duration) error
	// Unlock releases the lock and records the session in the history.
	Unlock() error
}

// A Store is a complete state backend.
type Store interface {
	Reader
	Writer
	Locker
	// Close releases everything (and the lock, if held).
	Close() error
}

// Get returns one record of a snapshot, or ErrNotFound.
func (s *Snapshot) Get(addr string) (*Record, error) {
	if r, ok := s.Resources[addr]; ok {
		return r, nil
	}
	return nil, ErrNotFound
}

// Addresses returns the snapshot's addresses sorted.
func (s *Snapshot) Addresses() []string {
	out := make([]string, 0, len(s.Resources))
	for a := range s.Resources {
		out = append(out, a)
	}
	sortStrings(out)
	return out
}
