package emulator

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func init() {
	register("DescribeZones", (*Server).describeLBZones)
	register("DescribeLoadBalancersSpec", (*Server).describeLBSpec)
	register("CreateLoadBalancer", (*Server).createLB)
	register("DescribeLoadBalancers", (*Server).describeLBs)
	register("DescribeLoadBalancersModifySpec", (*Server).describeLBModifySpec)
	register("ModifyLoadBalancerInstanceSpec", (*Server).modifyLBSpec)
	register("DeleteLoadBalancer", (*Server).deleteLB)
	register("DescribeLoadBalancerStrategys", (*Server).describeLBStrategys)
	register("ModifyLoadBalancerStrategys", (*Server).modifyLBStrategys)
	register("AddLoadBalancerStrategys", (*Server).addLBStrategys)
	register("DescribeHaproxyCustomConfig", (*Server).describeHaproxyConfig)
	register("ModifyHaproxyCustomConfig", (*Server).modifyHaproxyConfig)
	register("DescribeLBInstancePerformance", (*Server).describeLBPerformance)
	register("ModifyLoadBalancerName", (*Server).modifyLBName)
	register("DescribeLBInstanceListeners", (*Server).describeLBListeners)
}

// Load balancer statuses, as DescribeLoadBalancers shows them.
const (
	lbCreating = "CREATING"
	lbRunning  = "RUNNING"
	lbUpdating = "UPDATING"
	lbDeleting = "DELETING"
)

// An LBSize is one size of the catalogue and its goods id: the ids of the
// document's DescribeLoadBalancersModifySpec example.
type LBSize struct {
	CPU, RAM, GoodsID int
}

// LBSizes is what every load balancer region sells.
var LBSizes = []LBSize{{1, 2, 5072}, {2, 4, 5075}, {4, 8, 5078}, {8, 16, 5081}}

// LBRegions are the regions DescribeZones lists (the document's example).
var LBRegions = []string{"US_LosAngeles_A", "EUR_Germany_A", "APAC_Tokyo_A", "CN_Hongkong_A", "APAC_Singapore_A",
	"EUR_Netherlands_A", "US_NewYork_A", "CN_Beijing_B", "CN_Beijing_E", "CN_Beijing_A", "US_Dallas_A", "CN_Taipei_A",
	"CN_Wuxi_A", "APAC_Seoul_A", "CN_Beijing_C", "CN_Guangzhou_A", "CN_Shanghai_A", "CN_Beijing_H"}

// lbForbiddenPorts are the listener ports the document refuses.
var lbForbiddenPorts = []int{22, 1080, 9100, 9101}

// lbPublicIPs is how many addresses of a segment a public load balancer takes.
const lbPublicIPs = 3

// A LoadBalancer is one HAProxy instance (master and standby).
type LoadBalancer struct {
	Busy
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	VdcID      string       `json:"vdc_id"`
	Region     string       `json:"region"`
	GoodsID    int          `json:"goods_id"`
	CPU        int          `json:"cpu"`
	RAM        int          `json:"ram"`
	PrivateNet string       `json:"private_net"`
	PrivateIP  string       `json:"private_ip"`
	PublicNet  string       `json:"public_net,omitempty"`
	SegmentID  string       `json:"segment_id,omitempty"`
	PublicIPs  []string     `json:"public_ips,omitempty"`
	Listeners  []LBListener `json:"listeners"`
	Config     string       `json:"config"`
	CustomConf bool         `json:"custom_conf"`
	Created    time.Time    `json:"created"`
}

// An LBListener is one listening policy.
type LBListener struct {
	Name         string            `json:"name"`
	Mode         string            `json:"mode"`
	Port         int               `json:"port"`
	Scheduler    string            `json:"scheduler"`
	MaxConn      int               `json:"max_conn"`
	Timeouts     map[string]string `json:"timeouts"` // ClientTimeout, ClientTimeoutUnit, …
	ACL          []string          `json:"acl"`
	Backends     []LBBackend       `json:"backends"`
	Certificates []string          `json:"certificates,omitempty"`
	Sticky       string            `json:"sticky,omitempty"`
	Session      map[string]any    `json:"session,omitempty"`
	Option       map[string]any    `json:"option,omitempty"`
	SourceIP     string            `json:"source_ip,omitempty"`
	RepeaterMode string            `json:"repeater,omitempty"`
}

// An LBBackend is one server behind a listener.
type LBBackend struct {
	IP      string `json:"ip"`
	Port    int    `json:"port"`
	Weight  int    `json:"weight"`
	MaxConn int    `json:"max_conn"`
}

var timeoutKeys = []string{"ClientTimeout", "ServerTimeout", "ConnectTimeout"}

// reindexLBs claims the addresses load balancers hold after a load.
func (w *World) reindexLBs() {
	for _, lb := range w.LBs {
		w.claimIP(lb.PrivateNet, lb.PrivateIP, lb.ID)
		for _, ip := range lb.PublicIPs {
			w.claimIP(lb.PublicNet, ip, lb.ID)
		}
	}
}

