package cloud

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// priceServer answers DescribeInstancePrice with price, or fails with 500
// while failing is set.
func priceServer(t *testing.T, price *float64, failing *bool) (*recorder, string) {
	return serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if *failing {
			writeJSON(w, 500, map[string]any{"Code": "InternalError", "Message": "boom"})
			return
		}
		writeJSON(w, 200, map[string]any{"Code": "Success", "Data": map[string]any{"TotalPrice": *price}})
	})
}

// TestCatalogCache: a price asked once is answered from the cache for its
// time to live, in this run and the next; then asked again. Another request
// is another entry; --refresh-catalog asks; errors are never kept.
func TestCatalogCache(t *testing.T) {
	price, failing := 1.5, false
	rc, url := priceServer(t, &price, &failing)
	path := filepath.Join(t.TempDir(), "cache", "catalog.json")
	ctx := context.Background()
	small := InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: 2, RAM: 4, InstanceType: "Standard"}
	big := small
	big.CPU = 4
	quote := func(c *Client, r InstancePriceRequest) float64 {
		t.Helper()
		q, err := c.DescribeInstancePrice(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return float64(q.TotalPrice)
	}

	c, clk := newTestClient(t, url, WithCatalogCache(path, time.Hour, false))
	if quote(c, small) != 1.5 || quote(c, small) != 1.5 || rc.count() != 1 {
		t.Fatalf("%d requests for the same price twice, want 1", rc.count())
	}
	quote(c, big)
	if rc.count() != 2 {
		t.Fatalf("%d requests, want another for another size", rc.count())
	}
	if err := c.SaveLearned(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache file: %v %v, want mode 0600", fi, err)
	}

	// The next run, within the hour: no request, even with the API down.
	failing = true
	next, _ := newTestClient(t, url, WithCatalogCache(path, time.Hour, false), WithRetries(0))
	next.clock = clk
	clk.Advance(59 * time.Minute)
	if quote(next, small) != 1.5 || quote(next, big) != 1.5 || rc.count() != 2 {
		t.Fatalf("%d requests, want none from a warm cache", rc.count())
	}
	// Past the hour: asked again; an error is not kept.
	clk.Advance(2 * time.Minute)
	if _, err := next.DescribeInstancePrice(ctx, small); err == nil {
		t.Fatal("an expired price was answered from the cache")
	}
	failing, price = false, 2.5
	if quote(next, small) != 2.5 {
		t.Fatal("the fresh price was not used")
	}
	// --refresh-catalog asks even within the hour, and keeps what it hears.
	price = 3.5
	fresh, _ := newTestClient(t, url, WithCatalogCache(path, time.Hour, true))
	if quote(fresh, big) != 3.5 {
		t.Fatal("--refresh-catalog answered from the cache")
	}
}

// TestCatalogCacheOnly: under CachedCatalogOnly nothing is asked: a cached
// answer of any age is used, a missing one is ErrNotCached.
func TestCatalogCacheOnly(t *testing.T) {
	price, failing := 1.5, false
	rc, url := priceServer(t, &price, &failing)
	path := filepath.Join(t.TempDir(), "catalog.json")
	c, clk := newTestClient(t, url, WithCatalogCache(path, time.Hour, false))
	ctx := context.Background()
	r := InstancePriceRequest{RegionID: "CN_Beijing_A", CPU: 2, RAM: 4, InstanceType: "Standard"}
	if _, err := c.DescribeInstancePrice(ctx, r); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * 24 * time.Hour)
	only := CachedCatalogOnly(ctx)
	if q, err := c.DescribeInstancePrice(only, r); err != nil || q.TotalPrice != 1.5 {
		t.Fatalf("a ten-day-old price under CachedCatalogOnly: %v %v", q, err)
	}
	r.CPU = 8
	if _, err := c.DescribeInstancePrice(only, r); !errors.Is(err, ErrNotCached) {
		t.Fatalf("a price never asked: %v, want ErrNotCached", err)
	}
	plain, _ := newTestClient(t, url)
	if _, err := plain.DescribeInstancePrice(only, r); !errors.Is(err, ErrNotCached) {
		t.Fatalf("without a cache: %v, want ErrNotCached", err)
	}
	if n := rc.count(); n != 1 {
		t.Errorf("%d requests, want only the first", n)
	}
}

// TestCatalogCacheDamaged: a corrupt, foreign or unreadable cache file is
// an empty cache, never an error.
func TestCatalogCacheDamaged(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":       "\x00\x01not json",
		"other version": `{"version": 9, "answers": {}}`,
		"bad entry":     `{"version": 1, "answers": {"x": {"at": "2026-11-26T10:00:00Z", "data": "{nope"}}}`,
		"truncated":     `{"version": 1, "answers": {"x`,
	} {
		t.Run(name, func(t *testing.T) {
			price, failing := 1.5, false
			rc, url := priceServer(t, &price, &failing)
			path := filepath.Join(t.TempDir(), "catalog.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			c, _ := newTestClient(t, url, WithCatalogCache(path, time.Hour, false))
			if q, err := c.DescribeInstancePrice(context.Background(), InstancePriceRequest{CPU: 1}); err != nil || q.TotalPrice != 1.5 || rc.count() != 1 {
				t.Fatalf("%v %v after %d requests", q, err, rc.count())
			}
			if err := c.SaveLearned(); err != nil {
				t.Fatalf("saving over a damaged cache: %v", err)
			}
		})
	}
}
