package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

func init() {
	register("CreateInstance", (*Server).createInstance)
	register("DeleteInstance", (*Server).deleteInstance)
	register("ModifyInstanceChargeType", (*Server).modifyInstanceChargeType)
	register("ModifyInstanceSpec", (*Server).modifyInstanceSpec)
	register("CreateDisk", (*Server).createDisk)
	register("ResizeDisk", (*Server).resizeDisk)
	register("DeleteDisk", (*Server).deleteDisk)
	register("ResetImage", (*Server).resetImage)
	register("DescribeInstances", (*Server).describeInstances)
	register("ConnectNetworkInterface", (*Server).connectNetworkInterface)
	register("DisconnectNetworkInterface", (*Server).disconnectNetworkInterface)
	register("ModifyIpAddress", (*Server).modifyIPAddress)
	register("DescribeInstanceMonitor", (*Server).describeInstanceMonitor)
}

// instanceParam finds an instance that no task is changing.
func (s *Server) instanceParam(p params) (*Instance, *apiError) {
	in, e := lookup(p, "InstanceId", s.world.Instances, "InvalidInstanceID.Malformed", errInstanceNotFound)
	if e != nil {
		return nil, e
	}
	return in, idleInstance(in)
}

// idleInstance refuses an instance that is not settled running or stopped.
func idleInstance(in *Instance) *apiError {
	if in.TaskID != "" || in.Status != statusRunning && in.Status != statusStopped {
		return errInstanceBusy(in.ID, in.Status)
	}
	return nil
}

// changeInstance starts a task that changes in. apply runs unless the task
// will fail; next is the status once the task settles ("" keeps it).
func (s *Server) changeInstance(action string, in *Instance, next string, apply func()) string {
	return s.changeInstances(action, []*Instance{in}, statusUpdating, next, apply)
}

// changeInstances starts one task that changes every instance of list,
// each shown as busy until it settles to next ("" keeps its status).
func (s *Server) changeInstances(action string, list []*Instance, busy, next string, apply func()) string {
	var targets []Target
	for _, in := range list {
		targets = append(targets, Target{Kind: "instance", ID: in.ID, Op: opUpdate})
	}
	t := s.newTask(action, targets...)
	if !t.Fail && apply != nil {
		apply()
	}
	for _, in := range list {
		to := next
		if t.Fail || to == "" {
			to = in.Status
		}
		markBusy(&in.Busy, busy, to)
		s.world.touch("instance", in.ID)
	}
	return t.ID
}

func validPassword(pw string) bool {
	if len(pw) < 8 || len(pw) > 30 {
		return false
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case r > ' ' && r < 0x7f:
			other = true
		default:
			return false
		}
	}
	n := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			n++
		}
	}
	return n >= 3
}

