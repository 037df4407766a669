package executor_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
)

// lbPlanIn plans src against the cloud as lbPlan does, with targets and
// replacements.
func (f *fixture) lbPlanIn(t *testing.T, src string, targets, replace []string) *planner.Document {
	t.Helper()
	s, err := spec.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := f.store.Snapshot(context.Background())
	scope := resources.Scope{ListLBs: true}
	for _, r := range snap.Resources {
		switch r.Kind {
		case "vdc":
			scope.VDCs = append(scope.VDCs, r.ID)
		case "load_balancer":
			scope.LBs = append(scope.LBs, r.ID)
		}
	}
	live, err := resources.Refresh(context.Background(), f.client, scope)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Targets: targets, Replace: replace})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// applyPlan carries p out.
func (f *fixture) applyPlan(t *testing.T, src string, p *planner.Document) *executor.Result {
	t.Helper()
	s, _ := spec.Parse("s.yaml", []byte(src))
	res, err := executor.New(f.client, f.store, s, executor.WithParallelism(4)).Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() != nil {
		t.Fatalf("apply: %v", res.Err())
	}
	return res
}

// wantListeners are the listeners lbStack's load balancer should have for
// the instances the state holds: every copy on "web", web[0] on "first".
func (f *fixture) wantListeners(t *testing.T) []string {
	t.Helper()
	_, instances := f.backendIPs(t)
	var want []string
	for _, in := range instances {
		addr, ip, _ := strings.Cut(in, " ")
		want = append(want, "web "+ip)
		if addr == "web[0]" {
			want = append(want, "first "+ip)
		}
	}
	slices.Sort(want)
	return want
}

// TestTargetedBackendKeepsListenersSafe: --target on a backend instance
// the plan replaces or deletes brings in the load balancer's change that
// keeps its listeners off the instance while it is deleted (the switch to
// the new one, the unwire step, the update that drops it), and the plan
// says the target brought it in. No listener ever sends to a deleted
// instance, the listeners send to what the instances hold after the apply,
// and the whole stack then plans no changes and no drift.
func TestTargetedBackendKeepsListenersSafe(t *testing.T) {
	fixed := `, ip: "10.50.0.1${index}"`
	tests := map[string]struct {
		ips, cbd         string
		count            string // the count of the targeted plan
		targets, replace []string
		unwire           bool   // the load balancer's change has an unwire step
		only             string // the one instance replaced, and unwired
		text             bool   // listener "first" names web[0]'s address as text
	}{
		"replace, auto addresses: the switch to the new one is brought in": {ips: "", cbd: "protect: false", count: "3",
			targets: []string{"web[0]"}, replace: []string{"web[0]"}},
		"replace, fixed addresses: the unwire step is brought in": {ips: fixed, cbd: "protect: false", count: "3",
			targets: []string{"web[0]"}, replace: []string{"web[0]"}, unwire: true},
		"replace, create_before_destroy false: the unwire step is brought in": {ips: "", cbd: "create_before_destroy: false", count: "3",
			targets: []string{"web[2]"}, replace: []string{"web[2]"}, unwire: true},
		"replace all copies by name": {ips: fixed, cbd: "protect: false", count: "3",
			targets: []string{"web"}, replace: []string{"web"}, unwire: true},
		"rolling, fixed addresses: one copy of a replacement of all": {ips: fixed, cbd: "protect: false", count: "3",
			targets: []string{"web[1]"}, replace: []string{"web"}, unwire: true, only: "web[1]"},
		"rolling, auto addresses: one copy of a replacement of all": {ips: "", cbd: "protect: false", count: "3",
			targets: []string{"web[1]"}, replace: []string{"web"}, only: "web[1]"},
		"rolling, an address as text: the waits for the copies left out are left out": {ips: fixed, cbd: "protect: false", count: "3",
			targets: []string{"web[0]"}, replace: []string{"web"}, unwire: true, only: "web[0]", text: true},
		"count lowered: the update that drops it is brought in": {ips: fixed, cbd: "protect: false", count: "2",
			targets: []string{"web[2]"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			full := strings.NewReplacer("COUNT", "3", "IPS", tc.ips, "CBD", tc.cbd).Replace(lbStack)
			f.lbApply(t, full)
			src := strings.NewReplacer("COUNT", tc.count, "IPS", tc.ips, "CBD", tc.cbd).Replace(lbStack)
			if tc.text {
				text := strings.NewReplacer(`"${web[0].private_ips[0]}"`, `"10.50.0.10"`, `instances: "${web[*].id}"`, `ip: "10.50.0.11"`)
				full = text.Replace(full)
				f.lbApply(t, full)
				src = text.Replace(src)
			}

			p := f.lbPlanIn(t, src, tc.targets, tc.replace)
			c := p.Change("front")
			switch {
			case c == nil || c.Action != planner.Update:
				t.Errorf("front is not updated by the targeted plan: %+v", c)
			case !strings.Contains(c.IncludedBy, "--target"):
				t.Errorf("front's change does not say the target brought it in: %q", c.IncludedBy)
			case len(c.Unwire) > 0 != tc.unwire:
				t.Errorf("front unwires %v, want an unwire step: %v", c.Unwire, tc.unwire)
			}
			if c != nil {
				if tc.text && len(c.WaitsFor) != 1 {
					t.Errorf("front waits for %+v, want web[0] only", c.WaitsFor)
				}
				for _, w := range c.WaitsFor {
					if p.Change(w.Step) == nil {
						t.Errorf("front waits for %s, which the plan leaves out: %s", w.Step, w.Reason)
					}
				}
			}
			res := f.applyPlan(t, src, p)
			if tc.only != "" {
				if res.Replaced != 1 || p.Change(tc.only).Action != planner.Replace {
					t.Errorf("replaced %d, want only %s", res.Replaced, tc.only)
				}
				if tc.unwire && c != nil && !slices.Equal(c.Unwire, []string{tc.only}) {
					t.Errorf("front unwires %v, want only %s", c.Unwire, tc.only)
				}
			}
			f.noBackendFaults(t)
			listeners, _ := f.backendIPs(t)
			want := f.wantListeners(t)
			if tc.text {
				want = []string{"first 10.50.0.10", "web 10.50.0.11"}
			}
			if !slices.Equal(want, listeners) {
				t.Errorf("listeners after the targeted apply: %q, want %q", listeners, want)
			}
			f.settled(t, src, "the targeted apply")
		})
	}
}

