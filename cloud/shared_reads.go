package cloud

import (
	"context"
	"sync"
	"time"
)

// vdcViewAge is how long a VDC read by id answers SharedVdc.
const vdcViewAge = 30 * time.Second

// recentVdcs keeps the VDCs DescribeVdc read by id, and when this client
// last changed public networks (per VDC, or anywhere: the deletes name no
// VDC), so a view read before such a change is never used.
type recentVdcs struct {
	mu       sync.Mutex
	views    map[string]vdcView
	dirty    map[string]time.Time
	dirtyAll time.Time
}

type vdcView struct {
	v     Vdc
	asked time.Time
}

func (w *recentVdcs) keep(key string, v Vdc, asked time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.views == nil {
		w.views = map[string]vdcView{}
	}
	if old, ok := w.views[key]; !ok || old.asked.Before(asked) {
		w.views[key] = vdcView{v, asked}
	}
}

// changed marks the public networks of VDC id ("" for any) changed at now.
func (w *recentVdcs) changed(id string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id == "" {
		w.dirtyAll = now
		return
	}
	if w.dirty == nil {
		w.dirty = map[string]time.Time{}
	}
	w.dirty[id] = now
}

// recent returns the view of key if it was asked for after the last change
// to its VDC's public networks and within vdcViewAge of now.
func (w *recentVdcs) recent(key, id string, now time.Time) (*Vdc, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	view, ok := w.views[key]
	if !ok || !view.asked.After(w.dirtyAll) || !view.asked.After(w.dirty[id]) || now.Sub(view.asked) > vdcViewAge {
		return nil, false
	}
	v := view.v
	return &v, true
}

// SharedVdc returns the VDC with id like Vdc, or nil when the cloud has
// none, but reads are shared: a VDC read by id (a read-back) within the
// last vdcViewAge and after this client last changed its public networks
// answers without a request, and concurrent readers share one DescribeVdc.
// For what changes only through this client's own writes (which public
// networks a VDC has, as an instance create must know them).
func (c *Client) SharedVdc(ctx context.Context, id string) (*Vdc, error) {
	if v, ok := c.views.recent(keyed(ctx, id), id, c.clock.Now()); ok {
		return v, nil
	}
	return c.vdcView(ctx, id) // the watches' shared read of one VDC
}

// primedReads keeps reads a change ended with for the read-back after it.
type primedReads struct {
	mu sync.Mutex
	m  map[string]primedRead
}

type primedRead struct {
	v  any
	at time.Time
}

// Prime keeps v, what a read just made shows (the rules a wait saw take
// effect), under key for the read-back that follows the change (Primed).
func (c *Client) Prime(key string, v any) {
	c.primed.mu.Lock()
	defer c.primed.mu.Unlock()
	if c.primed.m == nil {
		c.primed.m = map[string]primedRead{}
	}
	c.primed.m[key] = primedRead{v, c.clock.Now()}
}

// Primed returns, once, what Prime kept under key, if it was kept within
// primedAge.
func (c *Client) Primed(key string) (any, bool) {
	c.primed.mu.Lock()
	defer c.primed.mu.Unlock()
	p, ok := c.primed.m[key]
	delete(c.primed.m, key)
	if !ok || c.clock.Now().Sub(p.at) > primedAge {
		return nil, false
	}
	return p.v, true
}
