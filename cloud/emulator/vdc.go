package emulator

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"time"
)

func init() {
	register("DescribeVdc", (*Server).describeVdc)
	register("CreateVdc", (*Server).createVdc)
	register("DeleteVdc", (*Server).deleteVdc)
	register("CreatePublicNetwork", (*Server).createPublicNetwork)
	register("CreatePrivateNetwork", (*Server).createPrivateNetwork)
	register("ModifyPublicNetwork", (*Server).modifyPublicNetwork)
	register("AddPublicIp", (*Server).addPublicIP)
	register("DeletePublicIp", (*Server).deletePublicIP)
	register("DeletePublicNetwork", (*Server).deletePublicNetwork)
	register("DeletePrivateNetwork", (*Server).deletePrivateNetwork)
	register("RenewPublicNetwork", (*Server).renewPublicNetwork)
	register("DescribeBandwidthTraffic", (*Server).describeBandwidthTraffic)
	register("ModifyVdcName", (*Server).modifyVdcName)
	register("DescribeTask", (*Server).describeTask)
}

// lookup finds the entity named by parameter name in m: a missing parameter,
// a malformed id and an unknown id each get their documented error.
func lookup[T any](p params, name string, m map[string]*T, malformed string, notFound func(string) *apiError) (*T, *apiError) {
	id, e := p.need(name)
	if e != nil {
		return nil, e
	}
	if !validID(id) {
		return nil, errMalformed(malformed, name)
	}
	x, ok := m[id]
	if !ok {
		return nil, notFound(id)
	}
	return x, nil
}

func notFoundAs(code, what string) func(string) *apiError {
	return func(id string) *apiError { return errorf(400, code, "The specified %s %s does not exist.", what, id) }
}

// idle refuses a change to a resource that a task is still changing.
func idle(b *Busy, code, what, id string) *apiError {
	if b.TaskID != "" || b.Status == statusCreating || b.Status == statusDeleting {
		return errorf(403, code, "The current status of the resource does not support this operation: %s %s is %s.", what, id, b.Status)
	}
	return nil
}

func (s *Server) describeVdc(p params) (any, string, *apiError) {
	w := s.world
	region := p.str("RegionId")
	if region != "" && Regions[region] == "" {
		return nil, "", errMalformed("InvalidRegionID.Malformed", "RegionId")
	}
	vdcID := p.str("VdcId")
	if vdcID != "" && !validID(vdcID) {
		return nil, "", errMalformed("InvalidVDCID.Malformed", "VdcId")
	}
	number, size, e := p.page(10)
	if e != nil {
		return nil, "", e
	}
	keyword := p.str("Keyword")
	var list []*VDC
	for _, v := range w.VDCs {
		if (region == "" || v.Region == region) && (vdcID == "" || v.ID == vdcID) &&
			(keyword == "" || strings.Contains(v.Name, keyword) || strings.Contains(v.ID, keyword)) {
			list = append(list, v)
		}
	}
	// An unknown or deleted VdcId is a success with no VDCs: the official
	// provider's destroy checks rely on it (the 2019 reference documented
	// VDCNotFound).
	sort.Slice(list, func(i, j int) bool {
		if !list[i].Created.Equal(list[j].Created) {
			return list[i].Created.Before(list[j].Created)
		}
		return list[i].ID < list[j].ID
	})
	lo, hi, pages := paginate(len(list), number, size)
	// Networks by VDC, in creation order.
	pubs := map[string][]*PublicNet{}
	for _, pn := range w.Publics {
		pubs[pn.VdcID] = append(pubs[pn.VdcID], pn)
	}
	privs := map[string][]*PrivateNet{}
	for _, pn := range w.Privates {
		privs[pn.VdcID] = append(privs[pn.VdcID], pn)
	}
	out := []vdcView{}
	for _, v := range list[lo:hi] {
		vd := vdcView{VdcID: v.ID, VdcName: v.Name, RegionID: v.Region, VdcStatus: v.Status,
			PublicNetwork: []publicNetView{}, PrivateNetwork: []privateNetView{}}
		ps := pubs[v.ID]
		sortByCreated(ps, func(p *PublicNet) (time.Time, string) { return p.Created, p.ID })
		for _, pn := range ps {
			vd.PublicNetwork = append(vd.PublicNetwork, s.publicOf(pn))
		}
		qs := privs[v.ID]
		sortByCreated(qs, func(p *PrivateNet) (time.Time, string) { return p.Created, p.ID })
		for _, pn := range qs {
			first, last := pn.Network, pn.Network+(uint32(1)<<(32-pn.Mask))-1
			vd.PrivateNetwork = append(vd.PrivateNetwork, privateNetView{
				PrivateID: pn.ID, Name: pn.Name, Status: pn.Status, UnuseIPNum: w.unusedPrivateIPs(pn),
				Segments: []string{fmt.Sprintf("%s/%d~%s/%d", ipString(first), pn.Mask, ipString(last), pn.Mask)},
			})
		}
		out = append(out, vd)
	}
	return vdcList{items: out, number: number, count: pages, total: len(list)}, "", nil
}