func validName(name string) bool {
	if name == "" || len([]rune(name)) > 64 {
		return false
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// imageKnown reports whether image is a public image or a custom template
// that is ready in region.
func (s *Server) imageKnown(image, region string) bool {
	if slices.Contains(PublicImages, image) {
		return true
	}
	if t, ok := s.world.Templates[image]; ok {
		return t.Regions[region] == "normal"
	}
	return false
}

// needImagePassword refuses a request that installs a custom image (a
// template) without ImagePassword, which the current documents require
// for one.
func (s *Server) needImagePassword(p params, image string) *apiError {
	if _, custom := s.world.Templates[image]; !custom {
		return nil
	}
	if pw, e := p.need("ImagePassword"); e != nil || pw == "" {
		return errIncomplete("ImagePassword")
	}
	return nil
}

// A diskSpec is a validated disk of a request.
type diskSpec struct {
	good        DiskGood
	size, packs int
}

// parseDisks validates a DataDisks list.
func parseDisks(p params, name string) ([]diskSpec, *apiError) {
	objs, e := p.objects(name)
	if e != nil {
		return nil, e
	}
	var out []diskSpec
	for _, o := range objs {
		// The reference spells the keys Size/Type in requests and size/type in answers.
		for _, k := range []string{"size", "type"} {
			if _, ok := o[k]; ok {
				o[strings.ToUpper(k[:1])+k[1:]] = o[k]
			}
		}
		g, ok := diskGood(o.str("Type"))
		if !ok {
			return nil, errorf(400, "InvalidInstanceTypeDisk.ValueUnauthorized", "The specified disk type %q is not authorized; use one of ssd_disk, high_disk, big_disk.", o.str("Type"))
		}
		size, has, e := o.integer("Size")
		if e != nil || !has || size < g.Min || size > g.Max || (size-g.Min)%g.Step != 0 {
			return nil, errorf(400, "InvalidDataDiskSize.ValueNotSupported", "The specified DataDisk size %s is beyond the permitted range of %s: %d–%d GB in steps of %d.", o.str("Size"), g.Type, g.Min, g.Max, g.Step)
		}
		packs, e := iopsPacks(o)
		if e != nil {
			return nil, e
		}
		out = append(out, diskSpec{g, size, packs})
	}
	return out, nil
}

// iopsPacks reads a disk's IOPS: provisioned packs, 0 when absent.
func iopsPacks(o params) (int, *apiError) {
	packs, _, e := o.integer("IOPS")
	if e == nil && (packs < 0 || packs > maxIOPSPacks) {
		e = errorf(400, "InvalidParameter.IOPS", "IOPS packs %d must be between 0 and %d.", packs, maxIOPSPacks)
	}
	return packs, e
}

// parseSystemDisk validates CreateInstance's SystemDisk for image: its
// size defaults to the image's and may only be larger.
func parseSystemDisk(p params, image string) (diskSpec, *apiError) {
	min := systemDiskSize(image)
	if !p.has("SystemDisk") {
		g, _ := systemDiskGood("system_disk")
		return diskSpec{g, min, 0}, nil
	}
	objs, e := p.objects("SystemDisk")
	if e != nil || len(objs) != 1 {
		return diskSpec{}, errMalformed("InvalidSystemDisk.Malformed", "SystemDisk")
	}
	o := objs[0]
	t := o.str("Type")
	if t == "" {
		t = "system_disk"
	}
	g, ok := systemDiskGood(t)
	if !ok {
		return diskSpec{}, errorf(400, "InvalidInstanceTypeDisk.ValueUnauthorized", "The specified system disk type %q is not authorized; use system_disk or ssd_system_disk.", t)
	}
	size, has, e := o.integer("Size")
	if e != nil {
		return diskSpec{}, e
	}
	if !has || size == 0 {
		size = min
	}
	if size < min || size > g.Max || size%g.Step != 0 {
		return diskSpec{}, errorf(400, "InvalidSystemDiskSize.ValueNotSupported", "System disk size %d GB is beyond the permitted range of %s for %s: %d–%d GB in steps of %d.", size, g.Type, image, min, g.Max, g.Step)
	}
	packs, e := iopsPacks(o)
	return diskSpec{g, size, packs}, e
}

func (s *Server) newDisk(d diskSpec) Disk {
	return Disk{ID: s.world.newID(), Size: d.size, Type: d.good.Type, IOPS: d.good.iops(d.size, d.packs), IOPSPacks: d.packs}
}

// ipPlan is an address chosen for a new NIC before anything is claimed.
type ipPlan struct {
	networkID, name, ip string
}

func (s *Server) createInstance(p params) (any, string, *apiError) {
	w := s.world
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	v, e := s.idleVdc(p, "InvalidVdcId.Malformed")
	if e != nil {
		return nil, "", e
	}
	if v.Region != region {
		return nil, "", errorf(403, "Zone.NotOnSale", "Vdc %s is in %s, not %s.", v.ID, v.Region, region)
	}
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if !validPassword(pw) {
		return nil, "", errorf(400, "InvalidPassword.Malformed", "The specified parameter \"Password\" is not valid: 8–30 printable ASCII characters with at least three of upper case, lower case, digits and symbols.")
	}
	name := p.str("InstanceName")
	if name != "" && !validName(name) {
		return nil, "", errMalformed("InvalidInstanceName.Malformed", "InstanceName")
	}
	charge := p.str("InstanceChargeType")
	if charge == "" {
		charge = "PostPaid"
	}
	charge, ok := oneOf(charge, "PostPaid", "PrePaid")
	if !ok {
		return nil, "", errMalformed("InvalidInstanceChargeType.Malformed", "InstanceChargeType")
	}
	autoRenew, prepaid := 1, 0
	if n, ok, e := p.integer("AutoRenew"); e != nil {
		return nil, "", e
	} else if ok {
		autoRenew = n
	}
	if n, ok, e := p.integer("PrepaidMonth"); e != nil {
		return nil, "", e
	} else if ok {
		prepaid = n
	}
	cpu, ram, e := specParams(p, 1, 1, true)
	if e != nil {
		return nil, "", e
	}
	itype := p.str("InstanceType")
	if itype == "" {
		itype = "Standard"
	}
	itype, ok = oneOf(itype, InstanceTypes...)
	if ok && !sells(region, itype) {
		return nil, "", errorf(403, "Zone.NotOnSale", "The instance type %s is not on sale in %s.", itype, region)
	}
	if !sizeOnSale(cpu, ram) {
		return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "%d vCPU with %d GB is not a size on sale: RAM must be 1 to 8 times the vCPUs.", cpu, ram)
	}
	if !ok {
		return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "The specified InstanceType %q is not authorized.", itype)
	}
	image := p.str("ImageId")
	if image == "" {
		image = "Centos_7.4_64"
	}
	if !s.imageKnown(image, region) {
		return nil, "", errorf(404, "InvalidLaunchTemplateVersion.NotFound", "Image %q is neither a public image nor a template ready in %s.", image, region)
	}
	if e := s.needImagePassword(p, image); e != nil {
		return nil, "", e
	}
	opts, e := parseInstanceOptions(p)
	if e != nil {
		return nil, "", e
	}
	disks, e := parseDisks(p, "DataDisks")
	if e != nil {
		return nil, "", e
	}
	system, e := parseSystemDisk(p, image)
	if e != nil {
		return nil, "", e
	}
	if len(disks) > MaxDataDisks {
		return nil, "", errorf(400, "InvalidDataDiskSize.ValueNotSupported", "An instance can have at most %d data disks.", MaxDataDisks)
	}
	amount := 1
	if n, ok, e := p.integer("Amount"); e != nil {
		return nil, "", e
	} else if ok {
		if n < 1 || n > 99 {
			return nil, "", errMalformed("InvalidParameter.Amount", "Amount")
		}
		amount = n
	}
	if e := s.placeOnHost(opts.dedicatedHost, region, cpu, ram, amount); e != nil {
		return nil, "", e
	}
	if names, e := p.strings("LabelNames"); e != nil || len(names) > maxTagsPerInstance {
		return nil, "", errorf(400, "InvalidParameter.TagCount", "At most %d LabelNames at once.", maxTagsPerInstance)
	}
	publics, e := s.planPublicIPs(p, v, amount)
	if e != nil {
		return nil, "", e
	}
	privates, e := s.planPrivateIPs(p, v, amount)
	if e != nil {
		return nil, "", e
	}
	pipes, e := s.parseGroupPipes(p, v)
	if e != nil {
		return nil, "", e
	}
	if e := checkPipes(pipes, amount, publics, privates); e != nil {
		return nil, "", e
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "NotEnoughBalance", "Your account does not have enough balance.")
	}

	tags, e := s.labelTags(p)
	if e != nil {
		return nil, "", e
	}
	now := s.now()
	var targets []Target
	var made []*Instance
	for i := 0; i < amount; i++ {
		w.seq++
		in := &Instance{ID: w.newID(), Seq: w.seq, Name: name, VdcID: v.ID, Region: region, ChargeType: charge,
			AutoRenew: autoRenew, PrepaidMonth: prepaid, InstanceType: itype, ImageID: image, CPU: cpu, RAM: ram,
			PasswordHash: hashSecret(pw), Created: now, DataDisks: []Disk{}, PrivateNICs: []NIC{}, Tags: slices.Clone(tags),
			UserData: opts.userData, PublicKey: opts.publicKey, DeletionProtection: opts.deletionProtection, DedicatedHostID: opts.dedicatedHost}
		if in.Name == "" {
			in.Name = in.ID
		} else if amount > 1 {
			in.Name = fmt.Sprintf("%s-%d", name, i+1)
		}
		in.SystemDisk = s.newDisk(system)
		for _, d := range disks {
			in.DataDisks = append(in.DataDisks, s.newDisk(d))
		}
		if publics != nil {
			ip := publics[i]
			w.claimIP(ip.networkID, ip.ip, in.ID)
			in.PublicNIC = &NIC{ID: w.newID(), NetworkID: ip.networkID, Name: ip.name, IP: ip.ip, MAC: w.newMAC(), Connected: true}
		}
		for _, plan := range privates {
			ip := plan[i]
			w.claimIP(ip.networkID, ip.ip, in.ID)
			in.PrivateNICs = append(in.PrivateNICs, NIC{ID: w.newID(), NetworkID: ip.networkID, Name: ip.name, IP: ip.ip, MAC: w.newMAC(), Connected: true})
		}
		markBusy(&in.Busy, statusCreating, statusRunning)
		w.Instances[in.ID] = in
		w.touch("instance", in.ID)
		s.openInstanceBill(in, now)
		targets = append(targets, Target{Kind: "instance", ID: in.ID, Op: opCreate})
		made = append(made, in)
	}
	t := s.newTask("CreateInstance", targets...)
	s.bindAtCreate(pipes, made, t)
	return nil, t.ID, nil
}

