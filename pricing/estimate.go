package pricing

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// HoursPerMonth is the month prices are converted to.
const HoursPerMonth = 730

// Estimate prices p: each change of a priced kind gets its monthly cost
// before and after, and p.Cost the totals (the records' prices now, and
// with the plan's changes). live tells the region of existing VDCs.
//
// A plan that buys nothing (no create, update or replace: a destroy, a plan
// with no changes) asks the cloud for no price: it is priced from the
// catalogue cache, whatever the cached prices' age, and an error wrapping
// cloud.ErrNotCached says a price was not there.
func Estimate(ctx context.Context, c *cloud.Client, p *planner.Document, snap *state.Snapshot, live *resources.Live, budget float64) error {
	if !Buys(p) {
		ctx = cloud.CachedCatalogOnly(ctx)
	}
	pr := &pricer{client: c, instances: map[string]float64{}, bandwidth: map[string]*cloud.BandwidthPrice{}, plan: p, live: live, snap: snap}
	sum := &planner.CostSummary{Budget: budget}
	// What each record costs now: the total before, and each change's
	// price before. A resource the plan updates or replaces is priced as
	// the cloud shows it (a size changed by hand costs what it costs now);
	// the others as recorded, which is what the plan that made them priced.
	changing := map[string]bool{}
	for _, ch := range p.Changes {
		changing[ch.Addr] = ch.Action == planner.Update || ch.Action == planner.Replace
	}
	// The changes are at the addresses moved: records are priced there, so a
	// moved resource that also changes is not priced as new.
	movedTo := map[string]string{}
	for _, m := range p.Moves {
		movedTo[m.From] = m.To
	}
	now := map[string]float64{}
	for _, recAddr := range snap.Addresses() {
		rec := snap.Resources[recAddr]
		addr := recAddr
		if to, ok := movedTo[recAddr]; ok {
			addr = to
		}
		if !rec.Missing && unpriced(rec.Kind) != "" {
			sum.NotPriced = append(sum.NotPriced, addr)
		}
		if rec.Missing || !priced(rec.Kind) {
			continue
		}
		in := map[string]any(rec.Inputs)
		if k, ok := resources.Registry[rec.Kind]; ok && live != nil && changing[addr] {
			if obs := k.Observe(live, rec.ID, &resources.Recorded{Inputs: resources.Inputs(rec.Inputs), Outputs: rec.Outputs}); obs != nil {
				in = obs.Attrs
			}
		}
		m, _, err := pr.monthly(ctx, rec.Kind, in)
		if err != nil {
			return fmt.Errorf("price of %s: %w", addr, err)
		}
		now[addr] = m
		sum.Before += m
	}
	sum.After = sum.Before
	for _, ch := range p.Changes {
		if why := notPriced(ch); why != "" {
			ch.Cost = &planner.Cost{NotPriced: why}
			sum.NotPriced = append(sum.NotPriced, ch.Addr)
			continue
		}
		cost, err := pr.change(ctx, ch, now[ch.Addr])
		if err != nil {
			return fmt.Errorf("price of %s: %w", ch.Addr, err)
		}
		if cost != nil {
			ch.Cost = cost
			sum.After += cost.Delta()
			if cost.NotPriced != "" && !slices.Contains(sum.NotPriced, ch.Addr) {
				sum.NotPriced = append(sum.NotPriced, ch.Addr)
			}
		}
	}
	sort.Strings(sum.NotPriced)
	sum.Before, sum.After = round(sum.Before), round(sum.After)
	sum.Currency = pr.currency()
	p.Cost = sum
	return nil
}

// Buys reports whether p creates, updates or replaces anything: whether
// pricing it needs the cloud's prices now.
func Buys(p *planner.Document) bool {
	for _, ch := range p.Changes {
		switch ch.Action {
		case planner.Create, planner.Update, planner.Replace:
			if !ch.Implicit {
				return true
			}
		}
	}
	return false
}

// OverBudget says, positioned at the stack's budget, when p's estimate
// exceeds it; nil otherwise.
func OverBudget(s *spec.Stack, p *planner.Document) *spec.Error {
	if s.Budget <= 0 || p.Cost == nil || p.Cost.After <= s.Budget {
		return nil
	}
	c := p.Cost
	return &spec.Error{Pos: s.BudgetPos, Path: "budget.monthly", Msg: fmt.Sprintf("the plan's estimated monthly cost %s exceeds the budget %s (now %s); usage-based billing is not counted",
		planner.Money(c.Currency, c.After), planner.Money(c.Currency, s.Budget), planner.Money(c.Currency, c.Before))}
}

func round(f float64) float64 { return math.Round(f*100) / 100 }

// pricer quotes configurations once each.
type pricer struct {
	client    *cloud.Client
	instances map[string]float64
	bandwidth map[string]*cloud.BandwidthPrice
	sign      string
	plan      *planner.Document
	live      *resources.Live
	snap      *state.Snapshot
}

// change prices one change whose resource costs before now (0 without a
// record), or returns nil for kinds without a price and changes that do
// not move it.
func (pr *pricer) change(ctx context.Context, ch *planner.Change, before float64) (*planner.Cost, error) {
	if why := unpriced(ch.Kind); why != "" {
		switch ch.Action {
		case planner.Create, planner.Update, planner.Replace:
			return &planner.Cost{NotPriced: why}, nil
		}
		return nil, nil
	}
	if !priced(ch.Kind) {
		return nil, nil
	}
	cost := &planner.Cost{Before: round(before)}
	switch ch.Action {
	case planner.Create, planner.Update, planner.Replace:
		after, usage, err := pr.monthly(ctx, ch.Kind, ch.Values())
		if err != nil {
			return nil, err
		}
		cost.After, cost.Usage = round(after), usage
	case planner.Delete:
	default:
		return nil, nil
	}
	return cost, nil
}

