package state_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cdstack/cdstack/internal/etcdtest"
	"github.com/cdstack/cdstack/state"
)

// TestMain lets the test binary act as a second cdstack process.
func TestMain(m *testing.M) {
	if mode := os.Getenv("STATE_HELPER"); mode != "" {
		os.Exit(helper(mode, os.Getenv("STATE_PATH")))
	}
	code := m.Run()
	etcdtest.Stop()
	os.Exit(code)
}

var helperInfo = state.LockInfo{PID: os.Getpid(), Host: "helper-host", Command: "cdstack apply (helper)", Since: time.Now().UTC().Truncate(time.Second)}

func helper(mode, path string) int {
	ctx := context.Background()
	var s state.Store = state.OpenBolt(path)
	if state.IsEtcdURL(path) {
		e, err := state.OpenEtcd(path, state.EtcdOptions{TTL: 2 * time.Second})
		if err != nil {
			fmt.Println("open:", err)
			return 1
		}
		s = e
	}
	info := helperInfo
	info.PID = os.Getpid()
	if err := s.Lock(ctx, info, 10*time.Second); err != nil {
		fmt.Println("lock:", err)
		return 1
	}
	switch mode {
	case "hold": // hold the lock until stdin closes
		fmt.Println("locked")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	case "write": // commit one record per step, as fast as possible
		fmt.Println("locked")
		for i := 1; i <= 300; i++ {
			r := &state.Record{Addr: fmt.Sprintf("r%03d", i), Kind: "vdc", ID: fmt.Sprint(i), UpdatedAt: time.Now()}
			if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{r}}); err != nil {
				fmt.Println("commit:", err)
				return 1
			}
		}
	case "crash": // journal written, then killed before the record
		j := &state.JournalEntry{OpID: "op-1", Addr: "web", Action: "create", APIAction: "CreateInstance", Marker: "web", StartedAt: time.Now()}
		if _, err := s.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{j}}); err != nil {
			return 1
		}
		fmt.Println("journaled")
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Hour)
	}
	if err := s.Unlock(); err != nil {
		fmt.Println("unlock:", err)
		return 1
	}
	return 0
}

// startHelper runs the helper and waits for its first line.
func startHelper(t *testing.T, mode, path string) (*exec.Cmd, *os.File) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STATE_HELPER="+mode, "STATE_PATH="+path)
	stdin, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = stdin
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdin.Close()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper %s: %v (%q)", mode, err, line)
	}
	if !strings.Contains(line, "locked") && !strings.Contains(line, "journaled") {
		t.Fatalf("helper %s said %q", mode, line)
	}
	return cmd, w
}

func TestTwoProcessesOneWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	cmd, release := startHelper(t, "hold", path)
	s := state.OpenBolt(path)
	err := s.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 0)
	var le *state.LockError
	if !errors.As(err, &le) || le.Info == nil || le.Info.PID != cmd.Process.Pid || le.Info.Host != "helper-host" {
		t.Fatalf("Lock while another process holds it: %v", err)
	}
	for _, want := range []string{fmt.Sprintf("pid %d on helper-host", cmd.Process.Pid), `running "cdstack apply (helper)" since `} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("LockError %q does not say %q", err, want)
		}
	}
	if _, err := s.Snapshot(context.Background()); err != nil {
		t.Errorf("reader blocked by the writer: %v", err)
	}
	start := time.Now() // before the release is even planned: it comes 300 ms later at the earliest
	go func() {
		time.Sleep(300 * time.Millisecond)
		release.Close()
	}()
	if err := s.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 10*time.Second); err != nil {
		t.Fatalf("waiting Lock: %v", err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("got the lock after %s, before the holder let go", waited)
	}
	s.Unlock()
	cmd.Wait()
}

func TestReaderDuringWritesInAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	cmd, _ := startHelper(t, "write", path)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	s := state.OpenBolt(path)
	reads, last := 0, uint64(0)
	for {
		snap, err := s.Snapshot(context.Background())
		if err != nil {
			t.Fatalf("read %d during writes: %v", reads, err)
		}
		reads++
		if uint64(len(snap.Resources)) != snap.Meta.Serial {
			t.Fatalf("inconsistent read: %d records at serial %d", len(snap.Resources), snap.Meta.Serial)
		}
		if snap.Meta.Serial < last {
			t.Fatalf("serial went back from %d to %d", last, snap.Meta.Serial)
		}
		last = snap.Meta.Serial
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := s.Snapshot(context.Background())
			if snap.Meta.Serial != 300 {
				t.Errorf("final serial %d", snap.Meta.Serial)
			}
			t.Logf("%d consistent reads during 300 commits", reads)
			return
		default:
		}
	}
}

func TestCrashBetweenJournalAndRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	cmd, _ := startHelper(t, "crash", path)
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper did not die of SIGKILL: %v", err)
	}
	s := state.OpenBolt(path)
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("state after the crash: %v", err)
	}
	if len(snap.Journal) != 1 || snap.Journal[0].OpID != "op-1" || len(snap.Resources) != 0 || snap.Meta.Serial != 1 {
		t.Fatalf("after the crash: %+v", snap)
	}
	if holder := s.Holder(); holder == nil || holder.Command != "cdstack apply (helper)" {
		t.Errorf("stale lock info = %+v", holder)
	}
	// The dead holder's flock is gone: the next writer gets the lock.
	if err := s.Lock(context.Background(), state.LockInfo{Command: "cdstack apply"}, 0); err != nil {
		t.Fatalf("Lock after the crash: %v", err)
	}
	if h := s.Holder(); h == nil || h.Command != "cdstack apply" {
		t.Errorf("lock info after relocking = %+v", h)
	}
	s.Unlock()
}

func TestForceUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	cmd, release := startHelper(t, "hold", path)
	s := state.OpenBolt(path)
	var le *state.LockError
	if err := s.ForceUnlock(); !errors.As(err, &le) {
		t.Errorf("ForceUnlock while held: %v, want a LockError", err)
	}
	release.Close()
	cmd.Wait()
	if err := s.ForceUnlock(); err == nil || !strings.Contains(err.Error(), "not locked") {
		t.Errorf("ForceUnlock with nothing to clear: %v", err)
	}
	os.WriteFile(path+".lock", []byte(`{"pid": 1, "host": "gone", "command": "cdstack apply"}`), 0o600)
	if err := s.ForceUnlock(); err != nil {
		t.Errorf("ForceUnlock of a stale lock: %v", err)
	}
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Error("stale lock info still there")
	}
}

func TestBadFilesAreRefusedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	good := filepath.Join(dir, "good.db")
	s := state.OpenBolt(good)
	if err := s.Lock(ctx, state.LockInfo{}, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := s.Commit(ctx, state.Change{Put: []*state.Record{{Addr: fmt.Sprintf("r%d", i), Inputs: map[string]any{"pad": strings.Repeat("x", 200)}}}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Unlock()
	goodBytes, _ := os.ReadFile(good)

	newer := filepath.Join(dir, "newer.db")
	os.WriteFile(newer, goodBytes, 0o600)
	db, err := bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], 99)
		return tx.Bucket([]byte("meta")).Put([]byte("format"), v[:])
	})
	db.Close()

	foreign := filepath.Join(dir, "foreign.db")
	db, _ = bolt.Open(foreign, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("instance")); return err })
	db.Close()

	// A page of records zeroed, and bytes of a record flipped. The page is
	// one bbolt says is a leaf in use: which page that is varies with the
	// records' sizes (their timestamps), and a freed page zeroed harms
	// nothing.
	zeroed := append([]byte(nil), goodBytes...)
	live := liveLeafPage(t, good)
	copy(zeroed[live*4096:(live+1)*4096], make([]byte, 4096))
	flipped := append([]byte(nil), goodBytes...)
	rec := bytes.Index(flipped, []byte(`"addr":"r150"`))
	at := bytes.Index(flipped[rec:], []byte(`"created_at":"`))
	if rec < 0 || at < 0 {
		t.Fatal("record r150 not found in the file")
	}
	copy(flipped[rec+at+len(`"created_at":"`)+8:], "\xcd\xcd") // "2026-12-0\xcd\xcd…"

	files := map[string]struct {
		content []byte
		want    string
	}{
		"empty.db":     {[]byte{}, "is empty (0 bytes)"},
		"zeroed.db":    {zeroed, "corrupt"},
		"flipped.db":   {flipped, "corrupt"},
		"garbage.db":   {[]byte("this is not a database, it is a shopping list\n"), "not a cdstack state file (not a bbolt database)"},
		"truncated.db": {goodBytes[:len(goodBytes)/3], "is truncated:"},
		"newer.db":     {nil, "written by a newer cdstack (format 99"},
		"foreign.db":   {nil, "a bbolt database but not a cdstack state"},
	}
	for name, tc := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if tc.content != nil {
				os.WriteFile(path, tc.content, 0o600)
			}
			before, _ := os.ReadFile(path)
			s := state.OpenBolt(path)
			_, rerr := s.Snapshot(ctx)
			lerr := s.Lock(ctx, state.LockInfo{}, 0)
			if lerr == nil {
				s.Unlock()
			}
			for op, err := range map[string]error{"Snapshot": rerr, "Lock": lerr} {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: %v, want %q", op, err, tc.want)
				}
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Error("the file was changed")
			}
		})
	}
}

// liveLeafPage returns the id of a leaf page in use, holding several
// records, of the bbolt file at path (read from a copy: bbolt knows which
// pages are free only when it opens a file for writing).
func liveLeafPage(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(cp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(cp, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page := -1
	db.View(func(tx *bolt.Tx) error {
		if tx.DB().Info().PageSize != 4096 {
			t.Fatalf("page size %d, want 4096", tx.DB().Info().PageSize)
		}
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil || info == nil {
				return nil
			}
			if info.Type == "leaf" && info.Count >= 3 {
				page = id
				return nil
			}
		}
	})
	if page < 0 {
		t.Fatal("no leaf page with records in the file")
	}
	return page
}
