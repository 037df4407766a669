package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// readCopy reads a state file that another process holds for writing.
//
// bbolt commits by writing new pages to free space and then one of its two
// meta pages; pages reachable from the newest meta are not overwritten until
// two more commits have happened. So a byte copy of the file is a consistent
// database if no commit happened while it was taken: the meta pages are read
// before and after the copy and compared, and the copy is retried if they
// changed. The copy is opened read-only and deleted.
func readCopy(ctx context.Context, path string, fn func(*bolt.Tx) error) error {
	for attempt := 0; attempt < 50; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt) * 5 * time.Millisecond):
			}
		}
		before, err := metaPages(path)
		if err != nil {
			return err
		}
		tmp, err := copyToTemp(path)
		if err != nil {
			return err
		}
		after, err := metaPages(path)
		if err != nil || !bytes.Equal(before, after) {
			os.Remove(tmp)
			continue
		}
		err = func() error {
			defer os.Remove(tmp)
			db, err := bolt.Open(tmp, 0o600, &bolt.Options{ReadOnly: true})
			if err != nil {
				return corrupt(path, err)
			}
			defer db.Close()
			return db.View(fn)
		}()
		return err
	}
	return fmt.Errorf("state %s changed on every read attempt; try again", path)
}

// metaPages returns the bytes of bbolt's two meta pages.
func metaPages(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	defer f.Close()
	head := make([]byte, 32)
	if _, err := io.ReadFull(f, head); err != nil {
		return nil, corrupt(path, err)
	}
	pageSize := int(binary.LittleEndian.Uint32(head[24:28]))
	if pageSize < 512 || pageSize > 1<<16 {
		pageSize = 4096
	}
	buf := make([]byte, 2*pageSize)
	n, err := f.ReadAt(buf, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("state: %w", err)
	}
	return buf[:n], nil
}

func copyToTemp(path string) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("state: %w", err)
	}
	defer src.Close()
	dst, err := os.CreateTemp("", "cdstack-state-read-*.db")
	if err != nil {
		return "", fmt.Errorf("state: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(dst.Name())
		return "", fmt.Errorf("state: copy for reading: %w", err)
	}
	return dst.Name(), dst.Close()
}
