package cloud

import "context"

// DescribeVdcRequest filters the VDC listing (GET /network). PageSize is not
// in the reference; the emulator honours it. An unknown or deleted VdcId
// lists nothing (the current service; the 2019 reference answers
// VDCNotFound, which VdcGone also accepts).
type DescribeVdcRequest struct {
	RegionID   string `json:"RegionId,omitempty"`
	VdcID      string `json:"VdcId,omitempty"`
	PageNumber int    `json:"PageNumber,omitempty"`
	PageSize   int    `json:"PageSize,omitempty"`
	Keyword    string `json:"Keyword,omitempty"`
}

// A Vdc with its networks. The 2019 service repeated the page counters
// inside each item of the list; the current documents put them beside Data
// and show 0 in the items, so listings never read these.
type Vdc struct {
	VdcID          string               `json:"VdcId"`
	VdcName        string               `json:"VdcName"`
	RegionID       string               `json:"RegionId"`
	VdcStatus      string               `json:"VdcStatus,omitempty"`
	PublicNetwork  List[PublicNetwork]  `json:"PublicNetwork"`
	PrivateNetwork List[PrivateNetwork] `json:"PrivateNetwork"`
	PageNumber     Int                  `json:"PageNumber"`
	PageCount      Int                  `json:"PageCount"`
}

// A PublicNetwork is a VDC's internet bandwidth and its IP segments. The
// documents show no BillingMethod, AutoRenew or FloatBandwidth in it: they
// are empty unless a service sends them.
type PublicNetwork struct {
	PublicID       string          `json:"PublicId"`
	Name           string          `json:"Name"`
	Status         string          `json:"Status"`
	Type           string          `json:"Type,omitempty"`
	BillingMethod  string          `json:"BillingMethod,omitempty"`
	Qos            Int             `json:"Qos"`
	AutoRenew      *Int            `json:"AutoRenew,omitempty"`
	FloatBandwidth *Int            `json:"FloatBandwidth,omitempty"`
	Segments       []PublicSegment `json:"Segments"`
	UnuseIPNum     Int             `json:"UnuseIpNum"`
}

// A PublicSegment is a block of public addresses.
type PublicSegment struct {
	SegmentID string `json:"SegmentId"`
	Address   string `json:"Address"`
	Mask      Int    `json:"Mask"`
	Gateway   string `json:"Gateway"`
}

// A PrivateNetwork is a VDC's private network; Segments read like
// "10.240.59.0/16~10.240.59.255/16". Type, Address and Mask are in the
// 2019 table, not in the current answers.
type PrivateNetwork struct {
	PrivateID  string   `json:"PrivateId"`
	Name       string   `json:"Name"`
	Status     string   `json:"Status"`
	Type       string   `json:"Type,omitempty"`
	Address    string   `json:"Address,omitempty"`
	Mask       Int      `json:"Mask,omitempty"`
	UnuseIPNum Int      `json:"UnuseIpNum"`
	Segments   []string `json:"Segments"`
}

// DescribeVdc returns one page of VDCs.
func (c *Client) DescribeVdc(ctx context.Context, r DescribeVdcRequest) ([]Vdc, error) {
	asked := c.clock.Now()
	d, _, err := c.describeVdcPage(ctx, r)
	if err == nil && r.VdcID != "" {
		for i := range d {
			c.views.keep(keyed(ctx, d[i].VdcID), d[i], asked)
		}
	}
	return d, err
}

// describeVdcPage returns one page of VDCs and the answer's page counters.
func (c *Client) describeVdcPage(ctx context.Context, r DescribeVdcRequest) ([]Vdc, Pages, error) {
	var d []Vdc
	resp, err := c.Call(ctx, "DescribeVdc", r, &d)
	if err != nil {
		return nil, Pages{}, err
	}
	return d, resp.Pages, nil
}

// ListVdcs pages through DescribeVdc and returns every VDC that matches r
// (see listPages: the counters are the answer's, never an item's).
func (c *Client) ListVdcs(ctx context.Context, r DescribeVdcRequest, pageSize int) ([]Vdc, error) {
	r.PageSize = pageSize
	return listPages(ctx, func(ctx context.Context, n int) ([]Vdc, Pages, error) {
		r.PageNumber = n
		return c.describeVdcPage(ctx, r)
	}, func(v Vdc) string { return v.VdcID })
}

// VdcPublicNetwork is the optional public network bought with a new VDC.
// The IP count is IPNum, as the current documents and the official SDK
// spell it (the 2019 reference: "Ip"); FloatBandwidth is spelled as in
// CreatePublicNetwork.
type VdcPublicNetwork struct {
	Name           string `json:"Name,omitempty"`
	Type           string `json:"Type"`
	BillingMethod  string `json:"BillingMethod"`
	Qos            int    `json:"Qos"`
	IPNum          int    `json:"IPNum"`
	AutoRenew      *int   `json:"AutoRenew,omitempty"`
	FloatBandwidth int    `json:"FloatBandwidth,omitempty"`
}

