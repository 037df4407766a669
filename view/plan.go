package view

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/planner"
)

// Style switches colour on or off.
type Style struct{ Color bool }

func (s Style) paint(code, text string) string {
	if !s.Color {
		return text
	}
	return "\033[" + code + "m" + text + "\033[0m"
}

func (s Style) action(a planner.Action) string {
	codes := map[planner.Action]string{planner.Create: "32", planner.Update: "33", planner.Replace: "35", planner.Delete: "31", planner.Read: "36"}
	return s.paint(codes[a], a.Symbol())
}

// Value prints a value for a diff line.
func Value(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		if t == "(sensitive)" || t == "(known after apply)" {
			return t
		}
		return fmt.Sprintf("%q", t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

var reasonText = map[string]string{
	planner.ReasonNew:                "not in the state yet",
	planner.ReasonDeletedOutside:     "deleted outside cdstack",
	planner.ReasonUpdate:             "properties differ",
	planner.ReasonReplaceImmutable:   "a property that cannot change in place differs",
	planner.ReasonDependencyReplaced: "it depends on a resource being replaced or created",
	planner.ReasonRemovedFromSpec:    "removed from the stack",
	planner.ReasonCountReduced:       "count reduced",
	planner.ReasonKeyRemoved:         "its key left for_each",
	planner.ReasonPendingJournal:     "an interrupted operation is settled first",
	planner.ReasonProtectedKept:      "removed from the stack, but protected",
	planner.ReasonDestroy:            "destroy",
	planner.ReasonTagUnused:          "no instance of the stack names it any more",
	planner.ReasonMissing:            "it was deleted for a replacement whose new resource was not created: it is missing",
	planner.ReasonReplacedOld:        "the old resource of a replacement that created its successor first",
	planner.ReasonReplaceRequested:   "its replacement was requested",
	planner.ReasonFailed:             "it failed in the cloud",
	planner.ReasonRewire:             "a backend instance is replaced",
	planner.ReasonReaddress:          "a backend instance's address changes",
	planner.ReasonBackendDestroyed:   "a backend instance is destroyed",
	planner.ReasonIncomplete:         "its create failed part-way; this finishes it",
}

// shown reports whether a change appears in a plan: every action, and
// the resources kept because they are protected.
func shown(c *planner.Change) bool {
	return c.Action != planner.NoOp || c.Reason == planner.ReasonProtectedKept
}

var verbs = map[planner.Action]string{planner.Create: "will be created", planner.Update: "will be updated in place",
	planner.Replace: "will be replaced", planner.Delete: "will be destroyed", planner.Read: "will be settled", planner.NoOp: "will be kept"}

// Why says why a change is planned, in words.
func Why(c *planner.Change) string {
	why := reasonText[c.Reason]
	if c.Detail != "" {
		why += ": " + c.Detail
	}
	return why
}

// PlanText writes the human plan.
func PlanText(w io.Writer, p *planner.Document, st Style) {
	readsText(w, p)
	changed := movesText(w, p, st)
	for _, c := range p.Changes {
		if !shown(c) {
			continue
		}
		changed++
		id := ""
		if c.ID != "" {
			id = " (" + c.ID + ")"
		}
		fmt.Fprintf(w, "%s %s %s%s %s\n", st.action(c.Action), st.paint("1", c.Addr), c.Kind, id, verbs[c.Action])
		fmt.Fprintf(w, "    # because %s\n", Why(c))
		for _, line := range notes(p, c) {
			fmt.Fprintf(w, "    # %s\n", line)
		}
		changeBody(w, c, "    ", st)
		fmt.Fprintln(w)
	}
	if changed == 0 {
		fmt.Fprintln(w, "No changes. The cloud matches the stack.")
	} else {
		fmt.Fprintln(w, summaryLine(p))
	}
	if line := costLine(p); line != "" {
		fmt.Fprintln(w, line)
	}
}

// notes are a change's price and the ordering preflight added to it.
func notes(p *planner.Document, c *planner.Change) []string {
	var out []string
	for _, b := range c.Because {
		out = append(out, "because "+b)
	}
	if c.IncludedBy != "" {
		out = append(out, "included by "+c.IncludedBy)
	}
	if c.Cost != nil && c.Cost.NotPriced != "" {
		out = append(out, "cost: not priced ("+c.Cost.NotPriced+"), not in the estimate")
	} else if c.Cost != nil {
		cur := p.Cost.Currency
		out = append(out, fmt.Sprintf("cost: %s a month (%s → %s)", signed(cur, c.Cost.Delta()), planner.Money(cur, c.Cost.Before), planner.Money(cur, c.Cost.After)))
		for _, u := range c.Cost.Usage {
			out = append(out, "usage-based, not in the estimate: "+u)
		}
	}
	if len(c.Unwire) > 0 {
		out = append(out, unwireNote(p, c))
	}
	for _, wt := range c.WaitsFor {
		out = append(out, fmt.Sprintf("waits for %s: %s", wt.Step, wt.Reason))
	}
	return out
}

// unwireNote says what a load balancer's unwire step does: its listeners
// stop sending to the instances the plan deletes (to replace them) or
// readdresses, and its update sends to the new ones or addresses after.
func unwireNote(p *planner.Document, c *planner.Change) string {
	var deleted, moved []string
	for _, in := range c.Unwire {
		if ic := p.Change(in); ic != nil && ic.Action == planner.Update {
			moved = append(moved, in)
		} else {
			deleted = append(deleted, in)
		}
	}
	one := func(n int, a, b string) string { return map[bool]string{true: a, false: b}[n == 1] }
	if p.Destroy {
		return fmt.Sprintf("step %s (unwire): its listeners stop sending to %s before %s destroyed; the load balancer is kept",
			c.Addr, strings.Join(c.Unwire, ", "), one(len(c.Unwire), "it is", "they are"))
	}
	var before, after []string
	if len(deleted) > 0 {
		before = append(before, strings.Join(deleted, ", ")+" before "+one(len(deleted), "it is", "they are")+" deleted")
		after = append(after, "the new "+one(len(deleted), "one", "ones"))
	}
	if len(moved) > 0 {
		before = append(before, strings.Join(moved, ", ")+" before "+one(len(moved), "its address changes", "their addresses change"))
		after = append(after, one(len(moved), "its new address", "their new addresses"))
	}
	return fmt.Sprintf("first, step %s (unwire): its listeners stop sending to %s; then this update sends to %s",
		c.Addr, strings.Join(before, ", and to "), strings.Join(after, " and "))
}

// costLine is the plan's monthly estimate, or "" when it was not priced.
func costLine(p *planner.Document) string {
	c := p.Cost
	if c == nil {
		return ""
	}
	line := fmt.Sprintf("Monthly cost: %s → %s (%s), months of 730 hours, usage-based billing not included.", planner.Money(c.Currency, c.Before), planner.Money(c.Currency, c.After), signed(c.Currency, c.After-c.Before))
	if c.Budget > 0 {
		line += fmt.Sprintf(" Budget: %s.", planner.Money(c.Currency, c.Budget))
	}
	if len(c.NotPriced) > 0 {
		line += fmt.Sprintf(" Not priced (no price action): %s.", strings.Join(c.NotPriced, ", "))
	}
	return line
}

// signed is an amount with its sign: +¥1.20, -¥3.00.
func signed(cur string, v float64) string {
	if math.Round(v*100) < 0 {
		return planner.Money(cur, v)
	}
	return "+" + planner.Money(cur, v)
}

// summaryLine is "Plan: N to add, N to change, N to replace, N to destroy."
func summaryLine(p *planner.Document) string {
	add, change, replace, destroy := p.Counts()
	if n := len(p.Moves); n > 0 {
		return fmt.Sprintf("Plan: %d to add, %d to change, %d to replace, %d to destroy, %d to move.", add, change, replace, destroy, n)
	}
	return fmt.Sprintf("Plan: %d to add, %d to change, %d to replace, %d to destroy.", add, change, replace, destroy)
}

// changeBody writes a change's field lines, each after indent: what
// changes (and how), then what a new resource gets.
func changeBody(w io.Writer, c *planner.Change, indent string, st Style) {
	for _, f := range c.Fields {
		mark := "~"
		note := ""
		switch {
		case f.Replace:
			mark, note = st.paint("35", "!"), "   # forces replacement"
		case f.Update != "":
			note = "   # " + f.Update
		}
		if f.Destructive && !f.Replace {
			note += " (reinstalls the system disk)"
		}
		fmt.Fprintf(w, "%s%s %s: %s → %s%s\n", indent, mark, f.Path, Value(f.Before), Value(f.After), note)
		for _, d := range f.Details {
			fmt.Fprintf(w, "%s    %s %s: %s → %s\n", indent, map[string]string{"create": "+", "delete": "-"}[d.Type]+map[bool]string{true: "~"}[d.Type == "update"], d.Path, Value(d.From), Value(d.To))
		}
	}
	if c.Action == planner.Create || c.Action == planner.Replace {
		keys := make([]string, 0, len(c.After))
		for k := range c.After {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if c.Action == planner.Replace && fieldListed(c, k) {
				continue
			}
			fmt.Fprintf(w, "%s+ %s: %s\n", indent, k, Value(c.After[k]))
		}
	}
}

func fieldListed(c *planner.Change, k string) bool {
	for _, f := range c.Fields {
		if f.Path == k {
			return true
		}
	}
	return false
}

// JSON writes any document indented.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// DriftText writes drift items.
func DriftText(w io.Writer, items []*planner.DriftItem, st Style) {
	if len(items) == 0 {
		fmt.Fprintln(w, "No drift: the cloud matches the state.")
		return
	}
	counts := map[string]int{}
	for _, d := range items {
		counts[d.Class]++
		switch d.Class {
		case planner.DriftDeleted:
			fmt.Fprintf(w, "%s %s %s (%s): deleted outside cdstack\n", st.paint("31", "-"), d.Addr, d.Kind, d.ID)
		case planner.DriftModified:
			fmt.Fprintf(w, "%s %s %s (%s): modified outside cdstack\n", st.paint("33", "~"), d.Addr, d.Kind, d.ID)
			for _, f := range d.Fields {
				fmt.Fprintf(w, "    ~ %s: %s → %s\n", f.Path, Value(f.Before), Value(f.After)) // recorded → live, as plan shows a change
			}
		case planner.DriftUnmanaged:
			where := ""
			if d.VDC != "" {
				where = " (in VDC " + d.VDC + ")"
			}
			fmt.Fprintf(w, "%s %s %s %q%s: not managed by this stack\n", st.paint("36", "?"), d.Kind, d.ID, d.Name, where)
			if d.Addr != "" {
				// Its name is one the stack would create (removed with state rm).
				fmt.Fprintf(w, "    # %s would take its name; adopt it with: cdstack import %s %s\n", d.Addr, d.Addr, d.ID)
			}
		case planner.DriftRead:
			readDriftLine(w, d, st)
		}
	}
	var parts []string
	for _, c := range []string{planner.DriftModified, planner.DriftDeleted, planner.DriftUnmanaged} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[c], c))
	}
	if n := counts[planner.DriftRead]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d read value(s) changed", n))
	}
	fmt.Fprintf(w, "Drift: %s.\n", strings.Join(parts, ", "))
}

// movesText writes the plan's moves (moved:) and returns how many.
func movesText(w io.Writer, p *planner.Document, st Style) int {
	for _, m := range p.Moves {
		fmt.Fprintf(w, "%s %s %s (%s) will move to %s\n", st.paint("36", "->"), st.paint("1", m.From), m.Kind, m.ID, st.paint("1", m.To))
		fmt.Fprintf(w, "    # because of moved: at %s; only the state changes, the cloud is not touched\n\n", m.Declared)
	}
	return len(p.Moves)
}
