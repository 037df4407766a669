package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// MaxAttempts is how often one step's write is made when the cloud, read
// after each lost answer, shows that it did not happen.
const MaxAttempts = 5

// An UnsettledError is a write whose outcome is unknown (cloud.OutcomeUnknown:
// a 5xx, a dropped connection, a wait that failed): its journal entry is
// kept until reading the cloud settles it.
type UnsettledError struct {
	Entry *state.JournalEntry
	Err   error
}

func (e *UnsettledError) Error() string {
	return fmt.Sprintf("%v (the outcome is unknown; the journal keeps the operation and the next run settles it by reading the cloud)", e.Err)
}

func (e *UnsettledError) Unwrap() error { return e.Err }

// unsettled wraps err, from j's write, as an *UnsettledError when its
// outcome can be settled by reading; any other error as it is.
func unsettled(j *state.JournalEntry, err error) error {
	if cloud.OutcomeUnknown(err) {
		cp := *j
		return &UnsettledError{Entry: &cp, Err: err}
	}
	return fmt.Errorf("%w (the journal keeps the operation; the next run settles it)", err)
}

// attempts carries out step s. A write whose answer was lost is settled at
// once, as the next run would settle it: the resource is read back and
// recorded as the cloud shows it. Only when the cloud shows that the write
// did not happen is the step made again, freshly journaled and signed, up to
// MaxAttempts times. So a 500 on one write neither aborts the apply nor
// leaves a stale record.
func (e *Executor) attempts(ctx context.Context, s *planner.Step, release func()) error {
	for attempt := 1; ; attempt++ {
		err := e.once(ctx, s, release)
		var ue *UnsettledError
		if !errors.As(err, &ue) || ctx.Err() != nil {
			return err // interrupted: the entry waits for the next run
		}
		outcome, redo, serr := e.recoverOne(ctx, ue.Entry, map[string]*resources.Live{})
		switch {
		case serr != nil:
			// The cloud cannot be read now: the entry stays for the next run.
			return errors.Join(err, fmt.Errorf("settle %s of %s by reading: %w", ue.Entry.APIAction, ue.Entry.Addr, serr))
		case !redo:
			_ = outcome // recorded as the cloud shows it: the write took effect
			return nil
		case attempt >= MaxAttempts:
			return fmt.Errorf("%w; it did not take effect in %d attempts", ue.Err, attempt)
		}
	}
}

// once makes one attempt at step s.
func (e *Executor) once(ctx context.Context, s *planner.Step, release func()) error {
	switch {
	case len(s.Unwire) > 0:
		return e.unwire(ctx, s, release)
	case s.Op == planner.Create:
		return e.create(ctx, s.Change, release)
	case s.Op == planner.Update && s.Change.Action == planner.Replace:
		return e.rename(ctx, s.Change, release)
	case s.Op == planner.Update:
		return e.update(ctx, s.Change, release)
	case s.Op == planner.Delete:
		return e.delete(ctx, s.Change)
	}
	return nil
}
