package view

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
)

// readsText writes what the plan read and does not own: each data source's
// resolved id, and each other stack's state with the serial read.
func readsText(w io.Writer, p *planner.Document) {
	if len(p.Data) == 0 && len(p.Stacks) == 0 {
		return
	}
	if len(p.Data) > 0 {
		fmt.Fprintln(w, "Data sources:")
		for _, name := range sortedNames(p.Data) {
			d := p.Data[name]
			where := ""
			if d.VDC != "" && d.VDC != d.ID {
				where = " in VDC " + d.VDC
			}
			fmt.Fprintf(w, "  <= %s (%s): %s %q%s\n", spec.DataAddress(name), d.Kind, d.ID, d.Name, where)
		}
	}
	if len(p.Stacks) > 0 {
		fmt.Fprintln(w, "Other stacks:")
		for _, name := range sortedNames(p.Stacks) {
			st := p.Stacks[name]
			fmt.Fprintf(w, "  <= stack.%s: state %s at serial %d (outputs %s)\n", name, st.State, st.Serial, strings.Join(sortedNames(st.Outputs), ", "))
		}
	}
	fmt.Fprintln(w)
}

func sortedNames[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readDriftLine writes one value read from outside the stack that changed
// since the last apply.
func readDriftLine(w io.Writer, d *planner.DriftItem, st Style) {
	for _, f := range d.Fields {
		line := fmt.Sprintf("%s %s: changed since the last apply: %s → %s", st.paint("35", "!"), f.Path, Value(f.Before), Value(f.After))
		if d.Name != "" {
			line += " (" + d.Name + ")"
		}
		fmt.Fprintln(w, line)
	}
}
