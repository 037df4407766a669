package resources

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/spec"
)

func init() { register(groupKind{}) }

// groupKind is a security group on the NSG API (首云OpenAPI(v1.2).md,
// 安全组相关). A stack's rules are normalised to NSG rules: action allow/deny
// (ACCEPT/DROP), direction in/out (a rule with direction all becomes an
// inbound rule and an outbound twin at spec.OutboundTwins' priority),
// ports (local_port) and addresses (target_address, ";"-joined), sorted.
// Membership is per interface and observed (DescribeNSGMembers): the
// instance kind's security_groups is read from it (membership.go's
// functions below).
type groupKind struct{}

func (groupKind) Name() string { return "security_group" }

func (groupKind) Fields() []Field {
	return []Field{{Name: "name", Update: "ModifyNSGAttribute"}, {Name: "type"},
		{Name: "description", Update: "ModifyNSGAttribute"},
		{Name: "rules", Update: "AddNSGRule/RemoveNSGRule/ModifyNSGRule/ModifyNSGRulePriority"}}
}

// defaultRuleDescription is what AddNSGRule is sent for a rule the stack
// describes with nothing (the API requires a description); read back, it
// stands for none.
const defaultRuleDescription = "managed by cdstack"

// ruleList reads a port or address property: a list, one value, or a text
// joined by ";" (target_address). The result is sorted and deduplicated.
func ruleList(v any) []any {
	var out []string
	add := func(s string) {
		for _, part := range strings.Split(s, ";") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	switch t := Canon(v).(type) {
	case nil:
	case []any:
		for _, e := range t {
			add(fmt.Sprint(e))
		}
	default:
		add(fmt.Sprint(t))
	}
	sort.Strings(out)
	return toAny(slices.Compact(out))
}

// nsgRules normalises a group's rules as a stack (or a state written
// before the NSG API) writes them into NSG rules sorted by priority.
func nsgRules(rules []map[string]any) []any {
	type half struct {
		rule map[string]any
		all  bool
	}
	var list []half
	var prios []int
	var all []bool
	for _, r := range rules {
		in := Inputs(Canon(r).(map[string]any))
		out := map[string]any{"protocol": strings.ToUpper(in.String("protocol")), "action": "allow", "direction": "in",
			"priority": int64(in.Int("priority")), "description": in.String("description")}
		if a := strings.ToLower(in.String("action")); a == "deny" || a == "drop" {
			out["action"] = "deny"
		}
		dir := strings.ToLower(in.String("direction"))
		if dir == "out" {
			out["direction"] = "out"
		}
		ports := in["ports"]
		if ports == nil {
			ports = in["local_port"]
		}
		out["ports"] = ruleList(ports)
		if len(out["ports"].([]any)) == 0 || out["protocol"] == "ICMP" {
			out["ports"] = []any{"0"}
		}
		addrs := in["addresses"]
		if addrs == nil {
			addrs = in["target_address"]
		}
		out["addresses"] = ruleList(addrs)
		list = append(list, half{out, dir == "all"})
		prios = append(prios, in.Int("priority"))
		all = append(all, dir == "all")
	}
	twins := spec.OutboundTwins(prios, all)
	out := []any{}
	for i, h := range list {
		out = append(out, h.rule)
		if h.all {
			twin := Canon(h.rule).(map[string]any)
			twin["direction"], twin["priority"] = "out", int64(twins[i])
			out = append(out, twin)
		}
	}
	return sortRules(out)
}

func sortRules(rules []any) []any {
	sort.SliceStable(rules, func(i, j int) bool {
		a, b := rules[i].(map[string]any), rules[j].(map[string]any)
		if a["priority"].(int64) != b["priority"].(int64) {
			return a["priority"].(int64) < b["priority"].(int64)
		}
		return ruleKey(a) < ruleKey(b)
	})
	return rules
}

// ruleKey is a rule's content apart from its priority and description.
func ruleKey(r map[string]any) string {
	return fmt.Sprint(r["protocol"], "|", r["action"], "|", r["direction"], "|", r["ports"], "|", r["addresses"])
}

// observedRule is an NSG rule in the stack's shape.
func observedRule(r cloud.NSGRule) map[string]any {
	action := "allow"
	if strings.EqualFold(string(r.Action), cloud.NSGDrop) {
		action = "deny"
	}
	dir := "in"
	if r.Direction == cloud.NSGOutbound {
		dir = "out"
	}
	desc := r.Description
	if desc == defaultRuleDescription {
		desc = ""
	}
	ports := ruleList(toAny(r.PortList))
	if len(ports) == 0 {
		ports = []any{"0"}
	}
	return map[string]any{"protocol": strings.ToUpper(r.Protocol), "action": action, "direction": dir, "ports": ports,
		"addresses": ruleList(toAny(r.IPList)), "priority": int64(r.Priority), "description": desc}
}

func (groupKind) Normalize(in Inputs, _ string) Inputs {
	out := copyInputs(in)
	if !out.Has("description") {
		out["description"] = ""
	}
	out["rules"] = nsgRules(out.Maps("rules"))
	return out
}

// Upgrade rewrites rules recorded in the old API's shape (local_port,
// target_address, direction all, …) as the NSG rules they mean.
func (groupKind) Upgrade(recorded Inputs) Inputs {
	out := copyInputs(recorded)
	if out.Has("rules") {
		out["rules"] = nsgRules(out.Maps("rules"))
	}
	return out
}

func (groupKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	g, ok := l.Groups[id]
	if !ok {
		return nil
	}
	attrs := Inputs{"name": g.SecurityGroupName, "type": g.SecurityGroupType, "description": g.Description}
	ruleIDs := []any{}
	if g.Attr != nil {
		type withID struct {
			rule map[string]any
			id   string
		}
		var list []withID
		for _, r := range g.Attr.Rules {
			list = append(list, withID{observedRule(r), r.RuleID})
		}
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i].rule, list[j].rule
			if a["priority"].(int64) != b["priority"].(int64) {
				return a["priority"].(int64) < b["priority"].(int64)
			}
			return ruleKey(a) < ruleKey(b)
		})
		rules := []any{}
		for _, x := range list {
			rules = append(rules, x.rule)
			ruleIDs = append(ruleIDs, x.id)
		}
		attrs["rules"] = rules
	} else if recorded != nil {
		// A state written before the NSG API holds the old rule shape.
		attrs["rules"] = nsgRules(recorded.Inputs.Maps("rules"))
	}
	return &Observation{ID: id, Attrs: attrs, Raw: g, Outputs: map[string]any{"id": id, "rule_ids": ruleIDs}}
}

