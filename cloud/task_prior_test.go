package cloud

import (
	"context"
	"testing"
	"time"
)

func TestTaskPriorPerAction(t *testing.T) {
	for action, want := range map[string]time.Duration{
		"CreateInstance":         time.Second,
		"mysql/CreateDBInstance": time.Second,
		"CreateSecurityGroup":    settledAtOnce,
		"SomeFutureAction":       defaultPrior,
	} {
		if got := taskPrior(action); got != want {
			t.Errorf("prior of %s = %s, want %s", action, got, want)
		}
	}
}

// TestEstimatePlansFromThePrior: with nothing cached, a wait looks first
// at the action's prior (the first wait of the action also probes), then
// backs off from a quarter of it; once a task of the run is seen done, the
// run's duration plans the next waits.
func TestEstimatePlansFromThePrior(t *testing.T) {
	l := taskLearning{host: "api"}
	l.record("t1", "CreateVdc", CreateVdcRequest{RegionID: "CN_Beijing_A"})
	l.record("t2", "CreateVdc", CreateVdcRequest{RegionID: "CN_Beijing_A"})
	e := l.estimateFor("t1", time.Time{})
	if e.typical != time.Second || e.action() != "CreateVdc" {
		t.Fatalf("estimate of CreateVdc: prior %s, action %q", e.typical, e.action())
	}
	if first, step, steps, src := e.plan(); first != time.Second || step != 250*time.Millisecond || steps != 0 || src != fromTableProbe {
		t.Errorf("first wait: %s, %s × %d (source %d); want 1s, then backing off from 250ms, and a probe", first, step, steps, src)
	}
	if _, _, _, src := l.estimateFor("t2", time.Time{}).plan(); src != fromTable {
		t.Errorf("second wait: source %d, want the prior without a probe", src)
	}
	e.observe(2*time.Second, 2200*time.Millisecond)
	if first, _, _, src := e.plan(); first != 2200*time.Millisecond || src != fromRun {
		t.Errorf("after one task of 2.2s: first look at %s (source %d), want the run's", first, src)
	}
}

// TestPriorsKeptTheirPaceSkipProbes: once a task of the run waited on from
// its prior took at least half of it (the cloud is not faster than the
// table), the first waits of the other actions no longer probe at an
// eighth of their priors; a task found much faster than its prior (or one
// answered done at once) leaves the probes on. WaitUntil keeps its probe
// whatever the pace (security group rules and members take effect at
// once: without it an instance's join waited a whole second).
func TestPriorsKeptTheirPaceSkipProbes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		action string
		took   time.Duration
		probes bool
	}{
		{"as the table", "DeleteInstance", 1100 * time.Millisecond, false},
		{"much faster", "DeleteInstance", 100 * time.Millisecond, true},
		{"a task done at once", "DeleteSecurityGroup", 60 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New("http://127.0.0.1:1", Credentials{AccessKeyID: "k", AccessKeySecret: "s"})
			if err != nil {
				t.Fatal(err)
			}
			l := &c.tasks
			l.record("first", tc.action, nil)
			l.record("vdc", "DeleteVdc", nil)
			e := l.estimateFor("first", time.Time{})
			if _, _, _, src := e.plan(); src != fromTableProbe {
				t.Fatalf("the first wait of %s: source %d, want the prior and a probe", tc.action, src)
			}
			e.observe(0, tc.took)
			_, _, _, src := l.estimateFor("vdc", time.Time{}).plan()
			if probes := src == fromTableProbe; probes != tc.probes {
				t.Errorf("after a %s task of %s: DeleteVdc's first wait probes: %v, want %v", tc.action, tc.took, probes, tc.probes)
			}
			// WaitUntil's schedule: a probe at an eighth of its prior.
			clk := NewFakeClock(time.Unix(0, 0))
			c.clock = clk
			done := make(chan error, 1)
			go func() {
				done <- c.WaitUntil(context.Background(), "x", func(context.Context) (bool, error) { return true, nil })
			}()
			for {
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
					first := clk.Sleeps()[0]
					if first >= untilPrior/2 {
						t.Errorf("WaitUntil's first look after %s, want a probe at an eighth of %s", first, untilPrior)
					}
					return
				default:
					clk.Advance(10 * time.Millisecond)
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
}