// removeLB deletes a load balancer and frees its addresses.
func (w *World) removeLB(id string) {
	lb, ok := w.LBs[id]
	if !ok {
		return
	}
	w.releaseIP(lb.PrivateNet, lb.PrivateIP)
	for _, ip := range lb.PublicIPs {
		w.releaseIP(lb.PublicNet, ip)
	}
	delete(w.LBs, id)
}

func (s *Server) describeLBZones(params) (any, string, *apiError) {
	type zone struct {
		CityID     string `json:"CityId"`
		CityName   string `json:"CityName"`
		IsSaling   int    `json:"IsSaling"`
		RegionID   string `json:"RegionId"`
		RegionName string `json:"RegionName"`
		SiteName   string `json:"SiteName"`
	}
	out := []zone{}
	for _, r := range LBRegions {
		out = append(out, zone{CityID: s.world.stableID("city", r), CityName: Regions[r], IsSaling: 1, RegionID: r,
			RegionName: Regions[r], SiteName: Regions[r]})
	}
	return out, "", nil
}

// stableID is a uuid-shaped id derived from a name (ids of fixed things).
func (w *World) stableID(kind, name string) string {
	h := uint64(14695981039346656037)
	for _, b := range []byte(kind + "|" + name) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(h), uint16(h>>32), uint16(h>>48)&0xfff, uint16(h>>20)&0xfff, h&0xffffffffffff)
}

type cpuRamView struct {
	CPU         int    `json:"CPU"`
	Name        string `json:"Name"`
	PaasGoodsID int    `json:"PaasGoodsId"`
	RAM         int    `json:"RAM"`
}

type attachDiskView struct {
	BasicIops     string `json:"BasicIops"`
	DiskMax       int    `json:"DiskMax"`
	DiskMaxExpand int    `json:"DiskMaxExpand"`
	DiskMin       int    `json:"DiskMin"`
	DiskName      string `json:"DiskName"`
	DiskStep      int    `json:"DiskStep"`
	DiskUnit      string `json:"DiskUnit"`
	DiskValue     string `json:"DiskValue"`
}

func lbCpuRams() []cpuRamView {
	out := []cpuRamView{}
	for _, sz := range LBSizes {
		out = append(out, cpuRamView{CPU: sz.CPU, RAM: sz.RAM, PaasGoodsID: sz.GoodsID, Name: fmt.Sprintf("%dC%dG", sz.CPU, sz.RAM)})
	}
	return out
}

var lbDisks = []attachDiskView{{BasicIops: "3000", DiskMax: 2000, DiskMaxExpand: 2000, DiskMin: 100, DiskName: "SSD",
	DiskStep: 100, DiskUnit: "G", DiskValue: "ssd_disk"}}

func lbRegionParam(p params) (string, *apiError) {
	region, e := p.need("RegionId")
	if e != nil {
		return "", errArgMissing("RegionId")
	}
	if !slices.Contains(LBRegions, region) {
		return "", errorf(400, "InvalidParameter", "Region %s does not sell load balancers.", region)
	}
	return region, nil
}

func (s *Server) describeLBSpec(p params) (any, string, *apiError) {
	region, e := lbRegionParam(p)
	if e != nil {
		return nil, "", e
	}
	type standards struct {
		AttachDisk []attachDiskView `json:"AttachDisk"`
		CpuRam     []cpuRamView     `json:"CpuRam"`
	}
	type role struct {
		ComputeName string    `json:"ComputeName"`
		ComputeType int       `json:"ComputeType"`
		Standards   standards `json:"Standards"`
	}
	type arch struct {
		ArchitectureName string `json:"ArchitectureName"`
		ArchitectureType int    `json:"ArchitectureType"`
		ComputeRoles     []role `json:"ComputeRoles"`
		EnginesType      []any  `json:"EnginesType"`
		NetworkLinks     any    `json:"NetworkLinks"`
		SubProductName   string `json:"SubProductName"`
	}
	type product struct {
		Architectures []arch `json:"Architectures"`
		Version       string `json:"Version"`
	}
	return map[string]any{"ProductName": "haproxy", "RegionId": region, "Products": []product{{Version: "2.6",
		Architectures: []arch{{ArchitectureName: "主从", ArchitectureType: 1, SubProductName: "haproxy 主从版", EnginesType: []any{},
			ComputeRoles: []role{{ComputeName: "通用型", ComputeType: 0, Standards: standards{AttachDisk: lbDisks, CpuRam: lbCpuRams()}}}}}}}}, "", nil
}

func lbSizeOf(goods int) (LBSize, bool) {
	for _, sz := range LBSizes {
		if sz.GoodsID == goods {
			return sz, true
		}
	}
	return LBSize{}, false
}

