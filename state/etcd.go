package state

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// EtcdOptions configure an etcd state.
type EtcdOptions struct {
	// TTL of the lock's lease (default 30 s): a killed holder's lock goes
	// away this long after it stopped renewing it.
	TTL time.Duration
	// CA, Cert, Key are PEM files for TLS (https endpoints or etcds://).
	CA, Cert, Key string
	// Username and Password for etcd authentication.
	Username, Password string
	// DialTimeout bounds connecting (default 5 s).
	DialTimeout time.Duration
	// OpTimeout bounds every read and commit (default 2 min): an etcd that
	// went away fails the command instead of hanging it.
	OpTimeout time.Duration
}

// Etcd is the state in etcd under a key prefix: <prefix>/meta/…,
// <prefix>/resources/<addr>, <prefix>/journal/<op>, <prefix>/history/<serial>.
// Every commit is one etcd transaction guarded by the expected serial and by
// the ownership of the lock, so two writers can never interleave.
type Etcd struct {
	url    string
	prefix string
	ttl    time.Duration
	opTime time.Duration
	cli    *clientv3.Client
	// down is the error of a request etcd did not answer in time: later
	// requests fail with it at once instead of waiting again (a command is
	// short-lived; the next one tries afresh).
	down atomic.Pointer[error]

	mu      sync.Mutex
	session *concurrency.Session
	mutex   *concurrency.Mutex
	info    LockInfo
	serial  uint64
	start   session
}

var _ Store = (*Etcd)(nil)

// IsEtcdURL reports whether a --state value names an etcd state.
func IsEtcdURL(s string) bool {
	return strings.HasPrefix(s, "etcd://") || strings.HasPrefix(s, "etcds://")
}