func (groupKind) Differs(field string, desired, actual Inputs) bool {
	if field == "rules" && desired.Has("rules") {
		// A state written before the NSG API records the old shape.
		return !Equal(nsgRules(desired.Maps("rules")), actual["rules"])
	}
	return defaultDiffers(field, desired, actual)
}

func (k groupKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (groupKind) Scope(Inputs) string { return "" }

func (groupKind) FindByName(l *Live, in Inputs) string {
	for id, g := range l.Groups {
		if g.SecurityGroupName == in.String("name") {
			return id
		}
	}
	return ""
}

func (groupKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, _ Waiter) (string, error) {
	id, err := c.CreateNSG(ctx, cloud.CreateNSGRequest{SecurityGroupName: in.String("name"),
		Description: in.String("description"), SecurityGroupType: in.String("type")})
	if err != nil {
		return "", err
	}
	want := nsgRules(in.Maps("rules"))
	for _, r := range want {
		if err := c.AddNSGRule(ctx, addNSGRule(id, r.(map[string]any))); err != nil {
			return id, fmt.Errorf("security group %s: add rule at priority %v: %w", id, r.(map[string]any)["priority"], err)
		}
	}
	attr, err := waitRulesAttr(ctx, c, id, want)
	if err != nil {
		return id, err
	}
	// What the wait saw is the new group as it is: its read-back needs no
	// DescribeNSGs, DescribeNSGAttribute or DescribeNSGMembers (a group
	// made a moment ago has no members; CreateNSG joins none).
	typ := attr.SecurityGroupType
	if typ == "" {
		typ = in.String("type") // the document's example shows none
	}
	c.Prime(primedGroup(id), &LiveGroup{NSG: cloud.NSG{SecurityGroupID: id, SecurityGroupName: attr.SecurityGroupName,
		Description: attr.Description, SecurityGroupType: typ, ProjectID: attr.ProjectID, CreateTime: attr.CreateTime,
		UpdateTime: attr.UpdateTime}, Attr: attr, Members: &cloud.NSGMembers{Members: []cloud.NSGMember{}}})
	return id, nil
}

// primedGroup is the key under which a group's create leaves its read-back.
func primedGroup(id string) string { return "security_group|" + id }

func addNSGRule(group string, r map[string]any) cloud.AddNSGRuleRequest {
	in := Inputs(r)
	desc := in.String("description")
	if desc == "" {
		desc = defaultRuleDescription
	}
	return cloud.AddNSGRuleRequest{SecurityGroupID: group, Description: desc, Action: nsgAction(in), Direction: nsgDirection(in),
		Protocol: in.String("protocol"), IPList: in.Strings("addresses"), PortList: in.Strings("ports"), Priority: in.Int("priority")}
}

func nsgAction(r Inputs) string {
	if r.String("action") == "deny" {
		return cloud.NSGDrop
	}
	return cloud.NSGAccept
}

func nsgDirection(r Inputs) int {
	if r.String("direction") == "out" {
		return cloud.NSGOutbound
	}
	return cloud.NSGInbound
}

// waitRules waits until DescribeNSGAttribute shows want: rule changes take
// effect in the background.
func waitRules(ctx context.Context, c *cloud.Client, id string, want []any) error {
	_, err := waitRulesAttr(ctx, c, id, want)
	return err
}

// waitRulesAttr is waitRules, returning the DescribeNSGAttribute that
// showed want.
func waitRulesAttr(ctx context.Context, c *cloud.Client, id string, want []any) (*cloud.NSGAttribute, error) {
	var last *cloud.NSGAttribute
	err := c.WaitUntil(ctx, "the rules of security group "+id+" to take effect", func(ctx context.Context) (bool, error) {
		attr, err := c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: id})
		if err != nil {
			return false, err
		}
		last = attr
		have := []any{}
		for _, r := range attr.Rules {
			have = append(have, observedRule(r))
		}
		return Equal(sortRules(have), sortRules(slices.Clone(want))), nil
	})
	return last, err
}

