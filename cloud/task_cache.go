package cloud

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// The task duration cache keeps, across runs, how long the cloud's tasks
// took: per endpoint host, action and region, the last maxSamples waits
// (from the wait's start to the look that found the task done). It lives
// outside the state (the user's cache directory) and never moves its
// serial; read-only commands update it too. A missing, unreadable or
// corrupt cache is an empty one: it only ever makes waits slower.
type taskCache struct {
	path  string
	mu    sync.Mutex
	prior map[string][]time.Duration // read at start
	// learned is when each key's durations were last saved (keys of files
	// written before it was kept have none).
	learned map[string]time.Time
	fresh   map[string][]time.Duration // seen in this run, not yet saved
}

// maxSamples is how many durations the cache keeps per key.
const maxSamples = 32

// taskCacheFile is the cache's format on disk.
type taskCacheFile struct {
	Version   int                `json:"version"`
	Durations map[string][]int64 `json:"durations_ms"`
	// Learned is when each key last got durations (Unix ms).
	Learned map[string]int64 `json:"learned_ms,omitempty"`
}

// WithTaskCache keeps what the client learns of task durations in the file
// at path across runs, and starts from what earlier runs learned.
func WithTaskCache(path string) Option {
	return func(c *Client) { c.tasks.cache = loadTaskCache(path) }
}

// DefaultTaskCache is where cdstack keeps task durations:
// $CDSTACK_CACHE_DIR/task-durations.json, or cdstack/task-durations.json in
// the user's cache directory; "" when there is none.
func DefaultTaskCache() string {
	dir := os.Getenv("CDSTACK_CACHE_DIR")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "cdstack")
	}
	return filepath.Join(dir, "task-durations.json")
}

func loadTaskCache(path string) *taskCache {
	prior, learned := readTaskCache(path)
	return &taskCache{path: path, prior: prior, learned: learned, fresh: map[string][]time.Duration{}}
}

func readTaskCache(path string) (map[string][]time.Duration, map[string]time.Time) {
	out, learned := map[string][]time.Duration{}, map[string]time.Time{}
	b, err := os.ReadFile(path)
	if err != nil {
		return out, learned
	}
	var f taskCacheFile
	if json.Unmarshal(b, &f) != nil || f.Version != 1 {
		return out, learned
	}
	for k, ms := range f.Durations {
		for _, v := range ms {
			if v > 0 {
				out[k] = append(out[k], time.Duration(v)*time.Millisecond)
			}
		}
	}
	for k, ms := range f.Learned {
		if ms > 0 {
			learned[k] = time.UnixMilli(ms)
		}
	}
	return out, learned
}

// learnedAt is when the durations of key were last saved (zero: unknown).
func (tc *taskCache) learnedAt(key string) time.Time {
	if tc == nil {
		return time.Time{}
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return tc.learned[key]
}

// samples are the durations known for key: earlier runs', then this one's.
func (tc *taskCache) samples(key string) []time.Duration {
	if tc == nil {
		return nil
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	all := append(append([]time.Duration{}, tc.prior[key]...), tc.fresh[key]...)
	return all[max(len(all)-maxSamples, 0):]
}

// add notes a duration seen for key in this run.
func (tc *taskCache) add(key string, d time.Duration) {
	if tc == nil || d <= 0 {
		return
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.fresh[key] = append(tc.fresh[key], d)
}

// save merges this run's durations into the file (as another process may
// have written it meanwhile) and replaces it atomically.
func (tc *taskCache) save(now time.Time) error {
	if tc == nil || tc.path == "" {
		return nil
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if len(tc.fresh) == 0 {
		return nil
	}
	merged, learned := readTaskCache(tc.path)
	for k, ds := range tc.fresh {
		merged[k] = append(merged[k], ds...)
		learned[k] = now
	}
	f := taskCacheFile{Version: 1, Durations: map[string][]int64{}, Learned: map[string]int64{}}
	for k, at := range learned {
		if _, ok := merged[k]; ok {
			f.Learned[k] = at.UnixMilli()
		}
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ds := merged[k]
		for _, d := range ds[max(len(ds)-maxSamples, 0):] {
			f.Durations[k] = append(f.Durations[k], d.Milliseconds())
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(tc.path, b); err != nil {
		return err
	}
	for k, ds := range tc.fresh {
		tc.prior[k] = append(tc.prior[k], ds...)
		tc.learned[k] = now
	}
	tc.fresh = map[string][]time.Duration{}
	return nil
}

// SaveLearned writes what this client learned of task durations and the
// catalogue answers it asked to their caches (WithTaskCache,
// WithCatalogCache); without them it does nothing.
func (c *Client) SaveLearned() error {
	now := c.clock.Now()
	return errors.Join(c.tasks.cache.save(now), c.catalog.save(now))
}

// writeFileAtomic replaces the file at path with b (0600, in a 0700
// directory it makes if needed) through a temporary file and a rename, so
// a reader sees the old file or the new one, never half of one.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
