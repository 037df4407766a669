package view

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/pricing"
)

// SpendText writes a month's spend: per resource, per kind, the stack's
// total, what the stack's VDCs cost outside the state, and the bill's total.
func SpendText(w io.Writer, sp *pricing.Spend) {
	m := func(v float64) string { return planner.Money(sp.Currency, v) }
	fmt.Fprintf(w, "Spend in %s (from the bill):\n\n", sp.Month)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tKIND\tID\tCOST")
	for _, r := range sp.Resources {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Addr, r.Kind, r.ID, m(r.Cost))
	}
	tw.Flush()
	fmt.Fprintln(w)
	kinds := make([]string, 0, len(sp.ByKind))
	for k := range sp.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "%s: %s\n", k, m(sp.ByKind[k]))
	}
	fmt.Fprintf(w, "Stack total: %s.\n", m(sp.Total))
	if len(sp.NotInState) > 0 {
		fmt.Fprintf(w, "\nIn the stack's VDCs but not in the state (unmanaged, or deleted since): %s\n", m(sp.NotInStateTotal))
		for _, r := range sp.NotInState {
			fmt.Fprintf(w, "  %s %s %q: %s\n", r.Kind, r.ID, r.Name, m(r.Cost))
		}
	}
	fmt.Fprintf(w, "The account's whole bill for %s: %s.\n", sp.Month, m(sp.BillTotal))
}

// SpendPrometheus writes a month's spend as node_exporter textfile metrics.
func SpendPrometheus(w io.Writer, stack string, sp *pricing.Spend) {
	fmt.Fprintln(w, "# HELP cdstack_cost_month What a resource of the stack cost in the month so far, in the account's currency.")
	fmt.Fprintln(w, "# TYPE cdstack_cost_month gauge")
	for _, r := range sp.Resources {
		fmt.Fprintf(w, "cdstack_cost_month{stack=%q,month=%q,address=%q,kind=%q} %.2f\n", stack, sp.Month, r.Addr, r.Kind, r.Cost)
	}
	fmt.Fprintln(w, "# HELP cdstack_cost_month_total What the stack cost in the month so far; not_in_state is what its VDCs cost outside the state.")
	fmt.Fprintln(w, "# TYPE cdstack_cost_month_total gauge")
	fmt.Fprintf(w, "cdstack_cost_month_total{stack=%q,month=%q,scope=\"state\"} %.2f\n", stack, sp.Month, sp.Total)
	fmt.Fprintf(w, "cdstack_cost_month_total{stack=%q,month=%q,scope=\"not_in_state\"} %.2f\n", stack, sp.Month, sp.NotInStateTotal)
}
