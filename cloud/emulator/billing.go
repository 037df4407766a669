package emulator

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

func init() {
	register("DescribeBill", (*Server).describeBill)
	register("DescribeBillInfo", (*Server).describeBillInfo)
	register("GetMetering", (*Server).getMetering)
	register("DescribeAvailableResource", (*Server).describeAvailableResource)
}

// The project every bill is booked to (the current documents' ProjectId).
const (
	defaultProjectID   = "0-0"
	defaultProjectName = "默认项目组"
)

// beijing is the time zone bills and listings are written in.
var beijing = time.FixedZone("CST", 8*3600)

const billDate = "2006.01.02"

func parseBillDate(s, name string) (time.Time, *apiError) {
	t, err := time.ParseInLocation(billDate, strings.TrimSpace(s), beijing)
	if err != nil {
		return time.Time{}, errorf(400, "InvalidParameter."+name, "%s %q is not a date like 2019.09.02.", name, s)
	}
	return t, nil
}

// overlap returns the hours of e's lifetime inside [from, to).
func overlap(e *LedgerEntry, from, to, now time.Time) (time.Time, time.Time, float64) {
	end := e.Deleted
	if end.IsZero() {
		end = now
	}
	lo, hi := maxTime(e.Created, from), minTime(end, to)
	if !hi.After(lo) {
		return lo, hi, 0
	}
	return lo, hi, hi.Sub(lo).Hours()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func cents(f float64) float64 { return math.Round(f*100) / 100 }

func (s *Server) describeBill(p params) (any, string, *apiError) {
	rng, e := p.need("DateFromTo")
	if e != nil {
		return nil, "", e
	}
	if e := needCurrency(p); e != nil {
		return nil, "", e
	}
	a, b, ok := strings.Cut(rng, " - ")
	if !ok {
		return nil, "", errorf(400, "InvalidParameter.DateFromTo", "DateFromTo %q must look like \"2019.09.02 - 2019.09.03\".", rng)
	}
	from, e := parseBillDate(a, "DateFromTo")
	if e != nil {
		return nil, "", e
	}
	to, e := parseBillDate(b, "DateFromTo")
	if e != nil {
		return nil, "", e
	}
	to = to.AddDate(0, 0, 1)
	now := s.now()
	type acc struct {
		item billItemView
		cost float64
		seen bool
	}
	byID := map[string]*acc{}
	for _, e := range s.world.Ledger {
		_, _, hours := overlap(e, from, to, now)
		if hours <= 0 {
			continue
		}
		a := byID[e.ResourceID]
		if a == nil {
			a = &acc{item: billItemView{RegionID: e.Region, ResourceID: e.ResourceID, ResourceName: e.Name, ResourceType: e.Type,
				VdcID: e.VdcID, VdcName: e.VdcName}}
			byID[e.ResourceID] = a
		}
		a.cost += hours * e.HourlyPrice
		if e.Key == "" || !a.seen {
			a.item.CreateTime = e.Created.In(beijing).Format(monitorTimeFormat)
			if !e.Deleted.IsZero() {
				a.item.DeleteTime = e.Deleted.In(beijing).Format(monitorTimeFormat)
			}
		}
		if e.Key == "" {
			a.seen = true
		}
	}
	out := billView{BillInfo: []billItemView{}}
	total := 0.0
	for _, a := range byID {
		a.item.TotalCost = cents(a.cost)
		total += a.item.TotalCost
		out.BillInfo = append(out.BillInfo, a.item)
	}
	sort.Slice(out.BillInfo, func(i, j int) bool {
		if out.BillInfo[i].CreateTime != out.BillInfo[j].CreateTime {
			return out.BillInfo[i].CreateTime > out.BillInfo[j].CreateTime
		}
		return out.BillInfo[i].ResourceID < out.BillInfo[j].ResourceID
	})
	out.TotalViceCost = cents(total)
	return out, "", nil
}

func (s *Server) describeBillInfo(p params) (any, string, *apiError) {
	for _, k := range []string{"DateFrom", "DateTo", "ResourceId"} {
		if !p.has(k) {
			return nil, "", errIncomplete(k)
		}
	}
	if e := needCurrency(p); e != nil {
		return nil, "", e
	}
	from, e := parseBillDate(p.str("DateFrom"), "DateFrom")
	if e != nil {
		return nil, "", e
	}
	to, e := parseBillDate(p.str("DateTo"), "DateTo")
	if e != nil {
		return nil, "", e
	}
	to = to.AddDate(0, 0, 1)
	id := p.str("ResourceId")
	var periods []*LedgerEntry
	for _, e := range s.world.Ledger {
		if e.ResourceID == id {
			periods = append(periods, e)
		}
	}
	if len(periods) == 0 {
		return nil, "", errorf(400, "InvalidResourceId.NotFound", "Resource %s has never been billed.", id)
	}
	sortByCreated(periods, func(e *LedgerEntry) (time.Time, string) { return e.Created, e.Key })
	now := s.now()
	out := billInfoView{BillDetail: []billDetailView{}}
	total := 0.0
	payType, payDesc := "1", "按需计费"
	if in, ok := s.world.Instances[id]; ok && in.ChargeType == "PrePaid" {
		payType, payDesc = "2", "包年包月"
	}
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		next := day.AddDate(0, 0, 1)
		for _, e := range periods {
			lo, hi, hours := overlap(e, day, next, now)
			if hours <= 0 {
				continue
			}
			status := "running"
			if !e.Deleted.IsZero() && !e.Deleted.After(hi) && e.Key == "" {
				status = "deleted"
			}
			cost := hours * e.HourlyPrice
			total += cost
			out.BillDetail = append(out.BillDetail, billDetailView{RegionID: e.Region, ResourceID: e.ResourceID, ResourceName: e.Name,
				ResourceType: e.Type, VdcID: e.VdcID, VdcName: e.VdcName, ProjectID: defaultProjectID, ProjectName: defaultProjectName,
				CreateTime:    e.Created.In(beijing).Format(monitorTimeFormat),
				Configuration: e.Config, CostDetail: fmt.Sprintf("单价:%.8f/小时,时长:%.4f小时", e.HourlyPrice, hours),
				StartTime: lo.Unix(), EndTime: hi.Unix(), PayType: payType, PayDesc: payDesc,
				Status: status, UnitPrice: e.HourlyPrice, TotalCost: cents(cost), IPs: append([]string{}, e.IPs...)})
		}
	}
	out.TotalCost = cents(total)
	return out, "", nil
}

