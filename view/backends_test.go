package view_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/view"
)

// TestUnwireNotes: a load balancer's unwire step is told apart by what
// happens to each instance (replaced, readdressed, destroyed), and the
// target that brought the change in is named.
func TestUnwireNotes(t *testing.T) {
	lb := func(unwire ...string) *planner.Change {
		return &planner.Change{Addr: "front", Kind: "load_balancer", Action: planner.Update, Reason: planner.ReasonRewire, Unwire: unwire}
	}
	tests := map[string]struct {
		p    *planner.Document
		want string
	}{
		"replaced": {&planner.Document{Changes: []*planner.Change{lb("web[0]"), {Addr: "web[0]", Kind: "instance", Action: planner.Replace}}},
			"    # first, step front (unwire): its listeners stop sending to web[0] before it is deleted; then this update sends to the new one\n"},
		"readdressed": {&planner.Document{Changes: []*planner.Change{lb("web[0]", "web[1]"), {Addr: "web[0]", Kind: "instance", Action: planner.Update}, {Addr: "web[1]", Kind: "instance", Action: planner.Update}}},
			"    # first, step front (unwire): its listeners stop sending to web[0], web[1] before their addresses change; then this update sends to their new addresses\n"},
		"both": {&planner.Document{Changes: []*planner.Change{lb("web[0]", "web[1]"), {Addr: "web[0]", Kind: "instance", Action: planner.Replace}, {Addr: "web[1]", Kind: "instance", Action: planner.Update}}},
			"    # first, step front (unwire): its listeners stop sending to web[0] before it is deleted, and to web[1] before its address changes; then this update sends to the new one and its new address\n"},
		"destroyed": {&planner.Document{Destroy: true, Changes: []*planner.Change{lb("web[0]"), {Addr: "web[0]", Kind: "instance", Action: planner.Delete}}},
			"    # step front (unwire): its listeners stop sending to web[0] before it is destroyed; the load balancer is kept\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.p.Changes[0].IncludedBy = "--target web[0]: why"
			var b bytes.Buffer
			view.PlanText(&b, tc.p, view.Style{})
			if !strings.Contains(b.String(), tc.want) {
				t.Errorf("plan:\n%s\nwant the line\n%s", b.String(), tc.want)
			}
			if !strings.Contains(b.String(), "    # included by --target web[0]: why\n") {
				t.Errorf("plan:\n%s\nwithout the target that brought front in", b.String())
			}
		})
	}
}
