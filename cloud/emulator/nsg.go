package emulator

import (
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"
)

// The NSG actions (首云OpenAPI(v1.2).md, 安全组相关), which replace the
// disabled *SecurityGroup* actions. A group's NSG rules and members are kept
// apart from the old actions' rules and bindings (only the SDK conformance
// suite, behind --legacy-security-groups, uses those).
//
// Rule changes, joins and leaves answer at once, without a TaskId, and take
// effect after the task latency: a rule change is queued as the group's
// whole rule list as it will be (NSGPending) and shown by
// DescribeNSGAttribute when due; a member is syncing (joining) or unbinding
// (leaving) until due, then ok (or error, at the task failure rate) or gone.
// The invariants a change is checked against are those of the list as it
// will be: priorities unique, 1–1000, lists of 1–100 entries, the group's
// quota (the sum of IPs × ports of its rules).

func init() {
	register("CreateNSG", (*Server).createNSG)
	register("DeleteNSG", (*Server).deleteNSG)
	register("DescribeNSGAttribute", (*Server).describeNSGAttribute)
	register("ModifyNSGAttribute", (*Server).modifyNSGAttribute)
	register("DescribeNSGs", (*Server).describeNSGs)
	register("DescribeNSGMembers", (*Server).describeNSGMembers)
	register("AddNSGRule", (*Server).addNSGRule)
	register("RemoveNSGRule", (*Server).removeNSGRule)
	register("ModifyNSGRule", (*Server).modifyNSGRule)
	register("JoinNSG", (*Server).joinNSG)
	register("LeaveNSG", (*Server).leaveNSG)
	register("ModifyNSGRulePriority", (*Server).modifyNSGRulePriority)
}

// DefaultNSGQuota is a group's rule quota (IPs × ports summed over its
// rules) unless Options.NSGQuota says otherwise. The documents show the
// count (QuotaCount) but not the limit; this is the emulator's choice.
const DefaultNSGQuota = 1000

// nsgMaxList is the most entries of an IpList or PortList.
const nsgMaxList = 100

