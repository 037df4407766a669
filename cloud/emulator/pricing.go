package emulator

import (
	"fmt"
	"math"
	"sort"
	"time"
)

func init() {
	register("DescribeInstanceType", (*Server).describeInstanceType)
	register("DescribeInstancePrice", (*Server).describeInstancePrice)
	register("VDCBandwidthUnitPrice", (*Server).vdcBandwidthUnitPrice)
	register("DescribeAccountInfo", (*Server).describeAccountInfo)
	register("DescribePublicIp", (*Server).describePublicIP)
	register("DescribePrivateIp", (*Server).describePrivateIP)
}

// describeInstanceType lists the sizes CreateInstance accepts for a type
// in a region (none where the type is not sold).
func (s *Server) describeInstanceType(p params) (any, string, *apiError) {
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	t, e := p.need("InstanceType")
	if e != nil {
		return nil, "", e
	}
	type size struct {
		CPU  int    `json:"Cpu"`
		Name string `json:"Name"`
		RAM  int    `json:"Ram"`
	}
	out := []size{}
	if t, ok := oneOf(t, InstanceTypes...); ok && sells(region, t) {
		for _, cpu := range CPUs {
			for _, ram := range RAMs {
				if sizeOnSale(cpu, ram) {
					out = append(out, size{cpu, fmt.Sprintf("%d核%dG", cpu, ram), ram})
				}
			}
		}
	}
	return out, "", nil
}

// describeInstancePrice quotes from the price table bills use: PostPaid by
// the hour, PrePaid for the months bought (at least one) of 730 hours.
func (s *Server) describeInstancePrice(p params) (any, string, *apiError) {
	region, e := regionParam(p)
	if e != nil {
		return nil, "", e
	}
	cpu, ram, e := specParams(p, 1, 1, true)
	if e != nil {
		return nil, "", e
	}
	t, ok := oneOf(p.str("InstanceType"), InstanceTypes...)
	if !ok || !sells(region, t) {
		return nil, "", errorf(403, "Zone.NotOnSale", "The instance type %q is not on sale in %s.", p.str("InstanceType"), region)
	}
	if !sizeOnSale(cpu, ram) {
		return nil, "", errorf(400, "InvalidInstanceType.ValueUnauthorized", "%d vCPU with %d GB is not a size on sale.", cpu, ram)
	}
	system, e := parseSystemDisk(p, p.str("ImageId"))
	if e != nil {
		return nil, "", e
	}
	disks, e := parseDisks(p, "DataDisks")
	if e != nil {
		return nil, "", e
	}
	amount, ok, e := p.integer("Amount")
	if e != nil || ok && (amount < 1 || amount > 99) {
		return nil, "", errMalformed("InvalidParameter.Amount", "Amount")
	}
	amount = max(amount, 1)
	disk := system.size
	for _, d := range disks {
		disk += d.size
	}
	price := instanceHourly(cpu, ram, disk) * float64(amount)
	if charge, _ := oneOf(p.str("InstanceChargeType"), "PostPaid", "PrePaid"); charge == "PrePaid" {
		months, _, _ := p.integer("PrepaidMonth")
		price *= hoursPerMonth * float64(max(months, 1))
	}
	return map[string]float64{"TotalPrice": math.Round(price*10000) / 10000}, "", nil
}

// unitPriceView is one price of VDCBandwidthUnitPrice.
type unitPriceView struct {
	Cycle       string  `json:"Cycle"`
	Discount    float64 `json:"Discount"`
	DiscountStr string  `json:"DiscountStr"`
	Price       float64 `json:"Price"`
	PriceStr    string  `json:"PriceStr"`
	Sign        string  `json:"Sign"`
	StdPrice    float64 `json:"StdPrice"`
	StdPriceStr string  `json:"StdPriceStr"`
	Unit        string  `json:"Unit"`
}

func unitPrice(price float64, cycle, unit string) unitPriceView {
	price = math.Round(price*1000) / 1000
	text := fmt.Sprint(price)
	return unitPriceView{Cycle: cycle, Discount: 1, DiscountStr: "无折扣", Price: price, PriceStr: text, Sign: "￥",
		StdPrice: price, StdPriceStr: text, Unit: unit}
}

// vdcBandwidthUnitPrice quotes bandwidth from the price table: fixed and
// 95th-percentile bandwidth per Mb a day, traffic and data packages per GB,
// each public address a day. The scheme is BillScheme (the documents'
// table) or BillingScheme (their example).
func (s *Server) vdcBandwidthUnitPrice(p params) (any, string, *apiError) {
	if _, e := regionParam(p); e != nil {
		return nil, "", e
	}
	bt, e := p.need("BandwidthType")
	if e != nil {
		return nil, "", e
	}
	if _, ok := oneOf(bt, BandwidthTypes...); !ok {
		return nil, "", errMalformed("InvalidBandwidthType.Malformed", "BandwidthType")
	}
	scheme := p.str("BillScheme")
	if scheme == "" {
		scheme = p.str("BillingScheme")
	}
	scheme, ok := oneOf(scheme, BillingMethods...)
	if !ok {
		return nil, "", errMalformed("InvalidBillScheme.Malformed", "BillScheme")
	}
	var bw unitPriceView
	switch scheme {
	case "Bandwidth", "Bandwidth_95":
		bw = unitPrice(pricePerMbpsHour*24, "/天", "Mb")
	case "Traffic":
		bw = unitPrice(pricePerTrafficGB, "/GB", "GB")
	case "DataPackage":
		bw = unitPrice(pricePerPackageGB, "/GB", "GB")
	}
	return map[string]unitPriceView{"BandwidthPrice": bw, "EIPPrice": unitPrice(pricePerIPHour*24, "/天", "个")}, "", nil
}