// CreateVdcRequest creates a VDC (POST /network).
type CreateVdcRequest struct {
	RegionID      string            `json:"RegionId"`
	VdcName       string            `json:"VdcName,omitempty"`
	PublicNetwork *VdcPublicNetwork `json:"PublicNetwork,omitempty"`
}

// CreateVdc starts creating a VDC.
func (c *Client) CreateVdc(ctx context.Context, r CreateVdcRequest) (string, error) {
	return c.task(ctx, "CreateVdc", r)
}

// VdcRequest names one VDC (DeleteVdc: GET /network).
type VdcRequest struct {
	VdcID string `json:"VdcId"`
}

// DeleteVdc deletes a VDC that has no networks or instances left.
func (c *Client) DeleteVdc(ctx context.Context, r VdcRequest) (string, error) {
	return c.task(ctx, "DeleteVdc", r)
}

// ModifyVdcNameRequest renames a VDC (POST /network).
type ModifyVdcNameRequest struct {
	VdcID   string `json:"VdcId"`
	VdcName string `json:"VdcName"`
}

// ModifyVdcName renames a VDC. The service answers at once with an empty
// TaskId; a task id, should one come, is returned to wait on.
func (c *Client) ModifyVdcName(ctx context.Context, r ModifyVdcNameRequest) (string, error) {
	return c.task(ctx, "ModifyVdcName", r)
}

