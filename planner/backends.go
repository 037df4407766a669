package planner

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// wireBackends keeps load balancers from sending to an instance the plan
// deletes to replace it. A listener sends to an instance when a backend
// lists its id or names one of its addresses (as the cloud shows the
// listeners now). For each replacement of such an instance:
//
//   - when every load balancer that sends to it is updated by the plan
//     from the new instance's values (its listeners refer to the
//     instance's attributes, known once it is created), the
//     replacement creates first, as create_before_destroy does: the new
//     instance is made, the listeners are switched to it, then the old one
//     is deleted (linkDeletes orders that delete after the updates);
//   - when that cannot be (the new instance needs an address the old one
//     holds, or a load balancer names the address as text), or the stack
//     says create_before_destroy: false, each such
//     load balancer's change lists the instance in Unwire: a step drops it
//     from the listeners before the delete (Steps), and the update, after
//     the new instance is created, sends to the new one. A load balancer
//     with nothing else to change is updated for that.
//
// The reason text of the replacement says which happened and why. An
// instance that is only deleted (count lowered) needs nothing here: the
// load balancer's update that drops it comes before its delete
// (linkDeletes), or, when the stack names its address as text, its reason
// says so (warnTextBackends).
func wireBackends(in Input, work map[string]*planned) {
	lbs := liveLoadBalancers(work)
	if len(lbs) == 0 {
		return
	}
	kind := resources.Registry["instance"]
	for _, addr := range slices.Sorted(maps.Keys(work)) {
		pl := work[addr]
		c := pl.change
		rec := in.Snapshot.Resources[addr]
		if pl.resource == nil || pl.resource.Kind != "instance" || c.Action != Replace || c.CreateBeforeDestroy || pl.obs == nil || rec == nil || rec.Missing {
			continue
		}
		ips := resources.InstanceAddresses(rec.Outputs)
		var users []string
		refers := true
		for _, lb := range lbs {
			if resources.BackendsUse(work[lb].obs.Attrs["listeners"], rec.ID, ips) {
				users = append(users, lb)
				refers = refers && work[lb].change.Action == Update && unknownFrom(work[lb].desired["listeners"], addr)
			}
		}
		if len(users) == 0 {
			continue
		}
		names := loadBalancers(users)
		why := ""
		switch {
		case pl.resource.DeleteFirst:
			why = " (create_before_destroy: false)"
		case refers:
			err := createFirst(c, kind, pl.desired, pl.obs)
			if err == nil {
				c.Detail += fmt.Sprintf("; created before the old one is deleted (create_before_destroy, implied): %s sends to it, and is switched to the new one first", names)
				continue
			}
			c.CreateBeforeDestroy, c.TempName = false, ""
			why = " (it cannot be created first: " + strings.TrimSuffix(err.Error(), "; let it be auto, or remove create_before_destroy") + ")"
		default:
			why = " (it cannot be created first: the listeners name its address as text; they send to that address again once the new one is created)"
		}
		for _, lb := range users {
			unwire(work[lb], addr)
		}
		c.Detail += fmt.Sprintf("; %s sends to it: the listeners stop sending to it before it is deleted, and send to the new one once it is created%s", names, why)
	}
}

// unknownFrom reports whether v holds a value known only once addr is
// applied: a reference to one of its attributes.
func unknownFrom(v any, addr string) bool {
	switch t := v.(type) {
	case spec.Unknown:
		return strings.HasPrefix(t.Ref, "${"+addr+".")
	case []any:
		return slices.ContainsFunc(t, func(e any) bool { return unknownFrom(e, addr) })
	case map[string]any:
		for _, e := range t {
			if unknownFrom(e, addr) {
				return true
			}
		}
	}
	return false
}

// loadBalancers names addrs for a reason text.
func loadBalancers(addrs []string) string {
	if len(addrs) == 1 {
		return "load balancer " + addrs[0]
	}
	return "load balancers " + strings.Join(addrs, ", ")
}

// unwire makes lb's change drop instance from its listeners before the
// instance is deleted, and send to the new one after it is created: an
// update (of the listeners, as they are, when nothing else changes) that
// waits for the new instance.
func unwire(lb *planned, instance string) {
	unwireFor(lb, instance, ReasonRewire, "its listeners send to the new "+instance+" once it is created")
}

