package emulator

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func init() {
	register("CreateSecurityGroup", legacy("CreateSecurityGroup", (*Server).createSecurityGroup))
	register("DeleteSecurityGroup", legacy("DeleteSecurityGroup", (*Server).deleteSecurityGroup))
	register("ForceDeleteSecurityGroup", legacy("ForceDeleteSecurityGroup", (*Server).forceDeleteSecurityGroup))
	register("DescribeSecurityGroupAttribute", legacy("DescribeSecurityGroupAttribute", (*Server).describeSecurityGroupAttribute))
	register("ModifySecurityGroupAttribute", legacy("ModifySecurityGroupAttribute", (*Server).modifySecurityGroupAttribute))
	register("DescribeSecurityGroups", legacy("DescribeSecurityGroups", (*Server).describeSecurityGroups))
	register("AddSecurityGroupRule", legacy("AddSecurityGroupRule", (*Server).addSecurityGroupRule))
	register("RemoveSecurityGroupRule", legacy("RemoveSecurityGroupRule", (*Server).removeSecurityGroupRule))
	register("ModifySecurityGroupRule", legacy("ModifySecurityGroupRule", (*Server).modifySecurityGroupRule))
	register("JoinSecurityGroup", legacy("JoinSecurityGroup", (*Server).joinSecurityGroup))
	register("LeaveSecurityGroup", legacy("LeaveSecurityGroup", (*Server).leaveSecurityGroup))
	register("ModifySecurityGroupRulePriority", legacy("ModifySecurityGroupRulePriority", (*Server).modifySecurityGroupRulePriority))
}

// legacy serves an old security-group action only with
// Options.LegacySecurityGroups; otherwise it answers as the current service
// answers a disabled action, naming the NSG action to use instead.
func legacy(action string, h handler) handler {
	return func(s *Server, p params) (any, string, *apiError) {
		if !s.opts.LegacySecurityGroups {
			return nil, "", errorf(400, "OperationDenied.ActionDisabled",
				"The action %s is disabled: security groups were upgraded and the old actions no longer work; use the NSG actions (CreateNSG, DescribeNSGs, AddNSGRule, JoinNSG, …) instead.", action)
		}
		return h(s, p)
	}
}

func (g *SecGroup) unbind(instanceID string) {
	kept := g.Bindings[:0:0]
	for _, b := range g.Bindings {
		if b.InstanceID != instanceID {
			kept = append(kept, b)
		}
	}
	g.Bindings = kept
}

func (g *SecGroup) boundInstances() int {
	seen := map[string]bool{}
	for _, b := range g.Bindings {
		seen[b.InstanceID] = true
	}
	return len(seen)
}

func (s *Server) groupParam(p params) (*SecGroup, *apiError) {
	return lookup(p, "SecurityGroupId", s.world.Groups, "InvalidSecurityGroupId.Malformed", notFoundAs("InvalidSecurityGroupId.NotFound", "security group"))
}

// groupChanged records a change to g; group changes take effect at once and
// answer with an already finished task.
func (s *Server) groupChanged(action string, g *SecGroup) string {
	g.Updated = s.now()
	s.world.touch("secgroup", g.ID)
	return s.finishedTask(action, Target{Kind: "secgroup", ID: g.ID, Op: opUpdate}).ID
}

func (s *Server) createSecurityGroup(p params) (any, string, *apiError) {
	name, e := p.need("SecurityGroupName")
	if e != nil {
		return nil, "", e
	}
	if len([]rune(name)) > 64 {
		return nil, "", errMalformed("InvalidSecurityGroupName.Malformed", "SecurityGroupName")
	}
	typ, e := p.need("SecurityGroupType")
	if e != nil {
		return nil, "", e
	}
	typ, ok := oneOf(typ, "public", "private")
	if !ok {
		return nil, "", errMalformed("InvalidSecurityGroupType.Malformed", "SecurityGroupType")
	}
	now := s.now()
	g := &SecGroup{ID: s.world.newID(), Name: name, Description: p.str("Description"), Type: typ, Created: now, Updated: now,
		Rules: []Rule{}, Bindings: []Binding{}}
	s.world.Groups[g.ID] = g
	s.world.touch("secgroup", g.ID)
	t := s.finishedTask("CreateSecurityGroup", Target{Kind: "secgroup", ID: g.ID, Op: opCreate})
	return map[string]string{"SecurityGroupId": g.ID}, t.ID, nil
}