func (s *Server) createLB(p params) (any, string, *apiError) {
	w := s.world
	region, e := lbRegionParam(p)
	if e != nil {
		return nil, "", e
	}
	for _, name := range []string{"VdcId", "BasePipeId", "InstanceName", "PaasGoodsId"} {
		if !p.has(name) {
			return nil, "", errArgMissing(name)
		}
	}
	v, ok := w.VDCs[p.str("VdcId")]
	if !ok {
		return nil, "", errLBNotFound("VDC", p.str("VdcId"))
	}
	if v.Region != region {
		return nil, "", errorf(400, "InvalidParameter", "Vdc %s is in %s, not %s.", v.ID, v.Region, region)
	}
	if e := idle(&v.Busy, "ResourceInUse", "Vdc", v.ID); e != nil {
		return nil, "", e
	}
	name := p.str("InstanceName")
	if len([]rune(name)) > 64 {
		return nil, "", errorf(400, "InvalidParameter", "InstanceName is longer than 64 characters.")
	}
	goods, _, e := p.integer("PaasGoodsId")
	if e != nil {
		return nil, "", e
	}
	size, ok := lbSizeOf(goods)
	if !ok {
		return nil, "", errorf(400, "InvalidParameter", "PaasGoodsId %d is not in the catalogue of %s.", goods, region)
	}
	amount := 1
	if n, ok, e := p.integer("Amount"); e != nil {
		return nil, "", e
	} else if ok {
		if n < 1 || n > 3 {
			return nil, "", errorf(400, "InvalidParameter", "Amount must be 1 to 3, not %d.", n)
		}
		amount = n
	}
	priv, ok := w.Privates[p.str("BasePipeId")]
	if !ok || priv.VdcID != v.ID {
		return nil, "", errorf(400, "InvalidParameter", "BasePipeId %s is not a private network of Vdc %s.", p.str("BasePipeId"), v.ID)
	}
	ips, e := p.objects("Ips")
	if e != nil {
		return nil, "", e
	}
	if len(ips) == 0 {
		return nil, "", errArgMissing("Ips")
	}
	var pub *PublicNet
	var seg Segment
	for i, n := range ips {
		switch strings.ToLower(n.str("PipeType")) {
		case "private":
			if n.str("PipeId") != priv.ID {
				return nil, "", errorf(400, "InvalidParameter", "Ips[%d].PipeId must be BasePipeId %s.", i, priv.ID)
			}
			if vip, ok, e := n.integer("IsVip"); e != nil || ok && vip != 0 && vip != 1 {
				return nil, "", errorf(400, "InvalidParameter", "Ips[%d].IsVip must be 0 or 1.", i)
			}
		case "public":
			pn, ok := w.Publics[n.str("PipeId")]
			if !ok || pn.VdcID != v.ID {
				return nil, "", errorf(400, "InvalidParameter", "Ips[%d].PipeId %s is not a public network of Vdc %s.", i, n.str("PipeId"), v.ID)
			}
			found := false
			for _, sg := range pn.Segments {
				if sg.ID == n.str("SegmentId") {
					seg, found = sg, true
				}
			}
			if !found {
				return nil, "", errorf(400, "InvalidParameter", "Ips[%d].SegmentId %q is not a segment of public network %s.", i, n.str("SegmentId"), pn.ID)
			}
			pub = pn
		default:
			return nil, "", errorf(400, "InvalidParameter", "Ips[%d].PipeType must be private or public, not %q.", i, n.str("PipeType"))
		}
	}
	if s.opts.Arrears {
		return nil, "", errorf(500, "CreateOrderExcept", "Your account has been in arrears.")
	}
	// Every address first, so a refusal changes nothing.
	var privIPs []string
	first, last := priv.hostRange()
	for ip := first; ip <= last && len(privIPs) < amount; ip++ {
		if !w.ipUsed(priv.ID, ipString(ip)) {
			privIPs = append(privIPs, ipString(ip))
		}
	}
	if len(privIPs) < amount {
		return nil, "", errorf(400, "InvalidParameter", "No free address is left in private network %s.", priv.cidr())
	}
	var pubIPs []string
	if pub != nil {
		for ip := seg.Network + 2; seg.usable(ip) && len(pubIPs) < lbPublicIPs*amount; ip++ {
			if !w.ipUsed(pub.ID, ipString(ip)) {
				pubIPs = append(pubIPs, ipString(ip))
			}
		}
		if len(pubIPs) < lbPublicIPs*amount {
			return nil, "", errorf(400, "InvalidParameter", "Segment %s has %d free address(es); a load balancer takes %d.", seg.ID, len(pubIPs), lbPublicIPs)
		}
	}
	now := s.now()
	var ids []string
	var targets []Target
	for i := range amount {
		lb := &LoadBalancer{ID: w.newID(), Name: name, VdcID: v.ID, Region: region, GoodsID: goods, CPU: size.CPU, RAM: size.RAM,
			PrivateNet: priv.ID, PrivateIP: privIPs[i], Listeners: []LBListener{}, Config: defaultHaproxyConfig, Created: now}
		w.claimIP(priv.ID, lb.PrivateIP, lb.ID)
		if pub != nil {
			lb.PublicNet, lb.SegmentID = pub.ID, seg.ID
			lb.PublicIPs = pubIPs[i*lbPublicIPs : (i+1)*lbPublicIPs]
			for _, ip := range lb.PublicIPs {
				w.claimIP(pub.ID, ip, lb.ID)
			}
		}
		markBusy(&lb.Busy, lbCreating, lbRunning)
		w.LBs[lb.ID] = lb
		w.touch("lb", lb.ID)
		ids = append(ids, lb.ID)
		targets = append(targets, Target{Kind: "lb", ID: lb.ID, Op: opCreate})
	}
	// A task that fails removes what it created, and frees the addresses.
	t := s.newTask("CreateLoadBalancer", targets...)
	return map[string]any{"InstancesUuid": ids}, t.ID, nil
}

