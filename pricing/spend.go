package pricing

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// A ResourceSpend is what one resource cost over a month.
type ResourceSpend struct {
	Addr string  `json:"address,omitempty"`
	Kind string  `json:"kind"`
	ID   string  `json:"id"`
	Name string  `json:"name,omitempty"`
	Cost float64 `json:"cost"`
}

// Spend is what a stack cost over one month, from the bill.
type Spend struct {
	Month    string `json:"month"` // 2026-11
	Currency string `json:"currency"`
	// Resources are the state's, by address; a public network includes its
	// address segments.
	Resources []ResourceSpend    `json:"resources"`
	ByKind    map[string]float64 `json:"by_kind"`
	Total     float64            `json:"total"`
	// NotInState are bill items in the stack's VDCs no record holds:
	// unmanaged resources, or ones deleted since.
	NotInState      []ResourceSpend `json:"not_in_state"`
	NotInStateTotal float64         `json:"not_in_state_total"`
	// BillTotal is the whole account's bill for the month.
	BillTotal float64 `json:"bill_total"`
}

// billKinds name the bill's resource types as the stack's kinds.
var billKinds = map[string]string{"vm": "instance", "wan": "public_network", "ip": "public_network", "template": "template"}

// billDate is how bills write a day.
const billDate = "2006.01.02"

// monthDays are the first and the last day of the month that holds t.
func monthDays(t time.Time) (first, last string) {
	day := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	return day.Format(billDate), day.AddDate(0, 1, -1).Format(billDate)
}

// MonthRange is the bill's DateFromTo of the month that holds t.
func MonthRange(t time.Time) string {
	first, last := monthDays(t)
	return first + " - " + last
}

// MonthSpend reads the bill of the month that holds month (one
// DescribeBill) and joins it with the state's resource ids; live tells the
// address segments of public networks.
func MonthSpend(ctx context.Context, c *cloud.Client, month time.Time, currency string, snap *state.Snapshot, live *resources.Live) (*Spend, error) {
	bill, err := c.DescribeBill(ctx, cloud.DescribeBillRequest{DateFromTo: MonthRange(month), Currency: currency})
	if err != nil {
		return nil, err
	}
	owner := map[string]string{} // resource id → address
	vdcs := map[string]bool{}
	for addr, r := range snap.Resources {
		if r.ID == "" {
			continue
		}
		owner[r.ID] = addr
		if r.Kind == "vdc" {
			vdcs[r.ID] = true
		}
	}
	if live != nil {
		for id, pn := range live.Publics {
			if addr, ok := owner[id]; ok {
				for _, seg := range pn.Segments {
					owner[seg.SegmentID] = addr
				}
			}
		}
	}
	sp := &Spend{Month: month.Format("2006-01"), Currency: CurrencySymbol(currency), ByKind: map[string]float64{}, Resources: []ResourceSpend{}, NotInState: []ResourceSpend{}}
	byAddr := map[string]*ResourceSpend{}
	for _, item := range bill.BillInfo {
		cost := float64(item.TotalCost)
		sp.BillTotal += cost
		addr, managed := owner[item.ResourceID]
		switch {
		case managed:
			r := byAddr[addr]
			if r == nil {
				rec := snap.Resources[addr]
				r = &ResourceSpend{Addr: addr, Kind: rec.Kind, ID: rec.ID}
				byAddr[addr] = r
			}
			r.Cost += cost
			sp.ByKind[r.Kind] += cost
			sp.Total += cost
		case vdcs[item.VdcID]:
			kind := billKinds[item.ResourceType]
			if kind == "" {
				kind = item.ResourceType
			}
			sp.NotInState = append(sp.NotInState, ResourceSpend{Kind: kind, ID: item.ResourceID, Name: item.ResourceName, Cost: cost})
			sp.NotInStateTotal += cost
		}
	}
	for _, r := range byAddr {
		r.Cost = round(r.Cost)
		sp.Resources = append(sp.Resources, *r)
	}
	sort.Slice(sp.Resources, func(i, j int) bool { return sp.Resources[i].Addr < sp.Resources[j].Addr })
	sort.Slice(sp.NotInState, func(i, j int) bool { return sp.NotInState[i].ID < sp.NotInState[j].ID })
	for k, v := range sp.ByKind {
		sp.ByKind[k] = round(v)
	}
	sp.Total, sp.NotInStateTotal, sp.BillTotal = round(sp.Total), round(sp.NotInStateTotal), round(sp.BillTotal)
	return sp, nil
}

// ResourceBill is DescribeBillInfo of one resource over the month that
// holds month: its billing periods.
func ResourceBill(ctx context.Context, c *cloud.Client, month time.Time, currency, id string) (*cloud.BillInfo, error) {
	first, last := monthDays(month)
	info, err := c.DescribeBillInfo(ctx, cloud.DescribeBillInfoRequest{DateFrom: first, DateTo: last, ResourceID: id, Currency: currency})
	if err != nil {
		return nil, fmt.Errorf("bill of %s: %w", id, err)
	}
	return info, nil
}

// CurrencySymbol is how amounts of a bill currency are written: ¥ for CN
// (and the default), $ for US.
func CurrencySymbol(currency string) string {
	if strings.EqualFold(currency, "US") {
		return "$"
	}
	return "¥"
}
