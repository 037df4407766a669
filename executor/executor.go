package executor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// A Hook hears about progress; the CLI prints it.
type Hook interface {
	// Planned is called once with the number of steps.
	Planned(steps int)
	StepStarted(s *planner.Step)
	StepFinished(s *planner.Step, err error, elapsed time.Duration)
	StepSkipped(s *planner.Step, because string)
	StillRunning(s *planner.Step, elapsed time.Duration)
}

// NopHook ignores everything.
type NopHook struct{}

// Planned does nothing.
func (NopHook) Planned(int) {}

// StepStarted does nothing.
func (NopHook) StepStarted(*planner.Step) {}

// StepFinished does nothing.
func (NopHook) StepFinished(*planner.Step, error, time.Duration) {}

// StepSkipped does nothing.
func (NopHook) StepSkipped(*planner.Step, string) {}

// StillRunning does nothing.
func (NopHook) StillRunning(*planner.Step, time.Duration) {}

// A StepError is a failed step.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Result sums up an apply.
type Result struct {
	Added, Changed, Replaced, Destroyed int
	Failed                              []*StepError
	Skipped                             []string
	// Kept are deletes that left the resource, and its record, in place:
	// something outside the stack still uses it (a tag).
	Kept []string
	// Moved counts the records moved (moved:), committed before any step.
	Moved int
	// Lost are resources deleted for a replacement whose new resource was
	// not created: missing now, and recorded as missing.
	Lost        []string
	Interrupted bool
	// Outage is set when the API or the state store stopped answering: no
	// step was started after it, and the journal keeps what was in flight.
	Outage   error
	endpoint string
}

// Err returns an error when anything failed, was skipped or interrupted.
func (r *Result) Err() error {
	if len(r.Failed) == 0 && len(r.Skipped) == 0 && !r.Interrupted && len(r.Lost) == 0 {
		return nil
	}
	if r.Outage != nil {
		what := "the API at " + r.endpoint
		var se *StoreError
		if errors.As(r.Outage, &se) {
			what = "the state store"
		}
		return &OutageError{What: what, Err: r.Outage, NotStarted: len(r.Skipped), Failed: r.Failed}
	}
	var parts []string
	for _, f := range r.Failed {
		parts = append(parts, f.Error())
	}
	msg := fmt.Sprintf("%d step(s) failed", len(r.Failed))
	if len(r.Lost) > 0 {
		msg = fmt.Sprintf("%s missing: deleted for a replacement whose new resource was not created (the state records the gap; the next apply creates it); %s",
			strings.Join(r.Lost, ", "), msg)
	}
	switch {
	case r.Interrupted:
		msg += fmt.Sprintf("; interrupted before the end: %d step(s) not started (the state holds everything that finished)", len(r.Skipped))
	case len(r.Skipped) > 0:
		msg += fmt.Sprintf(", %d skipped (upstream failed)", len(r.Skipped))
	}
	if len(parts) > 0 {
		msg += ":\n  " + strings.Join(parts, "\n  ")
	}
	return errors.New(msg)
}

// Executor applies plans.
type Executor struct {
	client      *cloud.Client
	store       state.Store
	stack       *spec.Stack
	parallelism int
	hook        Hook
	waitOpts    []cloud.WaitOption
	tick        time.Duration

	mu      sync.Mutex
	records map[string]*state.Record
	// withVdc: a VDC's address → the public network created inside its
	// CreateVdc (vdc_public.go), with what became of it.
	withVdc        map[string]*planner.Change
	madeWithVdc    map[string]bool
	pendingWithVdc map[string]*state.JournalEntry
}

// An Option configures an Executor.
type Option func(*Executor)

// WithParallelism sets how many steps may be changing the cloud at once
// (default 10): a step holds its slot until its last task settles.
func WithParallelism(n int) Option { return func(e *Executor) { e.parallelism = max(n, 1) } }

// WithHook sets the progress hook.
func WithHook(h Hook) Option { return func(e *Executor) { e.hook = h } }

// WithWaitOptions passes options to every task wait.
func WithWaitOptions(o ...cloud.WaitOption) Option { return func(e *Executor) { e.waitOpts = o } }

// WithProgressInterval sets how often StillRunning is called (default 10 s,
// as Terraform does; DESIGN said 30 s, too long to tell a slow step from a
// stuck one).
func WithProgressInterval(d time.Duration) Option { return func(e *Executor) { e.tick = d } }