func (s *Server) publicOf(pn *PublicNet) publicNetView {
	v := publicNetView{PublicID: pn.ID, Name: pn.Name, Status: pn.Status, Type: pn.Type,
		Qos: pn.Qos, UnuseIPNum: s.world.unusedPublicIPs(pn), Segments: []segmentView{}}
	for _, seg := range pn.Segments {
		v.Segments = append(v.Segments, segmentView{SegmentID: seg.ID, Address: ipString(seg.Network),
			Mask: segmentMask(seg.Size), Gateway: ipString(seg.Network + 1)})
	}
	return v
}

func (s *Server) createVdc(p params) (any, string, *apiError) {
	w := s.world
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	if len(w.VDCs) >= s.opts.MaxVDCs {
		return nil, "", errorf(400, "QuotaExceed.Vdc", "The maximum number of Vdc (%d) is exceeded.", s.opts.MaxVDCs)
	}
	var pub *publicSpec
	objs, e := p.objects("PublicNetwork")
	if e != nil {
		return nil, "", e
	}
	if len(objs) > 1 {
		return nil, "", errMalformed("InvalidPublicNetwork.Malformed", "PublicNetwork")
	}
	// An empty object, as the official provider sends it, means none.
	if len(objs) == 1 && !objs[0].empty() {
		pp := objs[0]
		if !pp.has("IPNum") && pp.has("Ip") {
			pp["IPNum"] = pp["Ip"]
		}
		if pub, e = parsePublicSpec(pp); e != nil {
			return nil, "", e
		}
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "Account.Arrearage", "Your account has been in arrears.")
	}
	now := s.now()
	v := &VDC{ID: w.newID(), Region: region, Name: p.str("VdcName"), Created: now}
	if v.Name == "" {
		v.Name = v.ID
	}
	targets := []Target{{Kind: "vdc", ID: v.ID, Op: opCreate}}
	var pn *PublicNet
	if pub != nil {
		var e *apiError
		if pn, e = s.buildPublicNet(v, pub, now); e != nil {
			return nil, "", e
		}
		targets = append(targets, Target{Kind: "public", ID: pn.ID, Op: opCreate})
	}
	markBusy(&v.Busy, statusCreating, statusOK)
	w.VDCs[v.ID] = v
	w.touch("vdc", v.ID)
	if pn != nil {
		s.addPublicNet(pn, now)
	}
	return nil, s.newTask("CreateVdc", targets...).ID, nil
}

func (s *Server) deleteVdc(p params) (any, string, *apiError) {
	w := s.world
	v, e := s.idleVdc(p, "InvalidVdcId.Malformed")
	if e != nil {
		return nil, "", e
	}
	var held []string
	for _, pn := range w.Publics {
		if pn.VdcID == v.ID {
			held = append(held, "public network "+pn.ID)
		}
	}
	for _, pn := range w.Privates {
		if pn.VdcID == v.ID {
			held = append(held, "private network "+pn.ID)
		}
	}
	for _, in := range w.Instances {
		if in.VdcID == v.ID {
			held = append(held, "instance "+in.ID)
		}
	}
	for _, lb := range w.LBs {
		if lb.VdcID == v.ID {
			held = append(held, "load balancer "+lb.ID)
		}
	}
	if len(held) > 0 {
		sort.Strings(held)
		return nil, "", errorf(403, "IncorrectVdcStatus", "The current Status of the resource does not support this operation: Vdc %s still has %s.", v.ID, strings.Join(held, ", "))
	}
	markBusy(&v.Busy, statusDeleting, v.Status)
	w.touch("vdc", v.ID)
	return nil, s.newTask("DeleteVdc", Target{Kind: "vdc", ID: v.ID, Op: opDelete}).ID, nil
}