// An NSGRule is one rule of the NSG model.
type NSGRule struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Protocol    string    `json:"protocol"`
	Action      string    `json:"action"`    // ACCEPT or DROP
	Direction   int       `json:"direction"` // 0 in, 1 out
	IPs         []string  `json:"ips"`
	Ports       []string  `json:"ports"`
	Priority    int       `json:"priority"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

func (r NSGRule) quota() int { return len(r.IPs) * len(r.Ports) }

// An NSGPending is a group's rule list as it will be once Due.
type NSGPending struct {
	Rules []NSGRule `json:"rules"`
	Due   time.Time `json:"due"`
}

// A Member is an interface in a group and its binding's state.
type Member struct {
	InterfaceID string    `json:"interface_id"`
	InstanceID  string    `json:"instance_id"`
	Status      string    `json:"status"` // syncing, unbinding, ok, error
	Due         time.Time `json:"due"`
	Fail        bool      `json:"fail,omitempty"`
}

func (s *Server) nsgParam(p params) (*SecGroup, *apiError) {
	g, e := lookup(p, "SecurityGroupId", s.world.Groups, "InvalidSecurityGroupId.Malformed", notFoundAs("InvalidSecurityGroupId.NotFound", "security group"))
	if e == nil {
		s.settleNSG(g)
	}
	return g, e
}

// settleNSG applies what is due in g: queued rule lists, joins and leaves;
// members whose interface is gone leave.
func (s *Server) settleNSG(g *SecGroup) {
	if !g.NSG {
		s.upgradeGroup(g)
	}
	now := s.now()
	changed := false
	for len(g.NSGPending) > 0 && !now.Before(g.NSGPending[0].Due) {
		g.NSGRules = g.NSGPending[0].Rules
		g.NSGPending = g.NSGPending[1:]
		changed = true
	}
	kept := g.Members[:0:0]
	for _, m := range g.Members {
		if in, _, _ := s.nicByID(m.InterfaceID); in == nil {
			changed = true
			continue
		}
		if m.Status == "syncing" || m.Status == "unbinding" {
			if !now.Before(m.Due) {
				changed = true
				if m.Status == "unbinding" {
					continue
				}
				m.Status = "ok"
				if m.Fail {
					m.Status = "error"
				}
			}
		}
		kept = append(kept, m)
	}
	g.Members = kept
	if changed {
		s.world.touch("secgroup", g.ID)
	}
}

// upgradeGroup moves a group made with the old actions (a world an older
// emulator left, or the legacy actions) into the NSG model, as the service
// upgraded its groups: each old rule becomes an NSG rule (Action 1 ACCEPT,
// 0 DROP; TargetAddress split at ";" into IpList; LocalPort into PortList)
// and a bidirectional (all) rule an inbound rule and an outbound one at
// the first free priority above it; mac rules, which the NSG model cannot
// express, are dropped. Each binding becomes members: the interface on
// the network it names, or every interface the group's type takes.
func (s *Server) upgradeGroup(g *SecGroup) {
	g.NSG = true
	s.world.touch("secgroup", g.ID)
	rules := slices.Clone(g.Rules)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	used := map[int]bool{}
	for _, r := range rules {
		used[r.Priority] = true
	}
	for _, r := range rules {
		if r.Type == "mac" {
			continue
		}
		n := NSGRule{ID: r.ID, Description: r.Description, Protocol: r.Protocol, Action: "ACCEPT", Priority: r.Priority,
			Ports: []string{r.LocalPort}, Created: r.Created, Updated: r.Created}
		if r.Action == 0 {
			n.Action = "DROP"
		}
		if n.Protocol == "ICMP" || r.LocalPort == "" {
			n.Ports = []string{"0"}
		}
		for _, a := range strings.Split(r.TargetAddress, ";") {
			if a = strings.TrimSpace(a); a != "" {
				n.IPs = append(n.IPs, a)
			}
		}
		g.NSGRules = append(g.NSGRules, n)
		if r.Direction == "all" {
			q := r.Priority + 1
			for used[q] {
				q++
			}
			used[q] = true
			out := n
			out.ID, out.Direction, out.Priority = s.world.newID(), 1, q
			out.IPs, out.Ports = slices.Clone(n.IPs), slices.Clone(n.Ports)
			g.NSGRules = append(g.NSGRules, out)
		}
	}
	for _, b := range g.Bindings {
		in := s.world.Instances[b.InstanceID]
		if in == nil {
			continue
		}
		var nics []string
		if in.PublicNIC != nil && (b.PublicID == in.PublicNIC.NetworkID || b.PublicID == "" && b.PrivateID == "" && g.Type == "public") {
			nics = append(nics, in.PublicNIC.ID)
		}
		for _, n := range in.PrivateNICs {
			if b.PrivateID == n.NetworkID || b.PublicID == "" && b.PrivateID == "" && g.Type == "private" {
				nics = append(nics, n.ID)
			}
		}
		for _, id := range nics {
			if g.member(id) < 0 {
				g.Members = append(g.Members, Member{InterfaceID: id, InstanceID: in.ID, Status: "ok"})
			}
		}
	}
}

// nicByID finds an interface among the instances.
func (s *Server) nicByID(id string) (*Instance, *NIC, bool) {
	for _, in := range s.world.Instances {
		if in.PublicNIC != nil && in.PublicNIC.ID == id {
			return in, in.PublicNIC, true
		}
		for i := range in.PrivateNICs {
			if in.PrivateNICs[i].ID == id {
				return in, &in.PrivateNICs[i], false
			}
		}
	}
	return nil, nil, false
}

// due is when a background change made now takes effect.
func (s *Server) due() time.Time {
	lat := s.opts.TaskLatency
	if j := s.opts.TaskJitter; j > 0 {
		lat += time.Duration(s.world.rng.Int64N(int64(j)))
	}
	return s.now().Add(lat)
}

// wantedRules is the rule list as it will be once every queued change is due.
func (g *SecGroup) wantedRules() []NSGRule {
	if n := len(g.NSGPending); n > 0 {
		return g.NSGPending[n-1].Rules
	}
	return g.NSGRules
}

// queueRules checks rules against the invariants and queues them as the
// group's next rule list.
func (s *Server) queueRules(g *SecGroup, rules []NSGRule) *apiError {
	seen := map[int]string{}
	total := 0
	for _, r := range rules {
		if other, ok := seen[r.Priority]; ok {
			return errorf(400, "InvalidParameter.Priority", "Priority %d is already used by rule %s of security group %s.", r.Priority, other, g.ID)
		}
		seen[r.Priority] = r.ID
		total += r.quota()
	}
	if quota := s.nsgQuota(); total > quota {
		return errorf(400, "QuotaExceeded.SecurityGroupRule", "Security group %s would use %d of its rule quota of %d (IPs × ports per rule).", g.ID, total, quota)
	}
	due := s.due()
	if n := len(g.NSGPending); n > 0 && due.Before(g.NSGPending[n-1].Due) {
		due = g.NSGPending[n-1].Due
	}
	g.NSGPending = append(g.NSGPending, NSGPending{Rules: rules, Due: due})
	g.Updated = s.now()
	s.world.touch("secgroup", g.ID)
	if !s.now().Before(due) {
		s.settleNSG(g)
	}
	return nil
}

func (s *Server) nsgQuota() int {
	if s.opts.NSGQuota > 0 {
		return s.opts.NSGQuota
	}
	return DefaultNSGQuota
}

func (s *Server) createNSG(p params) (any, string, *apiError) {
	name, e := p.need("SecurityGroupName")
	if e != nil {
		return nil, "", e
	}
	if len([]rune(name)) > 64 {
		return nil, "", errMalformed("InvalidSecurityGroupName.Malformed", "SecurityGroupName")
	}
	if _, ok := p["Description"]; !ok {
		return nil, "", errIncomplete("Description")
	}
	typ, e := p.need("SecurityGroupType")
	if e != nil {
		return nil, "", e
	}
	typ, ok := oneOf(typ, "public", "private")
	if !ok {
		return nil, "", errMalformed("InvalidSecurityGroupType.Malformed", "SecurityGroupType")
	}
	project := p.str("ProjectId")
	if project == "" {
		project = "0-0"
	}
	now := s.now()
	g := &SecGroup{ID: s.world.newID(), Name: name, Description: p.str("Description"), Type: typ, Created: now, Updated: now,
		Rules: []Rule{}, Bindings: []Binding{}, NSGRules: []NSGRule{}, Members: []Member{}, Project: project, NSG: true}
	s.world.Groups[g.ID] = g
	s.world.touch("secgroup", g.ID)
	return map[string]string{"SecurityGroupId": g.ID}, "", nil
}

func (s *Server) deleteNSG(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	force, _, e := p.integer("ForceDelete")
	if e != nil {
		return nil, "", errMalformed("InvalidParameter.ForceDelete", "ForceDelete")
	}
	if len(g.Members) > 0 && force == 0 {
		return nil, "", errorf(403, "IncorrectSecurityGroupStatus", "Security group %s has %d member interface(s); make them leave or set ForceDelete to true.", g.ID, len(g.Members))
	}
	delete(s.world.Groups, g.ID)
	s.world.touch("secgroup", g.ID)
	return nil, "", nil
}

// nsgRuleView is a rule as DescribeNSGAttribute shows it.
type nsgRuleView struct {
	RuleID      string   `json:"RuleId"`
	Description string   `json:"Description"`
	Protocol    string   `json:"Protocol"`
	Action      string   `json:"Action"`
	Direction   int      `json:"Direction"`
	IPList      []string `json:"IpList"`
	PortList    []string `json:"PortList"`
	Priority    int      `json:"Priority"`
	QuotaCount  int      `json:"QuotaCount"`
	CreateTime  string   `json:"CreateTime"`
	UpdateTime  string   `json:"UpdateTime"`
}

// nsgAttrView is the Data of DescribeNSGAttribute.
type nsgAttrView struct {
	SecurityGroupID   string        `json:"SecurityGroupId"`
	SecurityGroupName string        `json:"SecurityGroupName"`
	Description       string        `json:"Description"`
	SecurityGroupType string        `json:"SecurityGroupType"`
	ProjectID         string        `json:"ProjectId"`
	QuotaCount        int           `json:"QuotaCount"`
	RuleCount         int           `json:"RuleCount"`
	Rules             []nsgRuleView `json:"Rules"`
	CreateTime        string        `json:"CreateTime"`
	UpdateTime        string        `json:"UpdateTime"`
}

func (s *Server) describeNSGAttribute(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	rules := slices.Clone(g.NSGRules)
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	out := nsgAttrView{SecurityGroupID: g.ID, SecurityGroupName: g.Name, Description: g.Description, SecurityGroupType: g.Type,
		ProjectID: g.project(), RuleCount: len(rules), Rules: []nsgRuleView{},
		CreateTime: g.Created.Format(monitorTimeFormat), UpdateTime: g.Updated.Format(monitorTimeFormat)}
	for _, r := range rules {
		out.QuotaCount += r.quota()
		out.Rules = append(out.Rules, nsgRuleView{RuleID: r.ID, Description: r.Description, Protocol: r.Protocol, Action: r.Action,
			Direction: r.Direction, IPList: orEmpty(r.IPs), PortList: orEmpty(r.Ports), Priority: r.Priority, QuotaCount: r.quota(),
			CreateTime: r.Created.Format(monitorTimeFormat), UpdateTime: r.Updated.Format(monitorTimeFormat)})
	}
	return out, "", nil
}

func (g *SecGroup) project() string {
	if g.Project == "" {
		return "0-0"
	}
	return g.Project
}

func (s *Server) modifyNSGAttribute(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
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
	g.Name, g.Description, g.Updated = name, p.str("Description"), s.now()
	s.world.touch("secgroup", g.ID)
	return nil, "", nil
}

// nsgView is one group of DescribeNSGs.
type nsgView struct {
	SecurityGroupID   string `json:"SecurityGroupId"`
	SecurityGroupName string `json:"SecurityGroupName"`
	Description       string `json:"Description"`
	SecurityGroupType string `json:"SecurityGroupType"`
	ProjectID         string `json:"ProjectId"`
	CreateTime        string `json:"CreateTime"`
	UpdateTime        string `json:"UpdateTime"`
	InstanceCount     int    `json:"InstanceCount"`
	InterfaceCount    int    `json:"InterfaceCount"`
}

func (s *Server) describeNSGs(p params) (any, string, *apiError) {
	typ, keyword, project := p.str("SecurityGroupType"), p.str("Keyword"), p.str("ProjectId")
	if t, ok := oneOf(typ, "public", "private"); ok {
		typ = t
	} else if typ != "" {
		return nil, "", errMalformed("InvalidSecurityGroupType.Malformed", "SecurityGroupType")
	}
	var list []*SecGroup
	for _, g := range s.world.Groups {
		if (typ == "" || g.Type == typ) && (keyword == "" || strings.Contains(g.Name, keyword)) && (project == "" || g.project() == project) {
			s.settleNSG(g)
			list = append(list, g)
		}
	}
	sortByCreated(list, func(g *SecGroup) (time.Time, string) { return g.Created, g.ID })
	out := map[string]any{"SecurityGroupCount": len(list)}
	views := []nsgView{}
	for _, g := range list {
		instances := map[string]bool{}
		for _, m := range g.Members {
			instances[m.InstanceID] = true
		}
		views = append(views, nsgView{SecurityGroupID: g.ID, SecurityGroupName: g.Name, Description: g.Description,
			SecurityGroupType: g.Type, ProjectID: g.project(), CreateTime: g.Created.Format(monitorTimeFormat),
			UpdateTime: g.Updated.Format(monitorTimeFormat), InstanceCount: len(instances), InterfaceCount: len(g.Members)})
	}
	out["SecurityGroups"] = views
	return out, "", nil
}

// nsgMemberView is one member of DescribeNSGMembers.
type nsgMemberView struct {
	InstanceID         string `json:"InstanceId"`
	InstanceName       string `json:"InstanceName"`
	InstanceStatus     string `json:"InstanceStatus"`
	InterfaceID        string `json:"InterfaceId"`
	InterfaceIPAddress string `json:"InterfaceIpAddress"`
	InterfaceMac       string `json:"InterfaceMac"`
	InterfaceStatus    string `json:"InterfaceStatus"`
}

func (s *Server) describeNSGMembers(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	views := []nsgMemberView{}
	for _, m := range g.Members {
		in, nic, _ := s.nicByID(m.InterfaceID)
		status := "running"
		if in.Status == statusStopped {
			status = "stop"
		}
		views = append(views, nsgMemberView{InstanceID: in.ID, InstanceName: in.Name, InstanceStatus: status, InterfaceID: nic.ID,
			InterfaceIPAddress: nic.IP, InterfaceMac: nic.MAC, InterfaceStatus: m.Status})
	}
	return map[string]any{"MemberCount": len(views), "Members": views}, "", nil
}

// ruleFields reads and checks the rule fields present in p into r; with
// all, every field is required (AddNSGRule).
func ruleFields(p params, r *NSGRule, all bool) *apiError {
	need := func(k string) (bool, *apiError) {
		if p.has(k) {
			return true, nil
		}
		if all {
			return false, errIncomplete(k)
		}
		return false, nil
	}
	if _, sent := p["Description"]; sent {
		r.Description = p.str("Description")
	} else if all {
		return errIncomplete("Description")
	}
	if ok, e := need("Action"); e != nil {
		return e
	} else if ok {
		a, valid := oneOf(strings.ToUpper(p.str("Action")), "ACCEPT", "DROP")
		if !valid {
			return errorf(400, "InvalidParameter.Action", "Action %q must be ACCEPT or DROP.", p.str("Action"))
		}
		r.Action = a
	}
	if _, sent := p["Direction"]; sent {
		d, _, e := p.integer("Direction")
		if e != nil || d != 0 && d != 1 {
			return errorf(400, "InvalidParameter.Direction", "Direction %q must be 0 (inbound) or 1 (outbound).", p.str("Direction"))
		}
		r.Direction = d
	} else if all {
		return errIncomplete("Direction")
	}
	if ok, e := need("Protocol"); e != nil {
		return e
	} else if ok {
		proto := strings.ToUpper(p.str("Protocol"))
		if !slices.Contains([]string{"TCP", "UDP", "ICMP"}, proto) {
			return errorf(400, "InvalidParameter.Protocol", "Protocol %q must be TCP, UDP or ICMP.", p.str("Protocol"))
		}
		r.Protocol = proto
	}
	if ok, e := need("IpList"); e != nil {
		return e
	} else if ok {
		ips, e := p.strings("IpList")
		if e != nil {
			return e
		}
		if len(ips) == 0 || len(ips) > nsgMaxList {
			return errorf(400, "InvalidParameter.IpList", "IpList has %d entries; it takes 1 to %d.", len(ips), nsgMaxList)
		}
		for _, ip := range ips {
			if _, err := netip.ParsePrefix(ip); err != nil {
				if _, err := netip.ParseAddr(ip); err != nil {
					return errorf(400, "InvalidParameter.IpList", "IpList entry %q is not an address or CIDR.", ip)
				}
			}
		}
		r.IPs = ips
	}
	if ok, e := need("PortList"); e != nil {
		return e
	} else if ok {
		ports, e := p.strings("PortList")
		if e != nil {
			return e
		}
		if len(ports) == 0 || len(ports) > nsgMaxList {
			return errorf(400, "InvalidParameter.PortList", "PortList has %d entries; it takes 1 to %d.", len(ports), nsgMaxList)
		}
		for _, port := range ports {
			if !validPort(port) || port != "0" && strings.HasPrefix(port, "0") {
				return errorf(400, "InvalidParameter.PortList", "PortList entry %q must be 0 (all ports), a port or a range lo-hi.", port)
			}
		}
		r.Ports = ports
	}
	if r.Protocol == "ICMP" && !slices.Equal(r.Ports, []string{"0"}) {
		return errorf(400, "InvalidParameter.PortList", "PortList must be [\"0\"] for ICMP.")
	}
	if len(r.Ports) > 1 && slices.Contains(r.Ports, "0") {
		return errorf(400, "InvalidParameter.PortList", "PortList [\"0\"] means every port and takes no other entry.")
	}
	if ok, e := need("Priority"); e != nil {
		return e
	} else if ok {
		prio, _, e := p.integer("Priority")
		if e != nil || prio < 1 || prio > 1000 {
			return errorf(400, "InvalidParameter.Priority", "Priority %s must be an integer from 1 to 1000.", p.str("Priority"))
		}
		r.Priority = prio
	}
	return nil
}

func (s *Server) addNSGRule(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	now := s.now()
	r := NSGRule{ID: s.world.newID(), Created: now, Updated: now}
	if e := ruleFields(p, &r, true); e != nil {
		return nil, "", e
	}
	rules := append(slices.Clone(g.wantedRules()), r)
	return nil, "", s.queueRules(g, rules)
}

// nsgRule finds a rule in the list as it will be.
func (g *SecGroup) nsgRule(rules []NSGRule, id string) (int, *apiError) {
	for i, r := range rules {
		if r.ID == id {
			return i, nil
		}
	}
	return 0, errorf(400, "InvalidRuleId.NotFound", "Rule %s is not in security group %s.", id, g.ID)
}

func (s *Server) removeNSGRule(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	id, e := p.need("RuleId")
	if e != nil {
		return nil, "", e
	}
	rules := slices.Clone(g.wantedRules())
	i, e := g.nsgRule(rules, id)
	if e != nil {
		return nil, "", e
	}
	return nil, "", s.queueRules(g, slices.Delete(rules, i, i+1))
}

func (s *Server) modifyNSGRule(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	id, e := p.need("RuleId")
	if e != nil {
		return nil, "", e
	}
	rules := slices.Clone(g.wantedRules())
	i, e := g.nsgRule(rules, id)
	if e != nil {
		return nil, "", e
	}
	r := rules[i]
	if e := ruleFields(p, &r, false); e != nil {
		return nil, "", e
	}
	r.Updated = s.now()
	rules[i] = r
	return nil, "", s.queueRules(g, rules)
}

func (s *Server) modifyNSGRulePriority(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	objs, e := p.objects("Rules")
	if e != nil {
		return nil, "", e
	}
	if len(objs) == 0 {
		return nil, "", errIncomplete("Rules")
	}
	rules := slices.Clone(g.wantedRules())
	for _, o := range objs {
		i, e := g.nsgRule(rules, o.str("RuleId"))
		if e != nil {
			return nil, "", e
		}
		prio, ok, e := o.integer("Priority")
		if !ok {
			continue
		}
		if e != nil || prio < 1 || prio > 1000 {
			return nil, "", errorf(400, "InvalidParameter.Priority", "Priority %s must be an integer from 1 to 1000.", o.str("Priority"))
		}
		rules[i].Priority, rules[i].Updated = prio, s.now()
	}
	return nil, "", s.queueRules(g, rules)
}

// memberInterfaces reads InterfaceIds: each must name an interface of an
// instance, of the kind the group's type takes.
func (s *Server) memberInterfaces(g *SecGroup, p params) ([]string, *apiError) {
	ids, e := p.strings("InterfaceIds")
	if e != nil {
		return nil, e
	}
	if len(ids) == 0 {
		return nil, errIncomplete("InterfaceIds")
	}
	for _, id := range ids {
		if !validID(id) {
			return nil, errMalformed("InvalidInterfaceID.Malformed", "InterfaceID")
		}
		in, _, public := s.nicByID(id)
		if in == nil {
			return nil, errorf(400, "InvalidInterfaceID.NotFound", "The specified interface %s does not exist.", id)
		}
		if public != (g.Type == "public") {
			return nil, errorf(400, "InvalidInterfaceID.Mismatch", "Interface %s of instance %s is not on a %s network; a %s security group takes %s interfaces only.",
				id, in.ID, g.Type, g.Type, g.Type)
		}
	}
	return ids, nil
}

func (g *SecGroup) member(id string) int {
	for i, m := range g.Members {
		if m.InterfaceID == id {
			return i
		}
	}
	return -1
}

func (s *Server) joinNSG(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	ids, e := s.memberInterfaces(g, p)
	if e != nil {
		return nil, "", e
	}
	for _, id := range ids {
		if i := g.member(id); i >= 0 && g.Members[i].Status != "unbinding" {
			continue
		} else if i >= 0 {
			g.Members = slices.Delete(g.Members, i, i+1)
		}
		in, _, _ := s.nicByID(id)
		m := Member{InterfaceID: id, InstanceID: in.ID, Status: "syncing", Due: s.due()}
		m.Fail = s.opts.TaskFailureRate > 0 && s.world.rng.Float64() < s.opts.TaskFailureRate
		g.Members = append(g.Members, m)
	}
	s.world.touch("secgroup", g.ID)
	s.settleNSG(g)
	return nil, "", nil
}

func (s *Server) leaveNSG(p params) (any, string, *apiError) {
	g, e := s.nsgParam(p)
	if e != nil {
		return nil, "", e
	}
	ids, e := p.strings("InterfaceIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("InterfaceIds")
	}
	for _, id := range ids {
		if g.member(id) < 0 {
			return nil, "", errorf(400, "InvalidInterfaceID.NotFound", "Interface %s is not a member of security group %s.", id, g.ID)
		}
	}
	for _, id := range ids {
		m := &g.Members[g.member(id)]
		if m.Status != "unbinding" {
			m.Status, m.Due = "unbinding", s.due()
		}
	}
	s.world.touch("secgroup", g.ID)
	s.settleNSG(g)
	return nil, "", nil
}
