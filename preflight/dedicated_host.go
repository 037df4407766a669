package preflight

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// gatherHosts asks, when p allocates dedicated hosts, what each region
// they are allocated in sells (DescribeDedicatedHostTypes, once a region,
// from the catalogue cache when it holds the answer).
func gatherHosts(ctx context.Context, c *cloud.Client, p *planner.Document, snap *state.Snapshot, live *resources.Live, f *Facts) error {
	regions := map[string]bool{}
	for _, ch := range p.Changes {
		if ch.Kind == "dedicated_host" && builds(ch) && ch.Action != planner.Update {
			if r := regionOf(p, ch, snap, live); r != "" {
				regions[r] = true
			}
		}
	}
	for _, r := range sortedKeys(regions) {
		types, err := c.DescribeDedicatedHostTypes(cloud.WithRegion(ctx, r), cloud.DedicatedHostTypesRequest{RegionID: r})
		f.Calls++
		if err != nil {
			if err := f.degrade(err, "DescribeDedicatedHostTypes", "the dedicated host catalogue", "the dedicated host types of "+r); err != nil {
				return err
			}
			continue
		}
		if f.HostTypes == nil {
			f.HostTypes = map[string][]cloud.DedicatedHostType{}
		}
		f.HostTypes[r] = types
	}
	return nil
}

// dedicatedHosts checks each host p allocates against its region's types
// (the type on sale, its goods id, cpu and ram), and that the instances
// the stack places on a host it declares are in its region and fit it
// together: their vCPUs
// within the host's times its limit, their RAM within its RAM (what the
// emulator enforces; the cloud also counts instances from outside the
// stack, which only CreateInstance sees).
func (c *checker) dedicatedHosts() {
	for _, ch := range c.p.Changes {
		if ch.Kind != "dedicated_host" || !builds(ch) || ch.Action == planner.Update {
			continue
		}
		region := regionOf(c.p, ch, c.snap, c.live)
		types, ok := c.f.HostTypes[region]
		in := resources.Inputs(ch.Values())
		if !ok || !spec.Known(in["type"]) {
			continue
		}
		t := cloud.HostTypeOf(types, in.String("type"))
		if t == nil {
			var sold []string
			for _, t := range types {
				sold = append(sold, fmt.Sprintf("%s (goods_id %d, %d vCPU, %d GB)", t.VMTypeID, t.GoodsID, t.CPU, t.RAM))
			}
			c.problem(ch, "dedicated host type %s is not on sale in %s (DescribeDedicatedHostTypes); on sale there: %s", []string{"type"},
				in.String("type"), region, strings.Join(sold, ", "))
			continue
		}
		for _, f := range []struct {
			field string
			want  int
		}{{"goods_id", int(t.GoodsID)}, {"cpu", int(t.CPU)}, {"ram", int(t.RAM)}} {
			if spec.Known(in[f.field]) && in.Int(f.field) != f.want {
				c.problem(ch, "a %s host in %s has %s %d, not %d (DescribeDedicatedHostTypes)", []string{f.field}, t.VMTypeID, region,
					f.field, f.want, in.Int(f.field))
			}
		}
	}
	c.hostCapacity()
}

// hostCapacity sums, per host the stack declares, the vCPUs and RAM of
// the stack's instances on it, and reports the building ones when they
// do not fit.
func (c *checker) hostCapacity() {
	type use struct {
		host     *planner.Change
		cpu, ram int
		building []*planner.Change
	}
	uses := map[string]*use{}
	for _, ch := range c.p.Changes {
		if ch.Kind != "instance" || ch.Action == planner.Delete {
			continue
		}
		host := c.hostOf(ch)
		if host == nil {
			continue
		}
		in := c.values(ch)
		if !spec.Known(in["cpu"]) || !spec.Known(in["ram"]) {
			continue
		}
		u := uses[host.Addr]
		if u == nil {
			u = &use{host: host}
			uses[host.Addr] = u
		}
		u.cpu += in.Int("cpu")
		u.ram += in.Int("ram")
		if !builds(ch) {
			continue
		}
		u.building = append(u.building, ch)
		h := c.values(host)
		if r := regionOf(c.p, ch, c.snap, c.live); r != "" && spec.Known(h["region"]) && h.String("region") != r {
			c.problem(ch, "dedicated host %s is in %s, and the instance in %s: CreateInstance places an instance only on a host of its region",
				[]string{"dedicated_host"}, host.Addr, h.String("region"), r)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(uses)) {
		u := uses[a]
		h := c.values(u.host)
		if !spec.Known(h["cpu"]) || !spec.Known(h["ram"]) || !spec.Known(h["limit"]) || len(u.building) == 0 {
			continue
		}
		cpu, ram := h.Int("cpu")*max(h.Int("limit"), 1), h.Int("ram")
		if u.cpu <= cpu && u.ram <= ram {
			continue
		}
		for _, ch := range u.building {
			field := "cpu"
			if u.cpu <= cpu {
				field = "ram"
			}
			c.problem(ch, "the stack's instances on dedicated host %s take %d vCPU and %d GB; it has %d vCPU (%d × limit %d) and %d GB",
				[]string{field}, a, u.cpu, u.ram, cpu, h.Int("cpu"), max(h.Int("limit"), 1), ram)
		}
	}
}

// hostOf returns the change of the stack-declared dedicated host an
// instance's change places it on: by id (a host already made), or by
// the reference that is not resolved yet (a host the plan makes).
func (c *checker) hostOf(ch *planner.Change) *planner.Change {
	v, ok := c.values(ch)["dedicated_host"]
	if !ok || v == nil || v == "" {
		return nil
	}
	if id, isID := v.(string); isID {
		for _, h := range c.p.Changes {
			if h.Kind == "dedicated_host" && h.ID == id && h.Action != planner.Delete {
				return h
			}
		}
		return nil
	}
	u, isRef := v.(spec.Unknown)
	if !isRef {
		return nil
	}
	for _, h := range c.p.Changes {
		if h.Kind == "dedicated_host" && h.Action != planner.Delete && strings.HasPrefix(u.Ref, "${"+h.Addr+".") {
			return h
		}
	}
	return nil
}

// values are what a change's resource will be: its planned values, or,
// for one the plan leaves as it is, its record's.
func (c *checker) values(ch *planner.Change) resources.Inputs {
	if ch.Action == planner.NoOp && ch.After == nil {
		if rec := c.snap.Resources[ch.Addr]; rec != nil {
			return resources.Inputs(rec.Inputs)
		}
	}
	return resources.Inputs(ch.Values())
}
