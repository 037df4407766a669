package cloud

import (
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
