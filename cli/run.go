package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	ucli "github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

// mustStack loads the stack; a file with problems prints them all and exits 1.
func mustStack(c *ucli.Context) (*spec.Stack, error) {
	path, s, err := loadStack(c, false)
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
	for _, r := range snap.Resources {
		if r.ID == "" {
			continue // missing since a replacement
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
		}
	}
	for _, r := range s.Resources {
		switch r.Kind {
		case "security_group":
			sc.ListGroups = true
		case "template":
			sc.ListTemplates = true
		case "instance":
			sc.ListTags = sc.ListTags || r.Properties != nil && r.Properties.Key("tags") != nil
		}
	}
	return sc
}

// planFlags are the flags plan, apply and destroy share.
func planFlags() []ucli.Flag {
	return append(append(stackFlags(), stateFlags()...),
		&ucli.StringSliceFlag{Name: "target", Usage: "limit to this address and what it depends on (repeatable)"},
		&ucli.BoolFlag{Name: "refresh", Value: true, Usage: "look at the cloud (false: plan from the state alone)"},
	)
}

// replaceFlag is --replace, of plan and apply.
func replaceFlag() ucli.Flag {
	return &ucli.StringSliceFlag{Name: "replace", Usage: "replace this address even though nothing forces it (repeatable; protect refuses it)"}
}

// planOptions are what the commands that plan choose.
type planOptions struct {
	refresh, destroy bool
	targets, replace []string
}

// optionsFrom reads --refresh, --target and --replace.
func optionsFrom(c *ucli.Context) planOptions {
	return planOptions{refresh: c.Bool("refresh"), targets: c.StringSlice("target"), replace: c.StringSlice("replace")}
}

// makePlan refreshes and plans.
func makePlan(ctx context.Context, s *spec.Stack, st state.Reader, client *cloud.Client, o planOptions) (*planner.Document, *state.Snapshot, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	var live *resources.Live
	if o.refresh {
		if live, err = resources.Refresh(ctx, client, refreshScope(s, snap)); err != nil {
			return nil, nil, err
		}
	}
	// Operations in flight in another process (or left by a killed one):
	// shown as pending, with what settling them will likely do.
	pending := map[string]string{}
	for _, j := range snap.Journal {
		if live != nil {
			pending[j.Addr] = executor.Outlook(ctx, client, j, live)
		}
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Targets: o.targets, Replace: o.replace, Destroy: o.destroy, Pending: pending})
	if err != nil {
		return nil, nil, err
	}
	return p, snap, nil
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