// New returns an Executor over a locked store.
func New(c *cloud.Client, st state.Store, stack *spec.Stack, opts ...Option) *Executor {
	e := &Executor{client: c, store: st, stack: stack, parallelism: 10, hook: NopHook{}, tick: 10 * time.Second}
	for _, o := range opts {
		o(e)
	}
	return e
}

// SyncProtect writes the stack's protect flags into the records of the
// resources it still has, in one transaction (nothing when they agree): a
// flag lifted in the stack must be lifted in the state too, or the record
// would keep the resource once it leaves the stack.
func (e *Executor) SyncProtect(ctx context.Context) error {
	snap, err := e.store.Snapshot(ctx)
	if err != nil {
		return err
	}
	var put []*state.Record
	for _, addr := range snap.Addresses() {
		rec := snap.Resources[addr]
		name, _ := spec.SplitAddress(addr)
		r := e.stack.Resources[name]
		if r == nil || strings.HasSuffix(addr, state.ReplacedSuffix) || rec.Protect == r.Protect {
			continue
		}
		synced := *rec
		synced.Protect = r.Protect
		put = append(put, &synced)
	}
	if len(put) == 0 {
		return nil
	}
	return e.commit(ctx, state.Change{Put: put})
}

// Apply walks the plan's steps.
func (e *Executor) Apply(ctx context.Context, plan *planner.Document) (*Result, error) {
	snap, err := e.store.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if len(plan.Moves) > 0 {
		// moved: first, in one transaction: the steps use the new addresses.
		if err := e.commit(ctx, planner.MoveChange(snap, plan.Moves, time.Now().UTC())); err != nil {
			return nil, err
		}
		if snap, err = e.store.Snapshot(ctx); err != nil {
			return nil, err
		}
	}
	e.records = snap.Resources
	steps := plan.Steps()
	e.pairVdcPublics(steps)
	e.hook.Planned(len(steps))
	res := &Result{endpoint: e.client.Endpoint(), Moved: len(plan.Moves)}
	byID := map[string]*planner.Step{}
	indeg := map[string]int{}
	dependents := map[string][]string{}
	for _, s := range steps {
		byID[s.ID] = s
	}
	for _, s := range steps {
		for _, d := range s.Deps {
			if _, ok := byID[d]; ok {
				indeg[s.ID]++
				dependents[d] = append(dependents[d], s.ID)
			}
		}
	}
	ready := []string{}
	for _, s := range steps {
		if indeg[s.ID] == 0 {
			ready = append(ready, s.ID)
		}
	}
	sort.Strings(ready)

	// A step holds one of the parallelism slots from its first call until
	// its last task settles; it gives the slot back before reading the
	// resource back and committing it, so reads that are batched together
	// never keep the next changes waiting.
	type event struct {
		id       string
		finished bool // else: the step gave its slot back early
		err      error
	}
	// replaced: the replacements (delete, then create) whose delete went
	// through, and whether their create did too.
	replaced := map[string]bool{}
	events := make(chan event)
	// On Ctrl-C or SIGTERM in-flight steps stop waiting too: their calls
	// and task waits end, their journal entries stay (commits are never
	// cut short), and the next command that takes the lock settles them.
	stepCtx := ctx
	running, free, done, holding := 0, e.parallelism, map[string]bool{}, map[string]bool{}
	start := func(s *planner.Step) {
		running++
		free--
		holding[s.ID] = true
		go func() {
			var once sync.Once
			release := func() { once.Do(func() { events <- event{id: s.ID} }) }
			err := e.runStep(stepCtx, s, release)
			events <- event{id: s.ID, finished: true, err: err}
		}()
	}
	skip := func(id, because string) {}
	skip = func(id, because string) {
		for _, dep := range dependents[id] {
			if done[dep] {
				continue
			}
			done[dep] = true
			res.Skipped = append(res.Skipped, dep)
			e.hook.StepSkipped(byID[dep], because)
			skip(dep, because)
		}
	}
	handle := func(ev event) {
		if holding[ev.id] {
			holding[ev.id] = false
			free++
		}
		if !ev.finished {
			return
		}
		running--
		done[ev.id] = true
		var kept *KeptError
		switch {
		case errors.As(ev.err, &kept):
			res.Kept = append(res.Kept, kept.Addr)
		case ev.err != nil:
			res.Failed = append(res.Failed, &StepError{Step: ev.id, Err: ev.err})
			if outage(ev.err) && res.Outage == nil {
				res.Outage = ev.err
			}
			skip(ev.id, "upstream "+ev.id+" failed")
			return
		default:
			count(res, byID[ev.id])
			// A replacement's delete comes before its create.
			if st := byID[ev.id]; st.Change.Action == planner.Replace && !st.Change.CreateBeforeDestroy {
				replaced[st.Change.Addr] = st.Op == planner.Create
			}
		}
		for _, dep := range dependents[ev.id] {
			indeg[dep]--
			if indeg[dep] == 0 && !done[dep] {
				ready = append(ready, dep)
			}
		}
		sort.Strings(ready)
	}
	for len(ready) > 0 || running > 0 {
		if ctx.Err() != nil || res.Outage != nil {
			// Interrupted, or the cloud or the state is gone: start nothing
			// more, wait for what is in flight.
			res.Interrupted = res.Interrupted || ctx.Err() != nil
			ready = nil
			if running == 0 {
				break
			}
			handle(<-events)
			continue
		}
		if free > 0 && len(ready) > 0 {
			start(byID[ready[0]])
			ready = ready[1:]
			continue
		}
		select {
		case ev := <-events:
			handle(ev)
		case <-ctx.Done():
		}
	}
	if res.Interrupted || res.Outage != nil {
		for _, st := range steps {
			if !done[st.ID] {
				res.Skipped = append(res.Skipped, st.ID)
			}
		}
	}
	for addr, recreated := range replaced {
		if !recreated {
			res.Lost = append(res.Lost, addr)
		}
	}
	sort.Strings(res.Lost)
	sort.Strings(res.Skipped)
	return res, nil
}

