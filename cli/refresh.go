package cli

import (
	"errors"
	"fmt"
	"slices"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

func refreshCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "refresh",
		Usage: "record in the state what the cloud now shows (never changes the cloud)",
		Description: "Takes the lock, settles what an interrupted run left, shows which recorded values differ\n" +
			"from the cloud and which recorded resources are gone, asks (or --auto-approve), then records\n" +
			"what the cloud shows and forgets what is gone. Afterwards drift is clean; the next plan\n" +
			"shows what it takes to bring the cloud back to the stack.",
		Flags: append(append(stackFlags(), stateFlags()...), &ucli.BoolFlag{Name: "auto-approve", Usage: "do not ask for confirmation"},
			&ucli.StringSliceFlag{Name: "target", Usage: "refresh only `ADDR` (repeatable); a damaged record at ADDR is found again by its name in the stack and recorded from the cloud"}),
		Action: runRefresh,
	}
}

func runRefresh(c *ucli.Context) error {
	s, err := mustStack(c)
	if err != nil {
		return err
	}
	targets := c.StringSlice("target")
	for _, t := range targets {
		if err := spec.CheckAddress(t); err != nil {
			return fmt.Errorf("refresh --target: %w", err)
		}
	}
	st, snap, damaged, err := lockedSnapshotDamaged(c, targets)
	if err != nil {
		return err
	}
	defer st.Close()
	announce(c, st)
	client, closeCloud, err := connect(c, cloud.WithDefaultRegion(s.Region))
	if err != nil {
		return err
	}
	defer closeCloud()
	live, err := resources.Refresh(c.Context, client, refreshScope(s, snap))
	if err != nil {
		return err
	}
	r := executor.RefreshRecords(snap, live)
	if len(targets) > 0 {
		r = onlyTargets(r, targets)
	}
	out := c.App.Writer
	for _, addr := range damaged {
		rec, how, err := findAgain(c, s, snap, client, live, addr)
		if err != nil {
			return err
		}
		if rec != nil {
			r.Change.Put = append(r.Change.Put, rec)
			r.Updated = append(r.Updated, addr)
		} else {
			r.Change.Delete = append(r.Change.Delete, addr)
			r.Forgotten = append(r.Forgotten, addr)
		}
		fmt.Fprintf(out, "%s: the damaged record %s.\n", addr, how)
	}
	if r.Empty() {
		fmt.Fprintln(out, "No changes. The state matches the cloud.")
		return nil
	}
	if len(r.Items) > 0 {
		view.DriftText(out, r.Items, style(c))
	}
	fmt.Fprintf(out, "\nRefresh will record what the cloud shows for %d resource(s) and forget %d that no longer exist. The cloud is not changed.\n",
		len(r.Updated), len(r.Forgotten))
	if !c.Bool("auto-approve") {
		if err := confirm(c, "Do you want to record these values in the state? Only 'yes' is accepted: "); err != nil {
			return err
		}
	}
	if _, err := st.Commit(c.Context, r.Change); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nRefresh complete! Records: %d updated, %d forgotten.\n", len(r.Updated), len(r.Forgotten))
	return nil
}

// lockedSnapshotDamaged is lockedSnapshot for refresh: a state whose
// damaged records are all among targets is read without them, and their
// addresses are returned to be found again; any other damage is refused.
func lockedSnapshotDamaged(c *ucli.Context, targets []string) (backend, *state.Snapshot, []string, error) {
	st, snap, err := lockedSnapshot(c)
	var de *state.DamagedError
	if err == nil || !errors.As(err, &de) {
		return st, snap, nil, err
	}
	for _, a := range de.Addrs {
		if !slices.Contains(targets, a) {
			return nil, nil, nil, err
		}
	}
	if st, err = lockState(c); err != nil {
		return nil, nil, nil, err
	}
	snap, err = st.Snapshot(c.Context)
	if !errors.As(err, &de) {
		st.Close()
		if err == nil {
			err = errors.New("the state changed while it was read; run refresh again")
		}
		return nil, nil, nil, err
	}
	if len(snap.Journal) > 0 {
		st.Close()
		return nil, nil, nil, fmt.Errorf("%w\nThe journal holds operations to settle as well: restore the state from a backup", de)
	}
	return st, snap, de.Addrs, nil
}

// findAgain finds the resource of a damaged record at addr by the name the
// stack gives it, and returns its record as the cloud shows it (as import
// makes it), or nil when no such resource exists.
func findAgain(c *ucli.Context, s *spec.Stack, snap *state.Snapshot, client *cloud.Client, live *resources.Live, addr string) (*state.Record, string, error) {
	name, _ := spec.SplitAddress(addr)
	r := s.Resources[name]
	var inst spec.Instance
	if r != nil {
		inst, _ = r.Instance(addr)
	}
	if r == nil || !slices.Contains(r.Addresses(), addr) {
		return nil, "", fmt.Errorf("refresh: %s is damaged and not an address of the stack, so it cannot be found again; restore the state from a backup, or remove it with cdstack state rm %s", addr, addr)
	}
	kind := resources.Registry[r.Kind]
	desired, _, err := planner.Desired(s, kind, r, inst, planner.RecordResolver(s, func(a string) *state.Record { return snap.Resources[a] }))
	if err != nil {
		return nil, "", fmt.Errorf("refresh: %s: %w", addr, err)
	}
	id := kind.FindByName(live, desired)
	if id == "" {
		return nil, fmt.Sprintf("is forgotten: no %s named %q is in the cloud", r.Kind, desired.String("name")), nil
	}
	for _, rec := range snap.Resources {
		if rec.ID == id {
			return nil, "", fmt.Errorf("refresh: %s is damaged, and the %s named %q (%s) is recorded as %s; restore the state from a backup", addr, r.Kind, desired.String("name"), id, rec.Addr)
		}
	}
	obs, err := resources.ReadBack(c.Context, client, kind, id, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}})
	if err != nil || obs == nil {
		return nil, "", fmt.Errorf("refresh: read %s %s: %v", r.Kind, id, err)
	}
	assumeUnshown(kind, stackValues(s, snap, kind, r, addr), obs.Attrs)
	var deps []string
	for _, d := range s.Dependencies(name) {
		deps = append(deps, s.Resources[d].Addresses()...)
	}
	now := time.Now().UTC()
	rec := &state.Record{Addr: addr, Kind: r.Kind, ID: id, Region: obs.Attrs.String("region"), Inputs: obs.Attrs, Outputs: obs.Outputs,
		Deps: deps, Protect: r.Protect, CreatedAt: now, UpdatedAt: now}
	return rec, fmt.Sprintf("is recorded again from the cloud: %s %s, found by its name %q", r.Kind, id, desired.String("name")), nil
}

// onlyTargets keeps the part of r about targets.
func onlyTargets(r *executor.Refresh, targets []string) *executor.Refresh {
	in := func(a string) bool { return slices.Contains(targets, a) }
	out := &executor.Refresh{}
	for _, p := range r.Change.Put {
		if in(p.Addr) {
			out.Change.Put = append(out.Change.Put, p)
		}
	}
	out.Change.Delete = slices.DeleteFunc(slices.Clone(r.Change.Delete), func(a string) bool { return !in(a) })
	out.Updated = slices.DeleteFunc(slices.Clone(r.Updated), func(a string) bool { return !in(a) })
	out.Forgotten = slices.DeleteFunc(slices.Clone(r.Forgotten), func(a string) bool { return !in(a) })
	for _, it := range r.Items {
		if in(it.Addr) {
			out.Items = append(out.Items, it)
		}
	}
	return out
}