// modifyVdcName renames a VDC at once; the documents answer an empty TaskId.
func (s *Server) modifyVdcName(p params) (any, string, *apiError) {
	v, e := s.idleVdc(p, "InvalidVdcId.Malformed")
	if e != nil {
		return nil, "", e
	}
	name, e := p.need("VdcName")
	if e != nil {
		return nil, "", e
	}
	if len([]rune(name)) > 64 {
		return nil, "", errMalformed("InvalidVdcName.Malformed", "VdcName")
	}
	v.Name = name
	s.world.touch("vdc", v.ID)
	for key, bill := range s.world.Ledger {
		if bill.VdcID == v.ID && bill.Deleted.IsZero() {
			bill.VdcName = name
			s.world.touch("ledger", key)
		}
	}
	return nil, "", nil
}

// idleVdc finds the VDC named by VdcId (malformed: the action's documented
// code for a bad id) and refuses one that a task is changing.
func (s *Server) idleVdc(p params, malformed string) (*VDC, *apiError) {
	v, e := lookup(p, "VdcId", s.world.VDCs, malformed, errVdcNotFound)
	if e != nil {
		return nil, e
	}
	return v, idle(&v.Busy, "IncorrectVdcStatus", "Vdc", v.ID)
}

// publicSpec is a validated public network request.
type publicSpec struct {
	name, typ, method          string
	qos, ipNum, autoRenew, flt int
}

func parsePublicSpec(p params) (*publicSpec, *apiError) {
	spec := &publicSpec{name: p.str("Name"), autoRenew: 1}
	var e *apiError
	var ok bool
	if spec.typ, e = p.need("Type"); e != nil {
		return nil, e
	}
	spec.typ, ok = oneOf(spec.typ, BandwidthTypes...)
	if !ok {
		return nil, errMalformed("InvalidPublicNetwork.Type.Malformed", "PublicNetwork.Type")
	}
	spec.method = p.str("BillingMethod")
	if spec.method == "" {
		spec.method = "Bandwidth"
	}
	spec.method, ok = oneOf(spec.method, BillingMethods...)
	if !ok {
		return nil, errMalformed("InvalidPublicNetwork.BillingMethod.Malformed", "PublicNetwork.BillingMethod")
	}
	qos, ok, e := p.integer("Qos")
	if e != nil || !ok || !qosValid(spec.method, qos) {
		return nil, errMalformed("InvalidPublicNetwork.Bandwidth.Malformed", "PublicNetwork.Qos")
	}
	spec.qos = qos
	n, ok, e := p.integer("IPNum")
	if e != nil || !ok || !slices.Contains(IPCounts, n) {
		return nil, errMalformed("InvalidPublicNetwork.Ip.Malformed", "PublicNetwork.Ip")
	}
	spec.ipNum = n
	if v, ok, e := p.integer("AutoRenew"); e != nil {
		return nil, e
	} else if ok {
		if v != 0 && v != 1 {
			return nil, errMalformed("InvalidParameter.AutoRenew", "AutoRenew")
		}
		spec.autoRenew = v
	}
	if v, ok, e := p.integer("FloatBandwidth"); e != nil {
		return nil, e
	} else if ok {
		spec.flt = v
	}
	if spec.method == "Bandwidth_95" && spec.flt == 0 {
		spec.flt = spec.qos * 6 / 5
	}
	return spec, nil
}

// buildPublicNet allocates a public network's first segment.
func (s *Server) buildPublicNet(v *VDC, spec *publicSpec, now time.Time) (*PublicNet, *apiError) {
	w := s.world
	network, ok := w.allocSegment(spec.ipNum)
	if !ok {
		return nil, errorf(403, "InvalidPublicNetwork.Ip.NotEnough", "No public addresses are left in the pool.")
	}
	pn := &PublicNet{ID: w.newID(), VdcID: v.ID, Name: spec.name, Type: spec.typ, BillingMethod: spec.method,
		Qos: spec.qos, AutoRenew: spec.autoRenew, FloatBandwidth: spec.flt, Created: now,
		Segments: []Segment{{ID: w.newID(), Network: network, Size: spec.ipNum}}}
	if pn.Name == "" {
		n := 1
		for _, o := range w.Publics {
			if o.VdcID == v.ID {
				n++
			}
		}
		pn.Name = fmt.Sprintf("公网%d", n)
	}
	markBusy(&pn.Busy, statusCreating, statusOK)
	return pn, nil
}

