package cloud

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A coalescer gathers concurrent lookups by id into few requests, the way a
// database groups commits: a batch waits linger for company, then for its
// turn at the rate limiter, and is made up only then, so every lookup that
// arrived meanwhile (or while the previous batch was in flight) goes out
// together, up to max ids. Fifty readbacks at once cost two or three calls.
type coalescer[T any] struct {
	max     int
	linger  time.Duration
	clock   func() Clock
	limiter func() *Limiter
	fetch   func(ctx context.Context, ids []string) (map[string]T, error)
	// keep: the last read of each id answers the looks that began before
	// it went out (earlier_reads.go).
	keep bool

	mu      sync.Mutex
	order   []string // ids not yet sent, first asked first
	waiting map[string][]chan lookup[T]
	busy    bool
	kept    map[string]*flight[T] // keep: the last read of each id
}

// lookup is the answer for one id: found reports whether it exists.
type lookup[T any] struct {
	v     T
	found bool
	err   error
}

// get returns the value for id (found false when the cloud has no such id).
func (c *coalescer[T]) get(ctx context.Context, id string) (T, bool, error) {
	if since, ok := earlierSince(ctx); ok {
		return c.earlier(ctx, id, since)
	}
	ch := make(chan lookup[T], 1)
	c.mu.Lock()
	if c.waiting == nil {
		c.waiting = map[string][]chan lookup[T]{}
	}
	if len(c.waiting[id]) == 0 {
		c.order = append(c.order, id)
	}
	c.waiting[id] = append(c.waiting[id], ch)
	if !c.busy {
		c.busy = true
		// The batches outlive any one caller's cancellation: others wait on them.
		go c.run(context.WithoutCancel(ctx))
	}
	c.mu.Unlock()
	select {
	case r := <-ch:
		return r.v, r.found, r.err
	case <-ctx.Done():
		var zero T
		return zero, false, ctx.Err()
	}
}

// run sends batches until nobody waits. The first lookup waits linger for
// company; later batches gathered while the one before was out.
func (c *coalescer[T]) run(ctx context.Context) {
	if c.linger > 0 {
		<-c.clock().After(c.linger)
	}
	for {
		c.mu.Lock()
		if len(c.order) == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		// The request's turn comes first, then the batch: what arrives
		// while it queues rides along. fetch's request uses this turn.
		if err := c.limiter().Wait(ctx); err != nil {
			c.fail(err)
			return
		}
		c.mu.Lock() // only run takes from order: it is not empty
		n := min(len(c.order), c.max)
		ids := append([]string(nil), c.order[:n]...)
		c.order = c.order[n:]
		asked := make(map[string][]chan lookup[T], n)
		for _, id := range ids {
			asked[id] = c.waiting[id]
			delete(c.waiting, id)
		}
		c.mu.Unlock()
		fs := c.launch(ids)
		got, err := c.fetch(withLimiterTurn(ctx), ids)
		land(fs, ids, got, err)
		for id, chans := range asked {
			v, found := got[id]
			for _, ch := range chans {
				ch <- lookup[T]{v, found, err}
			}
		}
	}
}

// fail answers every waiting lookup with err and stops.
func (c *coalescer[T]) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, chans := range c.waiting {
		for _, ch := range chans {
			ch <- lookup[T]{err: err}
		}
		delete(c.waiting, id)
	}
	c.order, c.busy = nil, false
}

// limiterTurn marks a context whose caller already waited for the rate
// limiter: the first request made with it goes out without waiting again,
// the next ones (further pages, retries) wait as usual.
type limiterTurn struct{ used atomic.Bool }

type limiterTurnKey struct{}

func withLimiterTurn(ctx context.Context) context.Context {
	return context.WithValue(ctx, limiterTurnKey{}, &limiterTurn{})
}

// takeLimiterTurn uses the context's turn, if it has one not yet used.
func takeLimiterTurn(ctx context.Context) bool {
	turn, _ := ctx.Value(limiterTurnKey{}).(*limiterTurn)
	return turn != nil && turn.used.CompareAndSwap(false, true)
}
