package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"time"

	ucli "github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/preflight"
	"github.com/cdstack/cdstack/pricing"
	"github.com/cdstack/cdstack/reads"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

// mustStack loads the stack; a file with problems prints them all and exits 1.
func mustStack(c *ucli.Context) (*spec.Stack, error) { return stackOrProblems(c, false) }

// stackOrProblems is mustStack; with allowUnset, variables need no value.
func stackOrProblems(c *ucli.Context, allowUnset bool) (*spec.Stack, error) {
	path, s, err := loadStack(c, allowUnset)
	var problems spec.Errors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(c.App.ErrWriter, p.Error())
		}
		return nil, exitCode(1, fmt.Errorf("%s: %d error(s); nothing was planned", path, len(problems)-len(problems.Warnings())))
	}
	if err != nil {
		return nil, err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(c.App.ErrWriter, w.Error())
	}
	return s, nil
}

// refreshScope says what to list for a stack and its state.
func refreshScope(s *spec.Stack, snap *state.Snapshot) resources.Scope {
	var sc resources.Scope
	regions := map[string]bool{s.Region: true}
	for _, r := range snap.Resources {
		regions[r.Region] = true
		if r.ID == "" {
			continue // missing since a replacement
		}
		// An instance in a VDC the stack does not own (read as data, or
		// from another stack) is seen through that VDC's listing.
		if vdc, ok := r.Inputs["vdc"].(string); ok && vdc != "" && r.Kind == "instance" {
			sc.VDCs = append(sc.VDCs, vdc)
		}
		switch r.Kind {
		case "vdc":
			sc.VDCs = append(sc.VDCs, r.ID)
		case "security_group":
			sc.Groups = append(sc.Groups, r.ID)
		case "template":
			sc.ListTemplates = true
		case "tag":
			sc.ListTags = true
		case "load_balancer":
			sc.LBs = append(sc.LBs, r.ID)
		case "certificate":
			sc.ListCerts = true
		case "dedicated_host":
			sc.ListHosts = true
		}
		resources.DatabaseScope(&sc, r.Kind, r.ID, r.Inputs)
	}
	for _, r := range s.Resources {
		if p := resources.ProductOf(r.Kind); p != "" {
			sc.Products = append(sc.Products, p)
		}
		switch r.Kind {
		case "security_group":
			sc.ListGroups = true
		case "template":
			sc.ListTemplates = true
		case "instance":
			sc.ListTags = sc.ListTags || r.Properties != nil && r.Properties.Key("tags") != nil
		case "load_balancer":
			sc.ListLBs = true
		case "certificate":
			sc.ListCerts = true
		case "dedicated_host":
			sc.ListHosts = true
		}
	}
	for r := range regions {
		if r != "" {
			sc.Regions = append(sc.Regions, r)
		}
	}
	sort.Strings(sc.Regions)
	return sc
}

// planFlags are the flags plan, apply and destroy share.
func planFlags() []ucli.Flag {
	return append(append(stackFlags(), stateFlags()...),
		&ucli.StringSliceFlag{Name: "target", Usage: "limit to this address and what it depends on (repeatable)"},
		&ucli.BoolFlag{Name: "refresh", Value: true, Usage: "look at the cloud (false: plan from the state alone, unpriced and unchecked)"},
		skipPreflightFlag(),
	)
}

// replaceFlag is --replace, of plan and apply.
func replaceFlag() ucli.Flag {
	return &ucli.StringSliceFlag{Name: "replace", Usage: "replace this address even though nothing forces it (repeatable; protect refuses it)"}
}

// skipPreflightFlag is --skip-preflight, of plan and apply.
func skipPreflightFlag() ucli.Flag {
	return &ucli.BoolFlag{Name: "skip-preflight", Usage: "do not check the plan against the catalogue, capacity and balance first (emergencies: the API's own errors then tell)"}
}

// planOptions are what the commands that plan choose.
type planOptions struct {
	refresh, destroy bool
	targets, replace []string
	// check runs preflight (unless skipPreflight) and, with price, prices
	// the plan; warnings are written to warn.
	check, skipPreflight, price bool
	warn                        io.Writer
	// open opens another stack's state for reading (stacks:).
	open func(path string) (reads.Source, error)
	// lenient (drift): what the stack read before and cannot read now is
	// drift, not an error; so is a resource no record owns that has the name
	// of one the stack would create.
	lenient bool
	// tenants (plan, drift): read the states of the stack's tenants
	// (tenants:), so that what they made in its VDCs is theirs, not drift.
	tenants bool
	// unlocked (plan, drift): the command holds no lock, so an apply may
	// commit while it reads; the state is read again after the cloud.
	unlocked bool
	// owner says which other workspace's record holds a resource id
	// (ownerInWorkspaces), or nil.
	owner func(ctx context.Context, s *spec.Stack, id string) string
}

// optionsFrom reads --refresh, --target, --replace and --skip-preflight:
// the plan is priced and checked.
func optionsFrom(c *ucli.Context) planOptions {
	return planOptions{refresh: c.Bool("refresh"), targets: c.StringSlice("target"), replace: c.StringSlice("replace"),
		check: true, skipPreflight: c.Bool("skip-preflight"), price: true, warn: c.App.ErrWriter, open: openerOf(c), owner: workspaceOwner(c)}
}