// unwireFor makes lb's change drop instance from its listeners first (the
// step "lb (unwire)", which the instance's delete or update waits for),
// and send to it again after its change (waits): an update, for reason
// when nothing else changes.
func unwireFor(lb *planned, instance, reason, waits string) {
	c := lb.change
	c.Unwire = append(c.Unwire, instance)
	if c.Action == NoOp {
		c.Action, c.Reason, c.Detail = Update, reason, "in place: ModifyLoadBalancerStrategys"
		c.After, c.Hidden = redact(lb.desired, lb.secrets, nil)
	}
	// The update sends the listeners, also when it changes something else
	// only (its size): the unwire step took the instance out of them.
	if listenersField(c) == nil {
		c.Fields = append(c.Fields, FieldChange{Path: "listeners", Before: lb.obs.Attrs["listeners"], After: lb.desired["listeners"], Update: "ModifyLoadBalancerStrategys"})
	}
	if !slices.Contains(c.Deps, instance) {
		c.WaitsFor = append(c.WaitsFor, Wait{Step: instance, Reason: waits})
	}
}

// readdressBackends keeps load balancers on the addresses of instances the
// plan changes in place (ModifyIpAddress moves a private address, or the
// public one): a listener left on the old address would send to an
// address no instance holds until the next apply. For each such update
// of an instance a load balancer's listeners send to (its id on the load
// balancer's network, or a moved address, as the cloud shows them):
//
//   - when the load balancer follows the instance (its listeners list the
//     instance's id, or refer to its addresses, which are then known only
//     after the update: updatesOutput), its change lists the instance in
//     Unwire: "lb (unwire)" drops it from the listeners before the
//     address moves, the instance's update waits for that, and the load
//     balancer's update, after the instance's, sends to the new address. A
//     load balancer with nothing else to change is updated for that;
//   - when its listeners name the old address as text, the stack itself
//     asks for it: the instance's reason says the listeners will send to
//     an address no instance holds.
func readdressBackends(in Input, work map[string]*planned) {
	lbs := liveLoadBalancers(work)
	if len(lbs) == 0 {
		return
	}
	for _, addr := range slices.Sorted(maps.Keys(work)) {
		pl := work[addr]
		c := pl.change
		rec := in.Snapshot.Resources[addr]
		if pl.resource == nil || pl.resource.Kind != "instance" || c.Action != Update || pl.obs == nil || rec == nil || rec.Missing {
			continue
		}
		moved := resources.MovedAddresses(pl.desired, pl.obs.Attrs)
		if len(moved) == 0 {
			continue
		}
		var from []string
		for _, m := range moved {
			from = append(from, m.From)
		}
		var follow, text []string
		for _, lb := range lbs {
			lp := work[lb]
			network := lp.obs.Attrs.String("network")
			if network == "" {
				network = lp.desired.String("network")
			}
			i := slices.IndexFunc(moved, func(m resources.MovedAddress) bool { return m.Network == network })
			id := ""
			if i >= 0 {
				id = rec.ID // the address its id stands for moves
			}
			if !resources.BackendsUse(lp.obs.Attrs["listeners"], id, from) {
				continue
			}
			if resources.BackendsUse(lp.desired["listeners"], rec.ID, nil) || unknownFrom(lp.desired["listeners"], addr) {
				follow = append(follow, lb)
				unwireFor(lp, addr, ReasonReaddress, "its listeners send to the new address of "+addr+" once it is changed")
				if i >= 0 {
					f := listenersField(lp.change)
					f.Details = append(f.Details, addressDetails(lp.desired["listeners"], rec.ID, moved[i])...)
				}
			} else {
				text = append(text, lb)
			}
		}
		if len(follow) > 0 {
			c.Detail += fmt.Sprintf("; %s sends to it: the listeners stop sending to it before its address changes, and send to the new one after", loadBalancers(follow))
		}
		if len(text) > 0 {
			c.Detail += fmt.Sprintf("; %s sends to its old address, written as text in the stack: it will send to an address no instance holds", loadBalancers(text))
		}
	}
}