// defaultHaproxyConfig is the configuration file a new load balancer has.
const defaultHaproxyConfig = "global\n" +
	"        log 127.0.0.1   local0\n" +
	"        chroot /var/lib/haproxy\n" +
	"        stats timeout 30s\n" +
	"        user haproxy\n" +
	"        group haproxy\n" +
	"        maxconn 150000\n" +
	"        nbproc 1\n" +
	"        nbthread 2\n" +
	"        tune.ssl.default-dh-param 2048\n" +
	"        daemon\n" +
	"defaults\n" +
	"        log     global\n" +
	"        timeout connect 5000\n" +
	"        timeout client  50000\n" +
	"        timeout server  50000\n"

type lbVipView struct {
	IP   string `json:"IP"`
	Type string `json:"Type"`
}

type lbTagView struct {
	TagID   int    `json:"TagID"`
	TagName string `json:"TagName"`
}

// lbView is one load balancer in DescribeLoadBalancers: Ram in MB.
type lbView struct {
	CloneServices   string      `json:"CloneServices"`
	CPU             int         `json:"Cpu"`
	CreatedTime     string      `json:"CreatedTime"`
	Disks           int         `json:"Disks"`
	DisplayName     string      `json:"DisplayName"`
	IP              string      `json:"IP"`
	InpaasID        string      `json:"InpaasId"`
	InstanceName    string      `json:"InstanceName"`
	InstanceUUID    string      `json:"InstanceUuid"`
	IsCustomConf    int         `json:"IsCustomConf"`
	LinkType        string      `json:"LinkType"`
	LinkTypeStr     string      `json:"LinkTypeStr"`
	MasterInfo      string      `json:"MasterInfo"`
	Port            int         `json:"Port"`
	ProjectName     string      `json:"ProjectName"`
	RAM             int         `json:"Ram"`
	RegionID        string      `json:"RegionId"`
	RelationService string      `json:"RelationService"`
	ResourceID      string      `json:"ResourceId"`
	RoGroups        string      `json:"RoGroups"`
	Status          string      `json:"Status"`
	StatusStr       string      `json:"StatusStr"`
	SubProductKey   string      `json:"SubProductKey"`
	SubProductName  string      `json:"SubProductName"`
	Tags            []lbTagView `json:"Tags"`
	VdcID           string      `json:"VdcId"`
	VdcName         string      `json:"VdcName"`
	Version         string      `json:"Version"`
	Vips            []lbVipView `json:"Vips"`
}

var lbStatusStr = map[string]string{lbCreating: "创建中", lbRunning: "运行中", lbUpdating: "变更中", lbDeleting: "删除中"}

func (s *Server) lbView(lb *LoadBalancer) lbView {
	v := lbView{CloneServices: "None", CPU: lb.CPU, CreatedTime: lb.Created.Format(certTime), DisplayName: Regions[lb.Region],
		IP: lb.PrivateIP, InpaasID: strconv.Itoa(int(lb.Created.Unix() % 10000)), InstanceName: lb.Name, InstanceUUID: lb.ID,
		LinkType: "default_link", LinkTypeStr: "默认链路", ProjectName: "默认项目组", RAM: lb.RAM * 1024, RegionID: lb.Region,
		RelationService: "None", ResourceID: lb.ID, RoGroups: "None", Status: lb.Status, StatusStr: lbStatusStr[lb.Status],
		SubProductKey: "haproxy", SubProductName: "Haproxy 主从版", Tags: []lbTagView{}, VdcID: lb.VdcID, Version: "2.6",
		Vips: []lbVipView{{IP: lb.PrivateIP, Type: "private"}}}
	if lb.CustomConf {
		v.IsCustomConf = 1
	}
	if vdc := s.world.VDCs[lb.VdcID]; vdc != nil {
		v.VdcName = vdc.Name
	}
	if len(lb.PublicIPs) > 0 {
		v.IP = lb.PublicIPs[0]
		v.Vips = append(v.Vips, lbVipView{IP: lb.PublicIPs[0], Type: "public"})
	}
	return v
}

func (s *Server) describeLBs(p params) (any, string, *apiError) {
	var list []*LoadBalancer
	id, name, ip := p.str("InstanceUuid"), p.str("InstanceName"), p.str("IP")
	for _, lb := range s.world.LBs {
		if id != "" && lb.ID != id || name != "" && !strings.Contains(lb.Name, name) {
			continue
		}
		if ip != "" && !strings.Contains(lb.PrivateIP, ip) && !slices.ContainsFunc(lb.PublicIPs, func(x string) bool { return strings.Contains(x, ip) }) {
			continue
		}
		if p.has("TagName") {
			continue // load balancers carry no tags here
		}
		list = append(list, lb)
	}
	sortByCreated(list, func(lb *LoadBalancer) (time.Time, string) { return lb.Created, lb.ID })
	out := []lbView{}
	for _, lb := range list {
		out = append(out, s.lbView(lb))
	}
	return out, "", nil
}

