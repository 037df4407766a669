package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

func planCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "plan",
		Usage: "show what apply would change, and why",
		Flags: append(append(planFlags(), replaceFlag(),
			&ucli.StringFlag{Name: "out", Usage: "save the plan to FILE for apply (cdstack show FILE displays it)"},
			&ucli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when there are changes, 0 when none"},
		), planFormatFlags()...),
		Action: runPlan,
	}
}

// planFormatFlags choose how plan and show print a plan.
func planFormatFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "format", Value: "text", Usage: "text, json (a versioned document) or markdown (for a pull-request comment)"},
		&ucli.BoolFlag{Name: "json", Usage: "same as --format json"},
	}
}

// planFormat is --format, or json with --json.
func planFormat(c *ucli.Context) (string, error) {
	format := c.String("format")
	if c.Bool("json") {
		if c.IsSet("format") && format != "json" {
			return "", fmt.Errorf("--json and --format %s say different things; give one", format)
		}
		format = "json"
	}
	switch format {
	case "text", "json", "markdown":
		return format, nil
	}
	return "", fmt.Errorf("--format %q: want text, json or markdown", format)
}

// printPlan writes p in format.
func printPlan(c *ucli.Context, p *planner.Document, format string) error {
	w := c.App.Writer
	switch format {
	case "json":
		return view.JSON(w, p)
	case "markdown":
		view.PlanMarkdown(w, p)
		return nil
	}
	view.PlanText(w, p, style(c))
	if len(p.Drift) > 0 {
		fmt.Fprintln(w)
		view.DriftText(w, p.Drift, style(c))
	}
	if len(p.Tenants) > 0 {
		fmt.Fprintln(w)
		view.TenantsText(w, p.Tenants, p.TenantResources, style(c))
	}
	return nil
}

// announce says on stderr which workspace and state a command acts on.
func announce(c *ucli.Context, st backend) {
	ws, _ := workspace(c)
	fmt.Fprintf(c.App.ErrWriter, "cdstack: workspace %s, state %s\n", ws, st.Path())
}