func (s *Server) deleteSecurityGroup(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	if n := g.boundInstances(); n > 0 {
		return nil, "", errorf(403, "IncorrectSecurityGroupStatus", "Security group %s is bound to %d instance(s); unbind them or use ForceDeleteSecurityGroup.", g.ID, n)
	}
	delete(s.world.Groups, g.ID)
	s.world.touch("secgroup", g.ID)
	return nil, s.finishedTask("DeleteSecurityGroup", Target{Kind: "secgroup", ID: g.ID, Op: opDelete}).ID, nil
}

func (s *Server) forceDeleteSecurityGroup(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	for _, b := range g.Bindings {
		if in, ok := s.world.Instances[b.InstanceID]; ok {
			in.SecurityGroups = removeString(in.SecurityGroups, g.ID)
			s.world.touch("instance", in.ID)
		}
	}
	delete(s.world.Groups, g.ID)
	s.world.touch("secgroup", g.ID)
	return nil, s.finishedTask("ForceDeleteSecurityGroup", Target{Kind: "secgroup", ID: g.ID, Op: opDelete}).ID, nil
}

func removeString(list []string, v string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func ruleOf(r Rule) ruleView {
	return ruleView{RuleID: r.ID, Status: "ok", TargetAddress: r.TargetAddress, TargetPort: r.TargetPort,
		LocalPort: r.LocalPort, Direction: r.Direction, Protocol: r.Protocol, Priority: r.Priority,
		Action: r.Action, Type: r.Type, Description: r.Description, CreateTime: r.Created.Format(monitorTimeFormat)}
}

func (s *Server) describeSecurityGroupAttribute(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	ruleID := p.str("RuleId")
	out := groupAttrView{SecurityGroupName: g.Name, SecurityGroupType: g.Type,
		SecurityGroupRuleCount: len(g.Rules), SecurityGroupRules: []ruleView{}}
	rules := append([]Rule(nil), g.Rules...)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	for _, r := range rules {
		if ruleID == "" || r.ID == ruleID {
			out.SecurityGroupRules = append(out.SecurityGroupRules, ruleOf(r))
		}
	}
	if ruleID != "" && len(out.SecurityGroupRules) == 0 {
		return nil, "", errorf(400, "InvalidRuleId.NotFound", "Rule %s is not in security group %s.", ruleID, g.ID)
	}
	return out, "", nil
}

func (s *Server) modifySecurityGroupAttribute(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	name, e := p.need("SecurityGroupName")
	if e != nil {
		return nil, "", e
	}
	if _, ok := p["Description"]; !ok {
		return nil, "", errIncomplete("Description")
	}
	g.Name, g.Description = name, p.str("Description")
	return nil, s.groupChanged("ModifySecurityGroupAttribute", g), nil
}

func (s *Server) describeSecurityGroups(p params) (any, string, *apiError) {
	typ, keyword, id := p.str("SecurityGroupType"), p.str("Keyword"), p.str("SecurityGroupId")
	if keyword == "" {
		keyword = p.str("keyword") // the official SDK's JSON spelling (its GET query says Keyword)
	}
	if t, ok := oneOf(typ, "public", "private"); ok {
		typ = t
	} else if typ != "" {
		return nil, "", errMalformed("InvalidSecurityGroupType.Malformed", "SecurityGroupType")
	}
	number, size, e := p.page(MaxPageSize)
	if e != nil {
		return nil, "", e
	}
	var list []*SecGroup
	for _, g := range s.world.Groups {
		if (typ == "" || g.Type == typ) && (id == "" || g.ID == id) &&
			(keyword == "" || strings.Contains(g.Name, keyword) || strings.Contains(g.Description, keyword)) {
			list = append(list, g)
		}
	}
	sortByCreated(list, func(g *SecGroup) (time.Time, string) { return g.Created, g.ID })
	lo, hi, _ := paginate(len(list), number, size)
	out := groupList{SecurityGroupCount: len(list), SecurityGroup: []groupView{}}
	for _, g := range list[lo:hi] {
		vdcs := map[string]bool{}
		for _, b := range g.Bindings {
			if in, ok := s.world.Instances[b.InstanceID]; ok {
				vdcs[in.VdcID] = true
			}
		}
		out.SecurityGroup = append(out.SecurityGroup, groupView{SecurityGroupID: g.ID, SecurityGroupName: g.Name,
			SecurityGroupType: g.Type, Description: g.Description, BindInstanceCount: g.boundInstances(),
			BindInterfaceCount: len(g.Bindings), BindVdcCount: len(vdcs),
			CreateTime: g.Created.Format(monitorTimeFormat), UpdateTime: g.Updated.Format(monitorTimeFormat)})
	}
	return out, "", nil
}

// validPort accepts "0" (all ports), a port, or a range "lo-hi".
func validPort(s string) bool {
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 0 || a > 65535 {
		return false
	}
	if !isRange {
		return true
	}
	b, err := strconv.Atoi(hi)
	return err == nil && b >= a && b <= 65535 && a > 0
}

// validPorts accepts one port, range or 0, or several joined by ";" (the
// official provider sends TargetPort "70;90;8").
func validPorts(s string) bool {
	for _, p := range strings.Split(s, ";") {
		if !validPort(strings.TrimSpace(p)) {
			return false
		}
	}
	return true
}

// validTarget accepts one or more addresses or CIDRs joined by ";"; a
// CIDR may have host bits set (120.78.170.188/28), as the official
// provider's own tests send.
func validTarget(s string) bool {
	for _, t := range strings.Split(s, ";") {
		t = strings.TrimSpace(t)
		if _, err := netip.ParsePrefix(t); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(t); err != nil {
			return false
		}
	}
	return true
}

func (s *Server) addSecurityGroupRule(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	for _, k := range []string{"Action", "TargetAddress", "Direction", "Priority", "Protocol", "RuleType"} {
		if !p.has(k) {
			return nil, "", errIncomplete(k)
		}
	}
	r := Rule{ID: s.world.newID(), Protocol: strings.ToUpper(p.str("Protocol")), LocalPort: p.str("LocalPort"),
		TargetPort: p.str("TargetPort"), TargetAddress: p.str("TargetAddress"), Direction: strings.ToLower(p.str("Direction")),
		Type: strings.ToLower(p.str("RuleType")), Description: p.str("Description"), Created: s.now()}
	action, _, e := p.integer("Action")
	if e != nil || (action != 0 && action != 1) {
		return nil, "", errMalformed("InvalidParameter.Action", "Action")
	}
	r.Action = action
	prio, _, e := p.integer("Priority")
	if e != nil || prio < 1 || prio > 100 {
		return nil, "", errorf(400, "InvalidParameter.Priority", "Priority %s must be an integer from 1 to 100.", p.str("Priority"))
	}
	r.Priority = prio
	if !slices.Contains([]string{"TCP", "UDP", "ICMP"}, r.Protocol) {
		return nil, "", errorf(400, "InvalidParameter.Protocol", "Protocol %q must be TCP, UDP or ICMP.", p.str("Protocol"))
	}
	if !strings.EqualFold(r.Direction, "all") {
		return nil, "", errorf(400, "InvalidParameter.Direction", "Direction %q is not supported: only bidirectional rules (all) are.", r.Direction)
	}
	if r.Type != "ip" && r.Type != "mac" {
		return nil, "", errorf(400, "InvalidParameter.RuleType", "RuleType %q must be ip or mac.", p.str("RuleType"))
	}
	if r.Type == "ip" && !validTarget(r.TargetAddress) {
		return nil, "", errorf(400, "InvalidParameter.TargetAddress", "TargetAddress %q is not an address or CIDR.", r.TargetAddress)
	}
	if r.Protocol == "ICMP" {
		r.LocalPort, r.TargetPort = "0", "0"
	} else {
		if r.LocalPort == "" || !validPort(r.LocalPort) {
			return nil, "", errorf(400, "InvalidParameter.LocalPort", "LocalPort %q must be 0, a port or a range lo-hi.", r.LocalPort)
		}
		if r.TargetPort == "" {
			r.TargetPort = "0"
		}
		if !validPorts(r.TargetPort) {
			return nil, "", errorf(400, "InvalidParameter.TargetPort", "TargetPort %q must be 0, a port or a range lo-hi.", r.TargetPort)
		}
	}
	g.Rules = append(g.Rules, r)
	return map[string]string{"RuleId": r.ID}, s.groupChanged("AddSecurityGroupRule", g), nil
}

func (g *SecGroup) rule(id string) (int, *apiError) {
	for i, r := range g.Rules {
		if r.ID == id {
			return i, nil
		}
	}
	return 0, errorf(400, "InvalidRuleId.NotFound", "Rule %s is not in security group %s.", id, g.ID)
}

func (s *Server) removeSecurityGroupRule(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	ids, e := p.strings("RuleIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("RuleIds")
	}
	for _, id := range ids {
		if _, e := g.rule(id); e != nil {
			return nil, "", e
		}
	}
	kept := g.Rules[:0:0]
	for _, r := range g.Rules {
		if !slices.Contains(ids, r.ID) {
			kept = append(kept, r)
		}
	}
	g.Rules = kept
	return nil, s.groupChanged("RemoveSecurityGroupRule", g), nil
}

func (s *Server) modifySecurityGroupRule(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	id, e := p.need("RuleId")
	if e != nil {
		return nil, "", e
	}
	i, e := g.rule(id)
	if e != nil {
		return nil, "", e
	}
	if _, ok := p["Description"]; !ok {
		return nil, "", errIncomplete("Description")
	}
	g.Rules[i].Description = p.str("Description")
	return nil, s.groupChanged("ModifySecurityGroupRule", g), nil
}

// groupBindings reads the group and the bindings of Join/LeaveSecurityGroup.
func (s *Server) groupBindings(p params) (*SecGroup, []Binding, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, nil, e
	}
	bs, e := s.bindings(p)
	return g, bs, e
}

