package state

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Exports is what a stack recorded at its last apply beside its records:
// its outputs, for other stacks to read (${stack.NAME.outputs.X}), and
// what it read itself (data sources, other stacks' outputs), so drift can
// tell when something it does not own moved under it. It is stored as one
// value (bbolt: meta/exports; etcd: <prefix>/meta/exports), written in the
// same transaction as the records of the commit that carries it.
type Exports struct {
	// Stack is the name of the stack that recorded them.
	Stack string `json:"stack,omitempty"`
	// Outputs are the stack's outputs whose value was known at the apply.
	// Sensitive outputs are never stored: their names are in Sensitive.
	Outputs   map[string]any `json:"outputs,omitempty"`
	Sensitive []string       `json:"sensitive,omitempty"`
	// Data is what each data source resolved to, by name.
	Data map[string]*DataRead `json:"data,omitempty"`
	// Stacks is what was read of each other stack, by the name this stack
	// gives it.
	Stacks map[string]*StackRead `json:"stacks,omitempty"`
}

// A DataRead is the one resource a data source matched.
type DataRead struct {
	Kind  string         `json:"kind"`
	ID    string         `json:"id"`
	Name  string         `json:"name,omitempty"`
	VDC   string         `json:"vdc,omitempty"`
	Attrs map[string]any `json:"attrs,omitempty"`
}

// A StackRead is what was read of another stack's state: where, at which
// serial, and the outputs that were used.
type StackRead struct {
	State   string         `json:"state"`
	Lineage string         `json:"lineage,omitempty"`
	Serial  uint64         `json:"serial"`
	Outputs map[string]any `json:"outputs,omitempty"`
}

// OutputNames returns the names of every output the exports know, sensitive
// ones included, sorted.
func (e *Exports) OutputNames() []string {
	if e == nil {
		return nil
	}
	out := append([]string(nil), e.Sensitive...)
	for k := range e.Outputs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// IsSensitive reports whether output name was marked sensitive.
func (e *Exports) IsSensitive(name string) bool {
	if e == nil {
		return false
	}
	for _, s := range e.Sensitive {
		if s == name {
			return true
		}
	}
	return false
}

// exportsKey is the name of the exports in the meta bucket (bbolt) or
// under meta/ (etcd).
const exportsKey = "exports"

func encodeExports(e *Exports) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("state exports: %w", err)
	}
	return b, nil
}

func decodeExports(where string, b []byte) (*Exports, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var e Exports
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("state %s: its recorded outputs cannot be read (%v)", where, err)
	}
	return &e, nil
}

// importExports writes snap's exports into a bbolt meta bucket, or removes
// the ones there when snap has none (state migrate copies them as they are).
func importExports(m *bolt.Bucket, e *Exports) error {
	if e == nil {
		return m.Delete([]byte(exportsKey))
	}
	v, err := encodeExports(e)
	if err != nil {
		return err
	}
	return m.Put([]byte(exportsKey), v)
}
