package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

func init() {
	register("AllocateDedicatedHosts", (*Server).allocateDedicatedHosts)
	register("DescribeDedicatedHosts", (*Server).describeDedicatedHosts)
	register("DescribeDedicatedHostTypes", (*Server).describeDedicatedHostTypes)
}

// A DedicatedHost (专有宿主机) is a physical host bought for one account,
// which instances are placed on with CreateInstance's DedicatedHostId. The
// official SDK is the only source for its three actions (no current
// document describes them): AllocateDedicatedHosts answers the new ids at
// once, without a task; nothing releases a host (a prepaid host is
// released in the console when its term ends).
type DedicatedHost struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Type         string    `json:"type"` // a host type's VmTypeId
	Region       string    `json:"region"`
	GoodsID      int       `json:"goods_id"`
	CPU          int       `json:"cpu"`
	RAM          int       `json:"ram"`
	Limit        int       `json:"limit"` // the overcommit ratio of its vCPUs
	PrepaidMonth int       `json:"prepaid_month"`
	AutoRenew    int       `json:"auto_renew"`
	Status       string    `json:"status"`
	Created      time.Time `json:"created"`
}

// A hostType is a kind of dedicated host on sale: what
// DescribeDedicatedHostTypes lists and AllocateDedicatedHosts accepts.
type hostType struct {
	ID, Name, Description, Family, Spec, Rule, BillScheme string
	GoodsID, CPU, RAM, Sort                               int
	// regions sell it; nil: every region.
	regions []string
}

// hostTypes are the emulator's dedicated host catalogue: the compute type
// only where the second-generation instance types are sold.
var hostTypes = []hostType{
	{ID: "ded_standard", Name: "标准型专有宿主机", Description: "48 vCPU, 192 GB", Family: "standard", Spec: "ded_standard_c48m192",
		Rule: "1:4", BillScheme: "bs-ded-standard", GoodsID: 6195, CPU: 48, RAM: 192, Sort: 1},
	{ID: "ded_memory", Name: "内存型专有宿主机", Description: "48 vCPU, 384 GB", Family: "memory", Spec: "ded_memory_c48m384",
		Rule: "1:8", BillScheme: "bs-ded-memory", GoodsID: 6196, CPU: 48, RAM: 384, Sort: 2},
	{ID: "ded_compute", Name: "计算型专有宿主机", Description: "96 vCPU, 192 GB", Family: "compute", Spec: "ded_compute_c96m192",
		Rule: "1:2", BillScheme: "bs-ded-compute", GoodsID: 6197, CPU: 96, RAM: 192, Sort: 3, regions: g2Regions},
}

// MaxHostLimit is the largest overcommit ratio (DedicatedHostLimit) a host
// takes; the SDK is silent, so this is the emulator's choice.
const MaxHostLimit = 4

// MaxPrepaidMonth is the most months a prepaid purchase buys at once (0
// buys to the end of this month), for hosts as the stack schema says for
// instances.
const MaxPrepaidMonth = 36

// hostStatusRunning is a host's status once allocated.
const hostStatusRunning = "running"

// hostTypeIn returns the type id sold in region, or nil.
func hostTypeIn(region, id string) *hostType {
	for i := range hostTypes {
		t := &hostTypes[i]
		if t.ID == id && (t.regions == nil || slices.Contains(t.regions, region)) {
			return t
		}
	}
	return nil
}

// hostTypeView is one entry of DescribeDedicatedHostTypes (the SDK's
// fields).
type hostTypeView struct {
	BillSchemeID      string `json:"BillSchemeId"`
	CPU               int    `json:"Cpu"`
	GoodsID           int    `json:"GoodsId"`
	RAM               int    `json:"Ram"`
	VMFamilyID        string `json:"VmFamilyId"`
	VMRuleName        string `json:"VmRuleName"`
	VMSpecID          string `json:"VmSpecId"`
	VMTypeDescription string `json:"VmTypeDescription"`
	VMTypeID          string `json:"VmTypeId"`
	VMTypeName        string `json:"VmTypeName"`
	VMTypeSort        int    `json:"VmTypeSort"`
}

func (s *Server) describeDedicatedHostTypes(p params) (any, string, *apiError) {
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	out := []hostTypeView{}
	for _, t := range hostTypes {
		if hostTypeIn(region, t.ID) == nil {
			continue
		}
		out = append(out, hostTypeView{BillSchemeID: t.BillScheme, CPU: t.CPU, GoodsID: t.GoodsID, RAM: t.RAM, VMFamilyID: t.Family,
			VMRuleName: t.Rule, VMSpecID: t.Spec, VMTypeDescription: t.Description, VMTypeID: t.ID, VMTypeName: t.Name, VMTypeSort: t.Sort})
	}
	return out, "", nil
}

