package state

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var (
	bucketMeta      = []byte("meta")
	bucketResources = []byte("resources")
	bucketJournal   = []byte("journal")
	bucketHistory   = []byte("history")
)

// Bolt is the state in a bbolt file.
type Bolt struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	db      *bolt.DB // set while this process holds the lock
	info    LockInfo
	session session
}

// session remembers the state when the lock was taken, for the history.
type session struct {
	serial  uint64
	updated map[string]time.Time
}

var _ Store = (*Bolt)(nil)

// OpenBolt returns the state kept at path. Nothing is read or created until
// the first Snapshot or Lock.
func OpenBolt(path string) *Bolt { return &Bolt{path: path, now: time.Now} }

// Path returns the state file.
func (b *Bolt) Path() string { return b.path }

func (b *Bolt) lockInfoPath() string { return b.path + ".lock" }

// Lock opens the file for writing, which takes bbolt's exclusive file lock.
func (b *Bolt) Lock(ctx context.Context, info LockInfo, timeout time.Duration) (err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.db != nil {
		return nil
	}
	var db *bolt.DB
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				db.Close()
			}
			b.db = nil
			err = fmt.Errorf("state file %s is corrupt (%v); nothing was changed", b.path, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if err := os.MkdirAll(filepath.Dir(b.path), 0o700); err != nil {
		return stateErr(b.path, err)
	}
	if err := b.checkFile(); err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		db, err = bolt.Open(b.path, 0o600, &bolt.Options{Timeout: 10 * time.Millisecond, FreelistType: bolt.FreelistMapType})
		if !errors.Is(err, berrors.ErrTimeout) || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("state: waiting for the lock: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return &LockError{Path: b.path, Info: readLockInfo(b.lockInfoPath())}
	}
	if err != nil {
		return corrupt(b.path, err)
	}
	if err := verify(db, b.path); err != nil {
		db.Close()
		return err
	}
	if err := initMeta(db, b.path); err != nil {
		db.Close()
		return err
	}
	if err := writeLockInfo(b.lockInfoPath(), info); err != nil {
		db.Close()
		if fe := fsError(b.lockInfoPath(), err); fe != nil {
			return fe
		}
		return fmt.Errorf("state: write lock info: %w", err)
	}
	b.db, b.info = db, info
	b.session = session{updated: map[string]time.Time{}}
	return db.View(func(tx *bolt.Tx) error {
		b.session.serial = readMeta(tx).Serial
		return tx.Bucket(bucketResources).ForEach(func(k, v []byte) error {
			r, err := decodeRecord(v)
			if err != nil {
				return nil // damaged: Snapshot says so
			}
			b.session.updated[string(k)] = r.UpdatedAt
			return nil
		})
	})
}

// verify checks, before a writer's first commit, that the whole file is
// sound: every page of every bucket is walked (a damaged page panics,
// which Lock turns into an error) and every record, journal entry and
// history entry decodes. A damaged file is refused, never written. (bbolt's
// own Tx.Check panics on a damaged page in a goroutine of its own, which
// nothing could recover.)
func verify(db *bolt.DB, path string) error {
	return db.View(func(tx *bolt.Tx) error {
		decode := func(bucket []byte, what string, into func() any) error {
			b := tx.Bucket(bucket)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if err := json.Unmarshal(v, into()); err != nil {
					return fmt.Errorf("state file %s is corrupt: %s %q cannot be read (%v); nothing was changed — restore it from a backup", path, what, k, err)
				}
				return nil
			})
		}
		// A record that fails its checksum is damaged, not the file:
		// Snapshot names it, and refresh --target records it again.
		records := func() error {
			b := tx.Bucket(bucketResources)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if _, err := decodeRecord(v); err != nil && !errors.Is(err, errBadChecksum) {
					return fmt.Errorf("state file %s is corrupt: record %q cannot be read (%v); nothing was changed — restore it from a backup", path, k, err)
				}
				return nil
			})
		}
		return errors.Join(records(),
			decode(bucketJournal, "journal entry", func() any { return &JournalEntry{} }),
			decode(bucketHistory, "history entry", func() any { return &HistoryEntry{} }))
	})
}