// bindings reads BindData, or the single InstanceId/PrivateId/PublicId the
// reference also lists as parameters.
func (s *Server) bindings(p params) ([]Binding, *apiError) {
	objs, e := p.objects("BindData")
	if e != nil {
		return nil, e
	}
	if len(objs) == 0 && p.has("InstanceId") {
		objs = []params{p}
	}
	if len(objs) == 0 {
		return nil, errIncomplete("BindData")
	}
	var out []Binding
	for _, o := range objs {
		in, e := s.instanceParam(params{"InstanceId": o.str("InstanceId")})
		if e != nil {
			return nil, e
		}
		b := Binding{InstanceID: in.ID, PrivateID: o.str("PrivateId"), PublicID: o.str("PublicId")}
		if b.PrivateID != "" && !nicOn(in, b.PrivateID) || b.PublicID != "" && !nicOn(in, b.PublicID) {
			return nil, errorf(400, "InvalidParameter.BindData", "Instance %s has no interface on the network named in BindData.", in.ID)
		}
		out = append(out, b)
	}
	return out, nil
}

func nicOn(in *Instance, networkID string) bool {
	if in.PublicNIC != nil && in.PublicNIC.NetworkID == networkID {
		return true
	}
	for _, n := range in.PrivateNICs {
		if n.NetworkID == networkID {
			return true
		}
	}
	return false
}

