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
		_, err := e.store.Commit(ctx, state.Change{JournalDelete: []string{j.OpID}})
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
	if _, err := e.store.Commit(ctx, state.Change{Delete: []string{j.Addr}, JournalDelete: []string{j.OpID}}); err != nil {
		return "", err
	}
	delete(e.records, j.Addr)
	return outcome, nil
}