func count(r *Result, s *planner.Step) {
	switch {
	case len(s.Unwire) > 0 && s.Alone: // no update follows (destroy --target)
		r.Changed++
	case len(s.Unwire) > 0: // counted with the update that follows
	case s.Change.Action == planner.Replace && s.Op == planner.Create:
		r.Replaced++
	case s.Change.Action == planner.Replace:
	case s.Op == planner.Create:
		r.Added++
	case s.Op == planner.Update:
		r.Changed++
	case s.Op == planner.Delete:
		r.Destroyed++
	}
}

// runStep carries out one step, reporting progress; release gives its
// parallelism slot back once the cloud has finished changing.
func (e *Executor) runStep(ctx context.Context, s *planner.Step, release func()) error {
	e.hook.StepStarted(s)
	start := time.Now()
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(e.tick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				e.hook.StillRunning(s, time.Since(start))
			}
		}
	}()
	ctx = cloud.WithRegion(ctx, e.regionFor(s.Change))
	err := e.attempts(ctx, s, release)
	close(stop)
	e.hook.StepFinished(s, err, time.Since(start))
	return err
}

// desired evaluates a change's properties against the records so far.
func (e *Executor) desired(c *planner.Change) (resources.Kind, resources.Inputs, map[string]string, *spec.Resource, error) {
	return e.desiredWith(c, e.attr)
}

// desiredWith evaluates a change's properties, resolving references with attr.
func (e *Executor) desiredWith(c *planner.Change, attr func(*spec.Ref) (any, error)) (resources.Kind, resources.Inputs, map[string]string, *spec.Resource, error) {
	kind := resources.Registry[c.Kind]
	if c.Implicit && kind != nil {
		// A resource the planner derived (a tag): its inputs are in the plan.
		return kind, kind.Normalize(resources.Inputs(resources.Canon(c.After).(map[string]any)), e.stack.Region), nil,
			&spec.Resource{Name: c.Addr, Kind: c.Kind, Count: -1}, nil
	}
	name, _ := spec.SplitAddress(c.Addr)
	r := e.stack.Resources[name]
	var inst spec.Instance
	ok := false
	if r != nil {
		inst, ok = r.Instance(c.Addr)
	}
	if !ok || kind == nil {
		return nil, nil, nil, nil, fmt.Errorf("%s is not in the stack", c.Addr)
	}
	in, secrets, err := planner.Desired(e.stack, kind, r, inst, attr)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for k, v := range in {
		if spec.HasUnknown(v) {
			return nil, nil, nil, nil, fmt.Errorf("%s: %s is still unknown (an upstream resource is missing)", c.Addr, k)
		}
	}
	return kind, in, secrets, r, nil
}

// attr resolves ${addr.attr} from the records committed so far.
func (e *Executor) attr(ref *spec.Ref) (any, error) {
	return planner.RecordResolver(e.stack, func(addr string) *state.Record {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.records[addr]
	})(ref)
}

// An OutageError ends an apply during which the API or the state store
// stopped answering.
type OutageError struct {
	What       string // "the API at https://…", "the state store"
	Err        error
	NotStarted int
	Failed     []*StepError
}