// listenersField is the change of a load balancer's listeners, or nil.
func listenersField(c *Change) *FieldChange {
	for i := range c.Fields {
		if c.Fields[i].Path == "listeners" {
			return &c.Fields[i]
		}
	}
	return nil
}

// addressDetails show, for each place listeners name instance id, the
// address it stands for moving: "listeners.0.backends.0.instances.1.address".
func addressDetails(listeners any, id string, m resources.MovedAddress) []Detail {
	var out []Detail
	for i, l := range (resources.Inputs{"v": resources.Canon(listeners)}).Maps("v") {
		for j, b := range resources.Inputs(l).Maps("backends") {
			for k, in := range resources.Inputs(b).Strings("instances") {
				if in == id {
					out = append(out, Detail{Path: fmt.Sprintf("listeners.%d.backends.%d.instances.%d.address", i, j, k), Type: "update", From: m.From, To: m.To})
				}
			}
		}
	}
	return out
}

// liveLoadBalancers are the load balancers of the plan that exist and that
// it updates or keeps, sorted.
func liveLoadBalancers(work map[string]*planned) []string {
	var lbs []string
	for addr, pl := range work {
		if pl.resource != nil && pl.resource.Kind == "load_balancer" && pl.obs != nil && pl.change.Journal == nil &&
			(pl.change.Action == Update || pl.change.Action == NoOp) {
			lbs = append(lbs, addr)
		}
	}
	slices.Sort(lbs)
	return lbs
}

// keepBackendsSafe adds to a plan limited by --target (keep: each kept
// address and the target that keeps it) the load balancer updates that
// keep listeners off a kept instance the plan deletes, replaces or
// readdresses: the "(unwire)" step and update of a replacement that
// cannot create first or of an address moved in place, the switch to the
// new instance of one that creates first, the update that drops an
// instance whose count went down. Left out, the instance
// would be deleted while a listener sends to it and the listener would
// keep its dead address. Each added change says, in IncludedBy, which
// target brought it in and why. What it depends on comes with it (visit),
// except the replacements and address moves of its backends the targets
// left out: those stay for a later apply (a rolling replacement, one copy
// per --target), the update sends to the instances and addresses that
// are there then, and its unwire step drops only the kept instances from
// the listeners.
func keepBackendsSafe(p *Document, keep map[string]string, visit func(addr, target string)) {
	for added := true; added; {
		added = false
		for _, in := range p.Changes {
			target := keep[in.Addr]
			if target == "" || in.Kind != "instance" || in.Action != Delete && in.Action != Replace && in.Action != Update {
				continue
			}
			for _, lb := range p.Changes {
				if keep[lb.Addr] != "" || lb.Kind != "load_balancer" || lb.Action != Update ||
					!slices.Contains(lb.Unwire, in.Addr) && (in.Action == Update || !slices.Contains(in.DelAfter, lb.Addr)) {
					continue
				}
				why := map[Action]string{Replace: "replaces", Delete: "deletes"}[in.Action] + "; this update keeps them off it while it is deleted"
				if in.Action == Update {
					why = "moves to another address; this update keeps them off the old one and sends to the new one"
				}
				lb.IncludedBy = fmt.Sprintf("--target %s: its listeners send to %s, which this plan %s", target, in.Addr, why)
				keep[lb.Addr] = target
				for _, d := range lb.Deps {
					if c := p.Change(d); c == nil || c.Action != Replace && !slices.Contains(lb.Unwire, d) {
						visit(d, target)
					}
				}
				added = true
			}
		}
	}
	for _, lb := range p.Changes {
		if keep[lb.Addr] == "" || len(lb.Unwire) == 0 {
			continue
		}
		left := map[string]bool{} // the ids of the instances left out
		for _, in := range lb.Unwire {
			if c := p.Change(in); keep[in] == "" && c != nil {
				left[c.ID] = true
			}
		}
		lb.Unwire = slices.DeleteFunc(lb.Unwire, func(in string) bool { return keep[in] == "" })
		if f := listenersField(lb); f != nil && len(left) > 0 {
			f.Details = slices.DeleteFunc(f.Details, func(d Detail) bool { return left[instanceAt(f.After, d.Path)] })
		}
	}
}