// OpenEtcd connects to etcd://host:2379[,host2:2379]/prefix (etcds:// for TLS).
func OpenEtcd(rawURL string, o EtcdOptions) (*Etcd, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !IsEtcdURL(rawURL) || u.Host == "" {
		return nil, fmt.Errorf("state %q: want etcd://host:2379[,host2:2379]/prefix", rawURL)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix == "" {
		return nil, fmt.Errorf("state %q: name a key prefix, as etcd://host:2379/cdstack/web-prod", rawURL)
	}
	scheme := "http"
	var tlsConf *tls.Config
	if u.Scheme == "etcds" || o.CA != "" || o.Cert != "" {
		scheme = "https"
		if tlsConf, err = etcdTLS(o); err != nil {
			return nil, err
		}
	}
	var endpoints []string
	for _, h := range strings.Split(u.Host, ",") {
		endpoints = append(endpoints, scheme+"://"+h)
	}
	if o.TTL <= 0 {
		o.TTL = 30 * time.Second
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.OpTimeout <= 0 {
		o.OpTimeout = 2 * time.Minute
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: o.DialTimeout, TLS: tlsConf,
		Username: o.Username, Password: o.Password, Logger: zap.NewNop()})
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", rawURL, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.DialTimeout)
	defer cancel()
	if _, err := cli.Get(ctx, "/"+prefix+"/meta/format"); err != nil {
		cli.Close()
		return nil, fmt.Errorf("state %s: cannot reach etcd: %w", rawURL, err)
	}
	return &Etcd{url: rawURL, prefix: "/" + prefix, ttl: o.TTL, opTime: o.OpTimeout, cli: cli}, nil
}

func etcdTLS(o EtcdOptions) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CA != "" {
		pem, err := os.ReadFile(o.CA)
		if err != nil {
			return nil, fmt.Errorf("--etcd-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--etcd-ca %s: no certificate in it", o.CA)
		}
		conf.RootCAs = pool
	}
	if o.Cert != "" || o.Key != "" {
		cert, err := tls.LoadX509KeyPair(o.Cert, o.Key)
		if err != nil {
			return nil, fmt.Errorf("--etcd-cert/--etcd-key: %w", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	return conf, nil
}

// Path returns the state's URL.
func (e *Etcd) Path() string { return e.url }

// op bounds one etcd request by the store's OpTimeout; once etcd was found
// not answering, the context is already done.
func (e *Etcd) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if e.down.Load() != nil {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		return ctx, cancel
	}
	return context.WithTimeout(ctx, e.opTime)
}

// unreachable says, for an error of a request op bounded, that etcd is
// gone, naming the store, and remembers it: it did not answer in time, or
// the connection broke under the request (etcd killed while it was being
// asked: gRPC's Unavailable, which no retry of a transaction hides).
func (e *Etcd) unreachable(ctx context.Context, err error) error {
	if d := e.down.Load(); d != nil {
		return *d
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		err = fmt.Errorf("state %s: etcd did not answer within %s (is it down?): %w", e.url, e.opTime, err)
	case status.Code(err) == codes.Unavailable:
		err = fmt.Errorf("state %s: etcd dropped the connection (is it down?): %w", e.url, err)
	default:
		return err
	}
	e.down.Store(&err)
	return err
}

func (e *Etcd) key(parts ...string) string { return e.prefix + "/" + strings.Join(parts, "/") }

// etcdLockInfo is the lock info with the lease that holds it.
type etcdLockInfo struct {
	LockInfo
	Lease int64 `json:"lease"`
}

// Holder returns who holds the lock, if anyone.
func (e *Etcd) Holder() *LockInfo {
	info := e.holder(context.Background())
	if info == nil {
		return nil
	}
	return &info.LockInfo
}

func (e *Etcd) holder(ctx context.Context) *etcdLockInfo {
	resp, err := e.cli.Get(ctx, e.key("lockinfo"))
	if err != nil || len(resp.Kvs) == 0 {
		return nil
	}
	var info etcdLockInfo
	if json.Unmarshal(resp.Kvs[0].Value, &info) != nil {
		return nil
	}
	return &info
}

// Lock takes the lock: a concurrency mutex on a lease kept alive while
// this process runs. It waits up to timeout.
func (e *Etcd) Lock(ctx context.Context, info LockInfo, timeout time.Duration) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mutex != nil {
		return nil
	}
	s, err := concurrency.NewSession(e.cli, concurrency.WithTTL(int(max(e.ttl/time.Second, 1))))
	if err != nil {
		return fmt.Errorf("state %s: %w", e.url, err)
	}
	m := concurrency.NewMutex(s, e.key("lock"))
	if timeout <= 0 {
		err = m.TryLock(ctx)
	} else {
		lctx, cancel := context.WithTimeout(ctx, timeout)
		err = m.Lock(lctx)
		cancel()
	}
	if err != nil {
		s.Close()
		if errors.Is(err, concurrency.ErrLocked) || errors.Is(err, context.DeadlineExceeded) {
			var held *LockInfo
			if h := e.holder(ctx); h != nil {
				held = &h.LockInfo
			}
			return &LockError{Path: e.url, Info: held}
		}
		return fmt.Errorf("state %s: lock: %w", e.url, err)
	}
	if err := e.initMeta(ctx); err != nil {
		_ = m.Unlock(ctx)
		s.Close()
		return err
	}
	li, _ := json.Marshal(etcdLockInfo{LockInfo: info, Lease: int64(s.Lease())})
	if _, err := e.cli.Put(ctx, e.key("lockinfo"), string(li), clientv3.WithLease(s.Lease())); err != nil {
		_ = m.Unlock(ctx)
		s.Close()
		return fmt.Errorf("state %s: write lock info: %w", e.url, err)
	}
	snap, err := e.Snapshot(ctx)
	if err != nil {
		_ = m.Unlock(ctx)
		s.Close()
		return err
	}
	e.session, e.mutex, e.info, e.serial = s, m, info, snap.Meta.Serial
	e.start = session{serial: snap.Meta.Serial, updated: map[string]time.Time{}}
	for addr, r := range snap.Resources {
		e.start.updated[addr] = r.UpdatedAt
	}
	return nil
}

// initMeta creates lineage, serial and format of a new state, and refuses
// one written by a newer format.
func (e *Etcd) initMeta(ctx context.Context) error {
	resp, err := e.cli.Get(ctx, e.key("meta", "format"))
	if err != nil {
		return fmt.Errorf("state %s: %w", e.url, err)
	}
	if len(resp.Kvs) > 0 {
		if f, _ := strconv.Atoi(string(resp.Kvs[0].Value)); f > CurrentFormat {
			return fmt.Errorf("state %s was written by a newer cdstack (format %d; this one reads up to %d); upgrade cdstack — nothing was changed", e.url, f, CurrentFormat)
		}
		return nil
	}
	_, err = e.cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(e.key("meta", "format")), "=", 0)).Then(
		clientv3.OpPut(e.key("meta", "lineage"), uuid.NewString()),
		clientv3.OpPut(e.key("meta", "serial"), "0"),
		clientv3.OpPut(e.key("meta", "format"), strconv.Itoa(CurrentFormat)),
	).Commit()
	return err
}

// maxOps is etcd's default limit of operations in one transaction.
const maxOps = 128