// addPublicNet adds pn to the world and opens its bills.
func (s *Server) addPublicNet(pn *PublicNet, now time.Time) {
	w := s.world
	w.Publics[pn.ID] = pn
	w.touch("public", pn.ID)
	v := w.VDCs[pn.VdcID]
	w.ledgerOpen(&LedgerEntry{ResourceID: pn.ID, Name: pn.Name, Type: "wan", Region: v.Region, VdcID: v.ID, VdcName: v.Name,
		HourlyPrice: float64(pn.Qos) * pricePerMbpsHour, Config: fmt.Sprintf("带宽:%dMbps,类型:%s", pn.Qos, pn.Type), Created: now})
	for _, seg := range pn.Segments {
		s.openSegmentBill(pn, seg, now)
	}
}

func (s *Server) openSegmentBill(pn *PublicNet, seg Segment, now time.Time) {
	v := s.world.VDCs[pn.VdcID]
	s.world.ledgerOpen(&LedgerEntry{ResourceID: seg.ID, Name: "ip", Type: "ip", Region: v.Region, VdcID: v.ID, VdcName: v.Name,
		HourlyPrice: float64(seg.Size) * pricePerIPHour, Config: fmt.Sprintf("IP:%s/%d", ipString(seg.Network), segmentMask(seg.Size)),
		Created: now, IPs: []string{fmt.Sprintf("%s/%d", ipString(seg.Network), segmentMask(seg.Size))}})
}

func (s *Server) createPublicNetwork(p params) (any, string, *apiError) {
	v, e := s.idleVdc(p, "InvalidVdcId.Malformed")
	if e != nil {
		return nil, "", e
	}
	spec, e := parsePublicSpec(p)
	if e != nil {
		return nil, "", e
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "Account.Arrearage", "Your account has been in arrears.")
	}
	now := s.now()
	pn, e := s.buildPublicNet(v, spec, now)
	if e != nil {
		return nil, "", e
	}
	s.addPublicNet(pn, now)
	return nil, s.newTask("CreatePublicNetwork", Target{Kind: "public", ID: pn.ID, Op: opCreate}).ID, nil
}

func (s *Server) createPrivateNetwork(p params) (any, string, *apiError) {
	w := s.world
	v, e := s.idleVdc(p, "InvalidVDCID.Malformed")
	if e != nil {
		return nil, "", e
	}
	count := 0
	for _, pn := range w.Privates {
		if pn.VdcID == v.ID {
			count++
		}
	}
	if count >= s.opts.MaxPrivateNetworks {
		return nil, "", errorf(400, "QuotaExceed.PrivateNetwork", "The maximum number of PrivateNetwork (%d) is exceeded.", s.opts.MaxPrivateNetworks)
	}
	pn := &PrivateNet{ID: w.newID(), VdcID: v.ID, Name: p.str("Name"), Type: p.str("Type"), Created: s.now()}
	if pn.Type == "" {
		pn.Type = "auto"
	}
	if t, ok := oneOf(pn.Type, "auto", "manual"); ok {
		pn.Type = t
	} else {
		return nil, "", errMalformed("InvalidPrivateNetworkType.Malformed", "Type")
	}
	if pn.Name == "" {
		pn.Name = fmt.Sprintf("私网%d", count+1)
	}
	if addr := p.str("Address"); addr != "" {
		network, ok := parseIPv4(addr)
		mask, hasMask, me := p.integer("Mask")
		if !hasMask {
			mask, hasMask = 24, true
		}
		if !ok || me != nil || mask < 8 || mask > 29 || network&(uint32(1)<<(32-mask)-1) != 0 || !privateRange(network, mask) {
			return nil, "", errorf(400, "InvalidPrivateIpAddress.Malformed", "Specified private network %s/%s is malformed: want an aligned RFC 1918 network with a mask of 8–29.", addr, p.str("Mask"))
		}
		if w.overlaps(v.ID, network, mask) {
			return nil, "", errorf(400, "InvalidPrivateIpAddress.Duplicated", "Specified private network %s/%d overlaps another private network of Vdc %s.", addr, mask, v.ID)
		}
		pn.Network, pn.Mask = network, mask
	} else {
		found := false
		for k := uint32(0); k < 256 && !found; k++ {
			if network := 10<<24 | k<<16; !w.overlaps(v.ID, network, 16) {
				pn.Network, pn.Mask, found = network, 16, true
			}
		}
		if !found {
			return nil, "", errorf(400, "InvalidPrivateIpAddress.Duplicated", "No free 10.x.0.0/16 network is left in Vdc %s.", v.ID)
		}
	}
	markBusy(&pn.Busy, statusCreating, statusOK)
	w.Privates[pn.ID] = pn
	w.touch("private", pn.ID)
	return nil, s.newTask("CreatePrivateNetwork", Target{Kind: "private", ID: pn.ID, Op: opCreate}).ID, nil
}

