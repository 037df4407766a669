package preflight

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// gatherLBs asks, when p builds or resizes load balancers, where they are
// sold (DescribeZones, once) and the sizes of each region they are built
// in (DescribeLoadBalancersSpec, once a region).
func gatherLBs(ctx context.Context, c *cloud.Client, p *planner.Document, snap *state.Snapshot, live *resources.Live, f *Facts) error {
	regions := map[string]bool{}
	for _, ch := range p.Changes {
		if ch.Kind == "load_balancer" && builds(ch) {
			if r := regionOf(p, ch, snap, live); r != "" {
				regions[r] = true
			}
		}
	}
	if len(regions) == 0 {
		return nil
	}
	zones, err := c.DescribeLBZones(ctx)
	f.Calls++
	if err != nil {
		return err
	}
	f.LBZones, f.LBSizes = zones, map[string][]cloud.LBCpuRam{}
	for _, r := range sortedKeys(regions) {
		if !slices.ContainsFunc(zones, func(z cloud.LBZone) bool { return z.RegionID == r && z.IsSaling == 1 }) {
			continue
		}
		spec, err := c.DescribeLoadBalancersSpec(ctx, cloud.RegionRequest{RegionID: r})
		f.Calls++
		if err != nil {
			return err
		}
		f.LBSizes[r] = spec.Sizes()
	}
	return nil
}

// forbiddenPorts are the listener ports 负载均衡概览.md refuses.
var forbiddenPorts = []int{22, 1080, 9100, 9101}

// loadBalancer checks a load balancer against the region's catalogue and
// its listeners against the document's rules.
func (c *checker) loadBalancer(ch *planner.Change, region string) {
	in := resources.Inputs(ch.Values())
	changed := changedFields(ch)
	if c.f.LBZones != nil && (changed("cpu") || changed("ram") || ch.Action != planner.Update) {
		sizes, sold := c.f.LBSizes[region]
		switch {
		case !sold:
			c.problem(ch, "region %s does not sell load balancers (DescribeZones)", []string{"region"}, region)
		case spec.Known(in["cpu"]) && spec.Known(in["ram"]) && cloud.GoodsFor(sizes, in.Int("cpu"), in.Int("ram")) == 0:
			var have []string
			for _, s := range sizes {
				have = append(have, fmt.Sprintf("%d/%d", s.CPU, s.RAM))
			}
			c.problem(ch, "%s sells no load balancer of %d CPU and %d GB; cpu/ram on sale: %s", []string{"cpu"}, region,
				in.Int("cpu"), in.Int("ram"), strings.Join(have, ", "))
		}
	}
	if !changed("listeners") {
		return
	}
	ports := map[int]string{}
	names := map[string]bool{}
	for i, m := range in.Maps("listeners") {
		l := resources.Inputs(m)
		at := []string{"listeners", strconv.Itoa(i)}
		if spec.Known(l["port"]) {
			port := l.Int("port")
			if other, dup := ports[port]; dup {
				c.problem(ch, "listeners %s and %s both use port %d; a port serves one listener", append(at, "port"), other, l.String("name"), port)
			}
			if slices.Contains(forbiddenPorts, port) {
				c.problem(ch, "port %d is reserved on load balancers (22, 1080, 9100 and 9101 are)", append(at, "port"), port)
			}
			ports[port] = l.String("name")
		}
		if names[l.String("name")] {
			c.problem(ch, "two listeners are named %s", append(at, "name"), l.String("name"))
		}
		names[l.String("name")] = true
		if l.String("mode") == "tcp" && len(l.List("certificates")) > 0 {
			c.problem(ch, "certificates are for http listeners; %s is tcp", append(at, "certificates"), l.String("name"))
		}
	}
}

// lbPublicTaker counts the addresses a load balancer with a public network
// takes from (or gives back to) its VDC's public addresses: 3 each.
func (c *checker) lbPublicTaker(ch *planner.Change, get func(string) *pool) {
	in := resources.Inputs(ch.Values())
	rec := c.snap.Resources[ch.Addr]
	had := rec != nil && !rec.Missing && resources.Inputs(rec.Inputs).String("public_network") != ""
	wants := in["public_network"] != nil && in.String("public_network") != ""
	take := func(vdc any) {
		p := get(key(vdc))
		for range resources.LBPublicAddresses {
			p.takers = append(p.takers, ch)
		}
	}
	switch ch.Action {
	case planner.Create:
		if wants {
			take(in["vdc"])
		}
	case planner.Replace:
		if wants && (ch.CreateBeforeDestroy || !had) {
			take(in["vdc"])
		}
	case planner.Delete:
		if had {
			p := get(resources.Inputs(rec.Inputs).String("vdc"))
			for range resources.LBPublicAddresses {
				p.freers = append(p.freers, ch.Addr+" (delete)")
			}
		}
	}
}

// lbPrivateTakers counts the address each new load balancer takes on its
// private network.
func (c *checker) lbPrivateTakers(pools map[string]*pool) {
	for _, ch := range c.p.Changes {
		if ch.Kind != "load_balancer" || ch.Action != planner.Create && ch.Action != planner.Replace {
			continue
		}
		if p := pools[key(resources.Inputs(ch.Values())["network"])]; p != nil {
			p.takers = append(p.takers, ch)
		}
	}
}
