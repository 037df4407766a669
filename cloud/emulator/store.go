package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// A Store keeps the world in a bbolt file, one bucket per kind and one key
// per entity, so a change rewrites only what it touched.
type Store struct {
	db   *bolt.DB
	path string
}

// OpenStore opens (or creates) the world file at path. Another process that
// holds it makes this fail after a short wait with a message that says so.
func OpenStore(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("local cloud %s is in use by another cdstack process", path)
	}
	if err != nil {
		return nil, fmt.Errorf("local cloud %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Close closes the file.
func (st *Store) Close() error { return st.db.Close() }

// A bucket is one persisted map of the world: its bbolt bucket, and how to
// read it all or write the given ids.
type bucket struct {
	name string
	load func(tx *bolt.Tx) error
	save func(tx *bolt.Tx, ids map[string]bool) error
}

func bucketOf[T any](name string, m map[string]*T) bucket {
	return bucket{name: name,
		load: func(tx *bolt.Tx) error { return loadBucket(tx, name, m) },
		save: func(tx *bolt.Tx, ids map[string]bool) error { return saveBucket(tx, name, m, ids) }}
}

// buckets lists every persisted map of w, once for loading and saving.
func buckets(w *World) []bucket {
	return []bucket{
		bucketOf("vdc", w.VDCs), bucketOf("public", w.Publics), bucketOf("private", w.Privates),
		bucketOf("instance", w.Instances), bucketOf("secgroup", w.Groups), bucketOf("template", w.Templates),
		bucketOf("database", w.Databases),
		bucketOf("task", w.Tasks), bucketOf("tag", w.Tags), bucketOf("ledger", w.Ledger), bucketOf("nonce", w.Nonces),
		bucketOf("lb", w.LBs), bucketOf("cert", w.Certs),
		bucketOf("dhost", w.Hosts),
	}
}

func (st *Store) load(w *World) error {
	return st.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for _, b := range buckets(w) {
			errs = append(errs, b.load(tx))
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("local cloud %s: %w", st.path, err)
		}
		// Every key of every bucket is an id handed out before: new ids
		// never repeat them, whatever the seed.
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if string(name) == "nonce" {
				return nil // signature nonces, not ids
			}
			return b.ForEach(func(k, _ []byte) error {
				w.remember(string(k))
				return nil
			})
		})
	})
}

func (st *Store) save(w *World) error {
	if len(w.dirty) == 0 {
		return nil
	}
	return st.db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets(w) {
			if ids := w.dirty[b.name]; len(ids) > 0 {
				if err := b.save(tx, ids); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func loadBucket[T any](tx *bolt.Tx, name string, into map[string]*T) error {
	b := tx.Bucket([]byte(name))
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("%s/%s: %w", name, k, err)
		}
		into[string(k)] = &x
		return nil
	})
}

func saveBucket[T any](tx *bolt.Tx, name string, from map[string]*T, ids map[string]bool) error {
	b, err := tx.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return err
	}
	for id := range ids {
		x, ok := from[id]
		if !ok {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
			continue
		}
		v, err := json.Marshal(x)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(id), v); err != nil {
			return err
		}
	}
	return nil
}