// checkFile refuses, before bbolt touches it, a file that is not a bbolt
// database (bbolt would initialise an empty one, and a foreign file must
// never be written) or is shorter than its meta page says (reading a
// truncated mapping would crash).
func (b *Bolt) checkFile() error {
	f, err := os.Open(b.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return stateErr(b.path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return stateErr(b.path, err)
	}
	if st.Size() == 0 {
		// Only a process killed while creating the file leaves it empty;
		// bbolt would silently make a new state of it.
		return fmt.Errorf("state file %s is empty (0 bytes), not a cdstack state; nothing was changed — restore it from a backup, or delete it to start a new state", b.path)
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	m, ok := parseMetaPage(head[:n])
	if !ok {
		return fmt.Errorf("state file %s is not a cdstack state file (not a bbolt database); nothing was changed", b.path)
	}
	page2 := make([]byte, 80)
	if _, err := f.ReadAt(page2, int64(m.pageSize)); err == nil {
		if m2, ok := parseMetaPage(page2); ok && m2.txid > m.txid {
			m = m2
		}
	}
	if need := int64(m.pgid) * int64(m.pageSize); st.Size() < need {
		return fmt.Errorf("state file %s is truncated: %d bytes, its header says %d; nothing was changed — restore it from a backup", b.path, st.Size(), need)
	}
	return nil
}

// boltMeta is what checkFile needs of a bbolt meta page.
type boltMeta struct {
	pageSize uint32
	pgid     uint64
	txid     uint64
}

// parseMetaPage reads a bbolt meta page: page header (16 bytes), then magic,
// version, page size, flags, root bucket (16), freelist, pgid, txid and an
// FNV-64a checksum of the fields before it.
func parseMetaPage(p []byte) (boltMeta, bool) {
	if len(p) < 80 || binary.LittleEndian.Uint32(p[16:20]) != 0xED0CDAED {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(p[16:72])
	if h.Sum64() != binary.LittleEndian.Uint64(p[72:80]) {
		return boltMeta{}, false
	}
	m := boltMeta{pageSize: binary.LittleEndian.Uint32(p[24:28]), pgid: binary.LittleEndian.Uint64(p[56:64]), txid: binary.LittleEndian.Uint64(p[64:72])}
	return m, m.pageSize >= 512 && m.pageSize <= 1<<16
}

// initMeta creates the buckets and meta of a new state, and refuses a
// state written by a newer format or a bbolt file that is not a state.
func initMeta(db *bolt.DB, path string) error {
	err := db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("state file %s is a bbolt database but not a cdstack state; nothing was changed", path)
			}
			return nil
		}
		if f := readMeta(tx).Format; f > CurrentFormat {
			return fmt.Errorf("state file %s was written by a newer cdstack (format %d; this one reads up to %d); upgrade cdstack — nothing was changed", path, f, CurrentFormat)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketResources, bucketJournal, bucketHistory} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		m := tx.Bucket(bucketMeta)
		if m.Get([]byte("lineage")) == nil {
			if err := m.Put([]byte("lineage"), []byte(uuid.NewString())); err != nil {
				return err
			}
			if err := putUint(m, "serial", 0); err != nil {
				return err
			}
			return putUint(m, "format", CurrentFormat)
		}
		return nil
	})
}

func putUint(b *bolt.Bucket, key string, v uint64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], v)
	return b.Put([]byte(key), buf[:])
}