func (s *Server) publicParam(p params, malformed string) (*PublicNet, *apiError) {
	pn, e := lookup(p, "PublicId", s.world.Publics, malformed, notFoundAs("PublicNetworkNotFound", "public network"))
	if e != nil {
		return nil, e
	}
	return pn, idle(&pn.Busy, "IncorrectPublicNetworkStatus", "public network", pn.ID)
}

// updatePublic starts a task that changes pn; apply runs unless the task will fail.
func (s *Server) updatePublic(action string, pn *PublicNet, apply func()) string {
	prev := pn.Status
	t := s.newTask(action, Target{Kind: "public", ID: pn.ID, Op: opUpdate})
	if !t.Fail {
		apply()
	}
	markBusy(&pn.Busy, statusUpdating, prev)
	s.world.touch("public", pn.ID)
	return t.ID
}

func (s *Server) modifyPublicNetwork(p params) (any, string, *apiError) {
	pn, e := s.publicParam(p, "InvalidPublicNetworkID.Malformed")
	if e != nil {
		return nil, "", e
	}
	qos, ok, e := p.integer("Qos")
	if e != nil || !ok {
		return nil, "", errIncomplete("Qos")
	}
	if !qosValid(pn.BillingMethod, qos) {
		return nil, "", errMalformed("InvalidPublicNetwork.Bandwidth.Malformed", "Qos")
	}
	now := s.now()
	return nil, s.updatePublic("ModifyPublicNetwork", pn, func() {
		pn.Qos = qos
		// Bill the old bandwidth until now, the new one from now on.
		if e, ok := s.world.Ledger[pn.ID]; ok && s.world.archiveBill(pn.ID, now) {
			ne := *e
			ne.Key, ne.Created, ne.Deleted = "", now, time.Time{}
			ne.HourlyPrice = float64(qos) * pricePerMbpsHour
			ne.Config = fmt.Sprintf("带宽:%dMbps,类型:%s", qos, pn.Type)
			s.world.ledgerOpen(&ne)
		}
	}), nil
}

func (s *Server) addPublicIP(p params) (any, string, *apiError) {
	pn, e := s.publicParam(p, "InvalidPublicNetwork.IP.Malformed")
	if e != nil {
		return nil, "", e
	}
	n, ok, e := p.integer("Number")
	if e != nil || !ok || !slices.Contains(IPCounts, n) {
		return nil, "", errMalformed("InvalidPublicNetwork.IP.Malformed", "Number")
	}
	network, ok := s.world.allocSegment(n)
	if !ok {
		return nil, "", errorf(403, "InvalidPublicNetwork.Ip.NotEnough", "No public addresses are left in the pool.")
	}
	now := s.now()
	return nil, s.updatePublic("AddPublicIp", pn, func() {
		seg := Segment{ID: s.world.newID(), Network: network, Size: n}
		pn.Segments = append(pn.Segments, seg)
		s.openSegmentBill(pn, seg, now)
	}), nil
}

func (s *Server) deletePublicIP(p params) (any, string, *apiError) {
	w := s.world
	id, e := p.need("SegmentId")
	if e != nil {
		return nil, "", e
	}
	if !validID(id) {
		return nil, "", errMalformed("InvalidIpId.Malformed", "SegmentId")
	}
	for _, pn := range w.Publics {
		for i, seg := range pn.Segments {
			if seg.ID != id {
				continue
			}
			if e := idle(&pn.Busy, "IncorrectPublicNetworkStatus", "public network", pn.ID); e != nil {
				return nil, "", e
			}
			for ip := seg.Network + 2; seg.usable(ip); ip++ {
				if owner, used := w.usedIPs[ipKey(pn.ID, ipString(ip))]; used {
					return nil, "", errorf(403, "IncorrectPublicNetworkStatus", "Segment %s is in use: %s is bound to instance %s.", id, ipString(ip), owner)
				}
			}
			if len(pn.Segments) == 1 {
				return nil, "", errorf(403, "IncorrectPublicNetworkStatus", "Segment %s is the last of public network %s; delete the network instead.", id, pn.ID)
			}
			now := s.now()
			return nil, s.updatePublic("DeletePublicIp", pn, func() {
				pn.Segments = append(pn.Segments[:i:i], pn.Segments[i+1:]...)
				w.ledgerClose(id, now)
			}), nil
		}
	}
	return nil, "", notFoundAs("InvalidIpId.NotFound", "segment")(id)
}

