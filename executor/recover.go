package executor

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// A Settlement says how one leftover journal entry was settled.
type Settlement struct {
	Entry   *state.JournalEntry
	Outcome string
}

// Recover settles the journal entries an interrupted run left: a finished
// task is adopted, a running one waited for, a failed one discarded; an
// entry without a task id is looked up by its name in its scope. An entry
// that cannot be settled stays, and the error says what to run.
func (e *Executor) Recover(ctx context.Context) ([]Settlement, error) {
	snap, err := e.store.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.records = snap.Resources
	var out []Settlement
	var errs []error
	listings := map[string]*resources.Live{} // scope → one listing, shared by the entries that look a name up in it
	for _, j := range vdcsFirst(snap.Journal) {
		outcome, _, err := e.recoverOne(ctx, j, listings)
		var failed *TaskFailedOutcome
		if errors.As(err, &failed) {
			err = nil // settled: nothing was done
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("settle %s of %s: %w", j.APIAction, j.Addr, err))
			continue
		}
		out = append(out, Settlement{Entry: j, Outcome: outcome})
	}
	return out, errors.Join(errs...)
}

// recoverOne settles j by reading the cloud. redo says that j's write
// did not take effect, so the step may be made again (the entry is gone);
// otherwise the cloud's answer is recorded, or the task failed (an error
// when the caller is the step itself).
func (e *Executor) recoverOne(ctx context.Context, j *state.JournalEntry, listings map[string]*resources.Live) (string, bool, error) {
	kind, ok := resources.Registry[j.Kind]
	if !ok {
		return "", false, fmt.Errorf("unknown kind %q", j.Kind)
	}
	ctx = cloud.WithRegion(ctx, e.regionFor(&planner.Change{Addr: j.Addr, After: j.Inputs}))
	discard := func(why string) (string, bool, error) {
		err := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
		return why, false, err
	}
	redo := func(why string) (string, bool, error) {
		err := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
		return why, err == nil, err
	}
	var task *cloud.Task
	if j.TaskID != "" {
		t, err := e.client.WaitTask(ctx, j.TaskID, e.waitOpts...)
		var failed *cloud.TaskFailedError
		switch {
		case errors.As(err, &failed):
			if j.Action == "create" && j.ResourceID == "" {
				why, _, cerr := discard("task " + j.TaskID + " failed: nothing was created")
				if cerr != nil {
					return "", false, cerr
				}
				return why, false, &TaskFailedOutcome{Err: failed}
			}
		case err != nil:
			return "", false, err
		default:
			task = t
		}
	}
	switch j.Action {
	case "create":
		id, ready := j.ResourceID, false
		if j.Kind == "public_network" && j.APIAction == "CreateVdc" {
			// Made inside its VDC's CreateVdc (vdc_public.go): the task
			// names the VDC; the network is found by its name there.
			vdc := e.madeInVdc(j, task)
			if vdc == "" {
				return redo("its VDC was not created: nothing was made")
			}
			j.Scope, j.Inputs = vdc, maps.Clone(j.Inputs)
			if j.Inputs == nil {
				j.Inputs = map[string]any{}
			}
			j.Inputs["vdc"] = vdc
		} else if id == "" && task != nil {
			id = task.ResourceID
		}
		if id == "" {
			scope := resources.Scope{VDCs: []string{j.Scope}, ListGroups: j.Kind == "security_group", ListTemplates: j.Kind == "template",
				ListTags: j.Kind == "tag", ListLBs: j.Kind == "load_balancer", ListCerts: j.Kind == "certificate",
				ListHosts: j.Kind == "dedicated_host"}
			resources.DatabaseScope(&scope, j.Kind, "", nil)
			key := fmt.Sprint(scope)
			live := listings[key]
			if live == nil {
				var err error
				if live, err = resources.Refresh(ctx, e.client, scope); err != nil {
					return "", false, fmt.Errorf("look for %q: %w; if a %s named %q exists, run cdstack import %s ID", j.Marker, err, j.Kind, j.Marker, j.Addr)
				}
				listings[key] = live
			}
			id = kind.FindByName(live, resources.Inputs(j.Inputs))
			if id == "" {
				return redo(fmt.Sprintf("no %s named %q exists: the call never took effect", j.Kind, j.Marker))
			}
			if owner := e.recordedAs(id, j.Addr); owner != "" {
				// Never one resource at two addresses: the name is another
				// record's, so this one's create cannot be told apart.
				return "", false, fmt.Errorf("the %s named %q (%s) is recorded as %s already: two resources of the stack share a name; rename one (names must be unique), then run cdstack state rm %s if nothing was created for it",
					j.Kind, j.Marker, id, owner, j.Addr)
			}
			if obs := kind.Observe(live, id, nil); obs != nil && !obs.Busy {
				ready = true // the listing shows it made
			}
		}
		if task == nil && !ready {
			// Found without its task: wait until the cloud has finished
			// making it, as the task's wait would have, before it is
			// recorded and used.
			if _, err := cloud.WaitTask(ctx, readiness{client: e.client, kind: kind, id: id}, "ready "+id, e.waitOpts...); err != nil {
				return "", false, fmt.Errorf("wait for %s %s to be ready: %w", j.Kind, id, err)
			}
		}
		// Record what the cloud shows of what the create meant to do: a
		// step after the create call (an instance's JoinNSG) may not have
		// happened, and the next plan must see that.
		obs, err := resources.ReadBack(ctx, e.client, kind, id, &resources.Recorded{Inputs: j.Inputs, Outputs: map[string]any{}})
		if err != nil {
			return "", false, fmt.Errorf("read %s back: %w", id, err)
		}
		if obs != nil {
			j.Inputs = resources.ObservedInputs(kind, j.Inputs, obs.Attrs)
		}
		if err := e.record(ctx, j, id, obs); err != nil {
			return "", false, err
		}
		return fmt.Sprintf("adopted %s %s", j.Kind, id), false, nil
	case "update":
		e.mu.Lock()
		rec := e.records[j.Addr]
		e.mu.Unlock()
		if rec == nil {
			return discard("the record is gone")
		}
		// Read the resource by id and record what the cloud shows (a
		// rename that went through is the new name); what it cannot show
		// (a password, a group membership) stays as recorded, so the next
		// plan sets it again.
		obs, err := resources.ReadBack(ctx, e.client, kind, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
		if err != nil {
			return "", false, err
		}
		if obs != nil && obs.Busy && j.TaskID == "" {
			// Still changing (the call whose answer was lost, likely):
			// wait until it settles before reading what it did.
			if _, err := cloud.WaitTask(ctx, readiness{client: e.client, kind: kind, id: rec.ID}, "settle "+rec.ID, e.waitOpts...); err != nil {
				return "", false, fmt.Errorf("wait for %s %s to settle: %w", j.Kind, rec.ID, err)
			}
			if obs, err = resources.ReadBack(ctx, e.client, kind, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs}); err != nil {
				return "", false, err
			}
		}
		if obs == nil {
			why, err := e.forget(ctx, j, fmt.Sprintf("%s %s is gone; removed from the state", j.Kind, rec.ID))
			return why, false, err
		}
		// The update did not (all) happen when what it wanted differs from
		// what the cloud shows, in what the cloud can show.
		wanted := resources.Inputs(j.Inputs)
		missed := wanted != nil && !resources.Equal(map[string]any(resources.ObservedInputs(kind, wanted, obs.Attrs)), map[string]any(wanted))
		j.Inputs, j.SecretHashes = resources.ObservedInputs(kind, rec.Inputs, obs.Attrs), rec.SecretHashes
		if err := e.record(ctx, j, rec.ID, obs); err != nil {
			return "", false, err
		}
		return "read back " + rec.ID, missed, nil
	case "delete":
		obs, err := resources.ReadBack(ctx, e.client, kind, j.ResourceID, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}})
		if err != nil {
			return "", false, err
		}
		if obs != nil && obs.Busy {
			// Busy: most likely being deleted by the call whose answer
			// was lost. Wait until it is gone or settled, then look again.
			if _, err := cloud.WaitTask(ctx, readiness{client: e.client, kind: kind, id: j.ResourceID}, "settle "+j.ResourceID, e.waitOpts...); err != nil {
				return "", false, fmt.Errorf("wait for %s %s to settle: %w", j.Kind, j.ResourceID, err)
			}
			if obs, err = resources.ReadBack(ctx, e.client, kind, j.ResourceID, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}}); err != nil {
				return "", false, err
			}
		}
		if obs != nil {
			return redo(fmt.Sprintf("%s %s still exists; it stays in the state", j.Kind, j.ResourceID))
		}
		why, err := e.forget(ctx, j, fmt.Sprintf("%s %s is gone; removed from the state", j.Kind, j.ResourceID))
		return why, false, err
	}
	return discard("unknown action " + j.Action)
}

