package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The catalogue cache keeps, across runs, the answers of the read-only
// actions that say what a region sells and what it costs
// (cachedActions): they change rarely, yet every plan needs them. An
// answer is kept per endpoint, action and request, for a time to live
// (an hour by default), in the user's cache directory beside the task
// durations. Like that cache it never moves the state's serial, and a
// missing, unreadable or corrupt file is an empty one: it only ever costs
// requests. Errors are never cached.

// cachedActions are the actions whose answers the catalogue cache keeps.
var cachedActions = map[string]bool{
	"DescribeAvailableResource": true,
	"DescribeInstanceType":      true,
	"DescribeInstancePrice":     true,
	"VDCBandwidthUnitPrice":     true,
}

// DefaultCatalogTTL is how long a cached catalogue answer is used.
const DefaultCatalogTTL = time.Hour

// maxCatalogAge is how long an answer is kept past its time to live, for
// the prices of a destroy (CachedCatalogOnly).
const maxCatalogAge = 30 * 24 * time.Hour

// catalogCacheFile is the cache's format on disk.
type catalogCacheFile struct {
	Version int                        `json:"version"`
	Answers map[string]cachedAnswerRec `json:"answers"`
}

type cachedAnswerRec struct {
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// A catalogCache holds the cached answers of one client.
type catalogCache struct {
	path string
	ttl  time.Duration
	// refresh ignores what is cached (the answers asked now are kept).
	refresh bool
	mu      sync.Mutex
	answers map[string]cachedAnswerRec
	dirty   bool
}

// WithCatalogCache keeps the answers of the catalogue and price actions in
// the file at path for ttl (0: DefaultCatalogTTL); with refresh, what the
// file holds is not used but replaced by fresh answers (--refresh-catalog).
func WithCatalogCache(path string, ttl time.Duration, refresh bool) Option {
	return func(c *Client) {
		if ttl <= 0 {
			ttl = DefaultCatalogTTL
		}
		c.catalog = &catalogCache{path: path, ttl: ttl, refresh: refresh, answers: readCatalogCache(path)}
	}
}

// DefaultCatalogCache is where cdstack keeps catalogue answers: catalog.json
// beside the task durations (DefaultTaskCache); "" when there is no cache
// directory.
func DefaultCatalogCache() string {
	p := DefaultTaskCache()
	if p == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(p), "catalog.json")
}

// ErrNotCached is returned, in place of a request, for a catalogue or
// price answer the cache does not hold, under CachedCatalogOnly.
var ErrNotCached = errors.New("not in the catalogue cache, and not asked")

type cachedOnlyKey struct{}

// CachedCatalogOnly returns a context under which the client answers the
// catalogue and price actions from its cache, however old the answers, and
// asks the cloud nothing for them (ErrNotCached when one is missing): what
// a destroy prices with, since it buys nothing.
func CachedCatalogOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, cachedOnlyKey{}, true)
}

func readCatalogCache(path string) map[string]cachedAnswerRec {
	out := map[string]cachedAnswerRec{}
	if path == "" {
		return out
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	var f catalogCacheFile
	if json.Unmarshal(b, &f) != nil || f.Version != 1 {
		return out
	}
	for k, a := range f.Answers {
		if !a.At.IsZero() && len(a.Data) > 0 && json.Valid(a.Data) {
			out[k] = a
		}
	}
	return out
}

// catalogKey names one request: the endpoint's host (as the task cache
// does: the local cloud's port changes every run), action and parameters
// (JSON encodes struct fields in order and map keys sorted, so equal
// requests have equal keys).
func (c *Client) catalogKey(action string, params any) (string, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	return c.tasks.host + " " + action + " " + string(b), nil
}

// callCatalog is Call for the actions of cachedActions: from the cache when
// it holds a fresh answer, else asked and kept.
func (c *Client) callCatalog(ctx context.Context, action string, params, out any) error {
	cc := c.catalog
	cachedOnly := ctx.Value(cachedOnlyKey{}) != nil
	key, err := c.catalogKey(action, params)
	if cc == nil || !cachedActions[action] || err != nil {
		if cachedOnly {
			return fmt.Errorf("%s: %w", action, ErrNotCached)
		}
		_, err := c.Call(ctx, action, params, out)
		return err
	}
	now := c.clock.Now()
	cc.mu.Lock()
	a, ok := cc.answers[key]
	cc.mu.Unlock()
	age := now.Sub(a.At)
	usable := ok && (cachedOnly || !cc.refresh && age >= 0 && age < cc.ttl)
	if usable && json.Unmarshal(a.Data, out) == nil {
		return nil
	}
	if cachedOnly {
		return fmt.Errorf("%s: %w", action, ErrNotCached)
	}
	resp, err := c.Call(ctx, action, params, out)
	if err != nil {
		return err
	}
	cc.mu.Lock()
	cc.answers[key] = cachedAnswerRec{At: now, Data: resp.Data}
	cc.dirty = true
	cc.mu.Unlock()
	return nil
}

// save writes the answers asked in this run, merged with what another
// process may have written meanwhile, and drops expired ones.
func (cc *catalogCache) save(now time.Time) error {
	if cc == nil || cc.path == "" {
		return nil
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if !cc.dirty {
		return nil
	}
	merged := readCatalogCache(cc.path)
	for k, a := range cc.answers {
		if old, ok := merged[k]; !ok || a.At.After(old.At) {
			merged[k] = a
		}
	}
	for k, a := range merged {
		if now.Sub(a.At) > maxCatalogAge {
			delete(merged, k)
		}
	}
	b, err := json.Marshal(catalogCacheFile{Version: 1, Answers: merged})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(cc.path, b); err != nil {
		return err
	}
	cc.dirty = false
	return nil
}