func (s *Server) deletePublicNetwork(p params) (any, string, *apiError) {
	pn, e := s.publicParam(p, "InvalidPublicID.Malformed")
	if e != nil {
		return nil, "", e
	}
	// The current documents answer {"Code":"Success"}: the network is
	// deleted in the background, with no TaskId to wait on; it shows
	// "deleting" until it is gone.
	_, _, e = s.deleteNetwork("DeletePublicNetwork", "public", "IncorrectPublicNetworkStatus", "Public network", &pn.Busy, pn.ID)
	return nil, "", e
}

// deleteNetwork refuses a network that still has addresses bound to
// instances, and starts deleting it otherwise.
func (s *Server) deleteNetwork(action, bucket, code, what string, b *Busy, id string) (any, string, *apiError) {
	if n := s.world.ipCount[id]; n > 0 {
		return nil, "", errorf(403, code, "%s %s still has %d address(es) bound to instances.", what, id, n)
	}
	markBusy(b, statusDeleting, b.Status)
	s.world.touch(bucket, id)
	return nil, s.newTask(action, Target{Kind: bucket, ID: id, Op: opDelete}).ID, nil
}

func (s *Server) deletePrivateNetwork(p params) (any, string, *apiError) {
	pn, e := lookup(p, "PrivateId", s.world.Privates, "InvalidPrivateId.Malformed", notFoundAs("PrivateNetworkNotFound", "private network"))
	if e != nil {
		return nil, "", e
	}
	if e := idle(&pn.Busy, "IncorrectPrivateNetworkStatus", "private network", pn.ID); e != nil {
		return nil, "", e
	}
	return s.deleteNetwork("DeletePrivateNetwork", "private", "IncorrectPrivateNetworkStatus", "Private network", &pn.Busy, pn.ID)
}

func (s *Server) renewPublicNetwork(p params) (any, string, *apiError) {
	pn, e := s.publicParam(p, "InvalidPublicId.Malformed")
	if e != nil {
		return nil, "", e
	}
	v, ok, e := p.integer("AutoRenew")
	if e != nil || !ok || (v != 0 && v != 1) {
		return nil, "", errMalformed("InvalidParameter.AutoRenew", "AutoRenew")
	}
	pn.AutoRenew = v
	s.world.touch("public", pn.ID)
	// The reference's answer has no TaskId: the change is immediate.
	return nil, "", nil
}

func (s *Server) describeBandwidthTraffic(p params) (any, string, *apiError) {
	id, e := p.need("NetworkId")
	if e != nil {
		return nil, "", e
	}
	if !validID(id) {
		return nil, "", errMalformed("InvalidPublicId.Malformed", "NetworkId")
	}
	maxQos := 0
	if pn, ok := s.world.Publics[id]; ok {
		maxQos = pn.Qos
	} else if _, ok := s.world.Privates[id]; ok {
		maxQos = 10000
	} else {
		return nil, "", notFoundAs("InvalidPublicId.NotFound", "network")(id)
	}
	// A seeded series: the same network and five-minute window always give the same numbers.
	window := s.now().Unix() / 300
	in := seriesValue(id, "in", window) * float64(maxQos) * 1e6 / 100
	out := seriesValue(id, "out", window) * float64(maxQos) * 1e6 / 100
	d := trafficView{MaxQos: maxQos}
	d.LastFiveMinutesUsage.Inbps = round3(in)
	d.LastFiveMinutesUsage.Outbps = round3(out)
	return d, "", nil
}

// seriesValue is a deterministic pseudo-random percentage in [0, 100) for a
// (key, metric, slot) triple.
func seriesValue(key, metric string, slot int64) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", key, metric, slot)
	return float64(h.Sum64()%10000) / 100
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
