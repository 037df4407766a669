package state

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// MemoryBackend is a state kept in memory; each Open returns a handle, as
// each process opening a state file gets one. Handles share the lock.
type MemoryBackend struct {
	mu        sync.Mutex
	meta      Meta
	resources map[string][]byte
	journal   map[string][]byte
	history   []HistoryEntry
	exports   []byte
	holder    *Memory
	info      LockInfo
}

// NewMemory returns an empty in-memory state.
func NewMemory() *MemoryBackend {
	m := &MemoryBackend{meta: Meta{Lineage: uuid.NewString(), Format: CurrentFormat},
		resources: map[string][]byte{}, journal: map[string][]byte{}}
	return m
}

// Open returns a new handle.
func (m *MemoryBackend) Open() *Memory { return &Memory{b: m} }

// Memory is a handle on a MemoryBackend.
type Memory struct {
	b       *MemoryBackend
	session session
}

var _ Store = (*Memory)(nil)

// Lock takes the backend's lock, waiting up to timeout.
func (h *Memory) Lock(ctx context.Context, info LockInfo, timeout time.Duration) error {
	m := h.b
	deadline := time.Now().Add(timeout)
	m.mu.Lock()
	defer m.mu.Unlock()
	for m.holder != nil && m.holder != h {
		if !time.Now().Before(deadline) || ctx.Err() != nil {
			held := m.info
			return &LockError{Path: "memory", Info: &held}
		}
		m.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		m.mu.Lock()
	}
	if m.holder == h {
		return nil
	}
	m.holder, m.info = h, info
	h.session = session{serial: m.meta.Serial, updated: map[string]time.Time{}}
	for addr, v := range m.resources {
		if r, err := decodeRecord(v); err == nil {
			h.session.updated[addr] = r.UpdatedAt
		}
	}
	return nil
}

// Unlock releases the lock and records the session.
func (h *Memory) Unlock() error {
	m := h.b
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.holder != h {
		return nil
	}
	if m.meta.Serial != h.session.serial {
		e := HistoryEntry{Serial: m.meta.Serial, Time: time.Now().UTC(), Command: m.info.Command, Records: len(m.resources)}
		for addr, v := range m.resources {
			r, err := decodeRecord(v)
			if err != nil {
				continue
			}
			before, existed := h.session.updated[addr]
			switch {
			case !existed:
				e.Added++
			case !before.Equal(r.UpdatedAt):
				e.Changed++
			}
		}
		for addr := range h.session.updated {
			if _, ok := m.resources[addr]; !ok {
				e.Removed++
			}
		}
		m.history = append([]HistoryEntry{e}, m.history...)
		if len(m.history) > MaxHistory {
			m.history = m.history[:MaxHistory]
		}
	}
	m.holder = nil
	return nil
}

// Close releases the lock if held.
func (h *Memory) Close() error { return h.Unlock() }

// Commit applies c atomically.
func (h *Memory) Commit(ctx context.Context, c Change) (uint64, error) {
	for _, r := range c.Put {
		if err := r.validate(); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m := h.b
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.holder != h {
		return 0, ErrNotLocked
	}
	puts := map[string][]byte{}
	for _, r := range c.Put {
		v, err := encodeRecord(r)
		if err != nil {
			return 0, err
		}
		puts[r.Addr] = v
	}
	jputs := map[string][]byte{}
	for _, j := range c.JournalPut {
		v, err := json.Marshal(j)
		if err != nil {
			return 0, err
		}
		jputs[j.OpID] = v
	}
	for k, v := range puts {
		m.resources[k] = v
	}
	for _, a := range c.Delete {
		delete(m.resources, a)
	}
	for k, v := range jputs {
		m.journal[k] = v
	}
	for _, id := range c.JournalDelete {
		delete(m.journal, id)
	}
	if c.Exports != nil {
		v, err := encodeExports(c.Exports)
		if err != nil {
			return 0, err
		}
		m.exports = v
	}
	m.meta.Serial++
	return m.meta.Serial, nil
}

// Snapshot returns a deep copy of the state.
func (h *Memory) Snapshot(ctx context.Context) (*Snapshot, error) {
	m := h.b
	m.mu.Lock()
	defer m.mu.Unlock()
	s := &Snapshot{Meta: m.meta, Resources: map[string]*Record{}, Journal: []*JournalEntry{}}
	var err error
	if s.Exports, err = decodeExports("memory", m.exports); err != nil {
		return nil, err
	}
	var bad damaged
	for k, v := range m.resources {
		r, err := decodeRecord(v)
		switch {
		case errors.Is(err, errBadChecksum):
			bad.add(k)
			continue
		case err != nil:
			return nil, err
		}
		s.Resources[k] = r
	}
	for _, v := range m.journal {
		var j JournalEntry
		if err := json.Unmarshal(v, &j); err != nil {
			return nil, err
		}
		s.Journal = append(s.Journal, &j)
	}
	sort.Slice(s.Journal, func(i, j int) bool { return s.Journal[i].StartedAt.Before(s.Journal[j].StartedAt) })
	return s, bad.err("in memory")
}

// History returns the history, newest first.
func (h *Memory) History(ctx context.Context) ([]HistoryEntry, error) {
	m := h.b
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]HistoryEntry(nil), m.history...), nil
}
