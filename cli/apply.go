package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cdstack/cdstack/cloud"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/view"
)

func applyFlags() []ucli.Flag {
	return append(planFlags(),
		&ucli.BoolFlag{Name: "auto-approve", Usage: "do not ask for confirmation"},
		&ucli.IntFlag{Name: "parallelism", Value: 10, Usage: "steps changing the cloud at once (reading back and recording a resource do not count)"},
	)
}

func applyCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "apply",
		Usage:     "make the cloud match the stack (or carry out a saved plan)",
		ArgsUsage: "[plan.json]",
		Flags:     append(applyFlags(), replaceFlag()),
		Action:    func(c *ucli.Context) error { return runApply(c, false) },
	}
}

func destroyCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "destroy",
		Usage:  "delete everything the state holds (protected resources are kept)",
		Flags:  applyFlags(),
		Action: func(c *ucli.Context) error { return runApply(c, true) },
	}
}

func runApply(c *ucli.Context, destroy bool) error {
	var saved *planner.Document
	if c.NArg() > 0 {
		if destroy {
			return errors.New("destroy takes no plan file")
		}
		var err error
		if saved, err = readPlan(c.Args().First()); err != nil {
			return err
		}
		if !c.IsSet(flagFile) {
			if err := c.Set(flagFile, saved.StackFile); err != nil {
				return err
			}
		}
		if err := sameWorkspace(c, saved); err != nil {
			return err
		}
	}
	// destroy deletes what the state holds: it needs no variable values
	// (one that feeds only properties is unknown, as in drift).
	s, err := stackOrProblems(c, destroy)
	if err != nil {
		return err
	}
	s.UnsetIsUnknown = destroy
	if saved != nil && saved.StackHash != s.Hash {
		return fmt.Errorf("%w: %s changed since the plan was made; plan again", planner.ErrStalePlan, s.File)
	}
	if saved != nil {
		if err := sameSources(saved, s); err != nil {
			return err
		}
		if err := planner.CheckVariables(saved, s); err != nil {
			return err
		}
		// Refused before the lock, which would create a state that does
		// not exist (a plan made for another workspace): a refused
		// command writes nothing. Checked again under the lock.
		snap, _, err := readState(c)
		if err != nil {
			return err
		}
		if err := planner.CheckFresh(saved, snap); err != nil {
			return err
		}
	}
	st, err := lockState(c)
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
	out := c.App.Writer
	hook := &progress{w: out, bar: style(c).Color}
	ex := executor.New(client, st, s, executor.WithParallelism(c.Int("parallelism")), executor.WithHook(hook))
	if err := settle(c, ex); err != nil {
		return err
	}
	var p *planner.Document
	if saved != nil {
		snap, err := st.Snapshot(c.Context)
		if err != nil {
			return err
		}
		if err := planner.CheckFresh(saved, snap); err != nil {
			return err
		}
		// The cloud may have changed since: check what it can deliver now.
		// The saved plan carries its prices (and met the budget of the
		// same stack file): they are not asked for again.
		o := optionsFrom(c)
		o.targets, o.replace, o.price = saved.Targets, saved.Replace, false
		fresh, err := makePlan(c.Context, s, st, client, o)
		if err != nil {
			return err
		}
		if err := sameReads(saved, fresh); err != nil {
			return err
		}
		p = saved
	} else {
		o := optionsFrom(c)
		o.destroy = destroy
		if p, err = makePlan(c.Context, s, st, client, o); err != nil {
			return err
		}
	}
	// A protect flag changed in the stack is written to the records now
	// (after a saved plan's freshness check): the plan already used it.
	if err := ex.SyncProtect(c.Context); err != nil {
		return err
	}
	view.PlanText(out, p, style(c))
	if !p.HasChanges() {
		// Outputs and reads are recorded even when no resource changes
		// (a data source that moved without changing a property).
		return recordExports(c.Context, st, s, p, destroy)
	}
	if !c.Bool("auto-approve") {
		q := "Do you want to perform these actions? Only 'yes' is accepted: "
		if destroy {
			q = "Do you really want to destroy these resources? Only 'yes' is accepted: "
		}
		if err := confirm(c, q); err != nil {
			return err
		}
	}
	fmt.Fprintln(out)
	start := time.Now()
	res, err := ex.Apply(c.Context, p)
	hook.end()
	took := time.Since(start).Round(100 * time.Millisecond)
	if err != nil {
		return err
	}
	// Outputs and reads are recorded by an apply that went through: after
	// a failure the last complete apply's stay, and the next one records.
	if res.Err() == nil {
		if err := recordExports(c.Context, st, s, p, destroy); err != nil {
			return fmt.Errorf("record the stack's outputs: %w", err)
		}
	}
	verb := "Apply"
	if destroy {
		verb = "Destroy"
	}
	moved := ""
	if res.Moved > 0 {
		moved = fmt.Sprintf(", %d moved", res.Moved)
	}
	if ferr := res.Err(); ferr != nil {
		lost := ""
		if len(res.Lost) > 0 {
			lost = fmt.Sprintf(", %d lost", len(res.Lost))
		}
		fmt.Fprintf(out, "\n%s failed. Resources: %d added, %d changed, %d replaced, %d destroyed%s%s. Took %s.\n", verb, res.Added, res.Changed, res.Replaced, res.Destroyed, moved, lost, took)
		if res.Interrupted {
			return exitCode(130, ferr)
		}
		return ferr
	}
	fmt.Fprintf(out, "\n%s complete! Resources: %d added, %d changed, %d replaced, %d destroyed%s. Took %s.\n", verb, res.Added, res.Changed, res.Replaced, res.Destroyed, moved, took)
	for _, kept := range p.Changes {
		if kept.Reason == planner.ReasonProtectedKept {
			fmt.Fprintf(out, "Kept %s: %s.\n", kept.Addr, kept.Detail)
		}
	}
	for _, addr := range res.Kept {
		fmt.Fprintf(out, "Kept %s: still in use outside the stack; it stays in the state and is deleted once unused.\n", addr)
	}
	if !destroy && len(s.Outputs) > 0 {
		fmt.Fprintln(out, "\nOutputs:")
		return printOutputs(c, s, "", false)
	}
	return nil
}

