package emulator

import (
	"unicode"
)

func init() {
	register("ModifyInstanceName", (*Server).modifyInstanceName)
	register("ModifyInstanceHostName", (*Server).modifyInstanceHostName)
	register("ResetInstancesPassword", (*Server).resetInstancesPassword)
	register("ExtendSystemDisk", (*Server).extendSystemDisk)
}

// modifyInstanceName renames an instance at once: the documents answer it
// with an empty TaskId.
func (s *Server) modifyInstanceName(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	name, e := p.need("InstanceName")
	if e != nil {
		return nil, "", e
	}
	if !validName(name) {
		return nil, "", errMalformed("InvalidInstanceName.Malformed", "InstanceName")
	}
	in.Name = name
	s.world.touch("instance", in.ID)
	s.world.renameBill(in.ID, name)
	return nil, "", nil
}

// modifyInstanceHostName sets the guest's host name at once. The official
// SDK sends it with the instance's password, which must be the right one.
func (s *Server) modifyInstanceHostName(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	host, e := p.need("HostName")
	if e != nil {
		return nil, "", e
	}
	if !validHostName(host) {
		return nil, "", errMalformed("InvalidHostName.Malformed", "HostName")
	}
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if !secretMatches(in.PasswordHash, pw) {
		return nil, "", errMalformed("InvalidPassword.Malformed", "Password")
	}
	in.HostName = host
	s.world.touch("instance", in.ID)
	return nil, "", nil
}

// validHostName accepts 2–64 letters, digits and inner hyphens or dots.
func validHostName(h string) bool {
	if len(h) < 2 || len(h) > 64 || h[0] == '-' || h[len(h)-1] == '-' {
		return false
	}
	for _, r := range h {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// resetInstancesPassword starts one task per instance. The documents answer
// Data: [{InstanceId, TaskId}], the official SDK reads a top-level TaskId:
// both are sent, the top-level one being the first instance's task.
func (s *Server) resetInstancesPassword(p params) (any, string, *apiError) {
	ids, e := idList(p, "InstanceIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("InstanceIds")
	}
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if !validPassword(pw) {
		return nil, "", errorf(400, "InvalidPassword.Malformed", "The specified parameter \"Password\" is not valid: 8–30 printable ASCII characters with at least three of upper case, lower case, digits and symbols.")
	}
	var list []*Instance
	for _, id := range ids {
		in, e := s.instanceParam(params{"InstanceId": id})
		if e != nil {
			return nil, "", e
		}
		list = append(list, in)
	}
	out := []instanceTaskView{}
	for _, in := range list {
		id := s.changeInstance("ResetInstancesPassword", in, "", func() { in.PasswordHash = hashSecret(pw) })
		out = append(out, instanceTaskView{InstanceID: in.ID, TaskID: id})
	}
	return out, out[0].TaskID, nil
}

// extendSystemDisk grows the system disk (Size) or its provisioned IOPS
// packs (IOPS); neither shrinks.
func (s *Server) extendSystemDisk(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	size, hasSize, e := p.integer("Size")
	if e != nil {
		return nil, "", e
	}
	packs, hasPacks, e := p.integer("IOPS")
	if e != nil {
		return nil, "", e
	}
	if !hasSize && !hasPacks {
		return nil, "", errIncomplete("Size or IOPS")
	}
	d := in.SystemDisk
	g, _ := systemDiskGood(d.Type)
	if !hasSize {
		size = d.Size
	}
	if size < d.Size {
		return nil, "", errorf(403, "InvalidDiskSize.TooSmall", "Specified new disk size %d GB is less than the original disk size %d GB.", size, d.Size)
	}
	if size > g.Max || size%g.Step != 0 {
		return nil, "", errorf(400, "InvalidSystemDiskSize.ValueNotSupported", "System disk size %d GB is beyond the permitted range of %s: up to %d GB in steps of %d.", size, g.Type, g.Max, g.Step)
	}
	if !hasPacks {
		packs = d.IOPSPacks
	}
	if packs < d.IOPSPacks || packs > maxIOPSPacks {
		return nil, "", errorf(400, "InvalidParameter.IOPS", "IOPS packs %d must be between %d (the current) and %d.", packs, d.IOPSPacks, maxIOPSPacks)
	}
	return nil, s.changeInstance("ExtendSystemDisk", in, "", func() {
		in.SystemDisk.Size, in.SystemDisk.IOPSPacks = size, packs
		in.SystemDisk.IOPS = g.iops(size, packs)
		s.rebill(in)
	}), nil
}
