package executor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
)

// TestBackendReaddressedInOneApply: an instance whose private address
// changes in place (ModifyIpAddress) while the load balancer sends to it,
// by id (instances:) or by reference to its address (ip:
// ${web[0].private_ips[0]}: web[0] is both, the other copies by id
// only), is followed by the listeners in the same
// apply: the plan updates the load balancer, unwires the instances first
// (the listeners stop sending to the address before it moves) and sends to
// the new addresses after. No listener ever sends to an address no
// instance holds, and the next plan has no changes and no drift.
func TestBackendReaddressedInOneApply(t *testing.T) {
	tests := map[string]struct {
		count, from, to string
		moved           []string
	}{
		"every copy":           {"3", `, ip: "10.50.0.1${index}"`, `, ip: "10.50.0.3${index}"`, []string{"web[0]", "web[1]", "web[2]"}},
		"from an auto address": {"1", ``, `, ip: "10.50.0.200"`, []string{"web[0]"}},
		"one copy targeted":    {"3", `, ip: "10.50.0.1${index}"`, `, ip: "10.50.0.3${index}"`, []string{"web[1]"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			src := strings.NewReplacer("COUNT", tc.count, "IPS", tc.from, "CBD", "protect: false").Replace(lbStack)
			f.lbApply(t, src)
			src = strings.NewReplacer("COUNT", tc.count, "IPS", tc.to, "CBD", "protect: false").Replace(lbStack)

			var targets []string
			if strings.HasSuffix(name, "targeted") {
				targets = tc.moved
			}
			p := f.lbPlanIn(t, src, targets, nil)
			var moved []string
			for _, c := range p.Changes {
				if c.Kind == "instance" && c.Action != planner.NoOp {
					if c.Action != planner.Update {
						t.Errorf("%s: %s, want an update in place", c.Addr, c.Action)
					}
					moved = append(moved, c.Addr)
				}
			}
			if !slices.Equal(moved, tc.moved) {
				t.Fatalf("instances changed: %q, want %q", moved, tc.moved)
			}
			switch c := p.Change("front"); {
			case c.Action != planner.Update:
				t.Errorf("front: %s, want an update that follows the new addresses", c.Action)
			case !slices.Equal(c.Unwire, tc.moved):
				t.Errorf("front unwires %q, want %q", c.Unwire, tc.moved)
			}
			f.applyPlan(t, src, p)
			f.noBackendFaults(t)
			listeners, _ := f.backendIPs(t)
			if want := f.wantListeners(t); !slices.Equal(want, listeners) {
				t.Errorf("listeners after the apply: %q, want %q", listeners, want)
			}
			if targets != nil {
				c := p.Change("front")
				if !strings.Contains(c.IncludedBy, "--target web[1]: its listeners send to web[1], which this plan moves to another address") {
					t.Errorf("front's change does not say the target brought it in: %q", c.IncludedBy)
				}
				if d := listenersField(c); len(d) != 1 || !strings.Contains(d[0], "10.50.0.11 → 10.50.0.31") {
					t.Errorf("front shows the addresses moving: %q, want only web[1]'s", d)
				}
				// The other copies move in the next apply.
				f.lbApply(t, src)
				f.noBackendFaults(t)
				listeners, _ := f.backendIPs(t)
				if want := f.wantListeners(t); !slices.Equal(want, listeners) || !slices.Contains(listeners, "first 10.50.0.30") {
					t.Errorf("listeners after the second apply: %q, want %q", listeners, want)
				}
			}
			f.settled(t, src, "the apply")
		})
	}
}

// listenersField lists the details of a change of listeners, "path: from → to".
func listenersField(c *planner.Change) []string {
	var out []string
	for _, f := range c.Fields {
		if f.Path == "listeners" {
			for _, d := range f.Details {
				out = append(out, fmt.Sprintf("%s: %v → %v", d.Path, d.From, d.To))
			}
		}
	}
	return out
}