// sameWorkspace takes a saved plan's workspace when none was chosen, and
// refuses to apply it to another.
func sameWorkspace(c *ucli.Context, saved *planner.Document) error {
	if saved.Workspace == "" {
		return nil
	}
	if !c.IsSet(flagWorkspace) || c.String(flagWorkspace) == "" { // none chosen (an empty CDSTACK_WORKSPACE is none)
		return c.Set(flagWorkspace, saved.Workspace)
	}
	if ws, _ := workspace(c); ws != saved.Workspace {
		return fmt.Errorf("%w: the plan was made in workspace %s, not %s", planner.ErrStalePlan, saved.Workspace, ws)
	}
	return nil
}

func readPlan(path string) (*planner.Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("saved plan: %w", err)
	}
	var p planner.Document
	if err := json.Unmarshal(b, &p); err != nil || p.FormatVersion == "" {
		return nil, fmt.Errorf("%s is not a saved cdstack plan (want the file plan --out wrote)", path)
	}
	if p.FormatVersion != planner.FormatVersion {
		return nil, fmt.Errorf("%s has plan format %s; this cdstack reads %s", path, p.FormatVersion, planner.FormatVersion)
	}
	return &p, nil
}

// confirm asks question on a terminal, goes ahead only on "yes", and
// refuses without a terminal.
func confirm(c *ucli.Context, question string) error {
	if !isTerminal(c.App.Reader) {
		return errors.New("refusing to go ahead without confirmation: stdin is not a terminal; pass --auto-approve")
	}
	fmt.Fprint(c.App.Writer, question)
	line, err := bufio.NewReader(c.App.Reader).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if strings.TrimSpace(line) != "yes" {
		return exitCode(1, errors.New("cancelled; nothing was changed"))
	}
	return nil
}

// progress prints a line per step start and finish; on a terminal it keeps
// a bar under them.
type progress struct {
	mu                   sync.Mutex
	w                    io.Writer
	bar                  bool
	total, done, running int
}

var opWords = map[planner.Action][2]string{
	planner.Create: {"creating", "created"}, planner.Update: {"updating", "updated"}, planner.Delete: {"destroying", "destroyed"},
}

func (p *progress) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, format+"\n", args...)
	if p.bar && p.total > 0 {
		const width = 30
		filled := width * p.done / p.total
		fmt.Fprintf(p.w, "[%s%s] %d/%d steps, %d running", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.done, p.total, p.running)
	}
}

func (p *progress) count(done, running int) {
	p.mu.Lock()
	p.done += done
	p.running += running
	p.mu.Unlock()
}

func (p *progress) Planned(steps int) { p.total = steps }

// stepName is the address a step works on; the halves of a replacement add
// which half ("web (delete)") so their lines can be told apart, as does a
// load balancer's unwire step ("front (unwire)").
func stepName(s *planner.Step) string {
	if s.Change.Action == planner.Replace || len(s.Unwire) > 0 {
		return s.ID
	}
	return s.Change.Addr
}

func (p *progress) StepStarted(s *planner.Step) {
	p.count(0, 1)
	p.line("%s: %s…", stepName(s), opWords[s.Op][0])
}

func (p *progress) StepFinished(s *planner.Step, err error, d time.Duration) {
	p.count(1, -1)
	var kept *executor.KeptError
	if errors.As(err, &kept) {
		p.line("%s: kept: %v", stepName(s), kept.Err)
		return
	}
	if err != nil {
		p.line("%s: failed after %s: %v", stepName(s), d.Round(100*time.Millisecond), err)
		return
	}
	p.line("%s: %s after %s", stepName(s), opWords[s.Op][1], d.Round(100*time.Millisecond))
}

func (p *progress) StepSkipped(s *planner.Step, because string) {
	p.count(1, 0)
	p.line("%s: skipped (%s)", stepName(s), because)
}

func (p *progress) StillRunning(s *planner.Step, d time.Duration) {
	p.line("%s: still %s… [%s]", stepName(s), opWords[s.Op][0], d.Round(time.Second))
}

// end clears the bar.
func (p *progress) end() {
	if p.bar {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// sameSources refuses a saved plan when a component file it used changed,
// appeared or went away since.
func sameSources(saved *planner.Document, s *spec.Stack) error {
	for path, h := range saved.Sources {
		if s.Sources[path] != h {
			return fmt.Errorf("%w: component file %s changed since the plan was made; plan again", planner.ErrStalePlan, path)
		}
	}
	for path := range s.Sources {
		if _, ok := saved.Sources[path]; !ok {
			return fmt.Errorf("%w: component file %s was not used when the plan was made; plan again", planner.ErrStalePlan, path)
		}
	}
	return nil
}