// A TaskFailedOutcome says settling an entry found its task ended in
// ERROR: nothing was done, and the step failed.
type TaskFailedOutcome struct{ Err error }

func (e *TaskFailedOutcome) Error() string { return e.Err.Error() }

func (e *TaskFailedOutcome) Unwrap() error { return e.Err }

// forget removes j's record and j in one transaction.
func (e *Executor) forget(ctx context.Context, j *state.JournalEntry, outcome string) (string, error) {
	if err := e.commit(ctx, state.Change{Delete: []string{j.Addr}, JournalDelete: []string{j.OpID}}); err != nil {
		return "", err
	}
	e.mu.Lock()
	delete(e.records, j.Addr)
	e.mu.Unlock()
	return outcome, nil
}

// Outlook says, reading the cloud only, what settling j is likely to do:
// what a read-only command shows for an operation another process (or an
// interrupted run) left in the journal, and where it leaves the record
// when the cloud already shows it. live is the refresh the command made; a
// task is asked once, never waited for.
func Outlook(ctx context.Context, c *cloud.Client, j *state.JournalEntry, live *resources.Live) planner.Outlook {
	kind := resources.Registry[j.Kind]
	says := func(format string, args ...any) planner.Outlook {
		return planner.Outlook{Text: fmt.Sprintf(format, args...)}
	}
	// exists: live lists the resource.
	exists := func(id string) bool { return kind != nil && live != nil && kind.Observe(live, id, nil) != nil }
	removed := func(o planner.Outlook) planner.Outlook { o.Ends = planner.EndsRemoved; return o }
	recorded := func(o planner.Outlook, id string) planner.Outlook {
		if id != "" {
			o.Ends, o.ID = planner.EndsRecorded, id
		}
		return o
	}
	if j.TaskID != "" {
		t, err := c.DescribeTask(ctx, j.TaskID)
		switch {
		case err != nil:
			return says("task %s cannot be read now (%v)", j.TaskID, err)
		case t.Status == cloud.TaskError && j.Action == "create" && j.ResourceID == "":
			o := says("task %s failed: nothing was created; it will be discarded", j.TaskID)
			o.Ends = planner.EndsDiscarded
			return o
		case t.Status == cloud.TaskError:
			return says("task %s failed; %s will be read back", j.TaskID, j.Addr)
		case !t.Status.Done():
			return says("task %s is still running; it will be waited for and recorded", j.TaskID)
		}
		if j.Action == "delete" {
			if exists(j.ResourceID) {
				return recorded(says("task %s finished but %s %s still exists: it stays in the state", j.TaskID, j.Kind, j.ResourceID), j.ResourceID)
			}
			return removed(says("task %s finished: %s %s is gone; it will be removed from the state", j.TaskID, j.Kind, j.ResourceID))
		}
		return recorded(says("task %s finished; %s will be recorded as the cloud shows it", j.TaskID, j.Addr), settledID(j, t, kind, live))
	}
	if kind == nil || live == nil {
		return says("it will be settled by the next command that takes the lock")
	}
	switch j.Action {
	case "create":
		id := j.ResourceID
		if id == "" {
			id = kind.FindByName(live, resources.Inputs(j.Inputs))
		}
		if id == "" {
			return says("no %s named %q exists yet: the call is in flight or never took effect", j.Kind, j.Marker)
		}
		return recorded(says("%s %s exists: it will be adopted", j.Kind, id), id)
	case "delete":
		if exists(j.ResourceID) {
			return recorded(says("%s %s still exists: it stays in the state unless the delete completes", j.Kind, j.ResourceID), j.ResourceID)
		}
		return removed(says("%s %s is gone: it will be removed from the state", j.Kind, j.ResourceID))
	}
	return says("%s will be read back and recorded as the cloud shows it", j.Addr)
}

