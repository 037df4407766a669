package cli

import (
	"errors"
	"fmt"
	"github.com/cdstack/cdstack/cloud"
	"slices"
	"sort"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

func outputCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "output",
		Usage:     "print the stack's outputs from the state",
		ArgsUsage: "[NAME]",
		Flags:     append(append(stackFlags(), stateFlags()...), &ucli.BoolFlag{Name: "json", Usage: "print JSON"}),
		Action: func(c *ucli.Context) error {
			// Outputs come from the state: a variable needs a value only
			// when an output uses it.
			s, err := stackOrProblems(c, true)
			if err != nil {
				return err
			}
			return printOutputs(c, s, c.Args().First(), c.Bool("json"))
		},
	}
}

// printOutputs evaluates the outputs against the state's records.
// Sensitive outputs print as (sensitive).
func printOutputs(c *ucli.Context, s *spec.Stack, only string, asJSON bool) error {
	snap, _, err := readState(c)
	if err != nil {
		return err
	}
	bindRecorded(s, snap)
	attr := planner.RecordResolver(s, func(addr string) *state.Record { return snap.Resources[addr] })
	values := map[string]any{}
	var names []string
	for _, o := range s.Outputs {
		if only != "" && o.Name != only {
			continue
		}
		// A sensitive output prints as (sensitive) whatever its value:
		// it needs no value of the secret it shows.
		var v any = "(sensitive)"
		if !o.Sensitive && !sensitiveRefs(s, o.Value) {
			var err error
			if v, err = o.Value.Eval(s.Context(-1, attr)); err != nil {
				return err
			}
		}
		values[o.Name] = v
		names = append(names, o.Name)
	}
	if only != "" && len(names) == 0 {
		return fmt.Errorf("the stack has no output %q", only)
	}
	sort.Strings(names)
	if asJSON {
		if only != "" {
			return view.JSON(c.App.Writer, values[only])
		}
		return view.JSON(c.App.Writer, values)
	}
	for _, n := range names {
		if only != "" {
			fmt.Fprintln(c.App.Writer, view.Value(values[n]))
			continue
		}
		fmt.Fprintf(c.App.Writer, "%s = %s\n", n, view.Value(values[n]))
	}
	return nil
}

// sensitiveRefs reports whether a value shows a secret (spec.SensitiveValue).
func sensitiveRefs(s *spec.Stack, v *spec.Value) bool { return s.SensitiveValue(v) }

func importCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "adopt an existing resource into the state",
		ArgsUsage: "ADDR ID",
		Flags:     append(stackFlags(), stateFlags()...),
		Action:    runImport,
	}
}

func runImport(c *ucli.Context) error {
	if c.NArg() != 2 {
		return errors.New("import: want ADDR ID")
	}
	addr, id := c.Args().Get(0), c.Args().Get(1)
	s, err := mustStack(c)
	if err != nil {
		return err
	}
	parsed, err := spec.ParseAddress(addr)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	name := parsed.Name
	addr = parsed.String()
	r := s.Resources[name]
	if r == nil || !slices.Contains(r.Addresses(), addr) {
		return fmt.Errorf("import: %s is not an address of the stack (it has %v)", addr, s.Addresses())
	}
	st, snap, err := lockedSnapshot(c)
	if err != nil {
		return err
	}
	defer st.Close()
	if rec := snap.Resources[addr]; rec != nil {
		return fmt.Errorf("import: %s is already in the state (%s); cdstack state rm %s first", addr, rec.ID, addr)
	}
	for _, rec := range snap.Resources {
		if rec.ID == id {
			return fmt.Errorf("import: %s is already in the state as %s", id, rec.Addr)
		}
	}
	client, closeCloud, err := connect(c, cloud.WithDefaultRegion(s.Region))
	if err != nil {
		return err
	}
	defer closeCloud()
	kind := resources.Registry[r.Kind]
	obs, err := resources.ReadBack(c.Context, client, kind, id, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}})
	if err != nil {
		return err
	}
	if obs == nil {
		return fmt.Errorf("import: no %s with id %s in the cloud", r.Kind, id)
	}
	desired := stackValues(s, snap, kind, r, addr)
	assumed := assumeUnshown(kind, desired, obs.Attrs)
	notes := schemaSafe(r.Kind, s.Region, obs.Attrs, desired)
	now := time.Now().UTC()
	var deps []string
	for _, d := range s.Dependencies(name) {
		deps = append(deps, s.Resources[d].Addresses()...)
	}
	rec := &state.Record{Addr: addr, Kind: r.Kind, ID: id, Region: obs.Attrs.String("region"), Inputs: obs.Attrs, Outputs: obs.Outputs,
		Deps: deps, Protect: r.Protect, CreatedAt: now, UpdatedAt: now}
	if _, err := st.Commit(c.Context, state.Change{Put: []*state.Record{rec}}); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Imported %s (%s %s). Run cdstack plan to see how it differs from the stack.\n", addr, r.Kind, id)
	if len(assumed) > 0 {
		fmt.Fprintf(c.App.Writer, "The API does not show %s: recorded as the stack has them.\n", strings.Join(assumed, ", "))
	}
	fmt.Fprint(c.App.Writer, importNotes(notes))
	return nil
}

// stackValues are the stack's values of addr's properties, for import to
// fall back on, without those not known yet (nil when they cannot be
// evaluated yet).
func stackValues(s *spec.Stack, snap *state.Snapshot, kind resources.Kind, r *spec.Resource, addr string) resources.Inputs {
	bindRecorded(s, snap)
	inst, ok := r.Instance(addr)
	if !ok {
		return nil
	}
	desired, _, err := planner.Desired(s, kind, r, inst, planner.RecordResolver(s, func(a string) *state.Record { return snap.Resources[a] }))
	if err != nil {
		return nil
	}
	for k, v := range desired {
		if spec.HasUnknown(v) {
			delete(desired, k)
		}
	}
	return desired
}

// assumeUnshown fills attrs with the stack's values (desired, from
// stackValues) of the fields the API did not show (an instance's image and
// type, a public network's billing method, …) or cannot show (security
// group membership) and returns their names. Without them the next plan
// would see a difference the cloud never showed and replace or reinstall
// what was just adopted. Sensitive fields and values not yet known stay
// out.
func assumeUnshown(kind resources.Kind, desired, attrs resources.Inputs) []string {
	var names []string
	for _, f := range kind.Fields() {
		shown := attrs.Has(f.Name) && !f.Unobservable
		if f.Sensitive || shown || !desired.Has(f.Name) {
			continue
		}
		attrs[f.Name] = desired[f.Name]
		names = append(names, f.Name)
	}
	return names
}
