package cloud

import (
	"context"
	"errors"
	"time"
)

// Earlier reads: a wait's look first asks whether a listing it watches was
// already read (or is being read) since the wait began, by another wait
// that looked a moment before, and takes it when it shows the change done.
// A read that went out after the wait began went out after the write its
// task is for was sent, so a listing that shows the resource settled (or
// gone) is as good evidence as one read for this look; one that shows it
// busy, or cannot tell, says nothing new, and the look reads afresh as
// before. So two waits whose looks fall a few milliseconds apart cost one
// listing, never at the price of an answer older than the change.
//
// Only the watched listings keep their last read (coalescer.keep); with an
// earlier-only context nothing else is read: a coalescer that keeps nothing
// and Client.Call answer errNoEarlier without a request.

// errNoEarlier says no read since the time asked for is at hand.
var errNoEarlier = errors.New("no read since the wait began")

type earlierKey struct{}

// earlierOnly marks ctx: its reads answer only from a listing read since
// since, never with a request.
func earlierOnly(ctx context.Context, since time.Time) context.Context {
	return context.WithValue(ctx, earlierKey{}, since)
}

// earlierSince returns the time set by earlierOnly, if any.
func earlierSince(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(earlierKey{}).(time.Time)
	return t, ok
}

// A flight is one read of a kept listing: when it went out, and (once
// done is closed) its answer.
type flight[T any] struct {
	sent time.Time
	done chan struct{}
	r    lookup[T]
}

// earlier answers id from the last read of it, if that went out at or
// after since (waiting for it if still in flight); else errNoEarlier.
func (c *coalescer[T]) earlier(ctx context.Context, id string, since time.Time) (T, bool, error) {
	var zero T
	c.mu.Lock()
	f := c.kept[id]
	c.mu.Unlock()
	if !c.keep || f == nil || f.sent.Before(since) {
		return zero, false, errNoEarlier
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return zero, false, ctx.Err()
	}
	if f.r.err != nil {
		return zero, false, errNoEarlier
	}
	return f.r.v, f.r.found, nil
}

// launch notes, for a coalescer that keeps its reads, that ids are read
// from now; land gives them their answers.
func (c *coalescer[T]) launch(ids []string) []*flight[T] {
	if !c.keep {
		return nil
	}
	now := c.clock().Now()
	fs := make([]*flight[T], len(ids))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = map[string]*flight[T]{}
	}
	for i, id := range ids {
		fs[i] = &flight[T]{sent: now, done: make(chan struct{})}
		c.kept[id] = fs[i]
	}
	return fs
}

// land answers the flights launch made.
func land[T any](fs []*flight[T], ids []string, got map[string]T, err error) {
	for i, f := range fs {
		v, found := got[ids[i]]
		f.r = lookup[T]{v, found, err}
		close(f.done)
	}
}

// sightSince is what sight shows from the listings read since the wait
// began (earlier reads), when that is the change done; else nothing.
func sightSince(ctx context.Context, since time.Time, see func(context.Context) (Sighting, error)) (Sighting, bool) {
	s, err := see(earlierOnly(ctx, since))
	if err != nil || !s.Done {
		return Sighting{}, false
	}
	return s, true
}
