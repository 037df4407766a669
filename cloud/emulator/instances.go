package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cdstack/cdstack/cloud"
)

func init() {
	register("CreateInstance", (*Server).createInstance)
	register("DeleteInstance", (*Server).deleteInstance)
	register("StopInstance", (*Server).stopInstance)
	register("RebootInstance", (*Server).rebootInstance)
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
	if in.TaskID != "" || in.Status == statusCreating || in.Status == statusDeleting || in.Status == statusUpdating {
		return nil, errInstanceBusy(in.ID, in.Status)
	}
	return in, nil
}

// changeInstance starts a task that changes in. apply runs unless the task
// will fail; next is the status once the task settles ("" keeps it).
func (s *Server) changeInstance(action string, in *Instance, next string, apply func()) string {
	prev := in.Status
	t := s.newTask(action, Target{Kind: "instance", ID: in.ID, Op: opUpdate})
	if t.Fail || next == "" {
		next = prev
	}
	if !t.Fail && apply != nil {
		apply()
	}
	markBusy(&in.Busy, statusUpdating, next)
	s.world.touch("instance", in.ID)
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

// parseDisks validates a DataDisks list.
func parseDisks(p params, name string) ([]DiskGood, []int, *apiError) {
	objs, e := p.objects(name)
	if e != nil {
		return nil, nil, e
	}
	var goods []DiskGood
	var sizes []int
	for _, o := range objs {
		// The reference spells the keys Size/Type in requests and size/type in answers.
		for _, k := range []string{"size", "type"} {
			if _, ok := o[k]; ok {
				o[strings.ToUpper(k[:1])+k[1:]] = o[k]
			}
		}
		g, ok := diskGood(o.str("Type"))
		if !ok {
			return nil, nil, errorf(400, "InvalidInstanceTypeDisk.ValueUnauthorized", "The specified disk type %q is not authorized; use one of ssd_disk, high_disk, big_disk.", o.str("Type"))
		}
		size, has, e := o.integer("Size")
		if e != nil || !has || size < g.Min || size > g.Max || (size-g.Min)%g.Step != 0 {
			return nil, nil, errorf(400, "InvalidDataDiskSize.ValueNotSupported", "The specified DataDisk size %s is beyond the permitted range of %s: %d–%d GB in steps of %d.", o.str("Size"), g.Type, g.Min, g.Max, g.Step)
		}
		goods = append(goods, g)
		sizes = append(sizes, size)
	}
	return goods, sizes, nil
}

func (s *Server) newDisk(g DiskGood, size int) Disk {
	return Disk{ID: s.world.newID(), Size: size, Type: g.Type, IOPS: min(size*g.IOPSPerGB, g.MaxIOPS)}
}

// ipPlan is an address chosen for a new NIC before anything is claimed.
type ipPlan struct {
	networkID, name, ip string
}

func (s *Server) createInstance(p params) (any, string, *apiError) {
	w := s.world
	region, e := p.need("RegionId")
	if e != nil {
		return nil, "", e
	}
	if Regions[region] == "" {
		return nil, "", errMalformed("InvalidRegionId.Malformed", "RegionId")
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
	if charge != "PostPaid" && charge != "PrePaid" {
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
	if !slices.Contains(InstanceTypes, itype) {
		return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "The specified InstanceType %q is not authorized.", itype)
	}
	image := p.str("ImageId")
	if image == "" {
		image = "Centos_7.4_64"
	}
	if !s.imageKnown(image, region) {
		return nil, "", errorf(404, "InvalidLaunchTemplateVersion.NotFound", "Image %q is neither a public image nor a template ready in %s.", image, region)
	}
	goods, sizes, e := parseDisks(p, "DataDisks")
	if e != nil {
		return nil, "", e
	}
	if len(goods) > MaxDataDisks {
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
	publics, e := s.planPublicIPs(p, v, amount)
	if e != nil {
		return nil, "", e
	}
	privates, e := s.planPrivateIPs(p, v, amount)
	if e != nil {
		return nil, "", e
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "NotEnoughBalance", "Your account does not have enough balance.")
	}

	now := s.clock.Now()
	var targets []Target
	for i := 0; i < amount; i++ {
		w.seq++
		in := &Instance{ID: w.newID(), Seq: w.seq, Name: name, VdcID: v.ID, Region: region, ChargeType: charge,
			AutoRenew: autoRenew, PrepaidMonth: prepaid, InstanceType: itype, ImageID: image, CPU: cpu, RAM: ram,
			PasswordHash: hashSecret(pw), Created: now, DataDisks: []Disk{}, PrivateNICs: []NIC{}}
		if in.Name == "" {
			in.Name = in.ID
		} else if amount > 1 {
			in.Name = fmt.Sprintf("%s-%d", name, i+1)
		}
		in.SystemDisk = Disk{ID: w.newID(), Size: systemDiskSize(image), Type: "ssd_disk", IOPS: 600}
		for j, g := range goods {
			in.DataDisks = append(in.DataDisks, s.newDisk(g, sizes[j]))
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
	}
	return nil, s.newTask("CreateInstance", targets...).ID, nil
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
	price := float64(in.CPU)*pricePerCPUHour + float64(in.RAM)*pricePerGBRAMHour + float64(disk)*pricePerGBDiskHour
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
	now := s.clock.Now()
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
		if e != nil {
			return nil, "", e
		}
		list = append(list, in)
		targets = append(targets, Target{Kind: "instance", ID: id, Op: opDelete})
	}
	for _, in := range list {
		markBusy(&in.Busy, statusDeleting, in.Status)
		w.touch("instance", in.ID)
	}
	return nil, s.newTask("DeleteInstance", targets...).ID, nil
}

func (s *Server) stopInstance(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	if in.Status != statusRunning {
		return nil, "", errInstanceBusy(in.ID, in.Status)
	}
	return nil, s.changeInstance("StopInstance", in, statusStopped, nil), nil
}

func (s *Server) rebootInstance(p params) (any, string, *apiError) {
	in, e := s.instanceParam(p)
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("RebootInstance", in, statusRunning, nil), nil
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
	if charge != "PostPaid" && charge != "PrePaid" {
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
	if !p.has("Cpu") && !p.has("Ram") {
		return nil, "", errIncomplete("Cpu or Ram")
	}
	cpu, ram, e := specParams(p, in.CPU, in.RAM, false)
	if e != nil {
		return nil, "", e
	}
	return nil, s.changeInstance("ModifyInstanceSpec", in, "", func() {
		in.CPU, in.RAM = cpu, ram
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
	goods, sizes, e := parseDisks(p, "DataDisks")
	if e != nil {
		return nil, "", e
	}
	if len(in.DataDisks)+len(goods) > MaxDataDisks {
		return nil, "", errorf(400, "InvalidDataDiskSize.ValueNotSupported", "Instance %s would have %d data disks; at most %d are allowed.", in.ID, len(in.DataDisks)+len(goods), MaxDataDisks)
	}
	return nil, s.changeInstance("CreateDisk", in, "", func() {
		for i, g := range goods {
			in.DataDisks = append(in.DataDisks, s.newDisk(g, sizes[i]))
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
		in.DataDisks[i].IOPS = min(size*g.IOPSPerGB, g.MaxIOPS)
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
	return nil, s.changeInstance("ResetImage", in, statusRunning, func() {
		in.ImageID = image
		in.SystemDisk = Disk{ID: s.world.newID(), Size: systemDiskSize(image), Type: "ssd_disk", IOPS: 600}
	}), nil
}

func (s *Server) describeInstances(p params) (any, string, *apiError) {
	w := s.world
	vdcID := p.str("VdcId")
	if vdcID != "" && !validID(vdcID) {
		return nil, "", errMalformed("InvalidVdcId.Malformed", "VdcId")
	}
	ids, e := p.strings("InstanceId")
	if e != nil {
		return nil, "", e
	}
	for _, id := range ids {
		if !validID(id) {
			return nil, "", errMalformed("InvalidInstanceID.Malformed", "InstanceId")
		}
	}
	publicIP := p.str("PublicIp")
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
		if vdcID != "" && in.VdcID != vdcID {
			continue
		}
		if publicIP != "" && (in.PublicNIC == nil || in.PublicNIC.IP != publicIP) {
			continue
		}
		list = append(list, in)
	}
	lo, hi, pages := paginate(len(list), number, size)
	out := cloud.DescribeInstancesData{PageNumber: cloud.Int(number), PageCount: cloud.Int(pages), Instances: []cloud.Instance{}}
	for _, in := range list[lo:hi] {
		out.Instances = append(out.Instances, s.instanceView(in))
	}
	return out, "", nil
}

func nicView(n NIC, public bool) cloud.NetworkInterface {
	v := cloud.NetworkInterface{InterfaceID: n.ID, Name: n.Name, IP: n.IP, MAC: n.MAC}
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

func diskView(d Disk) cloud.Disk {
	return cloud.Disk{DiskID: d.ID, Size: cloud.Int(d.Size), Type: d.Type, IOPS: cloud.Int(d.IOPS)}
}

func (s *Server) instanceView(in *Instance) cloud.Instance {
	v := s.world.VDCs[in.VdcID]
	vdcName := ""
	if v != nil {
		vdcName = v.Name
	}
	out := cloud.Instance{InstanceID: in.ID, InstanceName: in.Name, InstanceStatus: in.Status,
		InstanceChargeType: in.ChargeType, InstanceChargeStatus: "success", VdcID: in.VdcID, VdcName: vdcName,
		RegionID: in.Region, CPU: cloud.Int(in.CPU), RAM: cloud.Int(in.RAM), InstanceType: in.InstanceType, ImageID: in.ImageID,
		Disks: cloud.InstanceDisks{SystemDisk: diskView(in.SystemDisk), DataDisks: []cloud.Disk{},
			LeftDataDiskNum: cloud.Int(MaxDataDisks - len(in.DataDisks))},
		PublicNetworkInterface:  &cloud.NetworkInterface{},
		PrivateNetworkInterface: []cloud.NetworkInterface{},
	}
	for _, d := range in.DataDisks {
		out.Disks.DataDisks = append(out.Disks.DataDisks, diskView(d))
	}
	if in.PublicNIC != nil {
		n := nicView(*in.PublicNIC, true)
		out.PublicNetworkInterface = &n
	}
	for _, n := range in.PrivateNICs {
		out.PrivateNetworkInterface = append(out.PrivateNetworkInterface, nicView(n, false))
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
	if addr == "None" {
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
	out := cloud.MonitorData{InstanceID: in.ID, Period: cloud.Str(fmt.Sprint(period)), DataPoints: []cloud.DataPoint{}}
	for t := start.Truncate(time.Duration(period) * time.Second); !t.After(end); t = t.Add(time.Duration(period) * time.Second) {
		if t.Before(start) {
			continue
		}
		out.DataPoints = append(out.DataPoints, cloud.DataPoint{Timestamp: t.Format(monitorTimeFormat),
			Value: cloud.Float(float64(int(seriesValue(key, metric, t.Unix())*100)) / 100)})
	}
	return out, "", nil
}