func (e *OutageError) Error() string {
	return fmt.Sprintf("%s is unreachable: %v\n  %d step(s) failed and %d were not started; the journal keeps what was in flight, and the next command that takes the lock settles it",
		e.What, e.Err, len(e.Failed), e.NotStarted)
}

func (e *OutageError) Unwrap() error { return e.Err }

// outage reports whether err means the API or the state store is gone:
// the store failed, or the API did not answer however often it was asked.
// One 5xx on a write is not an outage: its outcome is settled by reading
// (attempts), and whatever it left is that step's failure alone.
func outage(err error) bool {
	var se *StoreError
	var ue *cloud.UnreachableError
	var te *cloud.TransportError
	return errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &te)
}

// A StoreError says the state could not be written: the state store is
// unreachable, or the lock was lost. Nothing can be recorded, so the apply
// starts no further step.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "the state could not be written: " + e.Err.Error() }

func (e *StoreError) Unwrap() error { return e.Err }

// commit applies c to the state in one transaction.
func (e *Executor) commit(ctx context.Context, c state.Change) error {
	// What happened is recorded even after an interrupt: the store bounds
	// its own requests.
	if _, err := e.store.Commit(context.WithoutCancel(ctx), c); err != nil {
		return &StoreError{Err: err}
	}
	return nil
}

// journal commits an entry (new, or with a task id or resource id).
func (e *Executor) journal(ctx context.Context, j *state.JournalEntry) error {
	cp := *j
	err := e.commit(ctx, state.Change{JournalPut: []*state.JournalEntry{&cp}})
	crashPoint("journaled")
	return err
}

// waiter journals each task id, then waits; the first finished task of a
// create names the new resource, which is journaled too.
func (e *Executor) waiter(j *state.JournalEntry) resources.Waiter {
	return func(ctx context.Context, taskID string) (*cloud.Task, error) {
		crashPoint("called")
		j.TaskID = taskID
		if err := e.journal(ctx, j); err != nil {
			return nil, err
		}
		t, err := e.client.WaitTask(ctx, taskID, append(e.watch(j), e.waitOpts...)...)
		crashPoint("waited")
		if err == nil && j.ResourceID == "" && t.ResourceID != "" && j.Action == "create" {
			j.ResourceID = t.ResourceID
			if jerr := e.journal(ctx, j); jerr != nil {
				return t, jerr
			}
		}
		return t, err
	}
}

// watch lets the wait on a create's or a delete's task look at the listing
// its resource is in, shared with the other waits, before it asks its task
// (see cloud/listing_watch.go): instances in their VDC's instance listing,
// VDCs and their networks in the VDC listing, databases and read-only
// replicas in their product's, load balancers and templates in theirs.
// (A certificate's upload and delete answer at once: no task.)
func (e *Executor) watch(j *state.JournalEntry) []cloud.WaitOption {
	if j.Action != "create" && j.Action != "delete" {
		return nil
	}
	deleting := j.Action == "delete"
	name, id := j.Marker, ""
	if deleting {
		name, id = "", j.ResourceID
	}
	var w cloud.WaitOption
	switch {
	case j.Kind == "template" && j.Marker != "":
		w = e.client.WatchTemplate(j.Marker, id, deleting) // listed by name, deletes too
	case j.Scope == "":
	case j.Kind == "instance":
		w = e.client.WatchInstance(j.Scope, name, id, deleting)
	case j.Kind == "vdc":
		w = e.client.WatchVdc(j.Scope, name, id, deleting)
	case j.Kind == "public_network" || j.Kind == "private_network":
		w = e.client.WatchNetwork(j.Scope, j.Kind == "public_network", name, id, deleting)
	case j.Kind == "mysql" || j.Kind == "redis" || j.Kind == "mongodb":
		w = e.client.WatchDatabase(j.Kind, name, id, deleting)
	case j.Kind == "mysql_readonly":
		w = e.client.WatchReplica(j.Scope, name, id, deleting)
	case j.Kind == "load_balancer":
		w = e.client.WatchLoadBalancer(name, id, deleting)
	}
	if w == nil {
		return nil
	}
	return []cloud.WaitOption{w}
}

func hashes(secrets map[string]string) map[string]string {
	if len(secrets) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range secrets {
		out[k] = state.HashSecret(v)
	}
	return out
}

// storable splits inputs into what a record may hold in clear and the
// hashes of the properties that come from sensitive variables.
func (e *Executor) storable(r *spec.Resource, in resources.Inputs, secretHashes map[string]string) (map[string]any, map[string]string) {
	sens := e.stack.SensitiveProperties(r)
	out := map[string]any{}
	hs := map[string]string{}
	for k, v := range secretHashes {
		hs[k] = v
	}
	for k, v := range in {
		if sens[k] {
			hs[k] = state.HashSecret(planner.SecretText(v))
			continue
		}
		out[k] = v
	}
	if len(hs) == 0 {
		hs = nil
	}
	return out, hs
}

