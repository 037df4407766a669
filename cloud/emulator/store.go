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

func (st *Store) load(w *World) error {
	return st.db.View(func(tx *bolt.Tx) error {
		errs := []error{
			loadBucket(tx, "vdc", w.VDCs), loadBucket(tx, "public", w.Publics), loadBucket(tx, "private", w.Privates),
			loadBucket(tx, "instance", w.Instances), loadBucket(tx, "secgroup", w.Groups), loadBucket(tx, "template", w.Templates),
			loadBucket(tx, "task", w.Tasks), loadBucket(tx, "ledger", w.Ledger), loadBucket(tx, "nonce", w.Nonces),
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("local cloud %s: %w", st.path, err)
		}
		return nil
	})
}

func (st *Store) save(w *World) error {
	if len(w.dirty) == 0 {
		return nil
	}
	return st.db.Update(func(tx *bolt.Tx) error {
		for bucket, ids := range w.dirty {
			var err error
			switch bucket {
			case "vdc":
				err = saveBucket(tx, bucket, w.VDCs, ids)
			case "public":
				err = saveBucket(tx, bucket, w.Publics, ids)
			case "private":
				err = saveBucket(tx, bucket, w.Privates, ids)
			case "instance":
				err = saveBucket(tx, bucket, w.Instances, ids)
			case "secgroup":
				err = saveBucket(tx, bucket, w.Groups, ids)
			case "template":
				err = saveBucket(tx, bucket, w.Templates, ids)
			case "task":
				err = saveBucket(tx, bucket, w.Tasks, ids)
			case "ledger":
				err = saveBucket(tx, bucket, w.Ledger, ids)
			case "nonce":
				err = saveBucket(tx, bucket, w.Nonces, ids)
			}
			if err != nil {
				return err
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