func (groupKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, _ map[string]string, _ Waiter) error {
	if slices.Contains(fields, "name") || slices.Contains(fields, "description") {
		if _, err := c.ModifyNSGAttribute(ctx, cloud.ModifyNSGAttributeRequest{SecurityGroupID: id,
			SecurityGroupName: to.String("name"), Description: to.String("description")}); err != nil {
			return err
		}
	}
	if slices.Contains(fields, "rules") {
		g, ok := live.Raw.(*LiveGroup)
		if !ok || g.Attr == nil {
			return fmt.Errorf("security group %s: its rules were not read", id)
		}
		want := nsgRules(to.Maps("rules"))
		if err := updateRules(ctx, c, id, g.Attr, want); err != nil {
			return err
		}
		return waitRules(ctx, c, id, want)
	}
	return nil
}

// updateRules changes live rules into want with as few calls as it can:
// a rule whose content is unchanged keeps its id (ModifyNSGRulePriority,
// ModifyNSGRule for its description); a rule at a priority that stays
// changes in place (ModifyNSGRule); what is left is removed or added.
func updateRules(ctx context.Context, c *cloud.Client, id string, attr *cloud.NSGAttribute, want []any) error {
	type liveRule struct {
		id   string
		rule map[string]any
	}
	var live []*liveRule
	for _, r := range attr.Rules {
		live = append(live, &liveRule{r.RuleID, observedRule(r)})
	}
	var pending []map[string]any
	for _, w := range want {
		pending = append(pending, w.(map[string]any))
	}
	take := func(match func(l, w map[string]any) bool, then func(l *liveRule, w map[string]any) error) error {
		var left []map[string]any
		for _, w := range pending {
			i := slices.IndexFunc(live, func(l *liveRule) bool { return match(l.rule, w) })
			if i < 0 {
				left = append(left, w)
				continue
			}
			l := live[i]
			live = slices.Delete(live, i, i+1)
			if err := then(l, w); err != nil {
				return err
			}
		}
		pending = left
		return nil
	}
	var priorities []cloud.NSGRulePriority
	var describe []cloud.ModifyNSGRuleRequest
	var modify []cloud.ModifyNSGRuleRequest
	// 1. Unchanged content: priority and description in place.
	if err := take(func(l, w map[string]any) bool { return ruleKey(l) == ruleKey(w) && l["priority"] == w["priority"] },
		func(l *liveRule, w map[string]any) error {
			if l.rule["description"] != w["description"] {
				describe = append(describe, cloud.ModifyNSGRuleRequest{SecurityGroupID: id, RuleID: l.id, Description: cloud.Ptr(ruleDescription(w))})
			}
			return nil
		}); err != nil {
		return err
	}
	if err := take(func(l, w map[string]any) bool { return ruleKey(l) == ruleKey(w) }, func(l *liveRule, w map[string]any) error {
		priorities = append(priorities, cloud.NSGRulePriority{RuleID: l.id, Priority: Inputs(w).Int("priority")})
		if l.rule["description"] != w["description"] {
			describe = append(describe, cloud.ModifyNSGRuleRequest{SecurityGroupID: id, RuleID: l.id, Description: cloud.Ptr(ruleDescription(w))})
		}
		return nil
	}); err != nil {
		return err
	}
	// 2. Same priority, new content: ModifyNSGRule.
	if err := take(func(l, w map[string]any) bool { return l["priority"] == w["priority"] }, func(l *liveRule, w map[string]any) error {
		a := addNSGRule(id, w)
		modify = append(modify, cloud.ModifyNSGRuleRequest{SecurityGroupID: id, RuleID: l.id, Description: cloud.Ptr(a.Description),
			Action: a.Action, Direction: cloud.Ptr(a.Direction), Protocol: a.Protocol, IPList: a.IPList, PortList: a.PortList})
		return nil
	}); err != nil {
		return err
	}
	// Removals first, so the priorities they free can be taken.
	for _, l := range live {
		if err := c.RemoveNSGRule(ctx, cloud.RemoveNSGRuleRequest{SecurityGroupID: id, RuleID: l.id}); err != nil {
			return fmt.Errorf("security group %s: remove rule %s: %w", id, l.id, err)
		}
	}
	if len(priorities) > 0 {
		if err := c.ModifyNSGRulePriority(ctx, cloud.ModifyNSGRulePriorityRequest{SecurityGroupID: id, Rules: priorities}); err != nil {
			return fmt.Errorf("security group %s: reorder rules: %w", id, err)
		}
	}
	for _, m := range append(describe, modify...) {
		if err := c.ModifyNSGRule(ctx, m); err != nil {
			return fmt.Errorf("security group %s: change rule %s: %w", id, m.RuleID, err)
		}
	}
	for _, w := range pending {
		if err := c.AddNSGRule(ctx, addNSGRule(id, w)); err != nil {
			return fmt.Errorf("security group %s: add rule at priority %v: %w", id, w["priority"], err)
		}
	}
	return nil
}