// specParams reads Cpu and Ram; absent values take the defaults (0 means
// "leave as it is" for ModifyInstanceSpec).
func specParams(p params, defCPU, defRAM int, create bool) (int, int, *apiError) {
	cpu, ok, e := p.integer("Cpu")
	if e != nil {
		return 0, 0, e
	}
	if !ok {
		cpu = defCPU
	} else if !slices.Contains(CPUs, cpu) {
		return 0, 0, errorf(400, "InvalidInstanceType.ValueUnauthorized", "Cpu %d is not one of %v.", cpu, CPUs)
	}
	ram, ok, e := p.integer("Ram")
	if e != nil {
		return 0, 0, e
	}
	if !ok {
		ram = defRAM
	} else if !slices.Contains(RAMs, ram) {
		return 0, 0, errorf(400, "InvalidInstanceType.ValueUnauthorized", "Ram %d is not one of %v.", ram, RAMs)
	}
	return cpu, ram, nil
}

func (s *Server) openInstanceBill(in *Instance, now time.Time) {
	v := s.world.VDCs[in.VdcID]
	disk := in.SystemDisk.Size
	for _, d := range in.DataDisks {
		disk += d.Size
	}
	price := instanceHourly(in.CPU, in.RAM, disk)
	var ips []string
	if in.PublicNIC != nil && in.PublicNIC.IP != "" {
		ips = append(ips, in.PublicNIC.IP)
	}
	s.world.ledgerOpen(&LedgerEntry{ResourceID: in.ID, Name: in.Name, Type: "vm", Region: in.Region, VdcID: v.ID, VdcName: v.Name,
		HourlyPrice: price, Created: now, IPs: ips,
		Config: fmt.Sprintf("%s云主机:系统硬盘:%dGB,vCPU:%dC,内存:%dGB,操作系统:%s", in.InstanceType, in.SystemDisk.Size, in.CPU, in.RAM, in.ImageID)})
}

