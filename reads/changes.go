package reads

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// Changes lists the values read now that differ from what the last apply
// read (prev; nil: none recorded, so nothing changed): a data source's id
// or an attribute the stack uses, another stack's output. Sorted by
// reference.
func Changes(prev *state.Exports, now *Result) []planner.ReadChange {
	if prev == nil || now == nil {
		return nil
	}
	var out []planner.ReadChange
	for _, name := range sortedKeys(now.Data) {
		was, is := prev.Data[name], now.Data[name]
		if was == nil || was.Kind != is.Kind {
			continue
		}
		if was.ID != is.ID {
			out = append(out, planner.ReadChange{Ref: spec.DataRef(name, "id"), Before: was.ID, After: is.ID,
				Detail: fmt.Sprintf("data source %s now matches %q", name, is.Name)})
		}
		for _, attr := range sortedKeys(is.Attrs) {
			if attr == "id" {
				continue
			}
			if old, ok := was.Attrs[attr]; ok && !equal(old, is.Attrs[attr]) {
				out = append(out, planner.ReadChange{Ref: spec.DataRef(name, attr), Before: old, After: is.Attrs[attr]})
			}
		}
	}
	for _, name := range sortedKeys(now.Stacks) {
		was, is := prev.Stacks[name], now.Stacks[name]
		if was == nil {
			continue
		}
		for _, out1 := range sortedKeys(is.Outputs) {
			if old, ok := was.Outputs[out1]; ok && !equal(old, is.Outputs[out1]) {
				out = append(out, planner.ReadChange{Ref: fmt.Sprintf("${stack.%s.outputs.%s}", name, out1), Before: old, After: is.Outputs[out1],
					Detail: fmt.Sprintf("stack %s, serial %d then, %d now", name, was.Serial, is.Serial)})
			}
		}
	}
	for _, ref := range sortedKeys(now.gone) {
		out = append(out, planner.ReadChange{Ref: ref, Before: goneBefore(prev, ref), After: now.gone[ref]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out
}

// goneBefore is what the last apply read for ref.
func goneBefore(prev *state.Exports, ref string) any {
	var name, attr string
	if _, err := fmt.Sscanf(strings.NewReplacer(".", " ", "}", "").Replace(ref), "${stack %s outputs %s", &name, &attr); err == nil {
		if st := prev.Stacks[name]; st != nil {
			return st.Outputs[attr]
		}
	}
	for name, d := range prev.Data {
		if d != nil && spec.DataRef(name, "id") == ref {
			return d.ID
		}
	}
	return nil
}

// Exports is what an apply records: the outputs whose values are known
// (sensitive ones by name only) and what the stack read.
func Exports(outputs map[string]any, sensitive []string, r *Result) *state.Exports {
	ex := &state.Exports{Outputs: outputs, Sensitive: sensitive}
	if r != nil {
		ex.Data, ex.Stacks = r.Data, r.Stacks
	}
	return ex
}
