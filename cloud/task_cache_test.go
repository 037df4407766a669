package cloud

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTaskCacheKeepsDurationsAcrossRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "tasks.json")
	first := loadTaskCache(path)
	if got := first.samples("h|CreateVdc|CN_Beijing_A"); len(got) != 0 {
		t.Fatalf("a new cache has samples: %v", got)
	}
	for i := range 40 {
		first.add("h|CreateVdc|CN_Beijing_A", time.Duration(i+1)*time.Second)
	}
	first.add("h|CreateInstance|CN_Beijing_A", 5*time.Second)
	// Another process saved meanwhile: its durations are kept too.
	other := loadTaskCache(path)
	other.add("h|DeleteVdc|", time.Second)
	if err := other.save(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := first.save(time.Now()); err != nil {
		t.Fatal(err)
	}
	next := loadTaskCache(path)
	vdc := next.samples("h|CreateVdc|CN_Beijing_A")
	if len(vdc) != maxSamples || vdc[0] != 9*time.Second || vdc[maxSamples-1] != 40*time.Second {
		t.Errorf("CreateVdc samples %v, want the last %d (9s…40s)", vdc, maxSamples)
	}
	if diff := cmp.Diff([]time.Duration{time.Second}, next.samples("h|DeleteVdc|")); diff != "" {
		t.Errorf("the other process's samples (-want +got)\n%s", diff)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file: %v %v", fi, err)
	}
	// Corrupt or foreign files are an empty cache, never an error.
	for _, content := range []string{"{not json", `{"version": 9, "durations_ms": {"k": [1]}}`, ""} {
		os.WriteFile(path, []byte(content), 0o600)
		if got := loadTaskCache(path).samples("k"); len(got) != 0 {
			t.Errorf("%q: samples %v", content, got)
		}
	}
	var none *taskCache
	none.add("k", time.Second)
	if none.samples("k") != nil || none.save(time.Now()) != nil {
		t.Error("a client without a cache remembers something")
	}
}

func TestEstimatePlansFromEarlierRuns(t *testing.T) {
	var prior []time.Duration
	for i := range 21 {
		prior = append(prior, 4500*time.Millisecond+time.Duration(i)*50*time.Millisecond) // 4.5 s … 5.5 s
	}
	e := &estimate{prior: prior}
	// The first waits of a run probe the cache: one more look, early.
	for i := range staleProbes {
		if first, _, _, src := e.plan(); src != fromProbe || first != 4600*time.Millisecond {
			t.Errorf("wait %d: first look at %s (source %d), want 4.6s and a probe", i, first, src)
		}
	}
	first, step, steps, src := e.plan()
	if first != 4600*time.Millisecond || step != 200*time.Millisecond || steps != 6 || src != fromPrior {
		t.Errorf("plan = %s, %s × %d; want the 10th percentile 4.6s, then a quarter of the spread to the 90th", first, step, steps)
	}
	// One known duration says nothing of the spread: ±10 % is assumed, so
	// the looks cover a fifth of it in quarters.
	e = &estimate{prior: []time.Duration{time.Minute}, probes: staleProbes}
	if first, step, steps, _ := e.plan(); first != time.Minute || step != 3*time.Second || steps != 6 {
		t.Errorf("one known duration: %s, %s × %d; want 1m, 3s × 6", first, step, steps)
	}
	if first, _, _, src := (&estimate{}).plan(); first != 0 || src != fromNothing {
		t.Errorf("nothing known, no prior: first look %s", first)
	}
}

// TestEstimateDropsAStaleCache: once this run's first task ends far from
// what the cache says (more than twice its 90th percentile, or under half
// its 10th), the run's own duration plans the next waits.
func TestEstimateDropsAStaleCache(t *testing.T) {
	for name, ended := range map[string]time.Duration{"faster": time.Second, "slower": 30 * time.Second} {
		t.Run(name, func(t *testing.T) {
			e := &estimate{prior: []time.Duration{10 * time.Second}, probes: staleProbes}
			e.observe(0, ended)
			if first, _, _, src := e.plan(); first != ended || src != fromRun {
				t.Errorf("after one task of %s: first look at %s (source %d), want %s from this run", ended, first, src, ended)
			}
		})
	}
	e := &estimate{prior: []time.Duration{10 * time.Second}, probes: staleProbes}
	e.observe(0, 12*time.Second) // within the cache's range: one task says little
	if first, _, _, src := e.plan(); first != 10*time.Second || src != fromPrior {
		t.Errorf("after one task as cached: first look at %s (source %d), want the cache's 10s", first, src)
	}
}

