package emulator

// CreateInstance's SecurityGroup (云主机概览.md): a list of {SecurityGroupId,
// PipeId}, each binding the new instance's interface on network PipeId to
// the group; groups on one network take effect in list order (members are
// kept in that order). The bindings are made by the create task: members
// syncing while it runs, ok when it finishes (error when it fails and the
// service keeps the failed instance; gone with an instance it removes).
// Anything wrong refuses the whole create before anything is made (the
// documents give no codes; these are the emulator's, in doc.go).

// A groupPipe is one validated SecurityGroup entry.
type groupPipe struct {
	group *SecGroup
	pipe  string
}

// parseGroupPipes reads SecurityGroup for a create in VDC v: each group
// must exist, each PipeId be a network of v of the kind the group's type
// takes.
func (s *Server) parseGroupPipes(p params, v *VDC) ([]groupPipe, *apiError) {
	if !p.has("SecurityGroup") {
		return nil, nil
	}
	objs, e := p.objects("SecurityGroup")
	if e != nil {
		return nil, e
	}
	var out []groupPipe
	for _, o := range objs {
		g, e := lookup(o, "SecurityGroupId", s.world.Groups, "InvalidSecurityGroupId.Malformed",
			notFoundAs("InvalidSecurityGroupId.NotFound", "security group"))
		if e != nil {
			return nil, e
		}
		s.settleNSG(g)
		pipe, e := o.need("PipeId")
		if e != nil {
			return nil, e
		}
		public := false
		if pn, ok := s.world.Publics[pipe]; ok && pn.VdcID == v.ID {
			public = true
		} else if pn, ok := s.world.Privates[pipe]; !ok || pn.VdcID != v.ID {
			return nil, errorf(400, "InvalidPipeId.NotFound", "Network %s (PipeId of security group %s) is not a network of Vdc %s.", pipe, g.ID, v.ID)
		}
		if public != (g.Type == "public") {
			return nil, errorf(400, "InvalidSecurityGroupType.Mismatch", "Security group %s is %s; network %s is not: a %s group binds on a %s network only.",
				g.ID, g.Type, pipe, g.Type, g.Type)
		}
		out = append(out, groupPipe{g, pipe})
	}
	return out, nil
}

// checkPipes refuses pipes on which a new instance gets no interface (an
// auto public address may fall on another public network of the VDC).
func checkPipes(pipes []groupPipe, amount int, publics []ipPlan, privates [][]ipPlan) *apiError {
	for _, gp := range pipes {
		for i := range amount {
			found := publics != nil && publics[i].networkID == gp.pipe
			for _, plan := range privates {
				found = found || plan[i].networkID == gp.pipe
			}
			if !found {
				return errorf(400, "InvalidPipeId.NotFound", "The new instance has no interface on network %s to bind security group %s to.", gp.pipe, gp.group.ID)
			}
		}
	}
	return nil
}

// bindAtCreate makes each new instance's interface on each pipe a member
// of its group, settling with task t.
func (s *Server) bindAtCreate(pipes []groupPipe, made []*Instance, t *Task) {
	for _, gp := range pipes {
		for _, in := range made {
			nic := in.nicOn(gp.pipe)
			if nic == nil || gp.group.member(nic.ID) >= 0 {
				continue
			}
			gp.group.Members = append(gp.group.Members, Member{InterfaceID: nic.ID, InstanceID: in.ID, Status: "syncing", Due: t.Due, Fail: t.Fail})
		}
		s.world.touch("secgroup", gp.group.ID)
	}
}

// nicOn returns the instance's interface on network id, or nil.
func (in *Instance) nicOn(id string) *NIC {
	if in.PublicNIC != nil && in.PublicNIC.NetworkID == id {
		return in.PublicNIC
	}
	for i := range in.PrivateNICs {
		if in.PrivateNICs[i].NetworkID == id {
			return &in.PrivateNICs[i]
		}
	}
	return nil
}
