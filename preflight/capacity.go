package preflight

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
)

// IPCounts are the sizes of a public address segment; each has three
// addresses no instance gets (network, gateway, broadcast).
var IPCounts = []int{4, 8, 16, 32, 64}

// usable is how many addresses a block of size gives instances.
func usable(size int) int { return max(size-3, 0) }

// A pool is the addresses some instances draw from: the public addresses
// of one VDC, or one private network.
type pool struct {
	name     string // what the message calls it
	supply   int    // free before the plan, plus what its builds add
	built    *planner.Change
	builders []string          // steps that build it: the takers wait for them
	takers   []*planner.Change // one entry per address taken
	freers   []string          // delete steps that free an address
	private  bool              // a private network: instances, databases and load balancers draw from it
}

// key names a VDC or network given as an id, or as a reference to one the
// plan builds ("${lan.id}").
func key(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case spec.Unknown:
		return t.Ref
	}
	return ""
}

// idOf is "${addr.id}": how the plan's other resources name addr before it
// exists.
func idOf(addr string) string { return "${" + addr + ".id}" }

// byID is the address of the record with id, or "".
func (c *checker) byID(id string) string {
	if c.owner == nil {
		c.owner = map[string]string{}
		for addr, r := range c.snap.Resources {
			c.owner[r.ID] = addr
		}
	}
	return c.owner[id]
}

// nameOf is the address of the resource k names, or k.
func (c *checker) nameOf(k string) string {
	if addr, ok := strings.CutPrefix(k, "${"); ok {
		addr, _, _ = strings.Cut(addr, ".")
		return addr
	}
	if addr := c.byID(k); addr != "" {
		return addr
	}
	return k
}

// rebuilt reports whether the plan deletes or replaces the record at addr:
// what it has free now does not count.
func (c *checker) rebuilt(addr string) bool {
	if c.changes == nil {
		c.changes = map[string]*planner.Change{}
		for _, ch := range c.p.Changes {
			c.changes[ch.Addr] = ch
		}
	}
	ch := c.changes[addr]
	return ch != nil && (ch.Action == planner.Delete || ch.Action == planner.Replace)
}

func (c *checker) publicAddresses() {
	pools := map[string]*pool{}
	get := func(k string) *pool {
		if pools[k] == nil {
			pools[k] = &pool{name: "the public networks of VDC " + c.nameOf(k)}
		}
		return pools[k]
	}
	for id, pn := range c.live.Publics {
		if addr := c.byID(id); addr == "" || !c.rebuilt(addr) {
			get(pn.VdcID).supply += int(pn.UnuseIPNum)
		}
	}
	for _, ch := range c.p.Changes {
		in := resources.Inputs(ch.Values())
		switch {
		case ch.Kind == "public_network" && (ch.Action == planner.Create || ch.Action == planner.Replace):
			p := get(key(in["vdc"]))
			p.supply += usable(in.Int("ip_count"))
			p.builders = append(p.builders, ch.Addr)
			p.built = ch
		case ch.Kind == "public_network" && ch.Action == planner.Read && ch.Journal != nil && ch.Journal.Action == "create" && c.snap.Resources[ch.Addr] == nil:
			// A create still pending (made with its VDC's CreateVdc, whose
			// entry may be pending too): the apply settles it first, and
			// plans again if it came to nothing.
			j := resources.Inputs(ch.Journal.Inputs)
			k := key(j["vdc"])
			if j.String("vdc") == "" {
				k = c.pendingVdc(ch)
			}
			get(k).supply += usable(j.Int("ip_count"))
		case ch.Kind == "public_network" && ch.Action == planner.Update:
			if rec := c.snap.Resources[ch.Addr]; rec != nil {
				if grow := in.Int("ip_count") - resources.Inputs(rec.Inputs).Int("ip_count"); grow > 0 {
					p := get(key(in["vdc"]))
					p.supply += grow
					p.builders = append(p.builders, ch.Addr)
				}
			}
		case ch.Kind == "instance":
			c.publicTaker(ch, get)
		case ch.Kind == "load_balancer":
			c.lbPublicTaker(ch, get)
		}
	}
	for _, p := range pools {
		if p.built != nil && p.supply == usable(resources.Inputs(p.built.Values()).Int("ip_count")) {
			p.name = p.built.Addr
		}
		c.settle(p, "public_ip", "a public address")
	}
}

// pendingVdc is the key ("${addr.id}") of the VDC the pending public
// network ch was made with: its dependency that is a VDC.
func (c *checker) pendingVdc(ch *planner.Change) string {
	for _, d := range ch.Deps {
		for _, o := range c.p.Changes {
			if o.Addr == d && o.Kind == "vdc" {
				return idOf(d)
			}
		}
	}
	return ""
}

