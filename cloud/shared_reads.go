package cloud

import (
	"context"
	"time"
)

// sharedLinger is how long a shared read waits for the other readers of a
// wave (three instances created together, their read-backs) to join it.
const sharedLinger = 25 * time.Millisecond

// SharedVdc returns the VDC with id like Vdc, or nil when the cloud has
// none, but concurrent readers share requests: the creates and read-backs
// of one wave in one VDC cost one DescribeVdc.
func (c *Client) SharedVdc(ctx context.Context, id string) (*Vdc, error) {
	v, found, err := c.vdcs.get(ctx, keyed(ctx, id))
	if err != nil || !found {
		return nil, err
	}
	return v, nil
}

// describeVdcsByID reads each VDC of keys (one DescribeVdc each); a VDC
// that is gone is left out.
func (c *Client) describeVdcsByID(ctx context.Context, keys []string) (map[string]*Vdc, error) {
	out := map[string]*Vdc{}
	for _, key := range keys {
		rctx, id := unkeyed(ctx, key)
		v, err := c.Vdc(rctx, id)
		if err != nil {
			return out, err
		}
		if v != nil {
			out[key] = v
		}
	}
	return out, nil
}

// SharedNSGMembers returns DescribeNSGMembers of group, but concurrent
// readers of one group share one request: the read-backs of the instances
// of a wave that joined it cost one.
func (c *Client) SharedNSGMembers(ctx context.Context, group string) (*NSGMembers, error) {
	m, found, err := c.nsgMembers.get(ctx, keyed(ctx, group))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, &APIError{Code: "InvalidSecurityGroupId.NotFound", Message: "security group " + group + " not found", HTTPStatus: 400}
	}
	return m, nil
}

// describeMembersByID reads the members of each group of keys; a group
// that is gone is left out.
func (c *Client) describeMembersByID(ctx context.Context, keys []string) (map[string]*NSGMembers, error) {
	out := map[string]*NSGMembers{}
	for _, key := range keys {
		rctx, id := unkeyed(ctx, key)
		m, err := c.DescribeNSGMembers(rctx, NSGRequest{SecurityGroupID: id})
		if IsCode(err, "InvalidSecurityGroupId.NotFound") {
			continue
		}
		if err != nil {
			return out, err
		}
		out[key] = m
	}
	return out, nil
}