// instanceAt is the instance id at path of addressDetails in listeners,
// or "".
func instanceAt(listeners any, path string) string {
	var i, j, k int
	if _, err := fmt.Sscanf(path, "listeners.%d.backends.%d.instances.%d.address", &i, &j, &k); err != nil {
		return ""
	}
	ls := resources.Inputs{"v": resources.Canon(listeners)}.Maps("v")
	if i >= len(ls) {
		return ""
	}
	bs := resources.Inputs(ls[i]).Maps("backends")
	if j >= len(bs) {
		return ""
	}
	ids := resources.Inputs(bs[j]).Strings("instances")
	if k >= len(ids) {
		return ""
	}
	return ids[k]
}

// unwireDestroyed keeps, in a destroy limited by --target (keep: each kept
// address and the target that keeps it), each load balancer the targets
// leave out from sending to a kept instance while it is deleted (a
// protected one keeps its backends: keepDependencies): its delete becomes
// an update that is only the unwire step, which drops the
// instances from the listeners as the cloud has them (the change shows
// them as recorded, without the instances) and records what it sent, so
// the next plan sends to them again once they are created. Deleting the
// load balancer instead, as its dependence on them would have it, would
// take down the service for one backend.
func unwireDestroyed(p *Document, snap *state.Snapshot, keep map[string]string) {
	for _, lb := range p.Changes {
		rec := snap.Resources[lb.Addr]
		if keep[lb.Addr] != "" || lb.Kind != "load_balancer" || lb.Action != Delete || rec == nil || rec.Missing {
			continue
		}
		listeners := rec.Inputs["listeners"]
		var ids, ips, targets []string
		for _, in := range p.Changes {
			ir := snap.Resources[in.Addr]
			if keep[in.Addr] == "" || in.Kind != "instance" || in.Action != Delete || ir == nil || ir.Missing ||
				!resources.BackendsUse(listeners, ir.ID, resources.InstanceAddresses(ir.Outputs)) {
				continue
			}
			lb.Unwire = append(lb.Unwire, in.Addr)
			ids, ips = append(ids, ir.ID), append(ips, resources.InstanceAddresses(ir.Outputs)...)
			if !slices.Contains(targets, keep[in.Addr]) {
				targets = append(targets, keep[in.Addr])
			}
		}
		if len(lb.Unwire) == 0 {
			continue
		}
		lb.Action, lb.Reason, lb.Detail = Update, ReasonBackendDestroyed, "in place: ModifyLoadBalancerStrategys"
		lb.Fields = []FieldChange{{Path: "listeners", Before: resources.Canon(listeners), After: resources.DropBackends(listeners, ids, ips), Update: "ModifyLoadBalancerStrategys"}}
		lb.IncludedBy = fmt.Sprintf("--target %s: its listeners send to %s, which this plan destroys; they stop sending to %s first",
			strings.Join(targets, ", --target "), strings.Join(lb.Unwire, ", "), map[bool]string{true: "it", false: "them"}[len(lb.Unwire) == 1])
		keep[lb.Addr] = targets[0]
	}
}

// warnTextBackends says, in the reason of an instance the plan deletes
// (it left the stack), when a load balancer's listeners still name one of
// its addresses as text in the stack: nothing can keep them off it, and
// after the delete they send to an address no instance holds.
func warnTextBackends(in Input, work map[string]*planned, p *Document) {
	lbs := liveLoadBalancers(work)
	for _, c := range p.Changes {
		rec := in.Snapshot.Resources[c.Addr]
		if c.Kind != "instance" || c.Action != Delete || rec == nil || rec.Missing {
			continue
		}
		var users []string
		for _, lb := range lbs {
			if resources.BackendsUse(work[lb].desired["listeners"], "", resources.InstanceAddresses(rec.Outputs)) {
				users = append(users, lb)
			}
		}
		if len(users) > 0 {
			c.Detail = strings.TrimPrefix(c.Detail+fmt.Sprintf("; %s still sends to its address, written as text in the stack: after the delete it sends to an address no instance holds", loadBalancers(users)), "; ")
		}
	}
}