// check checks p against what the cloud can deliver (unless
// --skip-preflight), then (with o.price) prices it and holds it to the
// stack's budget.
// Problems and warnings are written to o.warn; problems end the command.
func check(ctx context.Context, s *spec.Stack, p *planner.Document, snap *state.Snapshot, live *resources.Live, client *cloud.Client, o planOptions) error {
	var problems spec.Errors
	var facts *preflight.Facts
	if !o.skipPreflight {
		var err error
		if facts, err = preflight.Gather(ctx, client, p, snap, live); err != nil {
			return fmt.Errorf("preflight: %w (--skip-preflight plans without it)", err)
		}
		problems = preflight.Check(s, p, snap, live, facts)
	}
	if o.price && !problems.HasErrors() {
		switch err := pricing.Estimate(ctx, client, p, snap, live, s.Budget); {
		case errors.Is(err, cloud.ErrNotCached):
			// A plan that buys nothing asks for no price; only one that
			// removes something has a price worth the words.
			if slices.ContainsFunc(p.Changes, func(ch *planner.Change) bool { return ch.Action == planner.Delete }) {
				fmt.Fprintln(o.warn, "cdstack: the plan is not priced: it buys nothing, so it asks the cloud for no price, and the catalogue cache holds none for what it removes")
			}
		case err != nil:
			fmt.Fprintf(o.warn, "cdstack: the plan is not priced: %v\n", err)
		}
		if e := pricing.OverBudget(s, p); e != nil {
			problems = append(problems, e)
		}
		if facts != nil {
			if w := preflight.LowBalance(s, p, facts); w != nil {
				problems = append(problems, w)
			}
		}
	}
	problems.Sort()
	for _, e := range problems {
		fmt.Fprintln(o.warn, e.Error())
	}
	if n := len(problems) - len(problems.Warnings()); n > 0 {
		return exitCode(1, fmt.Errorf("%d problem(s) found before anything changed; nothing was changed (--skip-preflight skips the checks against the cloud, not the budget)", n))
	}
	return nil
}

// makePlan refreshes and plans.
func makePlan(ctx context.Context, s *spec.Stack, st state.Reader, client *cloud.Client, o planOptions) (*planner.Document, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	var live *resources.Live
	if o.refresh {
		sc := refreshScope(s, snap)
		if o.destroy && len(sc.Groups) > 0 {
			// A destroy needs to know which groups exist, not their rules
			// or members (a group's delete reads its members if refused).
			sc.Groups, sc.ListGroups = nil, true
		}
		if live, err = resources.Refresh(ctx, client, sc); err != nil {
			return nil, err
		}
		if o.unlocked {
			// An apply may have changed the state and the cloud while they
			// were read: what it changed in between is shown as in flight,
			// not as drift or a name conflict.
			later, err := st.Snapshot(ctx)
			if err != nil {
				return nil, err
			}
			snap, _ = state.InFlight(snap, later)
		}
	}
	// Operations in flight in another process (or left by a killed one):
	// shown as pending, with what settling them will likely do.
	pending := map[string]planner.Outlook{}
	for _, j := range snap.Journal {
		if live != nil {
			pending[j.Addr] = executor.Outlook(ctx, client, j, live)
		}
	}
	// What the stack reads and does not own; a destroy reads nothing (it
	// must work when what the stack read is gone).
	var rd *planner.Reads
	if !o.destroy {
		if rd, err = resolveReads(ctx, s, snap, live, client, o); err != nil {
			return nil, err
		}
	}
	// The states of the stacks that put resources in this one's VDCs: one
	// that cannot be read is a warning, and what it made stays unmanaged.
	var tenants []*planner.Tenant
	if o.tenants && live != nil && !o.destroy && len(s.Tenants) > 0 {
		var warnings spec.Errors
		tenants, warnings = reads.Tenants(ctx, s, o.open)
		for _, w := range warnings {
			if o.warn != nil {
				fmt.Fprintln(o.warn, w.Error())
			}
		}
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Targets: o.targets, Replace: o.replace, Destroy: o.destroy, Pending: pending, Reads: rd, Report: o.lenient, Tenants: tenants})
	if taken := (*planner.NameTakenError)(nil); errors.As(err, &taken) && taken.Tenant == "" {
		if !o.tenants && len(s.Tenants) > 0 && o.open != nil {
			// A command that reads no tenant (apply) reads them now, only to
			// word the refusal: a tenant's resource is not to be imported.
			ts, _ := reads.Tenants(ctx, s, o.open)
			taken.Tenant, taken.TenantAddr = planner.TenantOwning(ts, live, taken.ID)
		}
		if taken.Tenant == "" && o.owner != nil {
			taken.Owner = o.owner(ctx, s, taken.ID)
		}
	}
	if err != nil {
		return nil, err
	}
	if !o.destroy {
		warnExpiring(o.warn, p, live, time.Now())
	}
	if o.check && o.refresh {
		if err := check(ctx, s, p, planner.SettledAhead(snap, pending), live, client, o); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// style colours output written to a terminal, unless --no-color or
// NO_COLOR says not to.
func style(c *ucli.Context) view.Style {
	if c.Bool(flagNoColor) || os.Getenv("NO_COLOR") != "" {
		return view.Style{}
	}
	return view.Style{Color: isTerminal(c.App.Writer)}
}

// isTerminal reports whether r or w is an interactive terminal (not
// /dev/null, which is a character device too).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
