package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/reads"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// readsStack reports whether the stack reads anything it does not own.
func readsStack(s *spec.Stack) bool { return len(s.Data) > 0 || len(s.Stacks) > 0 }

// resolveReads reads the stack's data sources (from live, extended as they
// need) and the other stacks' outputs, binds them to s, and compares them
// with what the last apply read. Problems of the stack file are printed to
// warn, each at its place, and end the command.
func resolveReads(ctx context.Context, s *spec.Stack, snap *state.Snapshot, live *resources.Live, client *cloud.Client, o planOptions) (*planner.Reads, error) {
	if !readsStack(s) {
		return nil, nil
	}
	warn := o.warn
	if warn == nil {
		warn = io.Discard
	}
	res, err := reads.Resolve(ctx, reads.Input{Stack: s, Snapshot: snap, Live: live, Client: client, Open: o.open, Lenient: o.lenient})
	var problems spec.Errors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(warn, p.Error())
		}
		return nil, exitCode(1, fmt.Errorf("%s: %d problem(s) reading what the stack does not own; nothing was planned", s.File, len(problems)))
	}
	if err != nil {
		return nil, err
	}
	res.Bind(s)
	return &planner.Reads{Data: res.Data, Stacks: res.Stacks, Changed: reads.Changes(snap.Exports, res)}, nil
}

// bindRecorded binds the stack's ${data.…} and ${stack.…} references to
// what its last apply read (output, import: commands that do not read the
// cloud).
func bindRecorded(s *spec.Stack, snap *state.Snapshot) {
	if !readsStack(s) || snap.Exports == nil {
		return
	}
	(&reads.Result{Data: snap.Exports.Data, Stacks: snap.Exports.Stacks}).Bind(s)
}

// sameReads refuses a saved plan whose data sources or other stacks'
// outputs read differently now.
func sameReads(saved *planner.Document, now *planner.Document) error {
	for _, name := range sortedKeys(saved.Data) {
		was := saved.Data[name]
		if is := now.Data[name]; is == nil || is.ID != was.ID || !reflect.DeepEqual(resources.Canon(is.Attrs), resources.Canon(was.Attrs)) {
			return fmt.Errorf("%w: data source %s reads differently since the plan was made; plan again", planner.ErrStalePlan, name)
		}
	}
	for _, name := range sortedKeys(saved.Stacks) {
		was := saved.Stacks[name]
		if is := now.Stacks[name]; is == nil || !reflect.DeepEqual(resources.Canon(is.Outputs), resources.Canon(was.Outputs)) {
			return fmt.Errorf("%w: the outputs read from stack %s changed since the plan was made; plan again", planner.ErrStalePlan, name)
		}
	}
	return nil
}

// recordExports commits the stack's outputs (evaluated against the records
// now) and what it read, after an apply; a destroy records none. Nothing
// is committed when they are what the state holds already.
func recordExports(ctx context.Context, st state.Store, s *spec.Stack, p *planner.Document, destroy bool) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	ex := &state.Exports{Stack: s.Name}
	if !destroy {
		attr := planner.RecordResolver(s, func(addr string) *state.Record { return snap.Resources[addr] })
		ex.Outputs = map[string]any{}
		for _, o := range s.Outputs {
			if o.Sensitive || sensitiveRefs(s, o.Value) {
				ex.Sensitive = append(ex.Sensitive, o.Name)
				continue
			}
			v, err := o.Value.Eval(s.Context(-1, attr))
			if err != nil || !spec.Known(v) {
				continue // not known yet (a resource that failed): recorded at the next apply
			}
			ex.Outputs[o.Name] = v
		}
		ex.Data, ex.Stacks = p.Data, p.Stacks
	}
	if snap.Exports != nil && sameJSON(snap.Exports, ex) {
		return nil
	}
	if snap.Exports == nil && destroy {
		return nil
	}
	_, err = st.Commit(ctx, state.Change{Exports: ex})
	return err
}

// sameJSON reports whether a and b are written the same way.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// openerOf opens other stacks' states as this command's flags say (etcd
// TLS and credentials), for reading.
func openerOf(c *ucli.Context) func(string) (reads.Source, error) {
	return func(path string) (reads.Source, error) { return openBackend(c, path) }
}
