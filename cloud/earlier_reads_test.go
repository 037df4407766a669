package cloud

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestEarlierReadsKeepTheGuarantee: an earlier-only lookup answers from
// the kept read of its id only when that read went out at or after the
// time asked for (waiting for one in flight), never from an older one,
// never from a coalescer that keeps nothing, and never with a request:
// Client.Call refuses an earlier-only context without sending.
func TestEarlierReadsKeepTheGuarantee(t *testing.T) {
	clk := NewFakeClock(time.Unix(1000, 0))
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{})}
	c := &coalescer[string]{max: 3, keep: true, clock: func() Clock { return clk },
		limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	ctx := context.Background()
	sent := clk.Now()
	if _, _, err := c.get(earlierOnly(ctx, sent), "a"); !errors.Is(err, errNoEarlier) {
		t.Fatalf("nothing read yet: err %v, want errNoEarlier", err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := c.get(ctx, "a"); done <- err }()
	<-g.started // the read of a is out, sent at `sent`
	answered := make(chan string, 1)
	go func() {
		v, _, err := c.get(earlierOnly(ctx, sent), "a")
		if err != nil {
			v = err.Error()
		}
		answered <- v
	}()
	// A wait begun after that read went out never takes it.
	if _, _, err := c.get(earlierOnly(ctx, sent.Add(time.Millisecond)), "a"); !errors.Is(err, errNoEarlier) {
		t.Errorf("a read sent before the wait began: err %v, want errNoEarlier", err)
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := <-answered; v != "value of a" {
		t.Errorf("the read in flight, sent when the wait began, answered %q, want its value", v)
	}
	if n := len(g.batches); n != 1 {
		t.Errorf("%d requests, want 1: earlier-only lookups send none", n)
	}
	// A coalescer that keeps nothing answers nothing from before.
	plain := &coalescer[string]{max: 3, clock: func() Clock { return clk }, limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	if _, _, err := plain.get(earlierOnly(ctx, time.Time{}), "a"); !errors.Is(err, errNoEarlier) {
		t.Errorf("a coalescer without keep: err %v, want errNoEarlier", err)
	}
	// Nor does a call: no request goes out.
	cl, err := New("http://127.0.0.1:1", Credentials{AccessKeyID: "k", AccessKeySecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.DescribeVdc(earlierOnly(ctx, time.Time{}), DescribeVdcRequest{}); !errors.Is(err, errNoEarlier) {
		t.Errorf("DescribeVdc with an earlier-only context: err %v, want errNoEarlier without a request", err)
	}
}
