package planner_test

import (
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/state"
)

// TestPlanAfterPendingSettles: a read-only plan shows what the apply will
// do once it settled a pending operation whose outcome the cloud already
// shows (a pull request's plan must not show less than the apply does): a
// finished delete of a resource the stack still has is followed by its
// create, an adopted create of one the stack dropped by its delete. An
// outcome not known yet stays the settling alone.
func TestPlanAfterPendingSettles(t *testing.T) {
	lanInputs := applied().Resources["lan"].Inputs
	entry := func(addr, kind, action, id string, inputs map[string]any) *state.JournalEntry {
		return &state.JournalEntry{OpID: "op-" + addr, Addr: addr, Kind: kind, Action: action, APIAction: "Call", TaskID: "t-" + addr, ResourceID: id, Inputs: inputs}
	}
	tests := map[string]struct {
		edit    func(*state.Snapshot)
		outlook planner.Outlook
		addr    string
		want    planner.Action
		counts  [4]int // add, change, replace, destroy
	}{
		"delete finished, the stack has it": {
			edit: func(s *state.Snapshot) {
				s.Journal = []*state.JournalEntry{entry("lan", "private_network", "delete", "p1", nil)}
			},
			outlook: planner.Outlook{Text: "task finished: gone", Ends: planner.EndsRemoved},
			addr:    "lan", want: planner.Create, counts: [4]int{1, 0, 0, 0},
		},
		"create adopted, the stack dropped it": {
			edit: func(s *state.Snapshot) {
				s.Journal = []*state.JournalEntry{entry("wan", "public_network", "create", "", map[string]any{"vdc": "v1", "name": "wan"})}
			},
			outlook: planner.Outlook{Text: "task finished", Ends: planner.EndsRecorded, ID: "w1"},
			addr:    "wan", want: planner.Delete, counts: [4]int{0, 0, 0, 1},
		},
		"create adopted as the stack has it": {
			edit: func(s *state.Snapshot) {
				delete(s.Resources, "lan")
				s.Journal = []*state.JournalEntry{entry("lan", "private_network", "create", "", lanInputs)}
			},
			outlook: planner.Outlook{Text: "it will be adopted", Ends: planner.EndsRecorded, ID: "p1"},
			addr:    "lan", want: planner.Read,
		},
		"create that made nothing": {
			edit: func(s *state.Snapshot) {
				delete(s.Resources, "lan")
				s.Journal = []*state.JournalEntry{entry("lan", "private_network", "create", "", lanInputs)}
			},
			outlook: planner.Outlook{Text: "task failed: nothing was created", Ends: planner.EndsDiscarded},
			addr:    "lan", want: planner.Create, counts: [4]int{1, 0, 0, 0},
		},
		"outcome not known yet": {
			edit: func(s *state.Snapshot) {
				s.Journal = []*state.JournalEntry{entry("lan", "private_network", "delete", "p1", nil)}
			},
			outlook: planner.Outlook{Text: "task still running"},
			addr:    "lan", want: planner.Read,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			// The network and its VDC: an instance on a network being
			// created would be replaced too.
			snap := applied()
			delete(snap.Resources, "web")
			tc.edit(snap)
			noWeb := func(src string) string { return src[:strings.Index(src, "  web:")] }
			p, err := planner.Plan(planner.Input{Stack: stack(t, false, noWeb), Snapshot: snap, Pending: map[string]planner.Outlook{tc.addr: tc.outlook}})
			if err != nil {
				t.Fatal(err)
			}
			c := p.Change(tc.addr)
			if c == nil || c.Action != tc.want {
				t.Fatalf("%s planned as %+v, want %s", tc.addr, c, tc.want)
			}
			if c.Journal == nil || !strings.Contains(c.Detail, "Call of "+tc.addr+" is pending (task t-"+tc.addr+")") || !strings.Contains(c.Detail, tc.outlook.Text) {
				t.Errorf("%s: detail %q (journal %v), want it to say the pending call is settled first and how", tc.addr, c.Detail, c.Journal)
			}
			add, change, replace, destroy := p.Counts()
			if got := [4]int{add, change, replace, destroy}; got != tc.counts {
				t.Errorf("counts %v, want %v", got, tc.counts)
			}
			for _, other := range p.Changes {
				if other.Addr != tc.addr && other.Action != planner.NoOp {
					t.Errorf("%s planned as %s: only %s has anything to do", other.Addr, other.Action, tc.addr)
				}
			}
		})
	}
}