// lbParam finds the load balancer InstanceUuid names.
func (s *Server) lbParam(p params) (*LoadBalancer, *apiError) {
	id, e := p.need("InstanceUuid")
	if e != nil {
		return nil, errArgMissing("InstanceUuid")
	}
	lb, ok := s.world.LBs[id]
	if !ok {
		return nil, errLBNotFound("load balancer", id)
	}
	return lb, nil
}

// idleLB finds the load balancer and refuses one a task is changing.
func (s *Server) idleLB(p params) (*LoadBalancer, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, e
	}
	if lb.TaskID != "" || lb.Status != lbRunning {
		return nil, errorf(409, "ResourceInUse", "Load balancer %s is %s; try again when it is %s.", lb.ID, lb.Status, lbRunning)
	}
	return lb, nil
}

func (s *Server) describeLBModifySpec(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	return map[string]any{"AttachDisk": lbDisks, "CpuRam": lbCpuRams(), "ProductName": "haproxy 主从版", "RegionId": lb.Region}, "", nil
}

// updateLB starts a task that changes lb; apply runs unless the task will fail.
func (s *Server) updateLB(action string, lb *LoadBalancer, apply func()) string {
	t := s.newTask(action, Target{Kind: "lb", ID: lb.ID, Op: opUpdate})
	if !t.Fail {
		apply()
	}
	markBusy(&lb.Busy, lbUpdating, lbRunning)
	s.world.touch("lb", lb.ID)
	return t.ID
}

func (s *Server) modifyLBSpec(p params) (any, string, *apiError) {
	lb, e := s.idleLB(p)
	if e != nil {
		return nil, "", e
	}
	goods, ok, e := p.integer("PaasGoodsId")
	if e != nil {
		return nil, "", e
	}
	if !ok {
		return nil, "", errArgMissing("PaasGoodsId")
	}
	size, ok := lbSizeOf(goods)
	if !ok {
		return nil, "", errorf(400, "InvalidParameter", "PaasGoodsId %d is not in the catalogue of %s.", goods, lb.Region)
	}
	if goods == lb.GoodsID {
		return nil, "", errorf(400, "UnsupportedOperation", "Load balancer %s is %dC%dG already.", lb.ID, size.CPU, size.RAM)
	}
	return map[string]any{}, s.updateLB("ModifyLoadBalancerInstanceSpec", lb, func() {
		lb.GoodsID, lb.CPU, lb.RAM = goods, size.CPU, size.RAM
	}), nil
}

func (s *Server) deleteLB(p params) (any, string, *apiError) {
	lb, e := s.idleLB(p)
	if e != nil {
		return nil, "", e
	}
	markBusy(&lb.Busy, lbDeleting, lb.Status)
	s.world.touch("lb", lb.ID)
	return map[string]any{}, s.newTask("DeleteLoadBalancer", Target{Kind: "lb", ID: lb.ID, Op: opDelete}).ID, nil
}

func (s *Server) modifyLBName(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	name, e := p.need("InstanceName")
	if e != nil {
		return nil, "", errArgMissing("InstanceName")
	}
	if len([]rune(name)) > 64 {
		return nil, "", errorf(400, "InvalidParameter", "InstanceName is longer than 64 characters.")
	}
	lb.Name = name
	s.world.touch("lb", lb.ID)
	return nil, "", nil
}

// listenerView is one listener as DescribeLoadBalancerStrategys shows it.
type listenerView struct {
	AclWhiteList       []string          `json:"AclWhiteList"`
	BackendServer      []backendView     `json:"BackendServer"`
	CertificateIds     []listenerCertRef `json:"CertificateIds,omitempty"`
	ClientTimeout      string            `json:"ClientTimeout"`
	ClientTimeoutUnit  string            `json:"ClientTimeoutUnit"`
	ConnectTimeout     string            `json:"ConnectTimeout"`
	ConnectTimeoutUnit string            `json:"ConnectTimeoutUnit"`
	EnableRepeaterMode string            `json:"EnableRepeaterMode,omitempty"`
	EnableSourceIP     string            `json:"EnableSourceIp,omitempty"`
	ListenerMode       string            `json:"ListenerMode"`
	ListenerName       string            `json:"ListenerName"`
	ListenerPort       int               `json:"ListenerPort"`
	MaxConn            int               `json:"MaxConn"`
	Option             map[string]any    `json:"Option,omitempty"`
	Scheduler          string            `json:"Scheduler"`
	ServerTimeout      string            `json:"ServerTimeout"`
	ServerTimeoutUnit  string            `json:"ServerTimeoutUnit"`
	SessionPersistence map[string]any    `json:"SessionPersistence,omitempty"`
	StickySession      string            `json:"StickySession,omitempty"`
}

type backendView struct {
	IP      string `json:"IP"`
	MaxConn int    `json:"MaxConn"`
	Port    int    `json:"Port"`
	Weight  string `json:"Weight"`
}

type listenerCertRef struct {
	CertificateID   string `json:"CertificateId"`
	CertificateName string `json:"CertificateName"`
}