func (e *Executor) create(ctx context.Context, c *planner.Change, release func()) error {
	if done, err := e.createWithVdc(ctx, c, release); done {
		return err
	}
	return e.createOne(ctx, c, release)
}

// createOne creates the resource of c with its kind's Create.
func (e *Executor) createOne(ctx context.Context, c *planner.Change, release func()) error {
	kind, in, secrets, r, err := e.desired(c)
	if err != nil {
		return err
	}
	if c.CreateBeforeDestroy {
		if err := e.setAside(ctx, c.Addr); err != nil {
			return err
		}
		if c.TempName != "" {
			in["name"] = c.TempName // renamed once the old one is gone
		}
	}
	deps := append([]string{}, c.Deps...)
	stored, secretHashes := e.storable(r, in, hashes(secrets))
	j := &state.JournalEntry{OpID: uuid.NewString(), Addr: c.Addr, Kind: c.Kind, Action: "create", APIAction: createAction(c.Kind),
		Marker: in.String("name"), Scope: kind.Scope(in), StartedAt: time.Now().UTC(), Inputs: stored, SecretHashes: secretHashes,
		Deps: deps, Protect: r.Protect}
	if err := e.journal(ctx, j); err != nil {
		return err
	}
	id, cerr := kind.Create(resources.WithKnown(ctx, e.known), e.client, in, secrets, e.waiter(j))
	release()
	if id == "" {
		id = j.ResourceID
	}
	if id == "" {
		if kept := e.keptFailed(ctx, j, cerr); kept != "" {
			// The task failed, yet the service keeps what it made (an
			// instance listed as "error"): recorded as failed, so the
			// next plan replaces it and drift does not call it unmanaged.
			if err := e.settle(ctx, j, kind, kept); err != nil {
				return errors.Join(cerr, err)
			}
			return errors.Join(cerr, e.markFailed(ctx, c.Addr))
		}
		if changedNothing(j, cerr) {
			err := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
			if c.CreateBeforeDestroy {
				err = errors.Join(err, e.restoreAside(ctx, c.Addr))
			}
			return errors.Join(cerr, err)
		}
		return unsettled(j, cerr)
	}
	if cerr != nil {
		// A follow-up call failed after the resource was made (a rule, an
		// account): it is recorded as the cloud has it, not as the stack
		// wants it, so drift sees no change and the next plan finishes the
		// job with an update.
		return errors.Join(cerr, e.settleIncomplete(ctx, j, kind, id))
	}
	return e.settle(ctx, j, kind, id)
}

// settleIncomplete records id, made by j's create whose follow-up call
// failed, with the inputs read back from the cloud, marked incomplete.
func (e *Executor) settleIncomplete(ctx context.Context, j *state.JournalEntry, kind resources.Kind, id string) error {
	obs, err := resources.ReadBack(ctx, e.client, kind, id, &resources.Recorded{Inputs: j.Inputs, Outputs: map[string]any{}})
	if err != nil {
		return fmt.Errorf("read %s back: %w", id, err)
	}
	if obs != nil {
		j.Inputs = resources.ObservedInputs(kind, j.Inputs, obs.Attrs)
	}
	return e.recordAs(ctx, j, id, obs, true)
}

// known tells the kinds' Create what the records of the run say of a
// resource by id (a security group's type), saving a read.
func (e *Executor) known(id string) (string, resources.Inputs, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, rec := range e.records {
		if rec.ID == id && !rec.Missing {
			return rec.Kind, resources.Inputs(rec.Inputs), true
		}
	}
	return "", nil, false
}

// setAside moves the record of addr (the resource a create-before-destroy
// replacement replaces) to addr+state.ReplacedSuffix, so the new resource
// can be recorded at addr while the old one waits for its delete. A run
// killed in between leaves the old record there, and the next plan deletes
// it.
func (e *Executor) setAside(ctx context.Context, addr string) error {
	return e.moveRecord(ctx, addr, addr+state.ReplacedSuffix)
}

// restoreAside undoes setAside when the new resource was not created.
func (e *Executor) restoreAside(ctx context.Context, addr string) error {
	return e.moveRecord(ctx, addr+state.ReplacedSuffix, addr)
}

