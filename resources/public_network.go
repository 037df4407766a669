package resources

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(publicKind{}) }

type publicKind struct{}

func (publicKind) Name() string { return "public_network" }

func (publicKind) Fields() []Field {
	return []Field{{Name: "vdc"}, {Name: "name"}, {Name: "bandwidth_type"}, {Name: "billing_method"},
		{Name: "qos", Update: "ModifyPublicNetwork"}, {Name: "ip_count", Update: "AddPublicIp/DeletePublicIp"},
		{Name: "auto_renew", Update: "RenewPublicNetwork"}, {Name: "float_bandwidth"}}
}

func (publicKind) Normalize(in Inputs, _ string) Inputs {
	out := copyInputs(in)
	if !out.Has("billing_method") {
		out["billing_method"] = "Bandwidth"
	}
	if !out.Has("auto_renew") {
		out["auto_renew"] = true
	}
	if out.String("billing_method") == "Bandwidth_95" {
		if !out.Has("float_bandwidth") {
			out["float_bandwidth"] = int64(math.Floor(float64(out.Int("qos")) * 1.2))
		}
	} else {
		delete(out, "float_bandwidth")
	}
	return out
}

func (k publicKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	p, ok := l.Publics[id]
	if !ok {
		return nil
	}
	count := 0
	var segments, ips []any
	gateway := ""
	for _, s := range p.Segments {
		size := 1 << (32 - int(s.Mask))
		count += size
		segments = append(segments, fmt.Sprintf("%s/%d", s.Address, s.Mask))
		if gateway == "" {
			gateway = s.Gateway
		}
		ips = append(ips, usable(s.Address, size)...)
	}
	attrs := Inputs{"vdc": p.VdcID, "name": p.Name, "qos": int64(p.Qos), "ip_count": int64(count)}
	// The documents show the type but no billing method, renewal or float
	// bandwidth: those are taken from the record unless the service says.
	if p.Type != "" {
		attrs["bandwidth_type"] = p.Type
	}
	if p.BillingMethod != "" {
		attrs["billing_method"] = canonicalBilling(p.BillingMethod)
	}
	if p.AutoRenew != nil {
		attrs["auto_renew"] = *p.AutoRenew != 0
	}
	if p.FloatBandwidth != nil && attrs.String("billing_method") == "Bandwidth_95" {
		attrs["float_bandwidth"] = int64(*p.FloatBandwidth)
	}
	unobserved(k, attrs, recorded)
	if attrs.String("billing_method") != "Bandwidth_95" {
		delete(attrs, "float_bandwidth")
	}
	return &Observation{ID: id, Busy: p.Status != "ok", Attrs: attrs, Raw: p,
		Outputs: map[string]any{"id": id, "segments": orEmpty(segments), "ips": orEmpty(ips), "gateway": gateway}}
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// usable lists a segment's host addresses (not network, gateway, broadcast).
func usable(network string, size int) []any {
	var a, b, c, d int
	if _, err := fmt.Sscanf(network, "%d.%d.%d.%d", &a, &b, &c, &d); err != nil {
		return nil
	}
	base := a<<24 | b<<16 | c<<8 | d
	var out []any
	for ip := base + 2; ip < base+size-1; ip++ {
		out = append(out, fmt.Sprintf("%d.%d.%d.%d", ip>>24&255, ip>>16&255, ip>>8&255, ip&255))
	}
	return out
}

func (k publicKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (publicKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

func (publicKind) Scope(in Inputs) string { return in.String("vdc") }

func (publicKind) FindByName(l *Live, in Inputs) string {
	for id, p := range l.Publics {
		if p.VdcID == in.String("vdc") && p.Name == in.String("name") {
			return id
		}
	}
	return ""
}

// canonicalBilling spells a billing method as the stack does, whatever its
// case on the wire (the documents' own samples send BandwIdth).
func canonicalBilling(m string) string {
	for _, c := range []string{"Bandwidth", "Traffic", "DataPackage", "Bandwidth_95"} {
		if strings.EqualFold(m, c) {
			return c
		}
	}
	return m
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (publicKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	req := cloud.CreatePublicNetworkRequest{VdcID: in.String("vdc"), Name: in.String("name"), Type: in.String("bandwidth_type"),
		BillingMethod: in.String("billing_method"), Qos: in.Int("qos"), IPNum: segmentFor(in.Int("ip_count")),
		AutoRenew: cloud.Ptr(boolInt(in.Bool("auto_renew", true))), FloatBandwidth: in.Int("float_bandwidth")}
	task, err := c.CreatePublicNetwork(ctx, req)
	if err != nil {
		return "", err
	}
	id, err := waitID(ctx, wait, task, "")
	if err != nil {
		return "", err
	}
	// A count above 64 is bought as several segments.
	for have := req.IPNum; have < in.Int("ip_count"); {
		n := segmentFor(in.Int("ip_count") - have)
		if err := stepper(ctx, wait)(c.AddPublicIP(ctx, cloud.AddPublicIPRequest{PublicID: id, Number: n})); err != nil {
			return id, err
		}
		have += n
	}
	return id, nil
}

// segmentFor is the largest segment size (4–64) not above n.
func segmentFor(n int) int {
	for _, s := range []int{64, 32, 16, 8, 4} {
		if n >= s {
			return s
		}
	}
	return 4
}

func (publicKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, _ map[string]string, wait Waiter) error {
	for _, f := range fields {
		switch f {
		case "qos":
			if err := stepper(ctx, wait)(c.ModifyPublicNetwork(ctx, cloud.ModifyPublicNetworkRequest{PublicID: id, Qos: to.Int("qos")})); err != nil {
				return err
			}
		case "auto_renew":
			if err := stepper(ctx, wait)(c.RenewPublicNetwork(ctx, cloud.RenewPublicNetworkRequest{PublicID: id, AutoRenew: boolInt(to.Bool("auto_renew", true))})); err != nil {
				return err
			}
		case "ip_count":
			if err := resizeSegments(ctx, c, live, to.Int("ip_count"), wait); err != nil {
				return err
			}
		}
	}
	return nil
}

// resizeSegments adds segments to grow, or deletes the newest segments to shrink.
func resizeSegments(ctx context.Context, c *cloud.Client, live *Observation, to int, wait Waiter) error {
	id, from := live.ID, live.Attrs.Int("ip_count")
	for have := from; have < to; {
		n := segmentFor(to - have)
		if err := stepper(ctx, wait)(c.AddPublicIP(ctx, cloud.AddPublicIPRequest{PublicID: id, Number: n})); err != nil {
			return err
		}
		have += n
	}
	if to >= from {
		return nil
	}
	p, ok := live.Raw.(*LivePublic)
	if !ok {
		return fmt.Errorf("public network %s: no live view to shrink from", id)
	}
	have := from
	for i := len(p.Segments) - 1; i > 0 && have > to; i-- {
		size := 1 << (32 - int(p.Segments[i].Mask))
		if have-size < to {
			break
		}
		if err := stepper(ctx, wait)(c.DeletePublicIP(ctx, cloud.SegmentRequest{SegmentID: p.Segments[i].SegmentID})); err != nil {
			return err
		}
		have -= size
	}
	if have != to {
		return fmt.Errorf("public network %s: cannot shrink from %d to %d addresses with its segments; replace it instead", id, from, to)
	}
	return nil
}

func (publicKind) Delete(ctx context.Context, c *cloud.Client, id string, in Inputs, wait Waiter) error {
	task, err := c.DeletePublicNetwork(ctx, cloud.PublicNetworkRequest{PublicID: id})
	if err != nil || task != "" {
		return waitAll(ctx, wait, task, err)
	}
	// No TaskId (the current service): the network is deleted in the
	// background; it is gone when its VDC no longer lists it.
	return c.WaitPublicNetworkGone(ctx, in.String("vdc"), id)
}