func (s *Server) listenerView(l LBListener) listenerView {
	v := listenerView{AclWhiteList: orEmpty(l.ACL), BackendServer: []backendView{}, ListenerMode: l.Mode, ListenerName: l.Name,
		ListenerPort: l.Port, MaxConn: l.MaxConn, Scheduler: l.Scheduler, Option: l.Option,
		ClientTimeout: l.Timeouts["ClientTimeout"], ClientTimeoutUnit: l.Timeouts["ClientTimeoutUnit"],
		ServerTimeout: l.Timeouts["ServerTimeout"], ServerTimeoutUnit: l.Timeouts["ServerTimeoutUnit"],
		ConnectTimeout: l.Timeouts["ConnectTimeout"], ConnectTimeoutUnit: l.Timeouts["ConnectTimeoutUnit"]}
	for _, b := range l.Backends {
		v.BackendServer = append(v.BackendServer, backendView{IP: b.IP, MaxConn: b.MaxConn, Port: b.Port, Weight: strconv.Itoa(b.Weight)})
	}
	if l.Mode == "http" {
		v.StickySession, v.SessionPersistence = l.Sticky, l.Session
		v.CertificateIds = []listenerCertRef{}
		for _, id := range l.Certificates {
			ref := listenerCertRef{CertificateID: id}
			if c := s.world.Certs[id]; c != nil {
				ref.CertificateName = c.Name
			}
			v.CertificateIds = append(v.CertificateIds, ref)
		}
	} else {
		v.EnableSourceIP, v.EnableRepeaterMode = orOff(l.SourceIP), orOff(l.RepeaterMode)
	}
	return v
}

func orOff(s string) string {
	if s == "" {
		return "off"
	}
	return s
}

func (s *Server) describeLBStrategys(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	httpL, tcpL := []listenerView{}, []listenerView{}
	for _, l := range lb.Listeners {
		if l.Mode == "http" {
			httpL = append(httpL, s.listenerView(l))
		} else {
			tcpL = append(tcpL, s.listenerView(l))
		}
	}
	return map[string]any{"HttpListeners": httpL, "TcpListeners": tcpL}, "", nil
}

// listenerName is the document's rule for listener names, with the hyphen
// its own examples use.
var listenerName = regexp.MustCompile(`^[A-Za-z]([A-Za-z0-9_-]{0,48}[A-Za-z0-9])?$`)

// parseListeners reads HttpListeners and TcpListeners.
func (s *Server) parseListeners(lb *LoadBalancer, p params) ([]LBListener, *apiError) {
	// The document requires HttpListeners; the SDK leaves an empty list
	// out (omitempty), so one of the two lists is enough.
	_, hasHTTP := p["HttpListeners"]
	if _, hasTCP := p["TcpListeners"]; !hasHTTP && !hasTCP {
		return nil, errArgMissing("HttpListeners")
	}
	var out []LBListener
	for _, mode := range []string{"http", "tcp"} {
		field := map[string]string{"http": "HttpListeners", "tcp": "TcpListeners"}[mode]
		objs, e := p.objects(field)
		if e != nil {
			return nil, e
		}
		for i, o := range objs {
			l, e := s.parseListener(lb, o, mode, fmt.Sprintf("%s[%d]", field, i))
			if e != nil {
				return nil, e
			}
			out = append(out, l)
		}
	}
	return out, nil
}

func badParam(where, format string, args ...any) *apiError {
	return errorf(400, "InvalidParameter", "%s: %s", where, fmt.Sprintf(format, args...))
}

