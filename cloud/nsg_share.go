package cloud

import (
	"context"
	"slices"
	"sync"
)

// Reads of one security group share a request: the waits on its members
// (after a join or a leave) and on its rules, and the read-backs of the
// instances in it, look at once when their steps end together. Each read
// still starts after it was asked for (see coalescer): a wait never takes
// an answer older than its look.

// groupRead is one group's answer, or the error it got.
type groupRead[T any] struct {
	v   *T
	err error
}

// groupReads returns a coalescer fetch that reads each group with read,
// side by side, keeping each group's error to itself.
func groupReads[T any](read func(context.Context, NSGRequest) (*T, error)) func(context.Context, []string) (map[string]groupRead[T], error) {
	return func(ctx context.Context, keys []string) (map[string]groupRead[T], error) {
		out := make(map[string]groupRead[T], len(keys))
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, key := range keys {
			wg.Go(func() {
				rctx, id := unkeyed(ctx, key)
				v, err := read(rctx, NSGRequest{SecurityGroupID: id})
				mu.Lock()
				out[key] = groupRead[T]{v, err}
				mu.Unlock()
			})
		}
		wg.Wait()
		return out, nil
	}
}

// sharedGroupRead asks cc for group id's answer.
func sharedGroupRead[T any](ctx context.Context, cc *coalescer[groupRead[T]], id string) (*T, error) {
	r, _, err := cc.get(ctx, keyed(ctx, id))
	if err != nil {
		return nil, err
	}
	return r.v, r.err
}

// DescribeNSGAttribute reads one group's rules; concurrent reads of the
// group share one request. Each caller gets its own copy.
func (c *Client) DescribeNSGAttribute(ctx context.Context, r NSGRequest) (*NSGAttribute, error) {
	a, err := sharedGroupRead(ctx, &c.nsgAttributes, r.SecurityGroupID)
	if a == nil {
		return nil, err
	}
	cp := *a
	cp.Rules = slices.Clone(a.Rules)
	for i := range cp.Rules {
		cp.Rules[i].IPList = slices.Clone(cp.Rules[i].IPList)
		cp.Rules[i].PortList = slices.Clone(cp.Rules[i].PortList)
	}
	return &cp, err
}

// DescribeNSGMembers reads one group's member interfaces; concurrent reads
// of the group share one request. Each caller gets its own copy.
func (c *Client) DescribeNSGMembers(ctx context.Context, r NSGRequest) (*NSGMembers, error) {
	m, err := sharedGroupRead(ctx, &c.nsgMembers, r.SecurityGroupID)
	if m == nil {
		return nil, err
	}
	cp := *m
	cp.Members = slices.Clone(m.Members)
	return &cp, err
}

// groupLinger is how long a group read waits for others to share it.
const groupLinger = listingLinger