// meteringPools are the account's cold storage pools.
var meteringPools = []struct{ id, name, size string }{{"2001", "存储池1", "10240"}, {"2002", "存储池2", "20480"}}

func (s *Server) getMetering(p params) (any, string, *apiError) {
	if !p.has("EndTime") {
		return nil, "", errorf(400, "InvalidParameter.IsNull", "缺少必要参数: EndTime")
	}
	end, err := time.Parse("20060102", p.str("EndTime"))
	if err != nil {
		return nil, "", errorf(400, "InvalidParamater", "非法的EndTime: %s", p.str("EndTime"))
	}
	uid := p.str("Uid")
	days := end.Unix() / 86400
	out := []meteringView{}
	for _, pool := range meteringPools {
		if uid != "" && uid != pool.id {
			continue
		}
		out = append(out, meteringView{ID: pool.id, Name: pool.name, TotalSize: pool.size,
			Cold: math.Round(seriesValue(pool.id, "cold", days)*200) / 100,
			Warm: math.Round(seriesValue(pool.id, "warm", days)*50) / 100})
	}
	if len(out) == 0 {
		return nil, "", errorf(400, "InvalidParamater", "uid不存在")
	}
	return out, "", nil
}

func (s *Server) describeAvailableResource(p params) (any, string, *apiError) {
	region, e := p.need("RegionId")
	if e != nil {
		return nil, "", e
	}
	if Regions[region] == "" {
		return nil, "", errMalformed("InvalidRegionID.Malformed", "RegionId")
	}
	out := availableView{RegionID: region, RegionName: Regions[region], RegionStatus: "1", RegionStatusZh: "正常",
		WanGoods: []wanGoodView{}, InstanceGoods: []instanceGoodsView{}}
	for _, t := range BandwidthTypes {
		// The current documents spell the fixed-bandwidth key BandwIdth.
		out.WanGoods = append(out.WanGoods, wanGoodView{Type: t, BillingMethod: []billingKeyView{
			{Key: "BandwIdth", MaxQos: 500}, {Key: "Traffic", MaxQos: 500}, {Key: "DataPackage", MaxQos: 51200}, {Key: "Bandwidth_95", MaxQos: 500}}})
	}
	images := imageGoodsView{PublicImage: []imageView{}, PrivateImages: []imageView{}}
	for _, img := range PublicImages {
		images.PublicImage = append(images.PublicImage, imageView{ImageID: img, ImageType: strings.ToLower(strings.Split(img, "_")[0]), GicDisplayName: img})
	}
	var custom []*Template
	for _, t := range s.world.Templates {
		if t.Regions[region] == "normal" {
			custom = append(custom, t)
		}
	}
	sortByCreated(custom, func(t *Template) (time.Time, string) { return t.Created, t.ID })
	for _, t := range custom {
		images.PrivateImages = append(images.PrivateImages, imageView{ImageID: t.ID, ImageType: strings.Split(t.OSType, " ")[0], GicDisplayName: t.Name})
	}
	goods := func(list []DiskGood) []diskGoodView {
		var out []diskGoodView
		for _, g := range list {
			out = append(out, diskGoodView{Type: g.Type, MinSize: g.Min, MaxSize: g.Max, Step: g.Step})
		}
		return out
	}
	for _, t := range InstanceTypes {
		if !sells(region, t) {
			continue
		}
		out.InstanceGoods = append(out.InstanceGoods, instanceGoodsView{InstanceType: t, ImageGoods: images,
			DiskGoods: goods(DiskGoods), SystemDiskGoods: goods(SystemDiskGoods)})
	}
	return out, "", nil
}

// needCurrency refuses a bill request without the account's currency (CN
// or US), which the current documents require.
func needCurrency(p params) *apiError {
	c, e := p.need("Currency")
	if e != nil {
		return e
	}
	if c != "CN" && c != "US" {
		return errMalformed("InvalidParameter.Currency", "Currency")
	}
	return nil
}