func (s *Server) parseListener(lb *LoadBalancer, o params, mode, where string) (LBListener, *apiError) {
	l := LBListener{Mode: mode, Timeouts: map[string]string{}}
	required := []string{"ListenerName", "ListenerMode", "ListenerPort", "Scheduler", "MaxConn", "BackendServer",
		"ClientTimeout", "ClientTimeoutUnit", "ServerTimeout", "ServerTimeoutUnit", "ConnectTimeout", "ConnectTimeoutUnit"}
	if mode == "http" {
		required = append(required, "StickySession")
	}
	for _, k := range required {
		if _, ok := o[k]; !ok {
			return l, errArgMissing(where + "." + k)
		}
	}
	l.Name = o.str("ListenerName")
	if !listenerName.MatchString(l.Name) {
		return l, badParam(where, "ListenerName %q must be 1–50 letters, digits, _ or -, starting with a letter and ending with a letter or digit", l.Name)
	}
	if !strings.EqualFold(o.str("ListenerMode"), mode) {
		return l, badParam(where, "ListenerMode must be %s here, not %q", mode, o.str("ListenerMode"))
	}
	port, _, e := o.integer("ListenerPort")
	if e != nil || port < 1 || port > 65535 {
		return l, badParam(where, "ListenerPort must be 1–65535")
	}
	if slices.Contains(lbForbiddenPorts, port) {
		return l, badParam(where, "ListenerPort %d is reserved (22, 1080, 9100 and 9101 are)", port)
	}
	l.Port = port
	sched, ok := oneOf(o.str("Scheduler"), "roundrobin", "leastconn", "static-rr", "source")
	if !ok {
		return l, badParam(where, "Scheduler must be roundrobin, leastconn, static-rr or source, not %q", sched)
	}
	l.Scheduler = sched
	if l.MaxConn, _, e = o.integer("MaxConn"); e != nil || l.MaxConn < 0 {
		return l, badParam(where, "MaxConn must be a number")
	}
	for _, k := range timeoutKeys {
		v, unit := o.str(k), o.str(k+"Unit")
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return l, badParam(where, "%s must be a whole number, not %q", k, v)
		}
		if unit != "ms" && unit != "s" {
			return l, badParam(where, "%sUnit must be ms or s, not %q", k, unit)
		}
		l.Timeouts[k], l.Timeouts[k+"Unit"] = v, unit
	}
	acl, e := o.strings("AclWhiteList")
	if e != nil {
		return l, e
	}
	l.ACL = acl
	backends, e := o.objects("BackendServer")
	if e != nil {
		return l, e
	}
	for j, b := range backends {
		bw := fmt.Sprintf("%s.BackendServer[%d]", where, j)
		be := LBBackend{IP: b.str("IP")}
		if !s.world.addressInVdc(lb.VdcID, be.IP) {
			return l, badParam(bw, "IP %q is not an address of Vdc %s", be.IP, lb.VdcID)
		}
		if be.Port, _, e = b.integer("Port"); e != nil || be.Port < 1 || be.Port > 65535 {
			return l, badParam(bw, "Port must be 1–65535")
		}
		if be.Weight, _, e = b.integer("Weight"); e != nil || be.Weight < 1 || be.Weight > 256 {
			return l, badParam(bw, "Weight must be 1–256")
		}
		if be.MaxConn, _, e = b.integer("MaxConn"); e != nil || be.MaxConn < 0 {
			return l, badParam(bw, "MaxConn must be a number")
		}
		l.Backends = append(l.Backends, be)
	}
	if mode == "http" {
		sticky, ok := oneOf(o.str("StickySession"), "on", "off")
		if !ok {
			return l, badParam(where, "StickySession must be on or off")
		}
		l.Sticky = sticky
		certs, e := o.objects("CertificateIds")
		if e != nil {
			return l, e
		}
		for _, c := range certs {
			id := c.str("CertificateId")
			if _, ok := s.world.Certs[id]; !ok {
				return l, errLBNotFound("certificate", id)
			}
			l.Certificates = append(l.Certificates, id)
		}
		if sp, ok := o["SessionPersistence"].(map[string]any); ok && len(sp) > 0 {
			if params(sp).str("Key") == "" {
				return l, errArgMissing(where + ".SessionPersistence.Key")
			}
			l.Session = sp
		}
		if op, ok := o["Option"].(map[string]any); ok && len(op) > 0 {
			l.Option = op
		}
	} else {
		if o.has("CertificateIds") {
			if certs, _ := o.list("CertificateIds"); len(certs) > 0 {
				return l, badParam(where, "a tcp listener takes no certificates")
			}
		}
		for _, k := range []string{"EnableSourceIp", "EnableRepeaterMode"} {
			v := o.str(k)
			if v == "" {
				v = "off"
			}
			if v != "on" && v != "off" {
				return l, badParam(where, "%s must be on or off", k)
			}
			if k == "EnableSourceIp" {
				l.SourceIP = v
			} else {
				l.RepeaterMode = v
			}
		}
		if l.RepeaterMode == "on" && l.SourceIP != "on" {
			return l, badParam(where, "EnableRepeaterMode on needs EnableSourceIp on")
		}
	}
	return l, nil
}

// addressInVdc reports whether ip lies in a private network or a public
// segment of vdc.
func (w *World) addressInVdc(vdcID, ip string) bool {
	n, ok := parseIPv4(ip)
	if !ok {
		return false
	}
	for _, p := range w.Privates {
		if first, last := p.hostRange(); p.VdcID == vdcID && n >= first && n <= last {
			return true
		}
	}
	return w.publicNetOf(vdcID, n) != nil
}

// checkListenerSet refuses a set with two listeners on one port or of one name.
func checkListenerSet(set []LBListener) *apiError {
	ports, names := map[int]string{}, map[string]bool{}
	for _, l := range set {
		if other, dup := ports[l.Port]; dup {
			return errorf(400, "InvalidParameter", "Listeners %s and %s both use port %d.", other, l.Name, l.Port)
		}
		if names[l.Name] {
			return errorf(400, "InvalidParameter", "Two listeners are named %s.", l.Name)
		}
		ports[l.Port], names[l.Name] = l.Name, true
	}
	return nil
}

func (s *Server) modifyLBStrategys(p params) (any, string, *apiError) {
	return s.setListeners("ModifyLoadBalancerStrategys", p, false)
}

func (s *Server) addLBStrategys(p params) (any, string, *apiError) {
	return s.setListeners("AddLoadBalancerStrategys", p, true)
}

