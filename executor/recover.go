package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
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
	for _, j := range snap.Journal {
		outcome, err := e.recoverOne(ctx, j, listings)
		if err != nil {
			errs = append(errs, fmt.Errorf("settle %s of %s: %w", j.APIAction, j.Addr, err))
			continue
		}
		out = append(out, Settlement{Entry: j, Outcome: outcome})
	}
	return out, errors.Join(errs...)
}

func (e *Executor) recoverOne(ctx context.Context, j *state.JournalEntry, listings map[string]*resources.Live) (string, error) {
	kind, ok := resources.Registry[j.Kind]
	if !ok {
		return "", fmt.Errorf("unknown kind %q", j.Kind)
	}
	discard := func(why string) (string, error) {
		err := e.commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
		return why, err
	}
	var task *cloud.Task
	if j.TaskID != "" {
		t, err := e.client.WaitTask(ctx, j.TaskID, e.waitOpts...)
		var failed *cloud.TaskFailedError
		switch {
		case errors.As(err, &failed):
			if j.Action == "create" && j.ResourceID == "" {
				return discard("task " + j.TaskID + " failed: nothing was created")
			}
		case err != nil:
			return "", err
		default:
			task = t
		}
	}
	switch j.Action {
	case "create":
		id := j.ResourceID
		if id == "" && task != nil {
			id = task.ResourceID
		}
		if id == "" {
			scope := resources.Scope{VDCs: []string{j.Scope}, ListGroups: j.Kind == "security_group", ListTemplates: j.Kind == "template",
				ListTags: j.Kind == "tag"}
			resources.DatabaseScope(&scope, j.Kind, "", nil)
			key := fmt.Sprint(scope)
			live := listings[key]
			if live == nil {
				var err error
				if live, err = resources.Refresh(ctx, e.client, scope); err != nil {
					return "", fmt.Errorf("look for %q: %w; if a %s named %q exists, run cdstack import %s ID", j.Marker, err, j.Kind, j.Marker, j.Addr)
				}
				listings[key] = live
			}
			id = kind.FindByName(live, resources.Inputs(j.Inputs))
			if id == "" {
				return discard(fmt.Sprintf("no %s named %q exists: the call never took effect", j.Kind, j.Marker))
			}
		}
		if err := e.settle(ctx, j, kind, id); err != nil {
			return "", err
		}
		return fmt.Sprintf("adopted %s %s", j.Kind, id), nil
	case "update":
		rec := e.records[j.Addr]
		if rec == nil {
			return discard("the record is gone")
		}
		// Read the resource by id and record what the cloud shows (a
		// rename that went through is the new name); what it cannot show
		// (a password, a group membership) stays as recorded, so the next
		// plan sets it again.
		obs, err := resources.ReadBack(ctx, e.client, kind, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
		if err != nil {
			return "", err
		}
		if obs == nil {
			return e.forget(ctx, j, fmt.Sprintf("%s %s is gone; removed from the state", j.Kind, rec.ID))
		}
		j.Inputs, j.SecretHashes = resources.ObservedInputs(kind, rec.Inputs, obs.Attrs), rec.SecretHashes
		if err := e.record(ctx, j, rec.ID, obs); err != nil {
			return "", err
		}
		return "read back " + rec.ID, nil
	case "delete":
		obs, err := resources.ReadBack(ctx, e.client, kind, j.ResourceID, &resources.Recorded{Inputs: resources.Inputs{}, Outputs: map[string]any{}})
		if err != nil {
			return "", err
		}
		if obs != nil {
			return discard(fmt.Sprintf("%s %s still exists; it stays in the state", j.Kind, j.ResourceID))
		}
		return e.forget(ctx, j, fmt.Sprintf("%s %s is gone; removed from the state", j.Kind, j.ResourceID))
	}
	return discard("unknown action " + j.Action)
}

// forget removes j's record and j in one transaction.
func (e *Executor) forget(ctx context.Context, j *state.JournalEntry, outcome string) (string, error) {
	if err := e.commit(ctx, state.Change{Delete: []string{j.Addr}, JournalDelete: []string{j.OpID}}); err != nil {
		return "", err
	}
	delete(e.records, j.Addr)
	return outcome, nil
}

// Outlook says, reading the cloud only, what settling j is likely to do:
// what a read-only command shows for an operation another process (or an
// interrupted run) left in the journal. live is the refresh the command
// made; a task is asked once, never waited for.
func Outlook(ctx context.Context, c *cloud.Client, j *state.JournalEntry, live *resources.Live) string {
	kind := resources.Registry[j.Kind]
	if j.TaskID != "" {
		t, err := c.DescribeTask(ctx, j.TaskID)
		switch {
		case err != nil:
			return fmt.Sprintf("task %s cannot be read now (%v)", j.TaskID, err)
		case t.Status == cloud.TaskError && j.Action == "create" && j.ResourceID == "":
			return fmt.Sprintf("task %s failed: nothing was created; it will be discarded", j.TaskID)
		case t.Status == cloud.TaskError:
			return fmt.Sprintf("task %s failed; %s will be read back", j.TaskID, j.Addr)
		case !t.Status.Done():
			return fmt.Sprintf("task %s is still running; it will be waited for and recorded", j.TaskID)
		}
		return fmt.Sprintf("task %s finished; %s will be recorded as the cloud shows it", j.TaskID, j.Addr)
	}
	if kind == nil || live == nil {
		return "it will be settled by the next command that takes the lock"
	}
	switch j.Action {
	case "create":
		id := j.ResourceID
		if id == "" {
			id = kind.FindByName(live, resources.Inputs(j.Inputs))
		}
		if id == "" {
			return fmt.Sprintf("no %s named %q exists yet: the call is in flight or never took effect", j.Kind, j.Marker)
		}
		return fmt.Sprintf("%s %s exists: it will be adopted", j.Kind, id)
	case "delete":
		if kind.Observe(live, j.ResourceID, nil) != nil {
			return fmt.Sprintf("%s %s still exists: it stays in the state unless the delete completes", j.Kind, j.ResourceID)
		}
		return fmt.Sprintf("%s %s is gone: it will be removed from the state", j.Kind, j.ResourceID)
	}
	return fmt.Sprintf("%s will be read back and recorded as the cloud shows it", j.Addr)
}