// hostParam reads a required integer parameter of AllocateDedicatedHosts.
func hostParam(p params, name string) (int, *apiError) {
	n, ok, e := p.integer(name)
	if e != nil {
		return 0, e
	}
	if !ok {
		return 0, errIncomplete(name)
	}
	return n, nil
}

// allocateDedicatedHosts buys Amount hosts of one type: the type must be
// on sale in the region, and the goods id, cpu and ram must be the type's
// (what DescribeDedicatedHostTypes lists). Several hosts get the name with
// -1, -2, … appended. The answer is the new ids, with no task.
func (s *Server) allocateDedicatedHosts(p params) (any, string, *apiError) {
	w := s.world
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	typeID, e := p.need("DedicatedHostType")
	if e != nil {
		return nil, "", e
	}
	t := hostTypeIn(region, typeID)
	if t == nil {
		return nil, "", errorf(400, "InvalidParameter.DedicatedHostType", "The dedicated host type %q is not on sale in %s (DescribeDedicatedHostTypes).", typeID, region)
	}
	goods, e := hostParam(p, "DedicatedHostGoodId")
	if e != nil {
		return nil, "", e
	}
	if goods != t.GoodsID {
		return nil, "", errorf(400, "InvalidParameter.DedicatedHostGoodId", "DedicatedHostGoodId %d is not the goods id of %s (%d).", goods, t.ID, t.GoodsID)
	}
	name, e := p.need("DedicatedHostName")
	if e != nil {
		return nil, "", e
	}
	if !validName(name) {
		return nil, "", errMalformed("InvalidParameter.DedicatedHostName", "DedicatedHostName")
	}
	cpu, e := hostParam(p, "DedicatedHostCpu")
	if e != nil {
		return nil, "", e
	}
	ram, e := hostParam(p, "DedicatedHostRam")
	if e != nil {
		return nil, "", e
	}
	if cpu != t.CPU || ram != t.RAM {
		return nil, "", errorf(400, "InvalidParameter.DedicatedHostCpu", "A %s host has %d vCPU and %d GB, not %d and %d.", t.ID, t.CPU, t.RAM, cpu, ram)
	}
	limit, e := hostParam(p, "DedicatedHostLimit")
	if e != nil {
		return nil, "", e
	}
	if limit < 1 || limit > MaxHostLimit {
		return nil, "", errorf(400, "InvalidParameter.DedicatedHostLimit", "DedicatedHostLimit must be 1 to %d, not %d.", MaxHostLimit, limit)
	}
	prepaid, _, e := p.integer("PrepaidMonth")
	if e != nil {
		return nil, "", e
	}
	if prepaid < 0 || prepaid > MaxPrepaidMonth {
		return nil, "", errorf(400, "InvalidParameter.PrepaidMonth", "PrepaidMonth must be 0 to %d, not %d.", MaxPrepaidMonth, prepaid)
	}
	autoRenew, ok, e := p.integer("AutoRenew")
	if e != nil {
		return nil, "", e
	}
	if !ok {
		autoRenew = 1
	}
	if autoRenew != 0 && autoRenew != 1 {
		return nil, "", errMalformed("InvalidParameter.AutoRenew", "AutoRenew")
	}
	amount, ok, e := p.integer("Amount")
	if e != nil {
		return nil, "", e
	}
	if !ok {
		amount = 1
	}
	if amount < 1 || amount > 99 {
		return nil, "", errMalformed("InvalidParameter.Amount", "Amount")
	}
	if _, _, e := p.integer("SubjectId"); e != nil {
		return nil, "", e
	}
	if s.opts.Arrears {
		return nil, "", errorf(400, "NotEnoughBalance", "Your account does not have enough balance.")
	}
	now := s.now()
	ids := []string{}
	for i := 0; i < amount; i++ {
		h := &DedicatedHost{ID: w.newID(), Name: name, Type: t.ID, Region: region, GoodsID: goods, CPU: cpu, RAM: ram, Limit: limit,
			PrepaidMonth: prepaid, AutoRenew: autoRenew, Status: hostStatusRunning, Created: now}
		if amount > 1 {
			h.Name = fmt.Sprintf("%s-%d", name, i+1)
		}
		w.Hosts[h.ID] = h
		w.touch("dhost", h.ID)
		ids = append(ids, h.ID)
	}
	return ids, "", nil
}

// hostView is one host of DescribeDedicatedHosts (the SDK's fields).
type hostView struct {
	BillMethod    string `json:"BillMethod"`
	CPURate       string `json:"CpuRate"`
	Duration      int    `json:"Duration"`
	EndBillTime   string `json:"EndBillTime"`
	HostID        string `json:"HostId"`
	HostName      string `json:"HostName"`
	HostType      string `json:"HostType"`
	RAMRate       string `json:"RamRate"`
	Region        string `json:"Region"`
	StartBillTime string `json:"StartBillTime"`
	Status        string `json:"Status"`
	VMNum         int    `json:"VmNum"`
}