// setListeners replaces (or with add, extends) the listener set. Either
// turns the base configuration back on.
func (s *Server) setListeners(action string, p params, add bool) (any, string, *apiError) {
	lb, e := s.idleLB(p)
	if e != nil {
		return nil, "", e
	}
	set, e := s.parseListeners(lb, p)
	if e != nil {
		return nil, "", e
	}
	if add {
		set = append(append([]LBListener{}, lb.Listeners...), set...)
	}
	if e := checkListenerSet(set); e != nil {
		return nil, "", e
	}
	sort.SliceStable(set, func(i, j int) bool { return set[i].Mode < set[j].Mode })
	s.world.noteListenerBackends(lb, set)
	return map[string]any{}, s.updateLB(action, lb, func() {
		lb.Listeners, lb.CustomConf = set, false
	}), nil
}

func (s *Server) describeHaproxyConfig(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	return map[string]any{"Configs": lb.Config}, "", nil
}

func (s *Server) modifyHaproxyConfig(p params) (any, string, *apiError) {
	lb, e := s.idleLB(p)
	if e != nil {
		return nil, "", e
	}
	cfg, e := p.need("Configs")
	if e != nil {
		return nil, "", errArgMissing("Configs")
	}
	if len(cfg) > 1<<20 {
		return nil, "", errorf(400, "InvalidParameter", "Configs is larger than 1 MiB.")
	}
	return map[string]any{}, s.updateLB("ModifyHaproxyCustomConfig", lb, func() {
		lb.Config, lb.CustomConf = cfg, true
	}), nil
}

// lbMetrics are the document's metric keys; the listener ones need a ListenerName.
var lbMetrics = map[string]string{"ha_cpu_usage": "%", "ha_mem_usage": "%", "ha_outpackage": "个/s", "ha_inpackage": "个/s",
	"ha_outflow": "MB/s", "ha_inflow": "MB/s", "ha_drop_packets": "个/s", "ha_connections_usage": "%", "ha_sessions_usage": "%",
	"ha_outbandwidth": "bits/s", "ha_inbandwidth": "bits/s", "ha_downserver": "个", "ha_responsetime": "s",
	"ha_listener_connections": "个/s", "ha_listener_sessions": "个/s", "ha_listener_requests_denied": "个/s"}

// describeLBPerformance answers a seeded series: the same load balancer,
// metric and time always give the same values.
func (s *Server) describeLBPerformance(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	key, e := p.need("MetricKey")
	if e != nil {
		return nil, "", errArgMissing("MetricKey")
	}
	unit, ok := lbMetrics[key]
	if !ok {
		return nil, "", errorf(400, "InvalidParameter", "MetricKey %q is not a load balancer metric.", key)
	}
	listener := p.str("ListenerName")
	if strings.HasPrefix(key, "ha_listener_") {
		if listener == "" {
			return nil, "", errArgMissing("ListenerName")
		}
		if !slices.ContainsFunc(lb.Listeners, func(l LBListener) bool { return l.Name == listener }) {
			return nil, "", errLBNotFound("listener", listener)
		}
	}
	start, err1 := time.Parse(certTime, p.str("StartTime"))
	end, err2 := time.Parse(certTime, p.str("EndTime"))
	if err1 != nil || err2 != nil || !end.After(start) || end.Sub(start) > 30*24*time.Hour {
		return nil, "", errorf(400, "InvalidParameter", "StartTime and EndTime must be 2006-01-02 15:04:05 times, the end after the start, at most 30 days apart.")
	}
	span := end.Sub(start)
	period := 30 * time.Second
	switch {
	case span > 10*24*time.Hour:
		period = time.Hour
	case span > 2*24*time.Hour:
		period = 5 * time.Minute
	case span > 4*time.Hour:
		period = time.Minute
	}
	type value struct {
		DateTime string  `json:"DateTime"`
		Value    float64 `json:"Value"`
	}
	values := []value{}
	for t := start.Truncate(period); !t.After(end) && len(values) < 2000; t = t.Add(period) {
		if t.Before(start) {
			continue
		}
		values = append(values, value{DateTime: t.Format(certTime), Value: seriesValue(lb.ID+listener, key, t.Unix())})
	}
	return map[string]any{"DataPoints": []map[string]any{{"MetricName": key, "MetricType": "gauge", "MonitorType": "resources",
		"Unit": unit, "Values": values}}, "EndTime": p.str("EndTime"), "InstanceUuid": lb.ID, "MetricKey": key,
		"Period": int(period / time.Second), "ProductType": "haproxy-single", "StartTime": p.str("StartTime")}, "", nil
}

func (s *Server) describeLBListeners(p params) (any, string, *apiError) {
	lb, e := s.lbParam(p)
	if e != nil {
		return nil, "", e
	}
	type backendName struct {
		BackendName string `json:"BackendName"`
		DisplayName string `json:"DisplayName"`
	}
	type named struct {
		BackendNames []backendName `json:"BackendNames"`
		ListenerMode string        `json:"ListenerMode"`
		ListenerName string        `json:"ListenerName"`
	}
	out := []named{}
	for _, l := range lb.Listeners {
		n := named{ListenerMode: l.Mode, ListenerName: l.Name}
		if l.Mode == "http" {
			n.BackendNames = []backendName{{BackendName: l.Name + "-abk", DisplayName: "默认服务器组"}}
		}
		out = append(out, n)
	}
	return out, "", nil
}
