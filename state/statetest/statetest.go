// Package statetest is the conformance suite every state.Store passes.
package statetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/state"
)

// A Factory makes a fresh, empty state for one test and returns a function
// that opens a new handle on it (a handle is what one process has).
type Factory func(t *testing.T) (open func() state.Store)

var info = state.LockInfo{PID: 4242, Host: "ci-runner", User: "ci", Command: "cdstack apply", Since: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}

func record(addr string, n int) *state.Record {
	at := time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC)
	return &state.Record{Addr: addr, Kind: "instance", ID: fmt.Sprintf("id-%s-%d", addr, n), Region: "CN_Beijing_A",
		Inputs: map[string]any{"cpu": float64(n)}, Outputs: map[string]any{"status": "running"}, Deps: []string{"net"},
		SecretHashes: map[string]string{"password": state.HashSecret("pw")}, CreatedAt: at, UpdatedAt: at}
}

// Run runs the suite.
func Run(t *testing.T, newState Factory) {
	ctx := context.Background()
	lock := func(t *testing.T, s state.Store) {
		t.Helper()
		if err := s.Lock(ctx, info, 0); err != nil {
			t.Fatalf("Lock: %v", err)
		}
	}

	t.Run("EmptyState", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Resources) != 0 || len(snap.Journal) != 0 || snap.Meta.Serial != 0 {
			t.Errorf("empty state = %+v", snap)
		}
	})

	t.Run("CommitRequiresLock", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{record("a", 1)}}); !errors.Is(err, state.ErrNotLocked) {
			t.Errorf("Commit without the lock: %v, want ErrNotLocked", err)
		}
	})

	t.Run("CommitPutDeleteJournal", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		lock(t, s)
		j := &state.JournalEntry{OpID: "op-1", Addr: "web[0]", Action: "create", APIAction: "CreateInstance", Marker: "web-0", Scope: "vdc-1", StartedAt: time.Unix(100, 0).UTC()}
		serial, err := s.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{j}})
		if err != nil || serial != 1 {
			t.Fatalf("journal commit = %d, %v", serial, err)
		}
		j.TaskID = "task-9"
		if serial, err = s.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{j}}); err != nil || serial != 2 {
			t.Fatalf("task id commit = %d, %v", serial, err)
		}
		snap, _ := s.Snapshot(ctx)
		if len(snap.Journal) != 1 || snap.Journal[0].TaskID != "task-9" {
			t.Fatalf("journal = %+v", snap.Journal)
		}
		// The record and the end of its journal entry settle together.
		r := record("web[0]", 1)
		if serial, err = s.Commit(ctx, state.Change{Put: []*state.Record{r, record("b", 2)}, JournalDelete: []string{"op-1"}}); err != nil || serial != 3 {
			t.Fatalf("settle commit = %d, %v", serial, err)
		}
		snap, _ = s.Snapshot(ctx)
		if len(snap.Journal) != 0 {
			t.Errorf("journal after settling = %+v", snap.Journal)
		}
		if diff := cmp.Diff(r, snap.Resources["web[0]"]); diff != "" {
			t.Errorf("record round trip (-want +got)\n%s", diff)
		}
		if _, err := s.Commit(ctx, state.Change{Delete: []string{"b"}}); err != nil {
			t.Fatal(err)
		}
		snap, _ = s.Snapshot(ctx)
		if diff := cmp.Diff([]string{"web[0]"}, snap.Addresses()); diff != "" {
			t.Errorf("addresses (-want +got)\n%s", diff)
		}
		if _, err := snap.Get("b"); !errors.Is(err, state.ErrNotFound) {
			t.Errorf("Get deleted: %v", err)
		}
		if snap.Meta.Serial != 4 || snap.Meta.Lineage == "" || snap.Meta.Format != state.CurrentFormat {
			t.Errorf("meta = %+v", snap.Meta)
		}
	})

	t.Run("ExportsCommitAndReadWithoutLock", func(t *testing.T) {
		open := newState(t)
		w, r := open(), open()
		defer w.Close()
		defer r.Close()
		lock(t, w)
		snap, _ := r.Snapshot(ctx)
		if snap.Exports != nil {
			t.Fatalf("exports of an empty state = %+v, want none", snap.Exports)
		}
		ex := &state.Exports{Outputs: map[string]any{"vdc_id": "vdc-1", "ips": []any{"10.0.0.1"}}, Sensitive: []string{"db_password"},
			Data:   map[string]*state.DataRead{"net": {Kind: "vdc", ID: "vdc-9", Name: "shared", Attrs: map[string]any{"id": "vdc-9"}}},
			Stacks: map[string]*state.StackRead{"platform": {State: "../p.db", Lineage: "l-1", Serial: 7, Outputs: map[string]any{"vdc_id": "vdc-1"}}}}
		if serial, err := w.Commit(ctx, state.Change{Put: []*state.Record{record("a", 1)}, Exports: ex}); err != nil || serial != 1 {
			t.Fatalf("commit with exports = %d, %v", serial, err)
		}
		// A reader that takes no lock sees them while the writer holds it.
		snap, err := r.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ex, snap.Exports); diff != "" {
			t.Errorf("exports round trip (-want +got)\n%s", diff)
		}
		// A commit without exports keeps them; one with exports replaces them.
		if _, err := w.Commit(ctx, state.Change{Delete: []string{"a"}}); err != nil {
			t.Fatal(err)
		}
		if snap, _ = r.Snapshot(ctx); snap.Exports == nil || snap.Exports.Outputs["vdc_id"] != "vdc-1" {
			t.Errorf("exports after a commit without any = %+v", snap.Exports)
		}
		if _, err := w.Commit(ctx, state.Change{Exports: &state.Exports{}}); err != nil {
			t.Fatal(err)
		}
		if snap, _ = r.Snapshot(ctx); snap.Exports == nil || len(snap.Exports.Outputs) != 0 || snap.Meta.Serial != 3 {
			t.Errorf("exports replaced by empty ones = %+v at serial %d", snap.Exports, snap.Meta.Serial)
		}
	})

	t.Run("LineageIsStable", func(t *testing.T) {
		open := newState(t)
		s := open()
		lock(t, s)
		if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{record("a", 1)}}); err != nil {
			t.Fatal(err)
		}
		first, _ := s.Snapshot(ctx)
		s.Close()
		s2 := open()
		defer s2.Close()
		lock(t, s2)
		if _, err := s2.Commit(ctx, state.Change{Put: []*state.Record{record("b", 1)}}); err != nil {
			t.Fatal(err)
		}
		second, _ := s2.Snapshot(ctx)
		if first.Meta.Lineage != second.Meta.Lineage || second.Meta.Serial != first.Meta.Serial+1 {
			t.Errorf("meta %+v then %+v", first.Meta, second.Meta)
		}
	})

	t.Run("SecondWriterFailsWithHolder", func(t *testing.T) {
		open := newState(t)
		a, b := open(), open()
		defer a.Close()
		defer b.Close()
		lock(t, a)
		err := b.Lock(ctx, state.LockInfo{PID: 1, Command: "cdstack destroy"}, 0)
		var le *state.LockError
		if !errors.As(err, &le) || le.Info == nil || le.Info.PID != info.PID || le.Info.Command != info.Command || !le.Info.Since.Equal(info.Since) {
			t.Fatalf("second Lock = %v, want a LockError naming the holder", err)
		}
		// A reader is not blocked by the writer.
		if _, err := b.Snapshot(ctx); err != nil {
			t.Errorf("Snapshot while another holds the lock: %v", err)
		}
	})

	t.Run("SecondWriterWaits", func(t *testing.T) {
		open := newState(t)
		a, b := open(), open()
		defer a.Close()
		defer b.Close()
		lock(t, a)
		go func() {
			time.Sleep(150 * time.Millisecond)
			a.Unlock()
		}()
		if err := b.Lock(ctx, info, 5*time.Second); err != nil {
			t.Fatalf("waiting Lock: %v", err)
		}
	})

	t.Run("ReaderSeesLastCommit", func(t *testing.T) {
		open := newState(t)
		w, r := open(), open()
		defer w.Close()
		defer r.Close()
		lock(t, w)
		for i := 1; i <= 3; i++ {
			if _, err := w.Commit(ctx, state.Change{Put: []*state.Record{record(fmt.Sprintf("r%d", i), i)}}); err != nil {
				t.Fatal(err)
			}
			snap, err := r.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Resources) != i || snap.Meta.Serial != uint64(i) {
				t.Fatalf("reader after commit %d sees %d records at serial %d", i, len(snap.Resources), snap.Meta.Serial)
			}
		}
	})

	t.Run("ConcurrentCommitsSerialise", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		lock(t, s)
		var wg sync.WaitGroup
		serials := make(chan uint64, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				n, err := s.Commit(ctx, state.Change{Put: []*state.Record{record(fmt.Sprintf("c%d", i), i)}})
				if err != nil {
					t.Error(err)
				}
				serials <- n
			}(i)
		}
		wg.Wait()
		close(serials)
		seen := map[uint64]bool{}
		for n := range serials {
			if seen[n] {
				t.Errorf("serial %d given twice", n)
			}
			seen[n] = true
		}
		snap, _ := s.Snapshot(ctx)
		if len(snap.Resources) != 40 || snap.Meta.Serial != 40 {
			t.Errorf("%d records at serial %d, want 40 at 40", len(snap.Resources), snap.Meta.Serial)
		}
	})

	t.Run("SecretsAreHashesOnly", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		lock(t, s)
		bad := record("x", 1)
		bad.Inputs["password"] = "hunter2"
		if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{bad}}); err == nil {
			t.Error("a record with a clear sensitive input was stored")
		}
		h := state.HashSecret("hunter2")
		if !state.SecretMatches(h, "hunter2") || state.SecretMatches(h, "hunter3") || h == state.HashSecret("hunter2") {
			t.Errorf("HashSecret %q is not a salted hash that matches only its value", h)
		}
	})

	t.Run("History", func(t *testing.T) {
		open := newState(t)
		s := open()
		lock(t, s)
		if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{record("a", 1), record("b", 1)}}); err != nil {
			t.Fatal(err)
		}
		s.Unlock()
		lock(t, s) // a session that changes nothing leaves no entry
		s.Unlock()
		s2 := open()
		defer s2.Close()
		if err := s2.Lock(ctx, state.LockInfo{Command: "cdstack state rm b"}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s2.Commit(ctx, state.Change{Put: []*state.Record{record("a", 2), record("c", 1)}, Delete: []string{"b"}}); err != nil {
			t.Fatal(err)
		}
		s2.Unlock()
		h, err := s2.History(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 {
			t.Fatalf("history = %+v, want 2 entries", h)
		}
		got := []any{h[0].Serial, h[0].Command, h[0].Added, h[0].Changed, h[0].Removed, h[0].Records, h[1].Serial, h[1].Added}
		want := []any{uint64(2), "cdstack state rm b", 1, 1, 1, 2, uint64(1), 2}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got)\n%s", diff)
		}
	})

	t.Run("HistoryIsBounded", func(t *testing.T) {
		s := newState(t)()
		defer s.Close()
		for i := 0; i < state.MaxHistory+5; i++ {
			lock(t, s)
			if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{record("a", i)}}); err != nil {
				t.Fatal(err)
			}
			s.Unlock()
		}
		h, _ := s.History(ctx)
		if len(h) != state.MaxHistory || h[0].Serial != uint64(state.MaxHistory+5) {
			t.Errorf("%d entries, newest %d", len(h), h[0].Serial)
		}
	})
}