// TestTargetedDestroyKeepsListenersSafe: destroy --target on a backend
// instance keeps the load balancer and drops the instance from its
// listeners before the delete: the plan shows the load balancer's unwire
// as its change, saying the target brought it in. No listener ever sends
// to the deleted instance, and the next plan creates it again and sends to
// it, then has no changes and no drift.
func TestTargetedDestroyKeepsListenersSafe(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	src := strings.NewReplacer("COUNT", "3", "IPS", "", "CBD", "protect: false").Replace(lbStack)
	f.lbApply(t, src)
	s, _ := spec.Parse("s.yaml", []byte(src))
	snap, _ := f.store.Snapshot(context.Background())
	live, err := resources.Refresh(context.Background(), f.client, resources.Scope{ListLBs: true, VDCs: []string{snap.Resources["net"].ID}, LBs: []string{snap.Resources["front"].ID}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live, Destroy: true, Targets: []string{"web[0]"}})
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, c := range p.Changes {
		changes = append(changes, c.Addr+" "+string(c.Action))
	}
	if want := []string{"front update", "web[0] delete"}; !slices.Equal(changes, want) {
		t.Errorf("changes %q, want %q", changes, want)
	}
	if c := p.Change("front"); c == nil || !slices.Equal(c.Unwire, []string{"web[0]"}) || !strings.Contains(c.IncludedBy, "--target web[0]") {
		t.Fatalf("front: %+v", c)
	}
	res := f.applyPlan(t, src, p)
	if res.Changed != 1 || res.Destroyed != 1 {
		t.Errorf("changed %d, destroyed %d; want 1 and 1", res.Changed, res.Destroyed)
	}
	f.noBackendFaults(t)
	// "first" sent to web[0] only: it has no backend now.
	if listeners, _ := f.backendIPs(t); !slices.Equal(f.wantListeners(t), listeners) || len(listeners) != 2 {
		t.Errorf("listeners after the destroy: %q, want %q", listeners, f.wantListeners(t))
	}
	if p := f.lbPlan(t, src); len(p.Drift) > 0 || p.Change("web[0]").Action != planner.Create || p.Change("front").Action != planner.Update {
		t.Errorf("the next plan: drift %+v, web[0] %s, front %s", p.Drift, p.Change("web[0]").Action, p.Change("front").Action)
	}
	f.lbApply(t, src)
	f.noBackendFaults(t)
	if listeners, _ := f.backendIPs(t); !slices.Equal(f.wantListeners(t), listeners) {
		t.Errorf("listeners after the next apply: %q, want %q", listeners, f.wantListeners(t))
	}
	f.settled(t, src, "the next apply")
}

// TestDeletedTextBackendIsWarned: an instance the plan deletes whose
// address the stack still names as text in a listener is deleted as asked,
// and its reason says the listener will send to an address no instance
// holds.
func TestDeletedTextBackendIsWarned(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	src := func(count string) string {
		s := strings.NewReplacer("COUNT", count, "IPS", `, ip: "10.50.0.1${index}"`, "CBD", "protect: false").Replace(lbStack)
		return strings.Replace(s, `"${web[0].private_ips[0]}"`, `"10.50.0.11"`, 1)
	}
	f.lbApply(t, src("2"))
	p := f.lbPlan(t, src("1"))
	if c := p.Change("web[1]"); c.Action != planner.Delete || !strings.Contains(c.Detail, "load balancer front still sends to its address, written as text in the stack: after the delete it sends to an address no instance holds") {
		t.Errorf("web[1]: %s %q", c.Action, c.Detail)
	}
	if c := p.Change("web[0]"); strings.Contains(c.Detail, "text") {
		t.Errorf("web[0] is warned: %q", c.Detail)
	}
}
