package resources

import (
	"context"

	"github.com/cdstack/cdstack/cloud"
)

// A VDC and its public network in one call (虚拟数据中心概览.md, CreateVdc
// PublicNetwork): the executor sends them together when a plan creates
// both (executor/vdc_public.go); each keeps its own record.

// PublicInVdc reports whether the public network pub can be bought inside
// its VDC's CreateVdc: CreateVdc buys one segment, so ip_count must be a
// single segment's size (4–64).
func PublicInVdc(pub Inputs) bool {
	n := pub.Int("ip_count")
	return n > 0 && segmentFor(n) == n
}

// CreateVdcWithPublic creates the VDC vdc with the public network pub
// inside it, in one CreateVdc, and returns the VDC's id (the task names
// the VDC only: the network's id is read from the VDC's listing).
func CreateVdcWithPublic(ctx context.Context, c *cloud.Client, vdc, pub Inputs, wait Waiter) (string, error) {
	req := cloud.CreateVdcRequest{RegionID: vdc.String("region"), VdcName: vdc.String("name"),
		PublicNetwork: &cloud.VdcPublicNetwork{Name: pub.String("name"), Type: pub.String("bandwidth_type"),
			BillingMethod: pub.String("billing_method"), Qos: pub.Int("qos"), IPNum: pub.Int("ip_count"),
			AutoRenew: cloud.Ptr(boolInt(pub.Bool("auto_renew", true))), FloatBandwidth: pub.Int("float_bandwidth")}}
	task, err := c.CreateVdc(ctx, req)
	if err != nil {
		return "", err
	}
	return waitID(ctx, wait, task, "")
}

// ReadVdc reads the VDC id and its networks: the read-back of a VDC and
// of the networks made with it. It is the listing that showed the create
// done, when one did (cloud.SharedVdc), else one DescribeVdc.
func ReadVdc(ctx context.Context, c *cloud.Client, id string) (*Live, error) {
	l := NewLive()
	v, err := c.SharedVdc(ctx, id)
	if err != nil {
		return nil, err
	}
	if v != nil {
		l.addVDCs([]cloud.Vdc{*v})
	}
	return l, nil
}