// publicTaker counts what an instance change takes from or gives back to
// its VDC's public addresses.
func (c *checker) publicTaker(ch *planner.Change, get func(string) *pool) {
	in := resources.Inputs(ch.Values())
	rec := c.snap.Resources[ch.Addr]
	had := rec != nil && !rec.Missing && (resources.Inputs(rec.Outputs).String("public_ip") != "" || resources.Inputs(rec.Inputs).String("public_ip") != "")
	wants := in["public_ip"] != nil && in.String("public_ip") != ""
	sameVDC := rec != nil && key(in["vdc"]) == resources.Inputs(rec.Inputs).String("vdc")
	switch ch.Action {
	case planner.Create:
		if wants {
			get(key(in["vdc"])).takers = append(get(key(in["vdc"])).takers, ch)
		}
	case planner.Replace:
		// Deleted first, the old one gives its address back to itself.
		if wants && (ch.CreateBeforeDestroy || !had || !sameVDC) {
			get(key(in["vdc"])).takers = append(get(key(in["vdc"])).takers, ch)
		}
	case planner.Update:
		if wants && !had {
			get(key(in["vdc"])).takers = append(get(key(in["vdc"])).takers, ch)
		}
	case planner.Delete:
		if had {
			p := get(resources.Inputs(rec.Inputs).String("vdc"))
			p.freers = append(p.freers, ch.Addr+" (delete)")
		}
	}
}

func (c *checker) privateAddresses() {
	pools := map[string]*pool{}
	for id, pn := range c.live.Privates {
		if addr := c.byID(id); addr == "" || !c.rebuilt(addr) {
			name := addr
			if name == "" {
				name = pn.Name
			}
			pools[id] = &pool{name: name, supply: int(pn.UnuseIPNum), private: true}
		}
	}
	for _, ch := range c.p.Changes {
		in := resources.Inputs(ch.Values())
		if ch.Kind == "private_network" && (ch.Action == planner.Create || ch.Action == planner.Replace) && spec.Known(in["mask"]) {
			pools[idOf(ch.Addr)] = &pool{name: ch.Addr, supply: usable(1 << (32 - in.Int("mask"))), builders: []string{ch.Addr}, private: true}
		}
	}
	c.lbPrivateTakers(pools)
	c.dbPrivateTakers(pools)
	for _, ch := range c.p.Changes {
		if ch.Kind != "instance" || !builds(ch) {
			continue
		}
		var before []string
		if rec := c.snap.Resources[ch.Addr]; rec != nil && !rec.Missing && ch.Action == planner.Replace && !ch.CreateBeforeDestroy {
			for _, m := range resources.Inputs(rec.Inputs).Maps("private_ips") {
				before = append(before, key(m["network"]))
			}
		}
		if ch.Action == planner.Update && !changedFields(ch)("private_ips") {
			continue
		}
		for _, m := range resources.Inputs(ch.Values()).Maps("private_ips") {
			k := key(m["network"])
			if p := pools[k]; p != nil && !slices.Contains(before, k) {
				p.takers = append(p.takers, ch)
			}
		}
	}
	for _, p := range pools {
		c.settle(p, "private_ips", "an address on "+p.name)
	}
}

// settle checks that p has an address for each taker: with the addresses
// deletes free, by making the takers wait for those deletes; and makes the
// takers wait for what builds p.
func (c *checker) settle(p *pool, prop, what string) {
	if len(p.takers) == 0 {
		return
	}
	var waits []planner.Wait
	for _, b := range p.builders {
		waits = append(waits, planner.Wait{Step: b, Reason: "it builds where the address comes from"})
	}
	need := len(p.takers)
	switch {
	case need <= p.supply:
	case need <= p.supply+len(p.freers):
		for _, f := range p.freers {
			waits = append(waits, planner.Wait{Step: f, Reason: "it frees an address this needs"})
		}
	default:
		c.problem(p.takers[0], "%s", []string{takerProperty(p.takers[0].Kind, prop)}, c.shortage(p, need, what))
		return
	}
	for _, t := range p.takers {
		for _, w := range waits {
			if w.Step != t.Addr && !slices.Contains(t.Deps, w.Step) && !slices.ContainsFunc(t.WaitsFor, func(x planner.Wait) bool { return x.Step == w.Step }) {
				t.WaitsFor = append(t.WaitsFor, w)
			}
		}
	}
}