func TestTaskLearningKeysByRegion(t *testing.T) {
	l := taskLearning{host: "api"}
	l.record("a", "CreateVdc", CreateVdcRequest{RegionID: "CN_Beijing_A"})
	l.record("b", "CreateVdc", CreateVdcRequest{RegionID: "US_Dallas_A"})
	if a, b := l.estimateFor("a", time.Time{}), l.estimateFor("b", time.Time{}); a == b || a.key != "api|CreateVdc|CN_Beijing_A" {
		t.Errorf("regions share an estimate: %q, %q", a.key, b.key)
	}
}

// With nothing known, looks grow by coldGrowth: a look comes at most a
// quarter of the time waited after the task ended.
func TestWaitTaskColdScheduleBoundsOvershoot(t *testing.T) {
	clk := NewFakeClock(time.Unix(0, 0))
	d := &scriptedTasks{statuses: []TaskStatus{TaskDoing}}
	top := func() float64 { return 0.999999999 }
	WaitTask(context.Background(), d, "t", WaitClock(clk), WaitTimeout(9*time.Second), func(c *WaitConfig) { c.Rand, c.Growth = top, coldGrowth })
	elapsed := time.Duration(0)
	for i, s := range clk.Sleeps() {
		if i > 0 && float64(s) > (coldGrowth-1)*float64(elapsed)*1.0001+float64(250*time.Millisecond) {
			t.Errorf("look %d waits %s after %s", i, s, elapsed)
		}
		elapsed += s
	}
	if n := len(clk.Sleeps()); n < 10 || n > 20 {
		t.Errorf("%d looks in 9 s", n)
	}
}

// Step and Steps: after the first look, looks Step apart, then backing off.
func TestWaitTaskStepsAfterTheFirstLook(t *testing.T) {
	clk := NewFakeClock(time.Unix(0, 0))
	d := &scriptedTasks{statuses: []TaskStatus{TaskDoing, TaskDoing, TaskDoing, TaskDoing, TaskDoing, TaskFinish}}
	_, err := WaitTask(context.Background(), d, "t", WaitClock(clk), WaitFirstPoll(5*time.Second),
		func(c *WaitConfig) {
			c.Step, c.Steps, c.Rand = 200*time.Millisecond, 3, func() float64 { return 0.999999999 }
		})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{5 * time.Second, 200 * time.Millisecond, 200 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}
	got := clk.Sleeps()
	for i := range got {
		got[i] = got[i].Round(time.Millisecond)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("looks (-want +got)\n%s", diff)
	}
}

// Sight keeps the task from being asked while it says Busy; Align puts the
// looks on a grid.
func TestWaitTaskAsksTheTaskWhenTheListingCannotTell(t *testing.T) {
	clk := NewFakeClock(time.Unix(0, 30*int64(time.Millisecond)))
	d := &scriptedTasks{statuses: []TaskStatus{TaskFinish}}
	readies := 0
	_, err := WaitTask(context.Background(), d, "t", WaitClock(clk), func(c *WaitConfig) {
		c.Align = 100 * time.Millisecond
		c.Sight = func(context.Context) (Sighting, error) {
			readies++
			if readies == 2 {
				return Sighting{Busy: true}, errors.New("listing failed") // asks the task: it is done
			}
			return Sighting{Busy: true}, nil
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if readies != 2 || d.calls != 1 {
		t.Errorf("%d listings, %d task looks; want 2 and 1", readies, d.calls)
	}
	if at := clk.Now(); at.UnixNano()%int64(100*time.Millisecond) != 0 {
		t.Errorf("the last look at %s is off the 100 ms grid", clk.Now().Sub(time.Unix(0, 0)))
	}
}

// TestTaskCacheTrustsRecentDurations: durations saved within trustCache
// are not probed; older ones, and those of files that did not say when,
// are.
func TestTaskCacheTrustsRecentDurations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tasks.json")
	saved := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tc := loadTaskCache(path)
	tc.add("h|CreateVdc|", time.Second)
	if err := tc.save(saved); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		now   time.Time
		probe bool
	}{
		"just learned":   {saved.Add(10 * time.Minute), false},
		"learned before": {saved.Add(2 * trustCache), true},
	} {
		t.Run(name, func(t *testing.T) {
			l := taskLearning{host: "h", cache: loadTaskCache(path)}
			l.record("t", "CreateVdc", CreateVdcRequest{})
			if _, _, _, src := l.estimateFor("t", tt.now).plan(); (src == fromProbe) != tt.probe {
				t.Errorf("source %d, want a probe: %v", src, tt.probe)
			}
		})
	}
	os.WriteFile(path, []byte(`{"version": 1, "durations_ms": {"h|CreateVdc|": [1000]}}`), 0o600)
	l := taskLearning{host: "h", cache: loadTaskCache(path)}
	l.record("t", "CreateVdc", CreateVdcRequest{})
	if _, _, _, src := l.estimateFor("t", saved).plan(); src != fromProbe {
		t.Errorf("a cache that does not say when it learned: source %d, want a probe", src)
	}
}