func ruleDescription(r map[string]any) string {
	if d := Inputs(r).String("description"); d != "" {
		return d
	}
	return defaultRuleDescription
}

// Delete deletes the group. When the API refuses (members left), members
// the plan removed (their instances deleted, or re-bound) may still be
// unbinding: ForceDelete is used only when every member left is such a
// one; a member still bound is something outside the plan, and the delete
// is refused with the API's answer.
func (groupKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, _ Waiter) error {
	// Most deletes find no member left (the plan deleted or moved them
	// first): one DeleteNSG. Only its refusal makes the members worth a read.
	err := c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: id})
	var ae *cloud.APIError
	if err == nil || !errors.As(err, &ae) || ae.HTTPStatus >= 500 {
		return err
	}
	members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: id})
	if err != nil {
		return err
	}
	force := len(members.Members) > 0
	var bound []string
	for _, m := range members.Members {
		if m.InterfaceStatus != cloud.NSGMemberUnbinding {
			force = false
			bound = append(bound, fmt.Sprintf("interface %s of instance %s (%s)", m.InterfaceID, m.InstanceID, m.InterfaceStatus))
		}
	}
	err = c.DeleteNSG(ctx, cloud.DeleteNSGRequest{SecurityGroupID: id, ForceDelete: force})
	if err != nil && len(bound) > 0 {
		return fmt.Errorf("security group %s still has members outside this plan: %s; make them leave (LeaveNSG) first: %w", id, strings.Join(bound, ", "), err)
	}
	return err
}

// ---- Membership: the instance kind's security_groups ----

// groupInterfaces returns the interfaces of in a group of type typ takes:
// the public interface for a public group, the private ones for a private
// group.
func groupInterfaces(in *cloud.Instance, typ string) []string {
	var out []string
	if typ == "public" {
		if n := in.PublicInterface(); n != nil {
			out = append(out, n.InterfaceID)
		}
		return out
	}
	for _, n := range in.PrivateNetworkInterface {
		out = append(out, n.InterfaceID)
	}
	return out
}

// observeMembership sets attrs' security_groups from the members of the
// groups Refresh read: a group holds the instance when one of its
// interfaces is a member. Groups whose members were not read keep the
// recorded value.
func observeMembership(l *Live, in *cloud.Instance, attrs Inputs, recorded *Recorded) {
	nics := map[string]bool{}
	if n := in.PublicInterface(); n != nil {
		nics[n.InterfaceID] = true
	}
	for _, n := range in.PrivateNetworkInterface {
		nics[n.InterfaceID] = true
	}
	groups := map[string]bool{}
	if recorded != nil {
		for _, g := range recorded.Inputs.Strings("security_groups") {
			if lg := l.Groups[g]; lg == nil || lg.Members == nil {
				groups[g] = true
			}
		}
	}
	for id, g := range l.Groups {
		if g.Members == nil {
			continue
		}
		for _, m := range g.Members.Members {
			if nics[m.InterfaceID] && m.InterfaceStatus != cloud.NSGMemberUnbinding {
				groups[id] = true
			}
		}
	}
	attrs["security_groups"] = toAny(sortedKeys(groups))
}