// shortage says how many addresses are missing and, for a public network
// the plan builds alone, which ip_count would do.
func (c *checker) shortage(p *pool, need int, what string) string {
	noun := "instances need"
	if need == 1 {
		noun = "instance needs"
	}
	msg := fmt.Sprintf("%d %s %s but %s %s %d free", need, noun, what, p.name, map[bool]string{true: "has", false: "have"}[!strings.HasPrefix(p.name, "the ")], p.supply)
	switch {
	case p.private && slices.ContainsFunc(p.takers, func(t *planner.Change) bool { return t.Kind != "instance" }):
		msg = fmt.Sprintf("%d addresses are needed on %s (%s) but it has %d free", need, p.name, takersByKind(p.takers), p.supply)
	case slices.ContainsFunc(p.takers, func(t *planner.Change) bool { return t.Kind == "load_balancer" }):
		msg = lbShortage(p, need)
	}
	if len(p.freers) > 0 {
		msg += fmt.Sprintf(" (and deletes free %d)", len(p.freers))
	}
	if p.built == nil || p.name != p.built.Addr {
		return msg
	}
	size := resources.Inputs(p.built.Values()).Int("ip_count")
	msg += fmt.Sprintf(" (ip_count %d is a /%d with %d usable address%s)", size, 32-log2(size), usable(size), map[bool]string{true: "", false: "es"}[usable(size) == 1])
	for _, n := range IPCounts {
		if usable(n)+len(p.freers) >= need {
			return msg + fmt.Sprintf("; raise ip_count to %d", n)
		}
	}
	return msg + "; add another public network"
}

// lbShortage says how many public addresses the takers need, who needs
// how many (a load balancer takes 3 of one segment, an instance 1), and how
// many the public network has free.
func lbShortage(p *pool, need int) string {
	var lbs, instances []string
	for _, t := range p.takers {
		list := &instances
		if t.Kind == "load_balancer" {
			list = &lbs
		}
		if !slices.Contains(*list, t.Addr) {
			*list = append(*list, t.Addr)
		}
	}
	var who []string
	switch len(lbs) {
	case 1:
		who = append(who, fmt.Sprintf("load balancer %s: %d, from one segment of its public network", lbs[0], resources.LBPublicAddresses))
	default:
		who = append(who, fmt.Sprintf("load balancers %s: %d each, from one segment of their public network", strings.Join(lbs, ", "), resources.LBPublicAddresses))
	}
	switch len(instances) {
	case 0:
	case 1:
		who = append(who, "instance "+instances[0]+": 1")
	default:
		who = append(who, "instances "+strings.Join(instances, ", ")+": 1 each")
	}
	where := p.name
	if p.built != nil && p.name == p.built.Addr {
		where = "public network " + p.name
	}
	return fmt.Sprintf("%d public addresses are needed (%s) but %s %s %d free", need, strings.Join(who, "; "), where,
		map[bool]string{true: "has", false: "have"}[!strings.HasPrefix(where, "the ")], p.supply)
}

func log2(n int) int {
	b := 0
	for ; n > 1; n >>= 1 {
		b++
	}
	return b
}

// takerProperty is the property of a resource of kind that takes an
// address from a pool that prop (public_ip, private_ips) names for
// instances.
func takerProperty(kind, prop string) string {
	switch kind {
	case "load_balancer":
		return map[string]string{"public_ip": "public_network", "private_ips": "network"}[prop]
	case "mysql", "redis", "mongodb":
		return "network"
	case "mysql_readonly":
		return "source"
	}
	return prop
}

// takersByKind says who takes a private network's addresses, one each:
// "instances web[0], web[1]: 1 each; database db: 1".
func takersByKind(takers []*planner.Change) string {
	nouns := []struct{ kinds, one, many string }{
		{"instance", "instance", "instances"},
		{"mysql redis mongodb", "database", "databases"},
		{"mysql_readonly", "read-only replica", "read-only replicas"},
		{"load_balancer", "load balancer", "load balancers"},
	}
	var parts []string
	for _, n := range nouns {
		var addrs []string
		for _, t := range takers {
			if slices.Contains(strings.Fields(n.kinds), t.Kind) && !slices.Contains(addrs, t.Addr) {
				addrs = append(addrs, t.Addr)
			}
		}
		switch len(addrs) {
		case 0:
		case 1:
			parts = append(parts, n.one+" "+addrs[0]+": 1")
		default:
			parts = append(parts, n.many+" "+strings.Join(addrs, ", ")+": 1 each")
		}
	}
	return strings.Join(parts, "; ")
}
