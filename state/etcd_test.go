package state_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/internal/etcdtest"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/state/statetest"
)

var prefixes atomic.Int64

// etcdURL returns a fresh prefix on the test etcd.
func etcdURL(t *testing.T) string {
	return fmt.Sprintf("etcd://%s/test/%d-%d", etcdtest.Endpoint(t), time.Now().UnixNano(), prefixes.Add(1))
}

func openEtcd(t *testing.T, url string, ttl time.Duration) *state.Etcd {
	t.Helper()
	e, err := state.OpenEtcd(url, state.EtcdOptions{TTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEtcdConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) func() state.Store {
		url := etcdURL(t)
		return func() state.Store { return openEtcd(t, url, 5*time.Second) }
	})
}

func TestEtcdKilledHolderLockExpires(t *testing.T) {
	url := etcdURL(t)
	cmd, release := startHelper(t, "hold", url)
	defer release.Close() // held open: the helper keeps the lock until killed
	e := openEtcd(t, url, 2*time.Second)
	defer e.Close()
	var le *state.LockError
	if err := e.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 0); !errors.As(err, &le) || le.Info == nil || le.Info.PID != cmd.Process.Pid {
		t.Fatalf("Lock while the helper holds it: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: nothing is released by the holder
		t.Fatal(err)
	}
	cmd.Wait()
	if err := e.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 0); err == nil {
		t.Fatal("the lock was free at once after the kill; it should last until the lease expires")
	}
	start := time.Now()
	if err := e.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 10*time.Second); err != nil {
		t.Fatalf("lock after the lease expired: %v", err)
	}
	t.Logf("lock free %s after the holder was killed (TTL 2 s)", time.Since(start).Round(100*time.Millisecond))
}

func TestEtcdForceUnlockRevokesTheLease(t *testing.T) {
	url := etcdURL(t)
	holder := openEtcd(t, url, 30*time.Second)
	if err := holder.Lock(context.Background(), state.LockInfo{Command: "held"}, 0); err != nil {
		t.Fatal(err)
	}
	other := openEtcd(t, url, 30*time.Second)
	defer other.Close()
	if other.Holder() == nil || other.Holder().Command != "held" {
		t.Fatalf("holder = %+v", other.Holder())
	}
	if err := other.ForceUnlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Commit(context.Background(), state.Change{Put: []*state.Record{{Addr: "x"}}}); err == nil {
		t.Error("the revoked holder could still commit")
	}
	if err := other.Lock(context.Background(), state.LockInfo{Command: "next"}, 5*time.Second); err != nil {
		t.Fatalf("lock after revoke: %v", err)
	}
}

// TestMigrateRoundTrip copies a bbolt state to etcd and back; every step
// reads back the same snapshot.
func TestMigrateRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := state.OpenBolt(t.TempDir() + "/a.db")
	if err := src.Lock(ctx, state.LockInfo{}, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		if _, err := src.Commit(ctx, state.Change{Put: []*state.Record{{Addr: fmt.Sprintf("r%03d", i), Kind: "vdc", ID: fmt.Sprint(i),
			Inputs: map[string]any{"name": fmt.Sprint(i)}, UpdatedAt: time.Unix(int64(i), 0).UTC()}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{{OpID: "op", Addr: "r999", Action: "create", StartedAt: time.Unix(5, 0).UTC()}}}); err != nil {
		t.Fatal(err)
	}
	want, _ := src.Snapshot(ctx)
	src.Unlock()

	mid := openEtcd(t, etcdURL(t), 5*time.Second)
	defer mid.Close()
	back := state.OpenBolt(t.TempDir() + "/b.db")
	for _, dst := range []interface {
		state.Store
		state.Importer
	}{mid, back} {
		if err := dst.Lock(ctx, state.LockInfo{}, 0); err != nil {
			t.Fatal(err)
		}
		if err := dst.Import(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := dst.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("after import (-want +got)\n%s", diff)
		}
		dst.Unlock()
		want = got
	}
}
