package cloud

import (
	"context"
	"sync"
	"time"
)

// The instances' listing of a VDC, shared by the waits on instance tasks
// (see listing_watch.go) and the read-backs after them: listed instances
// that settled are kept for the read-back that follows, so it costs no
// request either.

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
// instance listing first (see listing_watch.go): an instance listed
// running or stopped says its CreateInstance succeeded, one no longer
// listed that its DeleteInstance did; one listed in a transitional status
// (creating, deleting, …) that its task is still running; a failure status
// (Instance.Failed), an instance not listed yet or a delete that settled
// back leave it to the task. A created instance's listing is kept for the
// read-back that follows.
func (c *Client) WatchInstance(vdc, name, id string, deleting bool) WaitOption {
	action := "CreateInstance"
	if deleting {
		action = "DeleteInstance"
	}
	return watch(action, func(ctx context.Context) (Sighting, error) {
		list, _, err := c.listings.get(ctx, keyed(ctx, vdc))
		if err != nil {
			return Sighting{}, err
		}
		items := make([]listedItem, 0, len(list))
		for _, in := range list {
			st := listedBusy
			switch {
			case in.Failed():
				st = listedOther
			case in.Power() != "":
				st = listedSteady
			}
			items = append(items, listedItem{ID: in.InstanceID, Name: in.InstanceName, State: st})
		}
		s := sight(items, name, id, deleting)
		if !deleting && !s.Busy {
			// Settled: kept for the read-back, whether the listing or the
			// task says how it ended.
			for _, in := range list {
				if in.InstanceName == name && in.Power() != "" {
					c.listings.prime(in, c.clock.Now())
				}
			}
		}
		return s, nil
	})
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
