package state_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cdstack/cdstack/state"
)

func benchRecord(i int) *state.Record {
	return &state.Record{Addr: fmt.Sprintf("web[%d]", i), Kind: "instance", ID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i),
		Region: "CN_Beijing_A", Inputs: map[string]any{"cpu": 2, "ram": 4, "name": fmt.Sprintf("web-%d", i), "image": "Centos_7.6_64"},
		Outputs: map[string]any{"public_ip": "198.18.0.2", "status": "running"}, Deps: []string{"net", "lan"},
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
}

// BenchmarkCommit10k commits 10,000 records, one transaction each (as an
// apply of 10,000 resources does), per iteration.
func BenchmarkCommit10k(b *testing.B) {
	ctx := context.Background()
	for n := 0; n < b.N; n++ {
		s := state.OpenBolt(filepath.Join(b.TempDir(), "s.db"))
		if err := s.Lock(ctx, state.LockInfo{Command: "bench"}, 0); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := 0; i < 10000; i++ {
			if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{benchRecord(i)}}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/10000, "µs/commit")
		s.Unlock()
	}
}

// BenchmarkSnapshot10k reads a 10,000-record state, unlocked (read-only
// open) and while another handle holds the lock (consistent copy).
func BenchmarkSnapshot10k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "s.db")
	w := state.OpenBolt(path)
	if err := w.Lock(ctx, state.LockInfo{}, 0); err != nil {
		b.Fatal(err)
	}
	var c state.Change
	for i := 0; i < 10000; i++ {
		c.Put = append(c.Put, benchRecord(i))
	}
	if _, err := w.Commit(ctx, c); err != nil {
		b.Fatal(err)
	}
	w.Unlock()
	r := state.OpenBolt(path)
	b.Run("unlocked", func(b *testing.B) {
		for n := 0; n < b.N; n++ {
			if snap, err := r.Snapshot(ctx); err != nil || len(snap.Resources) != 10000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("while-locked", func(b *testing.B) {
		if err := w.Lock(ctx, state.LockInfo{}, 0); err != nil {
			b.Fatal(err)
		}
		defer w.Unlock()
		for n := 0; n < b.N; n++ {
			if snap, err := r.Snapshot(ctx); err != nil || len(snap.Resources) != 10000 {
				b.Fatal(err)
			}
		}
	})
}