// moveRecord moves the record at from to to, in one transaction; nothing
// when there is none.
func (e *Executor) moveRecord(ctx context.Context, from, to string) error {
	e.mu.Lock()
	rec := e.records[from]
	e.mu.Unlock()
	if rec == nil {
		return nil
	}
	moved := *rec
	moved.Addr = to
	if err := e.commit(ctx, state.Change{Put: []*state.Record{&moved}, Delete: []string{from}}); err != nil {
		return err
	}
	e.mu.Lock()
	e.records[to] = &moved
	delete(e.records, from)
	e.mu.Unlock()
	return nil
}

// rename gives the new resource of a create-before-destroy replacement its
// name, once the old one that held it is gone.
func (e *Executor) rename(ctx context.Context, c *planner.Change, release func()) error {
	named := *c
	named.Action = planner.Update
	named.Fields = []planner.FieldChange{{Path: "name", Update: "rename"}}
	return e.update(ctx, &named, release)
}

// changedNothing reports whether err proves that j's call changed nothing,
// so its journal entry may go: the task ended in ERROR, or, before any task
// was journaled, the API refused the call or was never reached. An API that
// stopped answering after it accepted the call (the wait failed, the
// answer was lost) is not an outcome: the entry stays for the next run.
func changedNothing(j *state.JournalEntry, err error) bool {
	var tf *cloud.TaskFailedError
	var we *cloud.WaitError
	var ae *cloud.APIError
	var te *cloud.TransportError
	var ue *cloud.UnreachableError
	switch {
	case errors.As(err, &tf), errors.Is(err, resources.ErrCannotRelease):
		return true
	case j.TaskID != "", errors.As(err, &we), errors.As(err, &ue), cloud.OutcomeUnknown(err):
		return false
	case errors.As(err, &te):
		return !te.Sent
	}
	return errors.As(err, &ae) && ae.HTTPStatus < 500
}

// settle reads id back and commits its record with the entry's removal.
func (e *Executor) settle(ctx context.Context, j *state.JournalEntry, kind resources.Kind, id string) error {
	obs, err := resources.ReadBack(ctx, e.client, kind, id, &resources.Recorded{Inputs: j.Inputs, Outputs: map[string]any{}})
	if err != nil {
		return fmt.Errorf("read %s back: %w", id, err)
	}
	return e.record(ctx, j, id, obs)
}

// record commits the record of id as j says, with obs's outputs, and the
// entry's removal, in one transaction.
func (e *Executor) record(ctx context.Context, j *state.JournalEntry, id string, obs *resources.Observation) error {
	return e.recordAs(ctx, j, id, obs, false)
}

// recordAs is record, marking the record incomplete when its create
// failed part-way.
func (e *Executor) recordAs(ctx context.Context, j *state.JournalEntry, id string, obs *resources.Observation, incomplete bool) error {
	outputs := map[string]any{"id": id}
	if obs != nil {
		outputs = obs.Outputs
	}
	now := time.Now().UTC()
	rec := &state.Record{Addr: j.Addr, Kind: j.Kind, ID: id, Region: resources.Inputs(j.Inputs).String("region"), Inputs: j.Inputs,
		Outputs: outputs, Deps: j.Deps, Protect: j.Protect, SecretHashes: j.SecretHashes, Incomplete: incomplete, CreatedAt: now, UpdatedAt: now}
	e.mu.Lock()
	if old := e.records[j.Addr]; old != nil && old.ID == id {
		rec.CreatedAt = old.CreatedAt
		if rec.SecretHashes == nil {
			rec.SecretHashes = old.SecretHashes
		}
	}
	e.mu.Unlock()
	crashPoint("settled")
	if err := e.commit(ctx, state.Change{Put: []*state.Record{rec}, JournalDelete: []string{j.OpID}}); err != nil {
		return err
	}
	e.mu.Lock()
	e.records[j.Addr] = rec
	e.mu.Unlock()
	return nil
}