// setMembership makes instance id a member of exactly the groups in want:
// JoinNSG with the interfaces each wanted group's type takes (those not
// members yet), LeaveNSG from every other group that holds one of its
// interfaces (found from DescribeNSGs' interface counts and the members of
// those groups: a binding made by hand goes too), then waits on
// DescribeNSGMembers until each join is ok and each leave gone, ending at
// once on error.
func setMembership(ctx context.Context, c *cloud.Client, id string, want []string) error {
	in, err := c.Instance(ctx, id)
	if err != nil {
		return err
	}
	if in == nil {
		return fmt.Errorf("instance %s: not found to set its security groups", id)
	}
	list, err := c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{})
	if err != nil {
		return err
	}
	type change struct {
		group string
		nics  []string
		join  bool
	}
	var changes []change
	found := map[string]bool{}
	groups := list.SecurityGroups
	sort.Slice(groups, func(i, j int) bool { return groups[i].SecurityGroupID < groups[j].SecurityGroupID })
	for _, g := range groups {
		wanted := slices.Contains(want, g.SecurityGroupID)
		found[g.SecurityGroupID] = true
		if !wanted && g.InterfaceCount == 0 {
			continue
		}
		members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g.SecurityGroupID})
		if err != nil {
			return err
		}
		var bound []string
		for _, m := range members.Members {
			if m.InstanceID == id && m.InterfaceStatus != cloud.NSGMemberUnbinding {
				bound = append(bound, m.InterfaceID)
			}
		}
		if !wanted {
			if len(bound) > 0 {
				changes = append(changes, change{g.SecurityGroupID, bound, false})
			}
			continue
		}
		nics := groupInterfaces(in, g.SecurityGroupType)
		if len(nics) == 0 {
			return fmt.Errorf("security group %s is %s but instance %s has no %s interface to join to it", g.SecurityGroupID, g.SecurityGroupType, id, g.SecurityGroupType)
		}
		var join []string
		for _, n := range nics {
			if !slices.Contains(bound, n) {
				join = append(join, n)
			}
		}
		if len(join) > 0 {
			changes = append(changes, change{g.SecurityGroupID, join, true})
		}
	}
	for _, g := range want {
		if !found[g] {
			return fmt.Errorf("security group %s: not found to join instance %s to", g, id)
		}
	}
	for _, ch := range changes {
		req := cloud.NSGMembershipRequest{SecurityGroupID: ch.group, InterfaceIDs: ch.nics}
		if ch.join {
			err = c.JoinNSG(ctx, req)
		} else {
			err = c.LeaveNSG(ctx, req)
		}
		if err != nil {
			return fmt.Errorf("instance %s: security group %s: %w", id, ch.group, err)
		}
	}
	for _, ch := range changes {
		if err := waitMembers(ctx, c, ch.group, ch.nics, ch.join); err != nil {
			return fmt.Errorf("instance %s: %w", id, err)
		}
	}
	return nil
}

// errMemberBinding is a binding DescribeNSGMembers shows in error.
var errMemberBinding = errors.New("the binding is in error")

// waitMembers waits until every interface in nics is an ok member of group
// (join) or no member (leave); a member in error ends the wait at once.
func waitMembers(ctx context.Context, c *cloud.Client, group string, nics []string, join bool) error {
	what := "interfaces to join security group " + group
	if !join {
		what = "interfaces to leave security group " + group
	}
	return c.WaitUntil(ctx, what, func(ctx context.Context) (bool, error) {
		members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: group})
		if err != nil {
			return false, err
		}
		state := map[string]string{}
		for _, m := range members.Members {
			state[m.InterfaceID] = m.InterfaceStatus
		}
		for _, n := range nics {
			s, member := state[n]
			if s == cloud.NSGMemberError {
				return false, fmt.Errorf("security group %s: interface %s: %w (DescribeNSGMembers InterfaceStatus error)", group, n, errMemberBinding)
			}
			if join && s != cloud.NSGMemberOK || !join && member {
				return false, nil
			}
		}
		return true, nil
	})
}