func (s *Server) joinSecurityGroup(p params) (any, string, *apiError) {
	g, bs, e := s.groupBindings(p)
	if e != nil {
		return nil, "", e
	}
	for _, b := range bs {
		if !slices.Contains(g.Bindings, b) {
			g.Bindings = append(g.Bindings, b)
		}
		in := s.world.Instances[b.InstanceID]
		if !slices.Contains(in.SecurityGroups, g.ID) {
			in.SecurityGroups = append(in.SecurityGroups, g.ID)
			s.world.touch("instance", in.ID)
		}
	}
	return nil, s.groupChanged("JoinSecurityGroup", g), nil
}

func (s *Server) leaveSecurityGroup(p params) (any, string, *apiError) {
	g, bs, e := s.groupBindings(p)
	if e != nil {
		return nil, "", e
	}
	for _, b := range bs {
		if !slices.Contains(g.Bindings, b) {
			return nil, "", errorf(400, "InvalidParameter.BindData", "Instance %s is not bound to security group %s that way.", b.InstanceID, g.ID)
		}
	}
	for _, b := range bs {
		kept := g.Bindings[:0:0]
		for _, x := range g.Bindings {
			if x != b {
				kept = append(kept, x)
			}
		}
		g.Bindings = kept
		stillBound := false
		for _, x := range g.Bindings {
			stillBound = stillBound || x.InstanceID == b.InstanceID
		}
		if in := s.world.Instances[b.InstanceID]; !stillBound {
			in.SecurityGroups = removeString(in.SecurityGroups, g.ID)
			s.world.touch("instance", in.ID)
		}
	}
	return nil, s.groupChanged("LeaveSecurityGroup", g), nil
}

func (s *Server) modifySecurityGroupRulePriority(p params) (any, string, *apiError) {
	g, e := s.groupParam(p)
	if e != nil {
		return nil, "", e
	}
	objs, e := p.objects("BindData")
	if e != nil {
		return nil, "", e
	}
	if len(objs) == 0 && p.has("RuleId") {
		objs = []params{p}
	}
	if len(objs) == 0 {
		return nil, "", errIncomplete("BindData")
	}
	type change struct{ i, prio int }
	var changes []change
	for _, o := range objs {
		i, e := g.rule(o.str("RuleId"))
		if e != nil {
			return nil, "", e
		}
		prio, ok, e := o.integer("Priority")
		if e != nil || !ok || prio < 1 || prio > 100 {
			return nil, "", errorf(400, "InvalidParameter.Priority", "Priority %s must be an integer from 1 to 100.", o.str("Priority"))
		}
		changes = append(changes, change{i, prio})
	}
	for _, c := range changes {
		g.Rules[c.i].Priority = c.prio
	}
	return nil, s.groupChanged("ModifySecurityGroupRulePriority", g), nil
}