// describeAccountInfo reports the balance of Options (in arrears with
// Options.Arrears) and what the ledger has cost, month by month.
func (s *Server) describeAccountInfo(params) (any, string, *apiError) {
	type month struct {
		Amount   float64 `json:"Amount"`
		Currency string  `json:"Currency"`
		Month    string  `json:"Month"`
	}
	now := s.now()
	costs := map[string]float64{}
	total := 0.0
	for _, e := range s.world.Ledger {
		end := e.Deleted
		if end.IsZero() {
			end = now
		}
		for from := e.Created; from.Before(end); {
			m := time.Date(from.In(beijing).Year(), from.In(beijing).Month(), 1, 0, 0, 0, 0, beijing)
			next := m.AddDate(0, 1, 0)
			_, _, hours := overlap(e, from, next, now)
			costs[m.Format("200601")] += hours * e.HourlyPrice
			total += hours * e.HourlyPrice
			from = next
		}
	}
	records := []month{}
	for m, a := range costs {
		records = append(records, month{cents(a), "CN", m})
	}
	sort.Slice(records, func(i, j int) bool { return records[i].Month < records[j].Month })
	balance, toDeduct := s.opts.Balance, 0.0
	if s.opts.Arrears {
		balance, toDeduct = 0, 100
	}
	return map[string]any{"MasterTotalBalance": balance, "CreditLine": s.opts.CreditLine, "ToDeduct": toDeduct,
		"MasterTotalCost": cents(total), "CostCount": len(records), "CostRecords": records,
		"RechargeCount": 0, "RechargeRecord": []any{}}, "", nil
}

// maxUnusedListed bounds UnusedList: a /16 private network has 65,533 free
// addresses; UnusedTotal still counts them all.
const maxUnusedListed = 1000

func (s *Server) describePublicIP(p params) (any, string, *apiError) {
	v, e := s.vdcOf(p)
	if e != nil {
		return nil, "", e
	}
	pn, e := lookup(p, "PublicId", s.world.Publics, "InvalidPublicId.Malformed", notFoundAs("PublicNetworkNotFound", "public network"))
	if e != nil {
		return nil, "", e
	}
	if pn.VdcID != v.ID {
		return nil, "", errorf(400, "PublicNetworkNotFound", "Public network %s is not in Vdc %s.", pn.ID, v.ID)
	}
	var ranges [][2]uint32
	for _, seg := range pn.Segments {
		// Host addresses: not the network, gateway or broadcast.
		ranges = append(ranges, [2]uint32{seg.Network + 2, seg.Network + uint32(seg.Size) - 2})
	}
	return s.ipUsage(pn.ID, ranges...), "", nil
}

func (s *Server) describePrivateIP(p params) (any, string, *apiError) {
	v, e := s.vdcOf(p)
	if e != nil {
		return nil, "", e
	}
	pn, e := lookup(p, "PrivateId", s.world.Privates, "InvalidPrivateId.Malformed", notFoundAs("PrivateNetworkNotFound", "private network"))
	if e != nil {
		return nil, "", e
	}
	if pn.VdcID != v.ID {
		return nil, "", errorf(400, "PrivateNetworkNotFound", "Private network %s is not in Vdc %s.", pn.ID, v.ID)
	}
	first, last := pn.hostRange()
	return s.ipUsage(pn.ID, [2]uint32{first, last}), "", nil
}

// vdcOf finds the VdcId of a request (busy or not).
func (s *Server) vdcOf(p params) (*VDC, *apiError) {
	return lookup(p, "VdcId", s.world.VDCs, "InvalidVdcId.Malformed", errVdcNotFound)
}

// ipUsage says which addresses of the ranges (first, last) of network are
// free and which are used, by what, as DescribePublicIp and
// DescribePrivateIp answer.
func (s *Server) ipUsage(network string, ranges ...[2]uint32) ipUsageView {
	out := ipUsageView{UnusedList: []string{}, UsedList: []ipUsageItem{}}
	for _, r := range ranges {
		for ip := r[0]; ip <= r[1] && ip >= r[0]; ip++ {
			s.countAddress(&out, network, ip)
		}
	}
	return out
}

func (s *Server) countAddress(out *ipUsageView, network string, ip uint32) {
	a := ipString(ip)
	if owner, used := s.world.usedIPs[ipKey(network, a)]; used {
		name := owner
		if in := s.world.Instances[owner]; in != nil {
			name = in.Name
		}
		out.UsedList = append(out.UsedList, ipUsageItem{Address: a, Usage: "云服务器使用(" + name + ")"})
		out.UsedTotal++
		return
	}
	if len(out.UnusedList) < maxUnusedListed {
		out.UnusedList = append(out.UnusedList, a)
	}
	out.UnusedTotal++
}