// hostUse is what the instances placed on a host take of it.
func (w *World) hostUse(id string) (vms, cpu, ram int) {
	for _, in := range w.Instances {
		if in.DedicatedHostID == id {
			vms, cpu, ram = vms+1, cpu+in.CPU, ram+in.RAM
		}
	}
	return vms, cpu, ram
}

// percent writes used of total as the service's rate text ("25%").
func percent(used, total int) string {
	if total <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", used*100/total)
}

func (s *Server) hostView(h *DedicatedHost) hostView {
	vms, cpu, ram := s.world.hostUse(h.ID)
	start := h.Created.In(beijing)
	// A prepaid term runs to the end of the month it starts in, plus the
	// months bought.
	end := time.Date(start.Year(), start.Month()+1+time.Month(h.PrepaidMonth), 1, 0, 0, 0, 0, beijing)
	return hostView{BillMethod: "PrePaid", CPURate: percent(cpu, h.CPU*h.Limit), Duration: h.PrepaidMonth,
		EndBillTime: end.Format(monitorTimeFormat), HostID: h.ID, HostName: h.Name, HostType: h.Type, RAMRate: percent(ram, h.RAM),
		Region: h.Region, StartBillTime: start.Format(monitorTimeFormat), Status: h.Status, VMNum: vms}
}

// describeDedicatedHosts lists the account's hosts, oldest first: one by
// HostId, or those whose name contains HostName, a page at a time. An
// unknown id is an empty list, not an error (the provider reads it so).
func (s *Server) describeDedicatedHosts(p params) (any, string, *apiError) {
	number, size, e := p.page(20)
	if e != nil {
		return nil, "", e
	}
	id, name := p.str("HostId"), p.str("HostName")
	var list []*DedicatedHost
	for _, h := range s.world.Hosts {
		if (id == "" || h.ID == id) && (name == "" || strings.Contains(h.Name, name)) {
			list = append(list, h)
		}
	}
	sortByCreated(list, func(h *DedicatedHost) (time.Time, string) { return h.Created, h.ID })
	lo, hi, _ := paginate(len(list), number, size)
	out := []hostView{}
	for _, h := range list[lo:hi] {
		out = append(out, s.hostView(h))
	}
	return map[string]any{"HostList": out, "Total": len(list)}, "", nil
}

// placeOnHost checks CreateInstance's DedicatedHostId: a host of the
// account, in the instance's region, with room for amount instances of
// cpu and ram (its vCPUs times its overcommit ratio, its RAM as it is).
func (s *Server) placeOnHost(id, region string, cpu, ram, amount int) *apiError {
	if id == "" {
		return nil
	}
	h, ok := s.world.Hosts[id]
	if !ok {
		return errorf(400, "InvalidDedicatedHostId.NotFound", "The specified dedicated host %s does not exist.", id)
	}
	if h.Region != region {
		return errorf(400, "InvalidParameter.DedicatedHostId", "Dedicated host %s is in %s, not %s.", id, h.Region, region)
	}
	if h.Status != hostStatusRunning {
		return errorf(403, "IncorrectDedicatedHostStatus", "Dedicated host %s is %s.", id, h.Status)
	}
	_, usedCPU, usedRAM := s.world.hostUse(id)
	if usedCPU+cpu*amount > h.CPU*h.Limit || usedRAM+ram*amount > h.RAM {
		return errorf(403, "DedicatedHost.InsufficientCapacity",
			"Dedicated host %s has %d of %d vCPU (×%d) and %d of %d GB free; %d instance(s) of %d vCPU and %d GB do not fit.",
			id, h.CPU*h.Limit-usedCPU, h.CPU*h.Limit, h.Limit, h.RAM-usedRAM, h.RAM, amount, cpu, ram)
	}
	return nil
}

// resizeOnHost checks ModifyInstanceSpec of an instance on a dedicated
// host: the new size must fit beside the host's other instances.
func (s *Server) resizeOnHost(in *Instance, cpu, ram int) *apiError {
	h, ok := s.world.Hosts[in.DedicatedHostID]
	if !ok {
		return nil
	}
	_, usedCPU, usedRAM := s.world.hostUse(h.ID)
	if usedCPU-in.CPU+cpu > h.CPU*h.Limit || usedRAM-in.RAM+ram > h.RAM {
		return errorf(403, "DedicatedHost.InsufficientCapacity",
			"Dedicated host %s has %d of %d vCPU (×%d) and %d of %d GB free; instance %s cannot grow to %d vCPU and %d GB.",
			h.ID, h.CPU*h.Limit-usedCPU, h.CPU*h.Limit, h.Limit, h.RAM-usedRAM, h.RAM, in.ID, cpu, ram)
	}
	return nil
}
