package cloud

import (
	"context"
	"sync"
	"time"
)

// One look answers many waits: while many instance tasks are in flight in
// a VDC, their waits look at the VDC's instance listing (one
// DescribeInstances, shared by every wait looking at that moment) and ask
// their task only once the listing shows their instance settled. The ids
// still come from the task; the listing only says when to ask. Listed
// instances that settled are kept for the read-back that follows, so it
// costs no request either.

// listingLinger is how long a VDC listing waits for the other waits
// looking at the same moment.
const listingLinger = 10 * time.Millisecond

// primedAge is how long a listed instance answers a read-back.
const primedAge = 10 * time.Second

// vdcListings lists the instances of VDCs for waits (see WatchInstance).
type vdcListings struct {
	coalescer[[]Instance]
	mu     sync.Mutex
	primed map[string]primedInstance
}

type primedInstance struct {
	in Instance
	at time.Time
}

func (c *Client) listVDCInstances(ctx context.Context, keys []string) (map[string][]Instance, error) {
	out := map[string][]Instance{}
	for _, key := range keys {
		rctx, vdc := unkeyed(ctx, key)
		list, err := c.ListInstances(rctx, DescribeInstancesRequest{VdcID: vdc}, 1000)
		if err != nil {
			return out, err
		}
		out[key] = list
	}
	return out, nil
}

// WatchInstance makes a wait on a task that creates the instance named
// name in vdc (or, with deleting, deletes instance id) look at the VDC's
// instance listing first, and ask the task once the listing can say how it
// ended: the instance is running or stopped, shows a failure status
// (Instance.Failed), or is not listed (a create that failed and left
// nothing, or one the listing does not show yet; a delete done, or one that
// failed and left the instance as it was). While the instance is listed in
// a transitional status (creating, deleting, …) the task is not asked. Its
// looks fall on a grid fine enough to cost little time (a fortieth of the
// expected duration, 25 ms to 1 s) so that the looks of waits begun at
// different moments share one listing.
func (c *Client) WatchInstance(vdc, name, id string, deleting bool) WaitOption {
	return func(cfg *WaitConfig) {
		cfg.Align = min(max(cfg.FirstPoll/40, 25*time.Millisecond), time.Second)
		cfg.Ready = func(ctx context.Context) (bool, error) {
			list, _, err := c.listings.get(ctx, keyed(ctx, vdc))
			if err != nil {
				return false, err
			}
			for _, in := range list {
				switch {
				case deleting && in.InstanceID == id:
					// Still deleting, unless it settled back or failed.
					return in.Failed() || in.Power() != "", nil
				case !deleting && in.InstanceName == name:
					if in.Failed() {
						return true, nil
					}
					if in.Power() == "" {
						return false, nil // still being built
					}
					c.listings.prime(in, c.clock.Now())
					return true, nil
				}
			}
			// Not listed: gone, or not yet shown; only the task can say.
			return true, nil
		}
	}
}

// prime keeps a listed instance for the read-back of its task.
func (l *vdcListings) prime(in Instance, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.primed == nil {
		l.primed = map[string]primedInstance{}
	}
	l.primed[in.InstanceID] = primedInstance{in, now}
}

// take returns the listed instance id, once, if it is recent.
func (l *vdcListings) take(id string, now time.Time) (*Instance, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.primed[id]
	delete(l.primed, id)
	if !ok || now.Sub(p.at) > primedAge {
		return nil, false
	}
	return &p.in, true
}