// rebill closes an instance's bill at its old price and opens one at the new.
func (s *Server) rebill(in *Instance) {
	now := s.now()
	if s.world.archiveBill(in.ID, now) {
		s.openInstanceBill(in, now)
	}
}

// planPublicIPs chooses one public address per new instance, or nil.
func (s *Server) planPublicIPs(p params, v *VDC, amount int) ([]ipPlan, *apiError) {
	w := s.world
	ips, e := p.strings("PublicIp")
	if e != nil {
		return nil, e
	}
	var clean []string
	for _, ip := range ips {
		if ip = strings.TrimSpace(ip); ip != "" {
			clean = append(clean, ip)
		}
	}
	if len(clean) == 0 {
		return nil, nil
	}
	if len(clean) == 1 && strings.EqualFold(clean[0], "auto") {
		clean = make([]string, amount)
		for i := range clean {
			clean[i] = "auto"
		}
	}
	if len(clean) != amount {
		return nil, errorf(400, "InvalidPublicIpAddress.Malformed", "PublicIp has %d addresses for %d instances.", len(clean), amount)
	}
	var plans []ipPlan
	taken := map[string]bool{}
	for _, ip := range clean {
		if strings.EqualFold(ip, "auto") {
			continue
		}
		n, ok := parseIPv4(ip)
		if !ok {
			return nil, errorf(400, "InvalidPublicIpAddress.Malformed", "Specified public IP address %q is malformed.", ip)
		}
		pn := w.publicNetOf(v.ID, n)
		if pn == nil {
			return nil, errorf(403, "InvalidIp.Address", "Public address %s is not in a segment of Vdc %s.", ip, v.ID)
		}
		if taken[ip] {
			return nil, errorf(403, "InvalidIp.IpRepeated", "Public address %s is given twice.", ip)
		}
		if w.ipUsed(pn.ID, ip) {
			return nil, errorf(400, "InvalidPublicIpAddress.Duplicated", "Specified public IP address %s is already in use.", ip)
		}
		taken[ip] = true
	}
	for _, ip := range clean {
		if !strings.EqualFold(ip, "auto") {
			n, _ := parseIPv4(ip)
			pn := w.publicNetOf(v.ID, n)
			plans = append(plans, ipPlan{pn.ID, pn.Name, ip})
			continue
		}
		plan, ok := s.autoPublicIP(v, taken)
		if !ok {
			return nil, errorf(403, "QuotaExceed.PublicIp", "No free public address is left in Vdc %s; buy more with AddPublicIp.", v.ID)
		}
		taken[plan.ip] = true
		plans = append(plans, plan)
	}
	return plans, nil
}

func (s *Server) autoPublicIP(v *VDC, taken map[string]bool) (ipPlan, bool) {
	w := s.world
	for _, pn := range sortedPublics(w, v.ID) {
		if pn.Status == statusDeleting {
			continue
		}
		for _, seg := range pn.Segments {
			for ip := seg.Network + 2; seg.usable(ip); ip++ {
				a := ipString(ip)
				if !taken[a] && !w.ipUsed(pn.ID, a) {
					return ipPlan{pn.ID, pn.Name, a}, true
				}
			}
		}
	}
	return ipPlan{}, false
}

func sortedPublics(w *World, vdcID string) []*PublicNet {
	var out []*PublicNet
	for _, pn := range w.Publics {
		if pn.VdcID == vdcID {
			out = append(out, pn)
		}
	}
	sortByCreated(out, func(p *PublicNet) (time.Time, string) { return p.Created, p.ID })
	return out
}