// readRecorded reads back what the cloud has of addr's record rec, which
// an update starts from; a record missing from the state or a resource
// gone from the cloud is an error (plan again).
func (e *Executor) readRecorded(ctx context.Context, addr string, kind resources.Kind, rec *state.Record) (*resources.Observation, error) {
	if rec == nil || kind == nil {
		return nil, fmt.Errorf("%s is not in the state", addr)
	}
	before, err := resources.ReadBack(ctx, e.client, kind, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
	if err != nil {
		return nil, err
	}
	if before == nil {
		return nil, fmt.Errorf("%s (%s) no longer exists; plan again", addr, rec.ID)
	}
	return before, nil
}

func (e *Executor) update(ctx context.Context, c *planner.Change, release func()) error {
	kind, in, secrets, r, err := e.desired(c)
	if err != nil {
		return err
	}
	e.mu.Lock()
	rec := e.records[c.Addr]
	e.mu.Unlock()
	before, err := e.readRecorded(ctx, c.Addr, kind, rec)
	if err != nil {
		return err
	}
	var fields []string
	for _, f := range c.Fields {
		fields = append(fields, f.Path)
	}
	// The record keeps the hashes of the secrets this update does not set
	// (an ignored password stays what it was), made again in the current
	// form where they are older and their value is at hand.
	hashes := maps.Clone(state.UpgradeSecretHashes(rec.SecretHashes, secrets))
	for _, f := range fields {
		if v, ok := secrets[f]; ok {
			if hashes == nil {
				hashes = map[string]string{}
			}
			hashes[f] = state.HashSecret(v)
		}
	}
	stored, secretHashes := e.storable(r, in, hashes)
	j := &state.JournalEntry{OpID: uuid.NewString(), Addr: c.Addr, Kind: c.Kind, Action: "update", APIAction: c.Detail,
		Marker: in.String("name"), Scope: kind.Scope(in), ResourceID: rec.ID, StartedAt: time.Now().UTC(), Inputs: stored, SecretHashes: secretHashes, Deps: c.Deps, Protect: r.Protect}
	if err := e.journal(ctx, j); err != nil {
		return err
	}
	uerr := kind.Update(ctx, e.client, rec.ID, before, in, fields, secrets, e.waiter(j))
	release()
	if uerr != nil && cloud.OutcomeUnknown(uerr) {
		return unsettled(j, uerr) // j.Inputs: what the update wanted
	}
	if uerr != nil {
		// Record what the cloud has now; the next plan shows what is left.
		j.Inputs = rec.Inputs
		return errors.Join(uerr, e.settle(ctx, j, kind, rec.ID))
	}
	return e.settle(ctx, j, kind, rec.ID)
}

func (e *Executor) delete(ctx context.Context, c *planner.Change) error {
	addr := c.Addr
	if c.Action == planner.Replace && c.CreateBeforeDestroy {
		addr += state.ReplacedSuffix // set aside when the new one was created
	}
	e.mu.Lock()
	rec := e.records[addr]
	e.mu.Unlock()
	if rec == nil {
		return nil
	}
	if rec.Missing {
		return e.forgetRecord(ctx, addr)
	}
	kind := resources.Registry[rec.Kind]
	j := &state.JournalEntry{OpID: uuid.NewString(), Addr: addr, Kind: rec.Kind, Action: "delete", APIAction: deleteAction(rec.Kind),
		Marker: resources.Inputs(rec.Inputs).String("name"), ResourceID: rec.ID, Scope: kind.Scope(resources.Inputs(rec.Inputs)), StartedAt: time.Now().UTC()}
	if err := e.journal(ctx, j); err != nil {
		return err
	}
	err := kind.Delete(ctx, e.client, rec.ID, resources.Inputs(rec.Inputs), e.waiter(j))
	if errors.Is(err, resources.ErrInUse) {
		// Kept, recorded: deleted by a later run once nothing uses it.
		cerr := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
		return errors.Join(&KeptError{Addr: c.Addr, Err: err}, cerr)
	}
	if err != nil && !gone(err) {
		if changedNothing(j, err) { // refused: the resource is still there, as recorded
			cerr := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
			return errors.Join(err, cerr)
		}
		return unsettled(j, err)
	}
	if c.Action == planner.Replace && !c.CreateBeforeDestroy {
		// The delete half of a replacement: until the new one is recorded,
		// the record says the resource is missing, so a failed re-creation
		// shows as a gap in the next plan instead of vanishing.
		gap := *rec
		gap.ID, gap.Missing, gap.Outputs, gap.UpdatedAt = "", true, nil, time.Now().UTC()
		if err := e.commit(ctx, state.Change{Put: []*state.Record{&gap}, JournalDelete: []string{j.OpID}}); err != nil {
			return err
		}
		e.mu.Lock()
		e.records[addr] = &gap
		e.mu.Unlock()
		return nil
	}
	if err := e.commit(ctx, state.Change{Delete: []string{addr}, JournalDelete: []string{j.OpID}}); err != nil {
		return err
	}
	e.mu.Lock()
	delete(e.records, addr)
	e.mu.Unlock()
	return nil
}

// forgetRecord removes a record that has no resource behind it.
func (e *Executor) forgetRecord(ctx context.Context, addr string) error {
	if err := e.commit(ctx, state.Change{Delete: []string{addr}}); err != nil {
		return err
	}
	e.mu.Lock()
	delete(e.records, addr)
	e.mu.Unlock()
	return nil
}

// A KeptError says a delete left the resource in place, and in the state,
// because something outside the stack still uses it. It is not a failure.
type KeptError struct {
	Addr string
	Err  error
}

func (e *KeptError) Error() string { return fmt.Sprintf("%s kept: %v", e.Addr, e.Err) }

func (e *KeptError) Unwrap() error { return e.Err }

// gone reports an error that says the resource no longer exists.
func gone(err error) bool {
	for _, code := range []string{"InstanceNotFound", "VdcNotFound", "VDCNotFound", "PublicNetworkNotFound", "PrivateNetworkNotFound",
		"InvalidSecurityGroupId.NotFound", "InvalidTemplateId.NotFound", "ResourceNotFound"} {
		if cloud.IsCode(err, code) {
			return true
		}
	}
	return false
}

func createAction(kind string) string {
	if a, ok := lbActions[kind]; ok {
		return a.create
	}
	return map[string]string{"vdc": "CreateVdc", "public_network": "CreatePublicNetwork", "private_network": "CreatePrivateNetwork",
		"instance": "CreateInstance", "security_group": "CreateNSG", "template": "CreateTemplate", "tag": "CreateTag",
		"mysql": "mysql/CreateDBInstance", "mysql_readonly": "mysql/CreateReadOnlyDBInstance", "redis": "redis/CreateDBInstance",
		"mongodb": "mongodb/v1/CreateDBInstance", "dedicated_host": "AllocateDedicatedHosts"}[kind]
}

func deleteAction(kind string) string {
	if a, ok := lbActions[kind]; ok {
		return a.delete
	}
	return map[string]string{"vdc": "DeleteVdc", "public_network": "DeletePublicNetwork", "private_network": "DeletePrivateNetwork",
		"instance": "DeleteInstance", "security_group": "DeleteNSG", "template": "DeleteTemplate", "tag": "DeleteTag",
		"mysql": "mysql/DeleteDBInstance", "mysql_readonly": "mysql/DeleteDBInstance", "redis": "redis/DeleteDBInstance",
		"mongodb": "mongodb/v1/DeleteDBInstance"}[kind]
}

// regionFor is the region a step's requests are for: its record's, its
// desired region, or that of the VDC it belongs to; "" for the stack's.
// The client sends the requests to that region's entry point.
func (e *Executor) regionFor(c *planner.Change) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	addr := c.Addr
	if rec := e.records[addr]; rec != nil && rec.Region != "" {
		return rec.Region
	}
	if rec := e.records[addr+state.ReplacedSuffix]; rec != nil && rec.Region != "" {
		return rec.Region
	}
	after := c.After
	if r, ok := after["region"].(string); ok && r != "" {
		return r
	}
	vdc, _ := after["vdc"].(string)
	if rec := e.records[addr]; vdc == "" && rec != nil {
		vdc = resources.Inputs(rec.Inputs).String("vdc")
	}
	if vdc != "" {
		for _, rec := range e.records {
			if rec.Kind == "vdc" && rec.ID == vdc {
				return rec.Region
			}
		}
	}
	return ""
}