func getUint(b *bolt.Bucket, key string) uint64 {
	v := b.Get([]byte(key))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func readMeta(tx *bolt.Tx) Meta {
	m := tx.Bucket(bucketMeta)
	if m == nil {
		return Meta{}
	}
	return Meta{Lineage: string(m.Get([]byte("lineage"))), Serial: getUint(m, "serial"), Format: int(getUint(m, "format"))}
}

// Unlock records the session in the history, closes the file (releasing
// the file lock) and removes the lock info.
func (b *Bolt) Unlock() (err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.db == nil {
		return nil
	}
	defer recoverCorrupt(&err, b.path)
	err = b.db.Update(func(tx *bolt.Tx) error { return b.recordHistory(tx) })
	if cerr := b.db.Close(); err == nil {
		err = cerr
	}
	b.db = nil
	if rerr := os.Remove(b.lockInfoPath()); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}

// recordHistory adds an entry when the session changed the state.
func (b *Bolt) recordHistory(tx *bolt.Tx) error {
	meta := readMeta(tx)
	if meta.Serial == b.session.serial {
		return nil
	}
	entry := HistoryEntry{Serial: meta.Serial, Time: b.now().UTC(), Command: b.info.Command}
	records := map[string]*Record{}
	err := tx.Bucket(bucketResources).ForEach(func(k, v []byte) error {
		r, err := decodeRecord(v)
		if err != nil {
			return nil // damaged: left out of the history's snapshot
		}
		records[string(k)] = r
		before, existed := b.session.updated[string(k)]
		switch {
		case !existed:
			entry.Added++
		case !before.Equal(r.UpdatedAt):
			entry.Changed++
		}
		return nil
	})
	if err != nil {
		return err
	}
	for addr := range b.session.updated {
		if records[addr] == nil {
			entry.Removed++
		}
	}
	entry.Records = len(records)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(records); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	value, err := json.Marshal(struct {
		HistoryEntry
		Snapshot []byte `json:"snapshot_gz"`
	}{entry, buf.Bytes()})
	if err != nil {
		return err
	}
	h := tx.Bucket(bucketHistory)
	var key [8]byte
	binary.BigEndian.PutUint64(key[:], meta.Serial)
	if err := h.Put(key[:], value); err != nil {
		return err
	}
	// Keep the newest MaxHistory.
	var keys [][]byte
	c := h.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for i := 0; i < len(keys)-MaxHistory; i++ {
		if err := h.Delete(keys[i]); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the lock if held.
func (b *Bolt) Close() error { return b.Unlock() }

// Commit applies c in one bbolt transaction.
func (b *Bolt) Commit(ctx context.Context, c Change) (serial uint64, err error) {
	for _, r := range c.Put {
		if err := r.validate(); err != nil {
			return 0, err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.db == nil {
		return 0, ErrNotLocked
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	defer recoverCorrupt(&err, b.path)
	err = b.db.Update(func(tx *bolt.Tx) error {
		res, jr := tx.Bucket(bucketResources), tx.Bucket(bucketJournal)
		for _, r := range c.Put {
			v, err := encodeRecord(r)
			if err != nil {
				return err
			}
			if err := res.Put([]byte(r.Addr), v); err != nil {
				return err
			}
		}
		for _, addr := range c.Delete {
			if err := res.Delete([]byte(addr)); err != nil {
				return err
			}
		}
		for _, j := range c.JournalPut {
			v, err := json.Marshal(j)
			if err != nil {
				return err
			}
			if err := jr.Put([]byte(j.OpID), v); err != nil {
				return err
			}
		}
		for _, id := range c.JournalDelete {
			if err := jr.Delete([]byte(id)); err != nil {
				return err
			}
		}
		m := tx.Bucket(bucketMeta)
		if c.Exports != nil {
			v, err := encodeExports(c.Exports)
			if err != nil {
				return err
			}
			if err := m.Put([]byte(exportsKey), v); err != nil {
				return err
			}
		}
		serial = getUint(m, "serial") + 1
		return putUint(m, "serial", serial)
	})
	if err != nil {
		if fe := fsError(b.path, err); fe != nil {
			return 0, fe
		}
		return 0, fmt.Errorf("state commit: %w", err)
	}
	return serial, nil
}

// Snapshot reads the last committed state.
func (b *Bolt) Snapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{Resources: map[string]*Record{}, Journal: []*JournalEntry{}}
	var bad damaged
	err := b.view(ctx, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil && tx.Bucket(bucketResources) == nil {
			foreign := false
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
			if foreign {
				return fmt.Errorf("state file %s is a bbolt database but not a cdstack state", b.path)
			}
		}
		snap.Meta = readMeta(tx)
		if m := tx.Bucket(bucketMeta); m != nil {
			var err error
			if snap.Exports, err = decodeExports(b.path, m.Get([]byte(exportsKey))); err != nil {
				return err
			}
		}
		if res := tx.Bucket(bucketResources); res != nil {
			if err := res.ForEach(func(k, v []byte) error {
				r, err := decodeRecord(v)
				switch {
				case errors.Is(err, errBadChecksum):
					bad.add(string(k))
					return nil
				case err != nil:
					return fmt.Errorf("state file %s is corrupt: record %q cannot be read (%v); restore it from a backup", b.path, k, err)
				}
				snap.Resources[string(k)] = r
				return nil
			}); err != nil {
				return err
			}
		}
		if jr := tx.Bucket(bucketJournal); jr != nil {
			return jr.ForEach(func(k, v []byte) error {
				var j JournalEntry
				if err := json.Unmarshal(v, &j); err != nil {
					return fmt.Errorf("state file %s is corrupt: journal entry %q cannot be read (%v); restore it from a backup", b.path, k, err)
				}
				snap.Journal = append(snap.Journal, &j)
				return nil
			})
		}
		return nil
	})
	if errors.Is(err, errNoFile) {
		return snap, nil
	}
	if err != nil {
		return nil, err
	}
	if snap.Meta.Format > CurrentFormat {
		return nil, fmt.Errorf("state file %s was written by a newer cdstack (format %d; this one reads up to %d); upgrade cdstack", b.path, snap.Meta.Format, CurrentFormat)
	}
	sort.Slice(snap.Journal, func(i, j int) bool { return snap.Journal[i].StartedAt.Before(snap.Journal[j].StartedAt) })
	return snap, bad.err(b.path)
}

// History returns the history entries, newest first.
func (b *Bolt) History(ctx context.Context) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := b.view(ctx, func(tx *bolt.Tx) error {
		h := tx.Bucket(bucketHistory)
		if h == nil {
			return nil
		}
		c := h.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e HistoryEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if errors.Is(err, errNoFile) {
		return nil, nil
	}
	return out, err
}

// errNoFile says the state file does not exist yet: an empty state.
var errNoFile = errors.New("no state file yet")

// view runs fn in a read transaction: on the open file when this process
// holds the lock, read-only when nobody does, and on a consistent copy
// while another process writes.
func (b *Bolt) view(ctx context.Context, fn func(*bolt.Tx) error) (err error) {
	b.mu.Lock()
	db := b.db
	b.mu.Unlock()
	defer recoverCorrupt(&err, b.path)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if db != nil {
		return db.View(fn)
	}
	if _, err := os.Stat(b.path); errors.Is(err, fs.ErrNotExist) {
		return errNoFile
	}
	if err := b.checkFile(); err != nil {
		return err
	}
	ro, err := bolt.Open(b.path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 20 * time.Millisecond})
	if errors.Is(err, berrors.ErrTimeout) {
		return readCopy(ctx, b.path, fn)
	}
	if err != nil {
		return corrupt(b.path, err)
	}
	defer ro.Close()
	return ro.View(fn)
}

// corrupt wraps a bbolt open error in words a user can act on.
func corrupt(path string, err error) error {
	if fe := fsError(path, err); fe != nil {
		return fe
	}
	return fmt.Errorf("state file %s cannot be read (truncated or corrupt?): %v; nothing was changed — restore it from a backup or `cdstack state pull` output", path, err)
}

// recoverCorrupt turns a bbolt panic on a damaged file into an error.
func recoverCorrupt(err *error, path string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("state file %s is corrupt (%v); nothing was changed", path, r)
	}
}

func writeLockInfo(path string, info LockInfo) error {
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	// A new file of a random name, created exclusively (O_EXCL: never a
	// file or symlink that is already there), then renamed over path (which
	// replaces a symlink at path, never what it points to).
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}

func readLockInfo(path string) *LockInfo {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var info LockInfo
	if json.Unmarshal(b, &info) != nil {
		return nil
	}
	return &info
}

// Holder returns the lock info left in the sidecar file, if any.
func (b *Bolt) Holder() *LockInfo { return readLockInfo(b.lockInfoPath()) }

// ForceUnlock removes a stale lock-info file. It refuses while any process
// holds the file lock.
func (b *Bolt) ForceUnlock() error {
	if _, err := os.Stat(b.lockInfoPath()); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state %s is not locked", b.path)
	}
	db, err := bolt.Open(b.path, 0o600, &bolt.Options{Timeout: 20 * time.Millisecond})
	if errors.Is(err, berrors.ErrTimeout) {
		return &LockError{Path: b.path, Info: readLockInfo(b.lockInfoPath())}
	}
	if err == nil {
		db.Close()
	}
	return os.Remove(b.lockInfoPath())
}

func sortStrings(s []string) { sort.Strings(s) }

// Import replaces the whole state with snap (lineage and serial included).
func (b *Bolt) Import(ctx context.Context, snap *Snapshot) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.db == nil {
		return ErrNotLocked
	}
	return b.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketResources, bucketJournal} {
			if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		for addr, r := range snap.Resources {
			v, err := encodeRecord(r)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketResources).Put([]byte(addr), v); err != nil {
				return err
			}
		}
		for _, j := range snap.Journal {
			v, err := json.Marshal(j)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketJournal).Put([]byte(j.OpID), v); err != nil {
				return err
			}
		}
		m := tx.Bucket(bucketMeta)
		if err := m.Put([]byte("lineage"), []byte(snap.Meta.Lineage)); err != nil {
			return err
		}
		if err := importExports(m, snap.Exports); err != nil {
			return err
		}
		if err := putUint(m, "serial", snap.Meta.Serial); err != nil {
			return err
		}
		b.session.serial = snap.Meta.Serial
		return putUint(m, "format", CurrentFormat)
	})
}