// readOnlySession loads the stack, finds the state and connects: what plan
// and drift need before they plan.
func readOnlySession(c *ucli.Context) (*spec.Stack, state.Reader, *cloud.Client, func(), error) {
	s, err := mustStack(c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	st, err := openState(c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	announce(c, st)
	client, closeCloud, err := connect(c, cloud.WithDefaultRegion(s.Region))
	if err != nil {
		st.Close()
		return nil, nil, nil, nil, err
	}
	return s, st, client, func() { closeCloud(); st.Close() }, nil
}

func runPlan(c *ucli.Context) error {
	format, err := planFormat(c)
	if err != nil {
		return err
	}
	s, st, client, closeCloud, err := readOnlySession(c)
	if err != nil {
		return err
	}
	defer closeCloud()
	o := optionsFrom(c)
	o.tenants, o.unlocked = true, true
	p, err := makePlan(c.Context, s, st, client, o)
	if err != nil {
		return err
	}
	if out := c.String("out"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if err := view.JSON(f, p); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	if err := printPlan(c, p, format); err != nil {
		return err
	}
	if out := c.String("out"); out != "" && format == "text" {
		fmt.Fprintf(c.App.Writer, "\nSaved the plan to %s; cdstack show %s displays it, cdstack apply %s carries it out.\n", out, out, out)
	}
	if c.Bool("detailed-exitcode") && p.HasChanges() {
		return exitCode(2, nil)
	}
	return nil
}

func driftCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "drift",
		Usage: "report where the cloud moved away from the state (read-only; exit 2 on drift)",
		Flags: append(append(stackFlags(), stateFlags()...),
			&ucli.BoolFlag{Name: "json", Usage: "same as --format json"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "text, json or prometheus"},
			&ucli.StringFlag{Name: "output", Usage: "write the report to FILE (atomically) instead of stdout"},
		),
		Action: runDrift,
	}
}

func runDrift(c *ucli.Context) error {
	format := c.String("format")
	if c.Bool("json") {
		format = "json"
	}
	if format != "text" && format != "json" && format != "prometheus" {
		return fmt.Errorf("--format %q: want text, json or prometheus", format)
	}
	// Drift compares the state with the cloud and what the last apply read
	// with what reads give now: it needs no variable values (a property
	// that depends on one is unknown, and never drift).
	s, err := stackOrProblems(c, true)
	if err != nil {
		return err
	}
	s.UnsetIsUnknown = true
	st, err := openState(c)
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
	p, err := makePlan(c.Context, s, st, client, planOptions{refresh: true, warn: c.App.ErrWriter, open: openerOf(c), lenient: true, tenants: true, unlocked: true})
	if err != nil {
		return err
	}
	out := c.App.Writer
	var tmp *os.File
	if file := c.String("output"); file != "" {
		if tmp, err = os.CreateTemp(filepath.Dir(file), ".cdstack-drift-*"); err != nil {
			return fmt.Errorf("--output %s: %w", file, err)
		}
		// node_exporter reads it as a user of its own: readable by others,
		// as a file the shell would create, or as the file it replaces.
		mode := os.FileMode(0o644)
		if info, err := os.Stat(file); err == nil {
			mode = info.Mode().Perm()
		}
		if err := tmp.Chmod(mode); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("--output %s: %w", file, err)
		}
		out = tmp
	}
	switch format {
	case "json":
		err = view.JSON(out, struct {
			FormatVersion string               `json:"format_version"`
			Stack         string               `json:"stack"`
			Time          time.Time            `json:"time"`
			Drift         []*planner.DriftItem `json:"drift"`
			// What the stack's tenants manage in its VDCs (class tenant),
			// and their states as read: not drift. Added keys, so the
			// format version stays.
			Tenants         []*planner.Tenant    `json:"tenants,omitempty"`
			TenantResources []*planner.DriftItem `json:"tenant_resources,omitempty"`
		}{planner.FormatVersion, s.Name, time.Now().UTC(), p.Drift, p.Tenants, p.TenantResources})
	case "prometheus":
		view.Prometheus(out, s.Name, p.Drift, time.Now())
		view.PrometheusTenants(out, s.Name, p.Tenants, p.TenantResources)
	default:
		view.DriftText(out, p.Drift, style(c))
		view.TenantsText(out, p.Tenants, p.TenantResources, style(c))
	}
	if tmp != nil {
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), c.String("output"))
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		return err
	}
	if len(p.Drift) > 0 {
		return exitCode(2, nil)
	}
	return nil
}

func graphCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "graph",
		Usage: "print the dependency graph",
		Flags: append(append(stackFlags(), stateFlags()...), &ucli.StringFlag{Name: "format", Value: "text", Usage: "text or dot"},
			&ucli.BoolFlag{Name: "stacks", Usage: "draw which stacks read which (stacks: and what their states recorded), not the resources"}),
		Action: func(c *ucli.Context) error {
			// The graph is of the file's names: it needs no variable values.
			s, err := stackOrProblems(c, true)
			if err != nil {
				return err
			}
			if c.Bool("stacks") {
				return graphStacks(c, s)
			}
			g := s.Graph()
			names := s.Names()
			w := c.App.Writer
			switch c.String("format") {
			case "dot":
				fmt.Fprintln(w, "digraph cdstack {")
				fmt.Fprintln(w, "  rankdir = \"BT\";")
				for _, n := range names {
					fmt.Fprintf(w, "  %q [label=\"%s\\n%s\"];\n", n, n, s.Resources[n].Kind)
				}
				for _, n := range names {
					for _, d := range g[n] {
						fmt.Fprintf(w, "  %q -> %q;\n", n, d)
					}
				}
				fmt.Fprintln(w, "}")
			case "text":
				for _, n := range names {
					deps := g[n]
					sort.Strings(deps)
					if len(deps) == 0 {
						fmt.Fprintf(w, "%s (%s)\n", n, s.Resources[n].Kind)
						continue
					}
					fmt.Fprintf(w, "%s (%s) → %s\n", n, s.Resources[n].Kind, strings.Join(deps, ", "))
				}
			default:
				return fmt.Errorf("--format %q: want text or dot", c.String("format"))
			}
			return nil
		},
	}
}