// keptFailed returns the id of what a create whose task failed left in the
// cloud in a failure status: the task's resource, or the instance of that
// name in the VDC; "" when the failure left nothing (the usual case).
func (e *Executor) keptFailed(ctx context.Context, j *state.JournalEntry, err error) string {
	var tf *cloud.TaskFailedError
	if !errors.As(err, &tf) || j.Kind != "instance" || j.Scope == "" {
		return ""
	}
	list, lerr := e.client.ListInstances(ctx, cloud.DescribeInstancesRequest{VdcID: j.Scope}, 1000)
	if lerr != nil {
		return ""
	}
	for i := range list {
		in := &list[i]
		if in.Failed() && (in.InstanceID == tf.Task.ResourceID || tf.Task.ResourceID == "" && in.InstanceName == j.Marker) {
			return in.InstanceID
		}
	}
	return ""
}

// markFailed marks the record of addr as failed.
func (e *Executor) markFailed(ctx context.Context, addr string) error {
	e.mu.Lock()
	rec := e.records[addr]
	e.mu.Unlock()
	if rec == nil {
		return nil
	}
	failed := *rec
	failed.Failed = true
	if err := e.commit(ctx, state.Change{Put: []*state.Record{&failed}}); err != nil {
		return err
	}
	e.mu.Lock()
	e.records[addr] = &failed
	e.mu.Unlock()
	return nil
}