// Vdc returns the VDC with id, or nil when the cloud has none: an empty
// listing (the current service) and VDCNotFound (the 2019 reference) both
// mean gone.
func (c *Client) Vdc(ctx context.Context, id string) (*Vdc, error) {
	list, err := c.DescribeVdc(ctx, DescribeVdcRequest{VdcID: id})
	if VdcGone(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return findVdc(list, id), nil
}

// findVdc returns VDC id of list, or nil.
func findVdc(list []Vdc, id string) *Vdc {
	for i := range list {
		if list[i].VdcID == id {
			return &list[i]
		}
	}
	return nil
}

// PublicNetworkGone reports whether VDC vdcID no longer lists the public
// network id (or is itself gone). Concurrent looks at one VDC share one
// listing (the one the waits share: listing_watch.go).
func (c *Client) PublicNetworkGone(ctx context.Context, vdcID, id string) (bool, error) {
	v, err := c.vdcView(ctx, vdcID)
	if err != nil || v == nil {
		return v == nil && err == nil, err
	}
	for _, p := range v.PublicNetwork {
		if p.PublicID == id {
			return false, nil
		}
	}
	return true, nil
}

// WaitPublicNetworkGone waits (WaitUntil) until VDC vdcID no longer lists
// public network id, deleted in the background. A listing of the VDC read
// since the wait began by another wait (a private network's delete, …)
// that already shows it gone ends the wait without a request of its own
// (earlier_reads.go). Its probe at an eighth of the prior is left out once
// a task of this run kept its prior's pace (taskLearning.paced).
func (c *Client) WaitPublicNetworkGone(ctx context.Context, vdcID, id string) error {
	probe := func(ctx context.Context) (bool, error) { return c.PublicNetworkGone(ctx, vdcID, id) }
	earlier := func(cfg *WaitConfig) {
		if c.tasks.paced.Load() {
			// A task of this run kept its prior's pace: a network's delete
			// (1 s in the table, as DeletePublicNetwork) needs no probe.
			// Other WaitUntils (security group rules and members, which
			// take effect at once) keep theirs.
			cfg.Probe = 0
		}
		cfg.earlier = func(ctx context.Context) (Sighting, error) {
			gone, err := probe(ctx)
			return Sighting{Done: gone && err == nil, ResourceID: id}, err
		}
	}
	return c.WaitUntil(ctx, "public network "+id+" to be deleted", probe, earlier)
}

// VdcGone reports whether err says that a VDC does not exist (the 2019
// reference's VDCNotFound and the VdcNotFound of its other actions).
func VdcGone(err error) bool {
	return IsCode(err, "VDCNotFound") || IsCode(err, "VdcNotFound")
}

// CreatePublicNetworkRequest buys bandwidth and addresses for a VDC.
type CreatePublicNetworkRequest struct {
	VdcID          string `json:"VdcId"`
	Name           string `json:"Name,omitempty"`
	Type           string `json:"Type"`
	BillingMethod  string `json:"BillingMethod"`
	Qos            int    `json:"Qos"`
	IPNum          int    `json:"IPNum"`
	AutoRenew      *int   `json:"AutoRenew,omitempty"`
	FloatBandwidth int    `json:"FloatBandwidth,omitempty"`
}

// CreatePublicNetwork starts creating a public network.
func (c *Client) CreatePublicNetwork(ctx context.Context, r CreatePublicNetworkRequest) (string, error) {
	c.views.changed(r.VdcID, c.clock.Now())
	return c.task(ctx, "CreatePublicNetwork", r)
}

// CreatePrivateNetworkRequest creates a private network (Mask such as "16").
type CreatePrivateNetworkRequest struct {
	VdcID   string `json:"VdcId"`
	Name    string `json:"Name,omitempty"`
	Type    string `json:"Type,omitempty"`
	Address string `json:"Address,omitempty"`
	Mask    string `json:"Mask,omitempty"`
}

// CreatePrivateNetwork starts creating a private network.
func (c *Client) CreatePrivateNetwork(ctx context.Context, r CreatePrivateNetworkRequest) (string, error) {
	return c.task(ctx, "CreatePrivateNetwork", r)
}

// ModifyPublicNetworkRequest changes bandwidth (GET /network).
type ModifyPublicNetworkRequest struct {
	PublicID string `json:"PublicId"`
	Qos      int    `json:"Qos"`
}

// ModifyPublicNetwork changes a public network's bandwidth.
func (c *Client) ModifyPublicNetwork(ctx context.Context, r ModifyPublicNetworkRequest) (string, error) {
	return c.task(ctx, "ModifyPublicNetwork", r)
}

// AddPublicIPRequest buys another segment of Number addresses (4, 8, 16, 32, 64).
type AddPublicIPRequest struct {
	PublicID string `json:"PublicId"`
	Number   int    `json:"Number"`
}

// AddPublicIP adds a segment of addresses.
func (c *Client) AddPublicIP(ctx context.Context, r AddPublicIPRequest) (string, error) {
	c.views.changed("", c.clock.Now())
	return c.task(ctx, "AddPublicIp", r)
}

// SegmentRequest names a public segment (DeletePublicIp).
type SegmentRequest struct {
	SegmentID string `json:"SegmentId"`
}

// DeletePublicIP releases a segment of addresses.
func (c *Client) DeletePublicIP(ctx context.Context, r SegmentRequest) (string, error) {
	c.views.changed("", c.clock.Now())
	return c.task(ctx, "DeletePublicIp", r)
}

// PublicNetworkRequest names a public network.
type PublicNetworkRequest struct {
	PublicID string `json:"PublicId"`
}

// DeletePublicNetwork releases a public network and its addresses. The
// current service answers without a TaskId and deletes in the background
// (the 2019 reference answered one): an empty id means the network must be
// watched until it is gone (see Client.WaitUntil).
func (c *Client) DeletePublicNetwork(ctx context.Context, r PublicNetworkRequest) (string, error) {
	c.views.changed("", c.clock.Now())
	return c.task(ctx, "DeletePublicNetwork", r)
}

// PrivateNetworkRequest names a private network.
type PrivateNetworkRequest struct {
	PrivateID string `json:"PrivateId"`
}

// DeletePrivateNetwork deletes a private network.
func (c *Client) DeletePrivateNetwork(ctx context.Context, r PrivateNetworkRequest) (string, error) {
	return c.task(ctx, "DeletePrivateNetwork", r)
}

// RenewPublicNetworkRequest turns auto-renewal on (1) or off (0).
type RenewPublicNetworkRequest struct {
	PublicID  string `json:"PublicId"`
	AutoRenew int    `json:"AutoRenew"`
}

// RenewPublicNetwork sets auto-renewal. The reference's example answer has no
// TaskId; an empty id means the change took effect at once.
func (c *Client) RenewPublicNetwork(ctx context.Context, r RenewPublicNetworkRequest) (string, error) {
	return c.task(ctx, "RenewPublicNetwork", r)
}

// BandwidthTrafficRequest names a public or private network.
type BandwidthTrafficRequest struct {
	NetworkID string `json:"NetworkId"`
}

// BandwidthTraffic is a network's traffic over the last five minutes.
type BandwidthTraffic struct {
	LastFiveMinutesUsage struct {
		Inbps  Float `json:"Inbps"`
		Outbps Float `json:"Outbps"`
	} `json:"LastFiveMinutesUsage"`
	MaxQos Int `json:"MaxQos"`
}

// DescribeBandwidthTraffic returns a network's recent traffic.
func (c *Client) DescribeBandwidthTraffic(ctx context.Context, r BandwidthTrafficRequest) (*BandwidthTraffic, error) {
	var d BandwidthTraffic
	if _, err := c.Call(ctx, "DescribeBandwidthTraffic", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}
