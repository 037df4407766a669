package spec

import (
	"fmt"
	"sort"
	"strings"
)

// MaxRuleList is the most entries a rule's ports or addresses may have
// (the NSG API's IpList and PortList).
const MaxRuleList = 100

// MaxRulePriority is the highest rule priority of the NSG API.
const MaxRulePriority = 1000

// OutboundTwins returns, for each rule of a group (priorities in file
// order; all marks the rules with direction all), the priority of the
// outbound NSG rule a direction-all rule becomes besides its inbound one:
// the lowest priority above the rule's own that no rule of the group has
// and no twin took before, twins placed in order of their rule's priority
// (then file order). Rules without direction all get 0. A result above
// MaxRulePriority means there was no room.
func OutboundTwins(prios []int, all []bool) []int {
	used := map[int]bool{}
	for _, p := range prios {
		used[p] = true
	}
	order := make([]int, len(prios))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return prios[order[a]] < prios[order[b]] })
	out := make([]int, len(prios))
	for _, i := range order {
		if !all[i] {
			continue
		}
		q := prios[i] + 1
		for used[q] {
			q++
		}
		used[q] = true
		out[i] = q
	}
	return out
}

// checkSecurityGroup checks what the NSG model cannot express in a group's
// rules, where the schema cannot: a mac rule, a source port, a priority
// used twice (including the outbound twin of a direction-all rule), more
// than MaxRuleList ports or addresses, both spellings of one property.
func checkSecurityGroup(r *Resource, path string, d *diag) {
	if r.Kind != "security_group" || r.Properties == nil || r.Properties.Kind != Map {
		return
	}
	rules := r.Properties.Get("rules")
	if rules == nil || rules.Kind != List {
		return
	}
	var prios []int
	var all []bool
	var at []int
	firstAt := map[int]int{}
	for i, rv := range rules.List {
		rp := fmt.Sprintf("%s.properties.rules[%d]", path, i)
		if rv.Kind != Map {
			continue
		}
		if v := rv.Get("rule_type"); v != nil && v.Kind == String && strings.EqualFold(v.Str, "mac") {
			d.errorf(v.Pos, rp+".rule_type", "rule_type mac: the NSG API has no MAC rules; write the interface's address instead (addresses: [10.0.0.5]) and drop rule_type")
		}
		if v := rv.Get("target_port"); v != nil && !(v.Kind == Int && v.Int == 0 || v.Kind == String && v.Str == "0") && v.Tmpl == nil {
			d.errorf(v.Pos, rp+".target_port", "target_port %v: the NSG API has no source port; remove target_port (0, any port, is the only value it can express)", v.Plain())
		}
		for _, pair := range [][2]string{{"local_port", "ports"}, {"target_address", "addresses"}} {
			if old, nu := rv.Key(pair[0]), rv.Key(pair[1]); old != nil && nu != nil {
				d.errorf(nu.Pos, rp+"."+pair[1], "%s and %s say the same thing; keep one", pair[0], pair[1])
			}
		}
		for _, k := range []string{"ports", "addresses"} {
			if v := rv.Get(k); v != nil && v.Kind == List && len(v.List) > MaxRuleList {
				d.errorf(v.List[MaxRuleList].Pos, rp+"."+k, "%s has %d entries; the NSG API takes at most %d a rule: split the rule", k, len(v.List), MaxRuleList)
			}
		}
		if v := rv.Get("target_address"); v != nil && v.Kind == String && v.Tmpl == nil {
			if n := len(strings.FieldsFunc(v.Str, func(c rune) bool { return c == ';' })); n > MaxRuleList {
				d.errorf(v.Pos, rp+".target_address", "target_address has %d addresses; the NSG API takes at most %d a rule: split the rule", n, MaxRuleList)
			}
		}
		pv := rv.Get("priority")
		if pv == nil || pv.Kind != Int {
			continue
		}
		p := int(pv.Int)
		if j, ok := firstAt[p]; ok {
			d.errorf(pv.Pos, rp+".priority", "priority %d is also rule %d's (%s.properties.rules[%d]); priorities are unique within a group", p, j, path, j)
		} else {
			firstAt[p] = i
		}
		dv := rv.Get("direction")
		prios = append(prios, p)
		all = append(all, dv != nil && dv.Kind == String && dv.Str == "all")
		at = append(at, i)
	}
	for i, q := range OutboundTwins(prios, all) {
		if q > MaxRulePriority {
			dv := rules.List[at[i]].Get("direction")
			d.errorf(dv.Pos, fmt.Sprintf("%s.properties.rules[%d].direction", path, at[i]), "direction all at priority %d: no free priority up to %d is left for its outbound rule; lower the priority or write direction in and an out rule", prios[i], MaxRulePriority)
		}
	}
}

// checkGroupInterfaces checks that an instance has an interface of the type
// of each stack group its security_groups names: the NSG API binds a public
// group to the public interface and a private group to the private ones.
// Groups named by id, and interfaces that come from variables, are left to
// apply.
func (s *Stack) checkGroupInterfaces(r *Resource, path string, d *diag) {
	if r.Kind != "instance" || r.Properties == nil || r.Properties.Kind != Map {
		return
	}
	groups := r.Properties.Get("security_groups")
	if groups == nil || groups.Kind != List {
		return
	}
	has := map[string]bool{}
	if v := r.Properties.Get("public_ip"); v != nil && !(v.Kind == String && v.Str == "" && v.Tmpl == nil) && v.Kind != Null {
		has["public"] = true
	}
	if v := r.Properties.Get("private_ips"); v != nil && (v.Kind != List || len(v.List) > 0) {
		has["private"] = true
	}
	for i, g := range groups.List {
		for _, pr := range g.PathRefs(fmt.Sprintf("%s.properties.security_groups[%d]", path, i)) {
			name, _ := SplitAddress(pr.Addr)
			target := s.Resources[name]
			if pr.Var != "" || target == nil || target.Kind != "security_group" || target.Properties == nil {
				continue
			}
			t := target.Properties.Get("type")
			if t == nil || t.Kind != String || t.Tmpl != nil || has[t.Str] {
				continue
			}
			want := "public_ip: auto"
			if t.Str == "private" {
				want = "private_ips: [{network: ...}]"
			}
			d.errorf(g.Pos, pr.Path, "%s is a %s security group, which binds %s interfaces, and this instance has none; give it one (%s) or use a group of the other type",
				name, t.Str, t.Str, want)
		}
	}
}