// TestReaddressInterruptedConverges: an apply stopped right after the
// listeners let an instance go whose address moves leaves the address as
// it was; the next plan moves it and sends to the new one, without a
// listener on an address no instance holds, and ends with no changes and
// no drift.
func TestReaddressInterruptedConverges(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	src := strings.NewReplacer("COUNT", "1", "IPS", `, ip: "10.50.0.10"`, "CBD", "protect: false").Replace(lbStack)
	f.lbApply(t, src)
	src = strings.NewReplacer("COUNT", "1", "IPS", `, ip: "10.50.0.20"`, "CBD", "protect: false").Replace(lbStack)
	p := f.lbPlan(t, src)
	s, _ := spec.Parse("s.yaml", []byte(src))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := executor.New(f.client, f.store, s, executor.WithHook(cancelAfter{id: "front (unwire)", cancel: cancel})).Apply(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Changed != 0 {
		t.Fatalf("apply: interrupted %v, changed %d", res.Interrupted, res.Changed)
	}
	if listeners, _ := f.backendIPs(t); len(listeners) != 0 {
		t.Fatalf("the listeners still send to web[0]: %q", listeners)
	}
	p = f.lbPlan(t, src)
	if c := p.Change("front"); c.Action != planner.Update || len(c.Unwire) != 0 {
		t.Errorf("front after the interruption: %s, unwires %q", c.Action, c.Unwire)
	}
	f.applyPlan(t, src, p)
	f.noBackendFaults(t)
	if listeners, _ := f.backendIPs(t); !slices.Equal(listeners, []string{"first 10.50.0.20", "web 10.50.0.20"}) {
		t.Errorf("listeners after the next apply: %q", listeners)
	}
	f.settled(t, src, "the next apply")
}

// TestReaddressOfATextAddressIsWarned: listeners that name an instance's
// address as text are left as the stack writes them when the address
// moves (no unwire: the stack asks for that address); the instance's
// reason says they will send to an address no instance holds.
func TestReaddressOfATextAddressIsWarned(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	text := func(ip string) string {
		src := strings.NewReplacer("COUNT", "1", "IPS", `, ip: "`+ip+`"`, "CBD", "protect: false").Replace(lbStack)
		return strings.Replace(src, `"${web[0].private_ips[0]}"`, `"10.50.0.10"`, 1)
	}
	f.lbApply(t, text("10.50.0.10"))
	p := f.lbPlan(t, text("10.50.0.20"))
	if c := p.Change("front"); c.Action != planner.Update || !slices.Equal(c.Unwire, []string{"web[0]"}) {
		t.Errorf("front (also by id): %s, unwires %q", c.Action, c.Unwire)
	}
	if d := p.Change("web[0]").Detail; strings.Contains(d, "written as text") {
		t.Errorf("warned although front follows web[0] by id too: %q", d)
	}
	// By text only.
	f = newFixture(t, emulator.Options{})
	only := func(ip string) string {
		return strings.Replace(text(ip), `{name: web, mode: http, port: 80, backends: [{instances: "${web[*].id}", port: 8080}]}`, `{name: web, mode: http, port: 80, backends: []}`, 1)
	}
	f.lbApply(t, only("10.50.0.10"))
	p = f.lbPlan(t, only("10.50.0.20"))
	if c := p.Change("front"); c.Action != planner.NoOp {
		t.Errorf("front: %s, want kept as the stack writes it", c.Action)
	}
	if d := p.Change("web[0]").Detail; !strings.Contains(d, "load balancer front sends to its old address, written as text in the stack: it will send to an address no instance holds") {
		t.Errorf("web[0]'s reason does not warn: %q", d)
	}
}

// TestReplaceAndReaddressInOneApply: one plan replaces a backend and moves
// the addresses of the others in place; the load balancer follows both in
// the same apply without a listener on an address no instance holds.
func TestReplaceAndReaddressInOneApply(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	src := strings.NewReplacer("COUNT", "3", "IPS", `, ip: "10.50.0.1${index}"`, "CBD", "protect: false").Replace(lbStack)
	f.lbApply(t, src)
	src = strings.NewReplacer("COUNT", "3", "IPS", `, ip: "10.50.0.3${index}"`, "CBD", "protect: false").Replace(lbStack)
	p := f.lbPlanIn(t, src, nil, []string{"web[0]"})
	var got []string
	for _, addr := range []string{"web[0]", "web[1]", "web[2]"} {
		got = append(got, addr+" "+string(p.Change(addr).Action))
	}
	if want := []string{"web[0] replace", "web[1] update", "web[2] update"}; !slices.Equal(got, want) {
		t.Fatalf("changes %q, want %q", got, want)
	}
	f.applyPlan(t, src, p)
	f.noBackendFaults(t)
	listeners, _ := f.backendIPs(t)
	if want := f.wantListeners(t); !slices.Equal(want, listeners) || !slices.Contains(listeners, "first 10.50.0.30") {
		t.Errorf("listeners after the apply: %q, want %q", listeners, want)
	}
	f.settled(t, src, "the apply")
}
