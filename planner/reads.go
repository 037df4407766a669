package planner

import (
	"fmt"
	"strings"

	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// Reads is what the stack read that it does not own (package reads
// resolves it): shown in the plan, and compared with what the last apply
// read.
type Reads struct {
	Data   map[string]*state.DataRead
	Stacks map[string]*state.StackRead
	// Changed are the values read that differ from the last apply's.
	Changed []ReadChange
}

// A ReadChange is a value the stack reads (a data source's attribute,
// another stack's output) that changed since the last apply.
type ReadChange struct {
	Ref    string `json:"reference"` // ${stack.platform.outputs.vdc_id}, ${data.net.id}
	Before any    `json:"before"`
	After  any    `json:"after"`
	// Detail says where it was read: "stack platform at serial 12".
	Detail string `json:"detail,omitempty"`
}

// String says what changed: ${…} changed since the last apply: "a" → "b".
func (rc ReadChange) String() string {
	s := fmt.Sprintf("%s changed since the last apply: %s → %s", rc.Ref, show(rc.Before), show(rc.After))
	if rc.Detail != "" {
		s += " (" + rc.Detail + ")"
	}
	return s
}

func show(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// DriftRead is the drift class of a value read from outside the stack that
// changed since the last apply.
const DriftRead = "read_changed"

// because lists the read changes that feed the fields of c that change: a
// property whose references include a changed ${data.…} or ${stack.…}.
func because(r *spec.Resource, c *Change, changed []ReadChange) []string {
	if len(changed) == 0 || r.Properties == nil {
		return nil
	}
	fields := map[string]bool{}
	for _, f := range c.Fields {
		fields[strings.SplitN(f.Path, ".", 2)[0]] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, k := range r.Properties.Keys {
		if !fields[k.Name] {
			continue
		}
		for _, ref := range k.Value.Refs() {
			for _, rc := range changed {
				if ref.IsExternal() && ref.String() == rc.Ref && !seen[rc.Ref] {
					seen[rc.Ref] = true
					out = append(out, rc.String())
				}
			}
		}
	}
	return out
}

// readDrift turns the read changes into drift items.
func readDrift(changed []ReadChange) []*DriftItem {
	var out []*DriftItem
	for _, rc := range changed {
		kind := "data"
		if strings.HasPrefix(rc.Ref, "${stack.") {
			kind = "stack"
		}
		out = append(out, &DriftItem{Addr: rc.Ref, Kind: kind, Class: DriftRead, Name: rc.Detail,
			Fields: []FieldChange{{Path: rc.Ref, Before: rc.Before, After: rc.After}}})
	}
	return out
}