func priced(kind string) bool { return kind == "instance" || kind == "public_network" }

// unpriced says why a kind that costs money has no price here: the
// database documents give no action that quotes one, nor does the SDK for
// a dedicated host.
func unpriced(kind string) string {
	switch kind {
	case "mysql", "mysql_readonly":
		return "the MySQL API has no price action"
	case "redis":
		return "the Redis API has no price action"
	case "mongodb":
		return "the MongoDB API has no price action"
	case "dedicated_host":
		return "the API has no price action for a dedicated host (DescribeInstancePrice's HostId prices the instances on one)"
	}
	return ""
}

// monthly is the monthly price of a resource of kind with inputs in, and
// its usage-based prices; 0 for kinds without a price or with values known
// only after apply.
func (pr *pricer) monthly(ctx context.Context, kind string, in map[string]any) (float64, []string, error) {
	switch kind {
	case "instance":
		return pr.instance(ctx, resources.Inputs(in))
	case "public_network":
		return pr.publicNetwork(ctx, resources.Inputs(in))
	}
	return 0, nil, nil
}

func (pr *pricer) instance(ctx context.Context, in resources.Inputs) (float64, []string, error) {
	if !known(in, "region", "cpu", "ram", "instance_type") {
		return 0, []string{"instance: priced once its size is known"}, nil
	}
	req := cloud.InstancePriceRequest{RegionID: in.String("region"), InstanceChargeType: in.String("charge_type"),
		CPU: in.Int("cpu"), RAM: in.Int("ram"), InstanceType: in.String("instance_type")}
	if known(in, "image") {
		req.ImageID = in.String("image")
	}
	months := 1
	if req.InstanceChargeType == "PrePaid" {
		months = max(in.Int("prepaid_month"), 1)
		req.PrepaidMonth = &months
	}
	if d := resources.Inputs(in.Map("system_disk")); d != nil && known(d, "size") {
		req.SystemDisk = cloud.DiskSpec{Size: d.Int("size"), Type: d.String("type")}
	}
	for _, m := range in.Maps("data_disks") {
		d := resources.Inputs(m)
		if !known(d, "size", "type") {
			return 0, []string{"instance: priced once its disks are known"}, nil
		}
		req.DataDisks = append(req.DataDisks, cloud.DiskSpec{Size: d.Int("size"), Type: d.String("type")})
	}
	key, _ := json.Marshal(req)
	price, ok := pr.instances[string(key)]
	if !ok {
		q, err := pr.client.DescribeInstancePrice(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		price = float64(q.TotalPrice)
		pr.instances[string(key)] = price
	}
	if req.InstanceChargeType == "PrePaid" {
		return price / float64(months), nil, nil
	}
	return price * HoursPerMonth, nil, nil
}

func (pr *pricer) publicNetwork(ctx context.Context, in resources.Inputs) (float64, []string, error) {
	region := pr.plan.RegionOfVDC(in["vdc"], pr.snap, pr.live)
	if region == "" || !known(in, "bandwidth_type", "qos", "ip_count") {
		return 0, []string{"public network: priced once its VDC's region is known"}, nil
	}
	method := in.String("billing_method")
	if method == "" {
		method = "Bandwidth"
	}
	key := region + "|" + in.String("bandwidth_type") + "|" + method
	q, ok := pr.bandwidth[key]
	if !ok {
		var err error
		q, err = pr.client.VDCBandwidthUnitPrice(ctx, cloud.BandwidthPriceRequest{RegionID: region, BandwidthType: in.String("bandwidth_type"), BillScheme: method, Type: "wan"})
		if err != nil {
			return 0, nil, err
		}
		pr.bandwidth[key] = q
		if pr.sign == "" {
			pr.sign = q.EIPPrice.Sign
		}
	}
	total, usage := 0.0, []string(nil)
	if m, ok := perMonth(q.EIPPrice); ok {
		total += m * float64(in.Int("ip_count"))
	}
	bw, ok := perMonth(q.BandwidthPrice)
	if ok && method == "Bandwidth" {
		total += bw * float64(in.Int("qos"))
	} else {
		p := q.BandwidthPrice
		usage = append(usage, fmt.Sprintf("%s bandwidth: %s%g per %s", method, normalSign(p.Sign), float64(p.Price), per(p)))
	}
	return total, usage, nil
}

// per says what a unit price is for: "GB", "Mb a day".
func per(p cloud.UnitPrice) string {
	cycle := strings.TrimPrefix(strings.TrimSpace(p.Cycle), "/")
	word := map[string]string{"天": "day", "小时": "hour", "月": "month", "day": "day", "hour": "hour", "month": "month"}[cycle]
	if word == "" {
		return cycle
	}
	return p.Unit + " a " + word
}

// perMonth converts a time-based unit price to a month; false for prices
// by use (per GB).
func perMonth(p cloud.UnitPrice) (float64, bool) {
	switch strings.TrimSpace(p.Cycle) {
	case "/天", "/day", "天", "day":
		return float64(p.Price) * HoursPerMonth / 24, true
	case "/小时", "/hour", "小时", "hour":
		return float64(p.Price) * HoursPerMonth, true
	case "/月", "/month", "月", "month":
		return float64(p.Price), true
	}
	return 0, false
}

func (pr *pricer) currency() string { return normalSign(pr.sign) }

func normalSign(s string) string {
	if s == "" || s == "￥" {
		return "¥"
	}
	return s
}

// known reports whether every key of in holds a value known now.
func known(in resources.Inputs, keys ...string) bool {
	for _, k := range keys {
		if !spec.Known(in[k]) {
			return false
		}
	}
	return true
}
