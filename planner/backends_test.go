package planner_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
)

// TestUnwireSteps: a load balancer whose change unwires instances gets an
// "(unwire)" step that nothing waits on; the instances' deletes wait for
// it, and its update waits for it and for the new instances.
func TestUnwireSteps(t *testing.T) {
	p := &planner.Document{Changes: []*planner.Change{
		{Addr: "web[0]", Kind: "instance", Action: planner.Replace, Deps: []string{"lan"}},
		{Addr: "web[1]", Kind: "instance", Action: planner.Replace, Deps: []string{"lan"}},
		{Addr: "lan", Kind: "private_network", Action: planner.NoOp},
		{Addr: "front", Kind: "load_balancer", Action: planner.Update, Deps: []string{"lan", "web[0]", "web[1]"}, Unwire: []string{"web[0]", "web[1]"}},
		{Addr: "back", Kind: "load_balancer", Action: planner.Update, Unwire: []string{"web[1]"},
			WaitsFor: []planner.Wait{{Step: "web[1]", Reason: "its listeners send to the new web[1] once it is created"}}},
	}}
	want := map[string][]string{
		"front (unwire)":  {},
		"back (unwire)":   {},
		"web[0] (delete)": {"front (unwire)"},
		"web[1] (delete)": {"front (unwire)", "back (unwire)"},
		"web[0]":          {"web[0] (delete)"},
		"web[1]":          {"web[1] (delete)"},
		"front":           {"front (unwire)", "web[0]", "web[1]"},
		"back":            {"back (unwire)", "web[1]"},
	}
	if diff := cmp.Diff(want, steps(p)); diff != "" {
		t.Errorf("steps (-want +got)\n%s", diff)
	}
	for _, s := range p.Steps() {
		if s.ID == "front (unwire)" && !cmp.Equal(s.Unwire, []string{"web[0]", "web[1]"}) {
			t.Errorf("front (unwire) drops %v", s.Unwire)
		}
	}
}

// TestUnwireStepsOfAReaddress: an instance whose address moves in place
// waits, in its update, for the unwire step of the load balancer that
// sends to it; the load balancer's update waits for the instance's.
func TestUnwireStepsOfAReaddress(t *testing.T) {
	p := &planner.Document{Changes: []*planner.Change{
		{Addr: "web[0]", Kind: "instance", Action: planner.Update, Deps: []string{"lan"}},
		{Addr: "web[1]", Kind: "instance", Action: planner.Update, Deps: []string{"lan"}},
		{Addr: "lan", Kind: "private_network", Action: planner.NoOp},
		{Addr: "front", Kind: "load_balancer", Action: planner.Update, Deps: []string{"lan", "web[0]", "web[1]"}, Unwire: []string{"web[0]"}},
	}}
	want := map[string][]string{
		"front (unwire)": {},
		"web[0]":         {"front (unwire)"},
		"web[1]":         {},
		"front":          {"front (unwire)", "web[0]", "web[1]"},
	}
	if diff := cmp.Diff(want, steps(p)); diff != "" {
		t.Errorf("steps (-want +got)\n%s", diff)
	}
}
