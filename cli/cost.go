package cli

import (
	"fmt"
	"github.com/cdstack/cdstack/cloud"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/pricing"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/view"
)

func costCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "cost",
		Usage: "what the stack actually cost in a month, from the bill (read-only)",
		Description: "Reads the month's bill once (DescribeBill) and joins it with the state: the spend of each\n" +
			"managed resource, the totals per kind and for the stack, and what the stack's VDCs cost\n" +
			"outside the state. --resource ADDR shows that resource's billing periods (DescribeBillInfo).\n" +
			"The plan's estimate of what a change will cost is in cdstack plan.",
		Flags: append(append(stackFlags(), stateFlags()...),
			&ucli.StringFlag{Name: "month", Usage: "the month, as 2026-11 (default: this month)"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "text, json or prometheus"},
			&ucli.StringFlag{Name: "resource", Usage: "show the billing periods of this address"},
			&ucli.StringFlag{Name: "currency", Value: "CN", Usage: "the account's bill currency: CN (yuan) or US (dollars)"},
		),
		Action: runCost,
	}
}

func runCost(c *ucli.Context) error {
	month := time.Now()
	if m := c.String("month"); m != "" {
		var err error
		if month, err = time.ParseInLocation("2006-01", m, time.Local); err != nil {
			return fmt.Errorf("--month %q: want a month such as 2026-11", m)
		}
	}
	format := c.String("format")
	if format != "text" && format != "json" && format != "prometheus" {
		return fmt.Errorf("--format %q: want text, json or prometheus", format)
	}
	currency := strings.ToUpper(c.String("currency"))
	if currency != "CN" && currency != "US" {
		return fmt.Errorf("--currency %q: want CN or US", c.String("currency"))
	}
	sym := pricing.CurrencySymbol(currency)
	// No value is needed: only the resources' kinds and the state are read.
	s, err := stackOrProblems(c, true)
	if err != nil {
		return err
	}
	snap, where, err := readState(c)
	if err != nil {
		return err
	}
	client, closeCloud, err := connect(c, cloud.WithDefaultRegion(s.Region))
	if err != nil {
		return err
	}
	defer closeCloud()
	if addr := c.String("resource"); addr != "" {
		r, err := snap.Get(addr)
		if err != nil {
			return unknownAddress(addr, where, snap)
		}
		info, err := pricing.ResourceBill(c.Context, client, month, currency, r.ID)
		if err != nil {
			return err
		}
		if format == "json" {
			return view.JSON(c.App.Writer, info)
		}
		fmt.Fprintf(c.App.Writer, "%s (%s %s) in %s: %s%.2f\n", addr, r.Kind, r.ID, month.Format("2006-01"), sym, float64(info.TotalCost))
		for _, d := range info.BillDetail {
			fmt.Fprintf(c.App.Writer, "  %s → %s  %s  %s%.4f an hour: %s%.2f\n", unixTime(int64(d.StartTime)), unixTime(int64(d.EndTime)), d.Configuration, sym, float64(d.UnitPrice), sym, float64(d.TotalCost))
		}
		return nil
	}
	live, err := resources.Refresh(c.Context, client, refreshScope(s, snap))
	if err != nil {
		return err
	}
	sp, err := pricing.MonthSpend(c.Context, client, month, currency, snap, live)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return view.JSON(c.App.Writer, sp)
	case "prometheus":
		view.SpendPrometheus(c.App.Writer, s.Name, sp)
	default:
		view.SpendText(c.App.Writer, sp)
	}
	return nil
}

func unixTime(sec int64) string {
	if sec == 0 {
		return "now"
	}
	return time.Unix(sec, 0).Format("2006-01-02 15:04")
}