// planPrivateIPs chooses, per private network asked for, one address per new instance.
func (s *Server) planPrivateIPs(p params, v *VDC, amount int) ([][]ipPlan, *apiError) {
	w := s.world
	objs, e := p.objects("PrivateIp")
	if e != nil {
		return nil, e
	}
	var plans [][]ipPlan
	seen := map[string]bool{}
	for _, o := range objs {
		id := o.str("PrivateID")
		if id == "" {
			id = o.str("PrivateId")
		}
		if !validID(id) {
			return nil, errMalformed("InvalidPrivateId.Malformed", "PrivateIp.PrivateID")
		}
		pn, ok := w.Privates[id]
		if !ok || pn.VdcID != v.ID {
			return nil, errorf(400, "InvalidPrivateId.NotFound", "Private network %s is not in Vdc %s.", id, v.ID)
		}
		if seen[id] {
			return nil, errorf(403, "InvalidIp.IpRepeated", "Private network %s is given twice.", id)
		}
		seen[id] = true
		ips, e := o.strings("IP")
		if e != nil {
			return nil, e
		}
		if len(ips) == 0 || len(ips) == 1 && strings.EqualFold(ips[0], "auto") {
			ips = make([]string, amount)
			for i := range ips {
				ips[i] = "auto"
			}
		}
		if len(ips) != amount {
			return nil, errorf(400, "InvalidPrivateIpAddress.Malformed", "PrivateIp for %s has %d addresses for %d instances.", id, len(ips), amount)
		}
		first, last := pn.hostRange()
		taken := map[string]bool{}
		for _, ip := range ips {
			if strings.EqualFold(ip, "auto") {
				continue
			}
			n, ok := parseIPv4(ip)
			if !ok || n < first || n > last {
				return nil, errorf(400, "InvalidPrivateIpAddress.Malformed", "Specified private IP address %q is not a host address of %s.", ip, pn.cidr())
			}
			if taken[ip] {
				return nil, errorf(403, "InvalidIp.IpRepeated", "Private address %s is given twice.", ip)
			}
			if w.ipUsed(pn.ID, ip) {
				return nil, errorf(400, "InvalidPrivateIpAddress.Duplicated", "Specified private IP address %s is already in use.", ip)
			}
			taken[ip] = true
		}
		var plan []ipPlan
		next := first
		for _, ip := range ips {
			if !strings.EqualFold(ip, "auto") {
				plan = append(plan, ipPlan{pn.ID, pn.Name, ip})
				continue
			}
			for ; next <= last && (taken[ipString(next)] || w.ipUsed(pn.ID, ipString(next))); next++ {
			}
			if next > last {
				return nil, errorf(403, "InvalidIp.IpAssigned", "No free address is left in private network %s.", pn.cidr())
			}
			taken[ipString(next)] = true
			plan = append(plan, ipPlan{pn.ID, pn.Name, ipString(next)})
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

func (s *Server) deleteInstance(p params) (any, string, *apiError) {
	w := s.world
	ids, e := p.strings("InstanceIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("InstanceIds")
	}
	var targets []Target
	var list []*Instance
	for _, id := range ids {
		in, e := s.instanceParam(params{"InstanceId": id})
		if e != nil && (in == nil || in.TaskID != "" || in.Status != statusError) {
			return nil, "", e // a failed instance (error) can only be deleted
		}
		if in.DeletionProtection {
			return nil, "", errDeletionProtected(in.ID)
		}
		list = append(list, in)
		targets = append(targets, Target{Kind: "instance", ID: id, Op: opDelete})
	}
	for _, in := range list {
		markBusy(&in.Busy, statusDeleting, in.Status)
		w.touch("instance", in.ID)
		w.noteDeletedBackends(in)
	}
	return nil, s.newTask("DeleteInstance", targets...).ID, nil
}

func (s *Server) modifyInstanceChargeType(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	charge, e := p.need("InstanceChargeType")
	if e != nil {
		return nil, "", e
	}
	charge, ok := oneOf(charge, "PostPaid", "PrePaid")
	if !ok {
		return nil, "", errMalformed("InvalidInstanceChargeType.Malformed", "InstanceChargeType")
	}
	autoRenew, hasRenew, e := p.integer("AutoRenew")
	if e != nil {
		return nil, "", e
	}
	months, hasMonths, e := p.integer("PrepaidMonth")
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("ModifyInstanceChargeType", in, "", func() {
		in.ChargeType = charge
		if hasRenew {
			in.AutoRenew = autoRenew
		}
		if hasMonths {
			in.PrepaidMonth = months
		}
	}), nil
}

func (s *Server) modifyInstanceSpec(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	if !p.has("Cpu") && !p.has("Ram") && !p.has("InstanceType") {
		return nil, "", errIncomplete("Cpu, Ram or InstanceType")
	}
	cpu, ram, e := specParams(p, in.CPU, in.RAM, false)
	if e != nil {
		return nil, "", e
	}
	if !sizeOnSale(cpu, ram) {
		return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "%d vCPU with %d GB is not a size on sale: RAM must be 1 to 8 times the vCPUs.", cpu, ram)
	}
	itype := in.InstanceType
	if t := p.str("InstanceType"); t != "" {
		if !sells(in.Region, t) {
			return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "The specified InstanceType %q is not authorized.", t)
		}
		itype = t
	}
	if e := s.resizeOnHost(in, cpu, ram); e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("ModifyInstanceSpec", in, "", func() {
		in.CPU, in.RAM, in.InstanceType = cpu, ram, itype
		s.rebill(in)
	}), nil
}

func (s *Server) createDisk(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	if !p.has("DataDisks") {
		return nil, "", errIncomplete("DataDisks")
	}
	disks, e := parseDisks(p, "DataDisks")
	if e != nil {
		return nil, "", e
	}
	if len(in.DataDisks)+len(disks) > MaxDataDisks {
		return nil, "", errorf(400, "InvalidDataDiskSize.ValueNotSupported", "Instance %s would have %d data disks; at most %d are allowed.", in.ID, len(in.DataDisks)+len(disks), MaxDataDisks)
	}
	return nil, s.changeInstance("CreateDisk", in, "", func() {
		for _, d := range disks {
			in.DataDisks = append(in.DataDisks, s.newDisk(d))
		}
		s.rebill(in)
	}), nil
}

func (s *Server) dataDisk(in *Instance, id string) (int, *apiError) {
	for i, d := range in.DataDisks {
		if d.ID == id {
			return i, nil
		}
	}
	if !validID(id) {
		return 0, errMalformed("InvalidDiskId.Malformed", "DiskId")
	}
	return 0, errorf(400, "InvalidDiskId.NotFound", "Disk %s is not a data disk of instance %s.", id, in.ID)
}

func (s *Server) resizeDisk(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	diskID, e := p.need("DiskId")
	if e != nil {
		return nil, "", e
	}
	size, ok, e := p.integer("DataSize")
	if e != nil {
		return nil, "", e
	}
	if !ok {
		return nil, "", errIncomplete("DataSize")
	}
	i, e := s.dataDisk(in, diskID)
	if e != nil {
		return nil, "", e
	}
	d := in.DataDisks[i]
	if size < d.Size {
		return nil, "", errorf(403, "InvalidDiskSize.TooSmall", "Specified new disk size %d GB is less than the original disk size %d GB.", size, d.Size)
	}
	g, _ := diskGood(d.Type)
	if size > g.Max || (size-g.Min)%g.Step != 0 {
		return nil, "", errorf(400, "InvalidDataDiskSize.ValueNotSupported", "Disk size %d GB is beyond the permitted range of %s: up to %d GB in steps of %d.", size, g.Type, g.Max, g.Step)
	}
	return nil, s.changeInstance("ResizeDisk", in, "", func() {
		in.DataDisks[i].Size = size
		in.DataDisks[i].IOPS = g.iops(size, d.IOPSPacks)
		s.rebill(in)
	}), nil
}

func (s *Server) deleteDisk(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	ids, e := p.strings("DiskIds")
	if e != nil {
		return nil, "", e
	}
	if len(ids) == 0 {
		return nil, "", errIncomplete("DiskIds")
	}
	drop := map[string]bool{}
	for _, id := range ids {
		if _, e := s.dataDisk(in, id); e != nil {
			return nil, "", e
		}
		drop[id] = true
	}
	return nil, s.changeInstance("DeleteDisk", in, "", func() {
		kept := in.DataDisks[:0:0]
		for _, d := range in.DataDisks {
			if !drop[d.ID] {
				kept = append(kept, d)
			}
		}
		in.DataDisks = kept
		s.rebill(in)
	}), nil
}

func (s *Server) resetImage(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	image, e := p.need("ImageId")
	if e != nil {
		return nil, "", e
	}
	if !s.imageKnown(image, in.Region) {
		return nil, "", errorf(404, "InvalidLaunchTemplateVersion.NotFound", "Image %q is neither a public image nor a template ready in %s.", image, in.Region)
	}
	// The current documents require the new system's password, and the
	// image's own for a custom image.
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if !validPassword(pw) {
		return nil, "", errorf(400, "InvalidPassword.Malformed", "The specified parameter \"Password\" is not valid: 8–30 printable ASCII characters with at least three of upper case, lower case, digits and symbols.")
	}
	if e := s.needImagePassword(p, image); e != nil {
		return nil, "", e
	}
	opts, e := parseInstanceOptions(p)
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("ResetImage", in, statusRunning, func() {
		in.ImageID = image
		in.PasswordHash = hashSecret(pw)
		in.UserData, in.PublicKey = opts.userData, opts.publicKey
		// A reinstall keeps the system disk's type, packs and size (or the
		// new image's, if larger).
		d := in.SystemDisk
		g, _ := systemDiskGood(d.Type)
		in.SystemDisk = s.newDisk(diskSpec{g, max(d.Size, systemDiskSize(image)), d.IOPSPacks})
	}), nil
}

func (s *Server) describeInstances(p params) (any, string, *apiError) {
	w := s.world
	vdcID := p.str("VdcId")
	if vdcID != "" && !validID(vdcID) {
		return nil, "", errMalformed("InvalidVdcId.Malformed", "VdcId")
	}
	// InstanceId is one id (the SDK) or a list of them (the 2019 reference).
	ids, e := p.strings("InstanceId")
	if e != nil {
		return nil, "", e
	}
	for _, id := range ids {
		if !validID(id) {
			return nil, "", errMalformed("InvalidInstanceID.Malformed", "InstanceId")
		}
	}
	// PublicIp is a list now, one address in the 2019 reference.
	publicIPs, e := p.strings("PublicIp")
	if e != nil {
		return nil, "", e
	}
	vdcName, region, tag := p.str("VdcName"), p.str("RegionId"), p.str("TagName")
	number, size, e := p.page(10)
	if e != nil {
		return nil, "", e
	}
	candidates := w.instancesInVdc(vdcID)
	if len(ids) > 0 {
		candidates = w.instancesByID(ids)
	}
	var list []*Instance
	for _, in := range candidates {
		if vdcID != "" && in.VdcID != vdcID || region != "" && in.Region != region {
			continue
		}
		if len(publicIPs) > 0 && (in.PublicNIC == nil || !slices.Contains(publicIPs, in.PublicNIC.IP)) {
			continue
		}
		if vdcName != "" && (w.VDCs[in.VdcID] == nil || w.VDCs[in.VdcID].Name != vdcName) {
			continue
		}
		if tag != "" && !slices.Contains(w.tagNames(in.Tags), tag) {
			continue
		}
		list = append(list, in)
	}
	lo, hi, pages := paginate(len(list), number, size)
	out := instancesPage{PageNumber: number, PageCount: pages, Total: len(list), Instances: []instanceView{}}
	for _, in := range list[lo:hi] {
		out.Instances = append(out.Instances, s.instanceView(in))
	}
	return out, "", nil
}

func nicOf(n NIC, public bool) nicView {
	v := nicView{InterfaceID: n.ID, Name: n.Name, IP: n.IP, MAC: n.MAC}
	if n.Connected {
		v.Connected = 1
	}
	if public {
		v.PublicID = n.NetworkID
	} else {
		v.PrivateID = n.NetworkID
	}
	return v
}

func diskOf(d Disk) diskView {
	return diskView{DiskID: d.ID, DiskType: d.Type, Size: d.Size, IopsSize: d.IOPSPacks, Iops: d.IOPS}
}

func (s *Server) instanceView(in *Instance) instanceView {
	w := s.world
	vdcName := ""
	if v := w.VDCs[in.VdcID]; v != nil {
		vdcName = v.Name
	}
	system := diskOf(in.SystemDisk)
	system.DiskID = ""
	out := instanceView{InstanceID: in.ID, InstanceName: in.Name, InstanceStatus: in.Status,
		InstanceChargeType: in.ChargeType, InstanceChargeStatus: "success", VdcID: in.VdcID, VdcName: vdcName,
		RegionID: in.Region, CPU: in.CPU, RAM: in.RAM,
		Disks:                  disksView{SystemDisk: system, DataDisks: []diskView{}, LeftDataDiskNum: MaxDataDisks - len(in.DataDisks)},
		PublicNetworkInterface: []nicView{}, PrivateNetworkInterface: []nicView{}, Tags: []tagView{},
		CreateTime: in.Created.In(beijing).Format(monitorTimeFormat)}
	for _, d := range in.DataDisks {
		out.Disks.DataDisks = append(out.Disks.DataDisks, diskOf(d))
	}
	if in.PublicNIC != nil {
		out.PublicNetworkInterface = append(out.PublicNetworkInterface, nicOf(*in.PublicNIC, true))
	}
	for _, n := range in.PrivateNICs {
		out.PrivateNetworkInterface = append(out.PrivateNetworkInterface, nicOf(n, false))
	}
	for _, id := range in.Tags {
		if t := w.Tags[id]; t != nil {
			out.Tags = append(out.Tags, tagView{TagID: t.ID, TagName: t.Name})
		}
	}
	return out
}

// nicParam finds the NIC named by InterfaceId on an idle instance.
func (s *Server) nicParam(p params) (*Instance, *NIC, bool, *apiError) {
	id, e := p.need("InterfaceId")
	if e != nil {
		return nil, nil, false, e
	}
	if !validID(id) {
		return nil, nil, false, errMalformed("InvalidInterfaceID.Malformed", "InterfaceId")
	}
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, nil, false, e
	}
	if in.PublicNIC != nil && in.PublicNIC.ID == id {
		return in, in.PublicNIC, true, nil
	}
	for i := range in.PrivateNICs {
		if in.PrivateNICs[i].ID == id {
			return in, &in.PrivateNICs[i], false, nil
		}
	}
	return nil, nil, false, errorf(400, "InvalidInterfaceID.Malformed", "The specified parameter \"InterfaceID\" is not valid: %s is not an interface of instance %s.", id, in.ID)
}

