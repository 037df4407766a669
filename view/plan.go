package view

import (
	"encoding/json"
	"fmt"
	"io"
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
	planner.ReasonPendingJournal:     "an interrupted operation is settled first",
	planner.ReasonProtectedKept:      "removed from the stack, but protected",
	planner.ReasonDestroy:            "destroy",
	planner.ReasonTagUnused:          "no instance of the stack names it any more",
	planner.ReasonMissing:            "it was deleted for a replacement whose new resource was not created: it is missing",
	planner.ReasonReplacedOld:        "the old resource of a replacement that created its successor first",
}

// PlanText writes the human plan.
func PlanText(w io.Writer, p *planner.Document, st Style) {
	changed := 0
	for _, c := range p.Changes {
		if c.Action == planner.NoOp && c.Reason != planner.ReasonProtectedKept {
			continue
		}
		changed++
		sym := st.action(c.Action)
		verb := map[planner.Action]string{planner.Create: "will be created", planner.Update: "will be updated in place",
			planner.Replace: "will be replaced", planner.Delete: "will be destroyed", planner.Read: "will be settled", planner.NoOp: "will be kept"}[c.Action]
		id := ""
		if c.ID != "" {
			id = " (" + c.ID + ")"
		}
		fmt.Fprintf(w, "%s %s %s%s %s\n", sym, st.paint("1", c.Addr), c.Kind, id, verb)
		why := reasonText[c.Reason]
		if c.Detail != "" {
			why += ": " + c.Detail
		}
		fmt.Fprintf(w, "    # because %s\n", why)
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
			fmt.Fprintf(w, "    %s %s: %s → %s%s\n", mark, f.Path, Value(f.Before), Value(f.After), note)
			for _, d := range f.Details {
				fmt.Fprintf(w, "        %s %s: %s → %s\n", map[string]string{"create": "+", "delete": "-"}[d.Type]+map[bool]string{true: "~"}[d.Type == "update"], d.Path, Value(d.From), Value(d.To))
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
				fmt.Fprintf(w, "    + %s: %s\n", k, Value(c.After[k]))
			}
		}
		fmt.Fprintln(w)
	}
	add, change, replace, destroy := p.Counts()
	if changed == 0 {
		fmt.Fprintln(w, "No changes. The cloud matches the stack.")
		return
	}
	fmt.Fprintf(w, "Plan: %d to add, %d to change, %d to replace, %d to destroy.\n", add, change, replace, destroy)
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
				fmt.Fprintf(w, "    ~ %s: recorded %s, live %s\n", f.Path, Value(f.Before), Value(f.After))
			}
		case planner.DriftUnmanaged:
			fmt.Fprintf(w, "%s %s %s %q %s: not managed by this stack\n", st.paint("36", "?"), d.Kind, d.ID, d.Name, d.Addr)
		}
	}
	var parts []string
	for _, c := range []string{planner.DriftModified, planner.DriftDeleted, planner.DriftUnmanaged} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[c], c))
	}
	fmt.Fprintf(w, "Drift: %s.\n", strings.Join(parts, ", "))
}
