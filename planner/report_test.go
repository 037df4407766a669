package planner_test

import (
	"errors"
	"testing"

	"github.com/cdstack/cdstack/planner"
)

// TestReportIgnoresApplyGuards: a protected instance changed outside in a
// way that would replace it is drift to report, not a refusal: only an
// apply is refused.
func TestReportIgnoresApplyGuards(t *testing.T) {
	snap := applied()
	snap.Resources["web"].Inputs["vdc"] = "v0" // replaces the instance
	for _, report := range []bool{false, true} {
		_, err := planner.Plan(planner.Input{Stack: stack(t, true, nil), Snapshot: snap, Report: report})
		var pe *planner.ProtectError
		if got := errors.As(err, &pe); got == report {
			t.Errorf("report %v: err = %v, want a ProtectError only when not reporting", report, err)
		}
	}
}