func (s *Server) connectNetworkInterface(p params) (any, string, *apiError) {
	in, nic, _, e := s.nicParam(p)
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("ConnectNetworkInterface", in, "", func() { nic.Connected = true }), nil
}

func (s *Server) disconnectNetworkInterface(p params) (any, string, *apiError) {
	in, nic, _, e := s.nicParam(p)
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("DisconnectNetworkInterface", in, "", func() { nic.Connected = false }), nil
}

func (s *Server) modifyIPAddress(p params) (any, string, *apiError) {
	w := s.world
	in, nic, public, e := s.nicParam(p)
	if e != nil {
		return nil, "", e
	}
	addr, e := p.need("Address")
	if e != nil {
		return nil, "", e
	}
	// The current documents require the instance's password (the address
	// is written into the guest): it must be the right one.
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if !secretMatches(in.PasswordHash, pw) {
		return nil, "", errMalformed("InvalidPassword.Malformed", "Password")
	}
	if addr == "None" {
		w.noteMovedBackends(in, nic.IP, "none")
		return nil, s.changeInstance("ModifyIpAddress", in, "", func() {
			w.releaseIP(nic.NetworkID, nic.IP)
			nic.IP = ""
		}), nil
	}
	n, ok := parseIPv4(addr)
	if !ok {
		return nil, "", errorf(403, "InvalidIp.Address", "Address %q is not an IPv4 address.", addr)
	}
	if public {
		if pn := w.publicNetOf(in.VdcID, n); pn == nil || pn.ID != nic.NetworkID {
			return nil, "", errorf(403, "InvalidIp.Address", "Address %s is not in the public network of this interface.", addr)
		}
	} else {
		pn := w.Privates[nic.NetworkID]
		if first, last := pn.hostRange(); n < first || n > last {
			return nil, "", errorf(403, "InvalidIp.Address", "Address %s is not a host address of %s.", addr, pn.cidr())
		}
	}
	if addr == nic.IP {
		return nil, "", errorf(403, "InvalidIp.IpAssigned", "Address %s is already the address of this interface.", addr)
	}
	if w.ipUsed(nic.NetworkID, addr) {
		code := "InvalidPrivateIpAddress.Duplicated"
		if public {
			code = "InvalidPublicIpAddress.Duplicated"
		}
		return nil, "", errorf(400, code, "Specified IP address %s is already in use.", addr)
	}
	w.noteMovedBackends(in, nic.IP, addr)
	return nil, s.changeInstance("ModifyIpAddress", in, "", func() {
		w.releaseIP(nic.NetworkID, nic.IP)
		w.claimIP(nic.NetworkID, addr, in.ID)
		nic.IP = addr
	}), nil
}

