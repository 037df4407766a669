package preflight

import (
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

// Check returns every problem of p against f, positioned in the stack,
// sorted; warnings are marked. Where ordering makes the plan fit the
// cloud's capacity it adds the edges to p (Change.WaitsFor). live is the
// refresh the plan was made from (nil: capacity is not checked).
func Check(s *spec.Stack, p *planner.Document, snap *state.Snapshot, live *resources.Live, f *Facts) spec.Errors {
	c := &checker{s: s, p: p, snap: snap, live: live, f: f, seen: map[string]bool{}}
	for _, ch := range p.Changes {
		if !builds(ch) {
			continue
		}
		region := regionOf(p, ch, snap, live)
		cat := f.Catalog[region]
		if cat == nil {
			continue
		}
		if cat.RegionStatus != "" && cat.RegionStatus != "1" {
			if ch.Kind != "public_network" { // in its VDC's region, reported there
				c.problem(ch, "region %s is not on sale (status %s)", []string{"region"}, region, cat.RegionStatus)
			}
			continue
		}
		switch ch.Kind {
		case "instance":
			c.instance(ch, region, cat)
		case "public_network":
			c.publicNetwork(ch, region, cat)
		case "load_balancer":
			c.loadBalancer(ch, region)
		}
	}
	for _, ch := range p.Changes {
		if builds(ch) {
			c.database(ch, regionOf(p, ch, snap, live))
		}
	}
	if live != nil {
		c.publicAddresses()
		c.privateAddresses()
	}
	c.dedicatedHosts()
	c.account()
	for _, u := range f.Unchecked {
		c.errs = append(c.errs, &spec.Error{Pos: spec.Pos{File: s.File}, Path: "preflight", Warning: true, Msg: fmt.Sprintf(
			"not checked: %s (%s was refused; it needs the permission to read %s): %v", u.What, u.Action, u.Permission, u.Err)})
	}
	c.errs.Sort()
	return c.errs
}

type checker struct {
	s    *spec.Stack
	p    *planner.Document
	snap *state.Snapshot
	live *resources.Live
	f    *Facts
	errs spec.Errors
	seen map[string]bool
	// owner (record id → address) and changes (address → change) index
	// the state and the plan, built on first use.
	owner   map[string]string
	changes map[string]*planner.Change
}

// problem reports a problem of ch at a property path of its resource (the
// copies of a counted resource share one report per message).
func (c *checker) problem(ch *planner.Change, format string, path []string, args ...any) {
	pos, where := c.at(ch, path)
	msg := fmt.Sprintf(format, args...)
	if hidesAny(ch, args) {
		// The message would show a value of a sensitive variable.
		msg = "the catalogue refuses this value, which comes from a sensitive variable (not shown); check it against the catalogue (cdstack api DescribeAvailableResource)"
	}
	key := where + "\x00" + msg
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.errs = append(c.errs, &spec.Error{Pos: pos, Path: where, Msg: msg})
}

// at is the path of a property of ch's resource and the position of the
// deepest part of it the file spells out.
func (c *checker) at(ch *planner.Change, path []string) (spec.Pos, string) {
	name := ch.Resource
	if name == "" {
		name, _ = spec.SplitAddress(ch.Addr)
	}
	r := c.s.Resources[name]
	if r == nil {
		return spec.Pos{File: c.s.File}, ch.Addr
	}
	where := "resources." + name + ".properties"
	v, pos := r.Properties, r.Properties.Pos
	for _, part := range path {
		var next *spec.Value
		if i, err := strconv.Atoi(part); err == nil {
			if v != nil && v.Kind == spec.List && i < len(v.List) {
				next = v.List[i]
			}
			part = "[" + part + "]"
		} else {
			next = v.Get(part)
			part = "." + part
		}
		where += part
		if next != nil {
			v, pos = next, next.Pos
		} else {
			v = nil
		}
	}
	return pos, where
}

func (c *checker) instance(ch *planner.Change, region string, cat *cloud.AvailableResource) {
	in := resources.Inputs(ch.Values())
	changed := changedFields(ch)
	if ch.Action != planner.Update && in.String("password") == "" {
		c.problem(ch, "CreateInstance needs a password (at least 8 characters, letters and digits); use a sensitive variable", []string{"password"})
	}
	itype := in.String("instance_type")
	if !spec.Known(in["instance_type"]) {
		return
	}
	var goods *cloud.InstanceGoods
	for i := range cat.InstanceGoods {
		if cat.InstanceGoods[i].InstanceType == itype {
			goods = &cat.InstanceGoods[i]
		}
	}
	sizes, sized := c.f.Sizes[SizeKey{region, itype}] // not when the read was refused
	if changed("instance_type") && (goods == nil || sized && len(sizes) == 0) {
		var sold []string
		for _, g := range cat.InstanceGoods {
			sold = append(sold, g.InstanceType)
		}
		c.problem(ch, "instance type %s is not on sale in %s; on sale there: %s", []string{"instance_type"}, itype, region, strings.Join(sold, ", "))
		return
	}
	if (changed("cpu") || changed("ram") || changed("instance_type")) && spec.Known(in["cpu"]) && spec.Known(in["ram"]) && len(sizes) > 0 {
		cpu, ram := in.Int("cpu"), in.Int("ram")
		var rams []string
		found := false
		for _, sz := range sizes {
			if int(sz.CPU) == cpu {
				rams = append(rams, strconv.Itoa(int(sz.RAM)))
				found = found || int(sz.RAM) == ram
			}
		}
		switch {
		case found:
		case len(rams) == 0:
			c.problem(ch, "%s in %s has no size with %d vCPU", []string{"cpu"}, itype, region, cpu)
		default:
			c.problem(ch, "%d vCPU with %d GB is not a size of %s on sale in %s; with %d vCPU: %s GB", []string{"ram"}, cpu, ram, itype, region, cpu, strings.Join(rams, ", "))
		}
	}
	if goods == nil {
		return
	}
	if img := in.String("image"); changed("image") && spec.Known(in["image"]) && img != "" && !hasImage(goods.ImageGoods, img) && !c.templateIn(img, region) {
		c.problem(ch, "image %s is not among the images of %s in %s", []string{"image"}, img, itype, region)
	}
	if changed("data_disks") {
		for i, m := range in.Maps("data_disks") {
			c.disk(ch, resources.Inputs(m), goods.DiskGoods, []string{"data_disks", strconv.Itoa(i)}, itype, region)
		}
	}
	if d := in.Map("system_disk"); changed("system_disk") && d != nil && len(goods.SystemDiskGoods) > 0 {
		c.disk(ch, resources.Inputs(d), goods.SystemDiskGoods, []string{"system_disk"}, itype, region)
	}
}

// disk checks a disk's type and size against the goods of its kind.
func (c *checker) disk(ch *planner.Change, d resources.Inputs, goods []cloud.DiskGoods, path []string, itype, region string) {
	if !spec.Known(d["type"]) || !spec.Known(d["size"]) {
		return
	}
	t, size := d.String("type"), d.Int("size")
	i := slices.IndexFunc(goods, func(g cloud.DiskGoods) bool { return g.Type == t })
	if i < 0 {
		var sold []string
		for _, g := range goods {
			sold = append(sold, g.Type)
		}
		c.problem(ch, "disk type %s is not sold with %s in %s; sold: %s", append(path, "type"), t, itype, region, strings.Join(sold, ", "))
		return
	}
	g := goods[i]
	lo, hi, step := int(g.MinSize), int(g.MaxSize), max(int(g.Step), 1)
	if size >= lo && size <= hi && (size-lo)%step == 0 {
		return
	}
	msg := fmt.Sprintf("%d GB is not a size of %s: %d–%d GB in steps of %d", size, t, lo, hi, step)
	if size > lo && size < hi {
		below := lo + (size-lo)/step*step
		msg += fmt.Sprintf("; the nearest are %d and %d", below, below+step)
	}
	c.problem(ch, "%s", append(path, "size"), msg)
}

// templateIn reports whether the refresh listed id as a custom template
// ready in region: the catalogue may be cached from before it was made
// (a template the stack itself created at its last apply).
func (c *checker) templateIn(id, region string) bool {
	if c.live == nil {
		return false
	}
	t := c.live.Templates[id]
	if t == nil {
		return false
	}
	for _, r := range t.Region {
		if r.RegionID == region {
			return strings.EqualFold(r.Status, "normal")
		}
	}
	return false
}

func hasImage(g cloud.ImageGoods, id string) bool {
	for _, list := range [][]cloud.Image{g.PublicImage, g.PrivateImages} {
		for _, img := range list {
			if img.ImageID == id {
				return true
			}
		}
	}
	return false
}

func (c *checker) publicNetwork(ch *planner.Change, region string, cat *cloud.AvailableResource) {
	in := resources.Inputs(ch.Values())
	if !spec.Known(in["bandwidth_type"]) {
		return
	}
	bt := in.String("bandwidth_type")
	i := slices.IndexFunc(cat.WanGoods, func(g cloud.WanGood) bool { return g.Type == bt })
	if i < 0 {
		var sold []string
		for _, g := range cat.WanGoods {
			sold = append(sold, g.Type)
		}
		c.problem(ch, "bandwidth type %s is not sold in %s; sold: %s", []string{"bandwidth_type"}, bt, region, strings.Join(sold, ", "))
		return
	}
	method := in.String("billing_method")
	if method == "" {
		method = "Bandwidth"
	}
	var keys []string
	for _, m := range cat.WanGoods[i].BillingMethod {
		keys = append(keys, m.Key)
		if !strings.EqualFold(m.Key, method) {
			continue
		}
		if qos := in.Int("qos"); spec.Known(in["qos"]) && int(m.MaxQos) > 0 && qos > int(m.MaxQos) {
			c.problem(ch, "%d is more than %s billed by %s allows in %s (%d)", []string{"qos"}, qos, bt, method, region, int(m.MaxQos))
		}
		return
	}
	c.problem(ch, "%s is not sold billed by %s in %s; billing methods: %s", []string{"billing_method"}, bt, method, region, strings.Join(keys, ", "))
}

func (c *checker) account() {
	a := c.f.Account
	if a == nil {
		return
	}
	pos := spec.Pos{File: c.s.File}
	if avail := a.Available(); avail < 0 {
		c.errs = append(c.errs, &spec.Error{Pos: pos, Path: "account", Msg: fmt.Sprintf(
			"the account is in arrears (balance %.2f + credit line %.2f − to deduct %.2f = %.2f): the cloud refuses every purchase; recharge it first",
			float64(a.MasterTotalBalance), float64(a.CreditLine), float64(a.ToDeduct), avail)})
	}
}

// LowBalance warns when the account can spend less than the stack's
// estimated first month after p (priced by then); nil otherwise.
func LowBalance(s *spec.Stack, p *planner.Document, f *Facts) *spec.Error {
	a, cost := f.Account, p.Cost
	if a == nil || cost == nil || a.Available() < 0 || a.Available() >= cost.After {
		return nil
	}
	return &spec.Error{Pos: spec.Pos{File: s.File}, Path: "account", Warning: true, Msg: fmt.Sprintf(
		"the account can spend %.2f, less than the stack's estimated first month after this plan (%s%.2f)", a.Available(), cost.Currency, cost.After)}
}

// changedFields reports, for an update, whether a field is among its
// changes; for a create or replacement, every field is new.
func changedFields(ch *planner.Change) func(string) bool {
	if ch.Action != planner.Update {
		return func(string) bool { return true }
	}
	set := map[string]bool{}
	for _, f := range ch.Fields {
		set[f.Path] = true
	}
	return func(name string) bool { return set[name] }
}

// hidesAny reports whether one of args shows a value ch hides (one that
// comes from a sensitive variable).
func hidesAny(ch *planner.Change, args []any) bool {
	for _, h := range ch.Hidden {
		hv := fmt.Sprint(h)
		for _, a := range args {
			if s := fmt.Sprint(a); s == hv || strings.Contains(s, hv) && len(hv) > 3 {
				return true
			}
		}
	}
	return false
}
