package executor_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/state"
)

// TestOutlookOfFinishedTasks: what a read-only command says of an
// operation left in the journal whose task finished depends on the
// operation: a finished delete means the resource is gone, not that it
// will be recorded as the cloud shows it.
func TestOutlookOfFinishedTasks(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	c := f.client
	created, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "outlook"})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.WaitTask(ctx, created)
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: task.ResourceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitTask(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	entry := func(action, taskID string) *state.JournalEntry {
		return &state.JournalEntry{OpID: "o", Addr: "net", Kind: "vdc", Action: action, TaskID: taskID, ResourceID: task.ResourceID,
			Scope: "CN_Beijing_A", StartedAt: time.Now()}
	}
	tests := map[string]struct {
		entry *state.JournalEntry
		want  string
		ends  string // where the record ends (planner.Ends…)
	}{
		"create":  {entry("create", created), "finished; net will be recorded as the cloud shows it", planner.EndsRecorded},
		"delete":  {entry("delete", deleted), "finished: vdc " + task.ResourceID + " is gone; it will be removed from the state", planner.EndsRemoved},
		"unknown": {entry("create", "no-such-task"), "cannot be read now", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := executor.Outlook(ctx, c, tc.entry, nil)
			if !strings.Contains(got.Text, tc.want) {
				t.Errorf("Outlook = %q, want it to say %q", got.Text, tc.want)
			}
			if got.Ends != tc.ends || tc.ends == planner.EndsRecorded && got.ID != task.ResourceID {
				t.Errorf("Outlook ends %q (%q), want %q", got.Ends, got.ID, tc.ends)
			}
		})
	}
}