// Monitor metrics the reference names.
var monitorMetrics = []string{"CPUUtilization", "RAMUtilization", "DiskWriteIOPS", "DiskReadIOPS", "DiskWriteBPS", "DiskReadBPS", "InterfaceInRate", "InterfaceOutRate"}

const monitorTimeFormat = "2006-01-02 15:04:05"

func (s *Server) describeInstanceMonitor(p params) (any, string, *apiError) {
	in, e := lookup(p, "InstanceId", s.world.Instances, "InvalidInstanceID.Malformed", errInstanceNotFound)
	if e != nil {
		return nil, "", e
	}
	metric, e := p.need("MetricName")
	if e != nil {
		return nil, "", e
	}
	if !slices.Contains(monitorMetrics, metric) {
		return nil, "", errorf(400, "InvalidMetricName.Malformed", "MetricName %q is not one of %v.", metric, monitorMetrics)
	}
	period, ok, e := p.integer("Period")
	if e != nil || !ok || (period != 60 && period != 900 && period != 3600) {
		return nil, "", errorf(400, "InvalidPeriod.Malformed", "Period must be 60, 900 or 3600.")
	}
	startS, e := p.need("StartTime")
	if e != nil {
		return nil, "", e
	}
	endS, e := p.need("EndTime")
	if e != nil {
		return nil, "", e
	}
	start, err1 := time.Parse(monitorTimeFormat, startS)
	end, err2 := time.Parse(monitorTimeFormat, endS)
	if err1 != nil || err2 != nil || !end.After(start) {
		return nil, "", errorf(400, "InvalidTime.Malformed", "StartTime and EndTime must be yyyy-MM-dd HH:mm:ss with EndTime after StartTime.")
	}
	if end.Sub(start)/time.Duration(period)/time.Second > 1440 {
		return nil, "", errorf(400, "InvalidTime.Malformed", "At most 1440 data points per request; shorten the range or raise Period.")
	}
	key := in.ID
	if strings.HasPrefix(metric, "Interface") {
		if id := p.str("InterfaceId"); id != "" {
			if _, _, _, e := s.nicParam(params{"InterfaceId": id, "InstanceId": in.ID}); e != nil && e.Code == "InvalidInterfaceID.Malformed" {
				return nil, "", e
			}
			key += "/" + id
		}
	}
	if strings.HasPrefix(metric, "Disk") {
		if id := p.str("DiskId"); id != "" {
			key += "/" + id
		}
	}
	out := monitorView{InstanceID: in.ID, Period: fmt.Sprint(period), DataPoints: []dataPointView{}}
	for t := start.Truncate(time.Duration(period) * time.Second); !t.After(end); t = t.Add(time.Duration(period) * time.Second) {
		if t.Before(start) {
			continue
		}
		out.DataPoints = append(out.DataPoints, dataPointView{Timestamp: t.Format(monitorTimeFormat),
			Value: float64(int(seriesValue(key, metric, t.Unix())*100)) / 100})
	}
	return out, "", nil
}