// Commit applies c in one transaction that succeeds only while this
// process holds the lock and the serial is the one it last wrote.
func (e *Etcd) Commit(ctx context.Context, c Change) (uint64, error) {
	for _, r := range c.Put {
		if err := r.validate(); err != nil {
			return 0, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mutex == nil {
		return 0, ErrNotLocked
	}
	var ops []clientv3.Op
	for _, r := range c.Put {
		v, err := encodeRecord(r)
		if err != nil {
			return 0, err
		}
		ops = append(ops, clientv3.OpPut(e.key("resources", r.Addr), string(v)))
	}
	for _, a := range c.Delete {
		ops = append(ops, clientv3.OpDelete(e.key("resources", a)))
	}
	for _, j := range c.JournalPut {
		v, err := json.Marshal(j)
		if err != nil {
			return 0, err
		}
		ops = append(ops, clientv3.OpPut(e.key("journal", j.OpID), string(v)))
	}
	for _, id := range c.JournalDelete {
		ops = append(ops, clientv3.OpDelete(e.key("journal", id)))
	}
	if c.Exports != nil {
		v, err := encodeExports(c.Exports)
		if err != nil {
			return 0, err
		}
		ops = append(ops, clientv3.OpPut(e.key("meta", exportsKey), string(v)))
	}
	if len(ops)+1 > maxOps {
		return 0, fmt.Errorf("state commit: %d operations exceed etcd's %d per transaction", len(ops)+1, maxOps)
	}
	next := e.serial + 1
	ops = append(ops, clientv3.OpPut(e.key("meta", "serial"), strconv.FormatUint(next, 10)))
	octx, cancel := e.op(ctx)
	defer cancel()
	resp, err := e.cli.Txn(octx).If(
		clientv3.Compare(clientv3.Value(e.key("meta", "serial")), "=", strconv.FormatUint(e.serial, 10)),
		e.mutex.IsOwner(),
	).Then(ops...).Commit()
	if err != nil {
		return 0, fmt.Errorf("state commit: %w", e.unreachable(octx, err))
	}
	if !resp.Succeeded {
		return 0, fmt.Errorf("state commit refused: the lock was lost (lease expired?) or the state changed underneath (serial is no longer %d)", e.serial)
	}
	e.serial = next
	return next, nil
}

// Snapshot reads the whole state at one revision.
func (e *Etcd) Snapshot(ctx context.Context) (*Snapshot, error) {
	octx, cancel := e.op(ctx)
	defer cancel()
	resp, err := e.cli.Get(octx, e.prefix+"/", clientv3.WithPrefix())
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", e.url, e.unreachable(octx, err))
	}
	snap := &Snapshot{Resources: map[string]*Record{}, Journal: []*JournalEntry{}}
	var bad damaged
	for _, kv := range resp.Kvs {
		k := strings.TrimPrefix(string(kv.Key), e.prefix+"/")
		switch {
		case k == "meta/lineage":
			snap.Meta.Lineage = string(kv.Value)
		case k == "meta/serial":
			snap.Meta.Serial, _ = strconv.ParseUint(string(kv.Value), 10, 64)
		case k == "meta/format":
			snap.Meta.Format, _ = strconv.Atoi(string(kv.Value))
		case k == "meta/"+exportsKey:
			if snap.Exports, err = decodeExports(e.url, kv.Value); err != nil {
				return nil, err
			}
		case strings.HasPrefix(k, "resources/"):
			r, err := decodeRecord(kv.Value)
			switch {
			case errors.Is(err, errBadChecksum):
				bad.add(strings.TrimPrefix(k, "resources/"))
				continue
			case err != nil:
				return nil, fmt.Errorf("state %s: record %s: %w", e.url, k, err)
			}
			snap.Resources[r.Addr] = r
		case strings.HasPrefix(k, "journal/"):
			var j JournalEntry
			if err := json.Unmarshal(kv.Value, &j); err != nil {
				return nil, fmt.Errorf("state %s: journal %s: %w", e.url, k, err)
			}
			snap.Journal = append(snap.Journal, &j)
		}
	}
	if snap.Meta.Format > CurrentFormat {
		return nil, fmt.Errorf("state %s was written by a newer cdstack (format %d; this one reads up to %d); upgrade cdstack", e.url, snap.Meta.Format, CurrentFormat)
	}
	sort.Slice(snap.Journal, func(i, j int) bool { return snap.Journal[i].StartedAt.Before(snap.Journal[j].StartedAt) })
	return snap, bad.err(e.url)
}

// History returns the history, newest first.
func (e *Etcd) History(ctx context.Context) ([]HistoryEntry, error) {
	octx, cancel := e.op(ctx)
	defer cancel()
	resp, err := e.cli.Get(octx, e.key("history")+"/", clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", e.url, e.unreachable(octx, err))
	}
	var out []HistoryEntry
	for _, kv := range resp.Kvs {
		var h HistoryEntry
		if err := json.Unmarshal(kv.Value, &h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Unlock records the session in the history and releases the lock.
func (e *Etcd) Unlock() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mutex == nil {
		return nil
	}
	defer func() { e.mutex, e.session = nil, nil }()
	if d := e.down.Load(); d != nil {
		// etcd is gone: the lease expires on its own after the lock TTL.
		e.session.Orphan()
		return nil
	}
	ctx, cancel := e.op(context.Background())
	defer cancel()
	err := e.recordHistory(ctx)
	_, derr := e.cli.Delete(ctx, e.key("lockinfo"))
	uerr := e.mutex.Unlock(ctx)
	cerr := e.session.Close()
	return errors.Join(err, derr, uerr, cerr)
}

func (e *Etcd) recordHistory(ctx context.Context) error {
	snap, err := e.Snapshot(ctx)
	var damaged *DamagedError
	if errors.As(err, &damaged) {
		err = nil // the history counts the records that can be read
	}
	if err != nil || snap.Meta.Serial == e.start.serial {
		return err
	}
	entry := HistoryEntry{Serial: snap.Meta.Serial, Time: time.Now().UTC(), Command: e.info.Command, Records: len(snap.Resources)}
	for addr, r := range snap.Resources {
		before, existed := e.start.updated[addr]
		switch {
		case !existed:
			entry.Added++
		case !before.Equal(r.UpdatedAt):
			entry.Changed++
		}
	}
	for addr := range e.start.updated {
		if snap.Resources[addr] == nil {
			entry.Removed++
		}
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_ = json.NewEncoder(zw).Encode(snap.Resources)
	_ = zw.Close()
	v, err := json.Marshal(struct {
		HistoryEntry
		Snapshot []byte `json:"snapshot_gz"`
	}{entry, buf.Bytes()})
	if err != nil {
		return err
	}
	if _, err := e.cli.Put(ctx, e.key("history", fmt.Sprintf("%020d", entry.Serial)), string(v)); err != nil {
		return err
	}
	resp, err := e.cli.Get(ctx, e.key("history")+"/", clientv3.WithPrefix(), clientv3.WithKeysOnly(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
	if err != nil {
		return err
	}
	for i := 0; i < len(resp.Kvs)-MaxHistory; i++ {
		if _, err := e.cli.Delete(ctx, string(resp.Kvs[i].Key)); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the lock and the connection.
func (e *Etcd) Close() error {
	return errors.Join(e.Unlock(), e.cli.Close())
}

// ForceUnlock revokes the lock's lease, which releases the lock of a holder
// that is gone (or, if it is alive, makes its next commit fail safely).
func (e *Etcd) ForceUnlock() error {
	ctx := context.Background()
	h := e.holder(ctx)
	if h == nil {
		return fmt.Errorf("state %s is not locked", e.url)
	}
	if _, err := e.cli.Revoke(ctx, clientv3.LeaseID(h.Lease)); err != nil {
		return fmt.Errorf("state %s: revoke lease %x: %w", e.url, h.Lease, err)
	}
	return nil
}

// Import replaces the whole state with snap. Records are written in batches
// (etcd limits a transaction to 128 operations) and the meta last, so a
// destination interrupted mid-import has no lineage and is refused.
func (e *Etcd) Import(ctx context.Context, snap *Snapshot) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.mutex == nil {
		return ErrNotLocked
	}
	if _, err := e.cli.Delete(ctx, e.key("meta")+"/", clientv3.WithPrefix()); err != nil {
		return err
	}
	for _, p := range []string{"resources", "journal"} {
		if _, err := e.cli.Delete(ctx, e.key(p)+"/", clientv3.WithPrefix()); err != nil {
			return err
		}
	}
	var ops []clientv3.Op
	flush := func() error {
		if len(ops) == 0 {
			return nil
		}
		_, err := e.cli.Txn(ctx).If(e.mutex.IsOwner()).Then(ops...).Commit()
		ops = nil
		return err
	}
	for addr, r := range snap.Resources {
		v, err := encodeRecord(r)
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut(e.key("resources", addr), string(v)))
		if len(ops) == maxOps-1 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	for _, j := range snap.Journal {
		v, err := json.Marshal(j)
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut(e.key("journal", j.OpID), string(v)))
		if len(ops) == maxOps-1 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	ops = []clientv3.Op{
		clientv3.OpPut(e.key("meta", "lineage"), snap.Meta.Lineage),
		clientv3.OpPut(e.key("meta", "serial"), strconv.FormatUint(snap.Meta.Serial, 10)),
		clientv3.OpPut(e.key("meta", "format"), strconv.Itoa(CurrentFormat)),
	}
	if snap.Exports != nil {
		v, err := encodeExports(snap.Exports)
		if err != nil {
			return err
		}
		ops = append(ops, clientv3.OpPut(e.key("meta", exportsKey), string(v)))
	}
	if err := flush(); err != nil {
		return err
	}
	e.serial, e.start.serial = snap.Meta.Serial, snap.Meta.Serial
	return nil
}