// settledID is the resource a finished create or update leaves recorded:
// the entry's, the task's, or (a create whose task named no resource) the
// one live lists under the call's name; "" when none is known.
func settledID(j *state.JournalEntry, t *cloud.Task, kind resources.Kind, live *resources.Live) string {
	switch {
	case j.ResourceID != "":
		return j.ResourceID
	case j.Action == "update":
		return ""
	case kind == nil || live == nil:
		return ""
	case t.ResourceID != "" && kind.Observe(live, t.ResourceID, nil) != nil:
		return t.ResourceID
	}
	return kind.FindByName(live, resources.Inputs(j.Inputs))
}

// readiness stands in for the task of a resource found by name: it is
// finished once reading the resource shows it is no longer busy (or gone).
type readiness struct {
	client *cloud.Client
	kind   resources.Kind
	id     string
}

// DescribeTask reads the resource.
func (r readiness) DescribeTask(ctx context.Context, taskID string) (*cloud.Task, error) {
	obs, err := resources.ReadBack(ctx, r.client, r.kind, r.id, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}})
	if err != nil {
		return nil, err
	}
	if obs != nil && obs.Busy {
		return &cloud.Task{ID: taskID, Status: cloud.TaskDoing}, nil
	}
	return &cloud.Task{ID: taskID, Status: cloud.TaskFinish, ResourceID: r.id}, nil
}

// recordedAs returns the address, other than addr, whose record holds id.
func (e *Executor) recordedAs(id, addr string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	for a, r := range e.records {
		if r.ID == id && a != addr {
			return a
		}
	}
	return ""
}
