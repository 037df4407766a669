package cloud

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scriptedTasks answers DescribeTask from a list of statuses.
type scriptedTasks struct {
	statuses []TaskStatus
	calls    int
	err      error
}

func (s *scriptedTasks) DescribeTask(_ context.Context, id string) (*Task, error) {
	if s.err != nil {
		return nil, s.err
	}
	st := s.statuses[min(s.calls, len(s.statuses)-1)]
	s.calls++
	return &Task{ID: id, Status: st, ResourceID: "res-1", TaskType: "orderCreateVM"}, nil
}

func TestWaitTask(t *testing.T) {
	half := func() float64 { return 0.999999 } // the top of each jitter window
	tests := map[string]struct {
		statuses  []TaskStatus
		timeout   time.Duration
		wantCalls int
		wantErr   any
		wantRes   string
	}{
		"finishes":         {[]TaskStatus{TaskNew, TaskDoing, TaskDoing, TaskFinish}, time.Minute, 4, nil, "res-1"},
		"finishes at once": {[]TaskStatus{TaskFinish}, time.Minute, 1, nil, "res-1"},
		"fails":            {[]TaskStatus{TaskDoing, TaskError}, time.Minute, 2, &TaskFailedError{}, "res-1"},
		"times out":        {[]TaskStatus{TaskDoing}, 30 * time.Second, 0, &TaskTimeoutError{}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clk := NewFakeClock(time.Unix(0, 0))
			d := &scriptedTasks{statuses: tc.statuses}
			task, err := WaitTask(context.Background(), d, "t-1", WaitClock(clk), WaitTimeout(tc.timeout), func(c *WaitConfig) { c.Rand = half })
			switch want := tc.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatal(err)
				}
				if task.ResourceID != tc.wantRes {
					t.Errorf("ResourceID = %q", task.ResourceID)
				}
			case *TaskFailedError:
				if !errors.As(err, &want) {
					t.Fatalf("err = %v, want TaskFailedError", err)
				}
			case *TaskTimeoutError:
				if !errors.As(err, &want) || want.Waited < tc.timeout || want.LastStatus != TaskDoing {
					t.Fatalf("err = %v, want TaskTimeoutError after %s", err, tc.timeout)
				}
				var total time.Duration
				for _, s := range clk.Sleeps() {
					total += s
				}
				if total != tc.timeout {
					t.Errorf("slept %s in all, want exactly the timeout %s", total, tc.timeout)
				}
			}
			if tc.wantCalls > 0 && d.calls != tc.wantCalls {
				t.Errorf("DescribeTask calls = %d, want %d", d.calls, tc.wantCalls)
			}
		})
	}
}

func TestWaitTaskBackoffSchedule(t *testing.T) {
	clk := NewFakeClock(time.Unix(0, 0))
	d := &scriptedTasks{statuses: []TaskStatus{TaskDoing}}
	top := func() float64 { return 0.999999999 }
	_, err := WaitTask(context.Background(), d, "t", WaitClock(clk), WaitTimeout(40*time.Second), func(c *WaitConfig) { c.Rand = top })
	var te *TaskTimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
	got := clk.Sleeps()
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	round := func(ds []time.Duration) []time.Duration {
		out := make([]time.Duration, len(ds))
		for i, d := range ds {
			out[i] = d.Round(time.Millisecond)
		}
		return out
	}
	if diff := cmp.Diff(want, round(got[:len(want)])); diff != "" {
		t.Errorf("poll intervals (-want +got)\n%s", diff)
	}
	for _, s := range got {
		if s > 10*time.Second {
			t.Errorf("interval %s exceeds the 10 s cap", s)
		}
	}
}

// TestWaitTaskScalesItsScheduleOncePerWait: each wait keeps one scale in
// [0.5, 1) for all its intervals, so waits begun together look at different
// moments; Skip leaves out first looks, not the time they would have taken.
func TestWaitTaskScalesItsScheduleOncePerWait(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := map[string]struct {
		rand float64
		skip int
		want []time.Duration
	}{
		"lowest scale":  {0, 0, []time.Duration{ms(125), ms(250), ms(500), ms(1000)}},
		"middle scale":  {0.5, 0, []time.Duration{ms(177), ms(354), ms(707), ms(1414)}},
		"skip one look": {0, 1, []time.Duration{ms(375), ms(500), ms(1000)}},
		"skip two":      {0, 2, []time.Duration{ms(875), ms(1000)}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clk := NewFakeClock(time.Unix(0, 0))
			d := &scriptedTasks{statuses: []TaskStatus{TaskDoing}}
			_, err := WaitTask(context.Background(), d, "t", WaitClock(clk), WaitTimeout(3*time.Second),
				func(c *WaitConfig) { c.Rand, c.Skip = func() float64 { return tc.rand }, tc.skip })
			var te *TaskTimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(tc.want, roundAll(clk.Sleeps())[:len(tc.want)]); diff != "" {
				t.Errorf("sleeps (-want +got)\n%s", diff)
			}
		})
	}
}

func TestBackoffJitterStaysInWindow(t *testing.T) {
	b := Backoff{Base: 250 * time.Millisecond, Cap: 10 * time.Second}
	for attempt := 0; attempt < 10; attempt++ {
		hi := min(b.Base<<attempt, b.Cap)
		for i := 0; i < 50; i++ {
			d := b.Delay(attempt, 0)
			if d < hi/2 || d > hi {
				t.Fatalf("Delay(%d) = %s outside [%s, %s]", attempt, d, hi/2, hi)
			}
		}
	}
}

func TestWaitTaskContextAndErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	blocking := &blockingClock{FakeClock: NewFakeClock(time.Unix(0, 0))}
	_, err := WaitTask(ctx, &scriptedTasks{statuses: []TaskStatus{TaskDoing}}, "t", WaitClock(blocking))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: err = %v", err)
	}
	boom := errors.New("boom")
	if _, err := WaitTask(context.Background(), &scriptedTasks{err: boom}, "t"); !errors.Is(err, boom) {
		t.Errorf("describe error: err = %v", err)
	}
	if _, err := WaitTask(context.Background(), &scriptedTasks{}, ""); !errors.Is(err, ErrNoTaskID) {
		t.Errorf("empty id: err = %v", err)
	}
}

// blockingClock never fires, so only the context can end a wait.
type blockingClock struct{ *FakeClock }

func (b *blockingClock) After(time.Duration) <-chan time.Time { return make(chan time.Time) }

func TestDescribeTaskNormalisesStatus(t *testing.T) {
	_, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"Code": "Success", "Data": map[string]any{"Status": "finish", "ResourceId": "r-9", "TaskType": "x"}, "TaskId": 190982})
	})
	c, _ := newTestClient(t, url)
	task, err := c.WaitTask(context.Background(), "190982")
	if err != nil || task.Status != TaskFinish || task.ResourceID != "r-9" {
		t.Fatalf("WaitTask = %+v, %v", task, err)
	}
}

// timedTask finishes once the fake clock passes its end.
type timedTask struct {
	clk   *FakeClock
	end   time.Time
	polls int
}

func (d *timedTask) DescribeTask(_ context.Context, id string) (*Task, error) {
	d.polls++
	st := TaskDoing
	if !d.clk.Now().Before(d.end) {
		st = TaskFinish
	}
	return &Task{ID: id, Status: st}, nil
}

func TestWaitTaskFirstPollAtExpectedDuration(t *testing.T) {
	clk := NewFakeClock(time.Unix(0, 0))
	d := &timedTask{clk: clk, end: clk.Now().Add(time.Second)}
	top := func() float64 { return 0.999999999 }
	if _, err := WaitTask(context.Background(), d, "t", WaitClock(clk), WaitFirstPoll(950*time.Millisecond), func(c *WaitConfig) { c.Rand = top }); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{950 * time.Millisecond, 62 * time.Millisecond}
	if diff := cmp.Diff(want, roundAll(clk.Sleeps())); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
	if d.polls != 2 {
		t.Errorf("polls = %d, want 2", d.polls)
	}
}

func TestEstimateLearnsWhenTasksEnd(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := map[string]struct {
		start       time.Duration // the estimate before (0: nothing seen yet)
		lastRunning time.Duration
		settled     time.Duration
		lo, hi      time.Duration // where the estimate must end up
	}{
		"first task: its look":                      {0, ms(400), ms(1000), ms(1000), ms(1000)},
		"close looks: towards their middle":         {ms(1000), ms(1100), ms(1150), ms(1020), ms(1030)},
		"far looks: halfway, weighed less":          {ms(1000), ms(500), ms(2500), ms(1045), ms(1055)},
		"done at the first look: a little earlier":  {ms(1000), 0, ms(1000), 999800 * time.Microsecond, 999950 * time.Microsecond},
		"done at a late first look: never later":    {ms(1000), 0, ms(1500), 999800 * time.Microsecond, 999950 * time.Microsecond},
		"done at an early first look: much earlier": {ms(1000), 0, ms(900), ms(979), ms(981)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := estimate{}
			if tc.start > 0 {
				e.avg, e.seen = tc.start, 3
			}
			e.observe(tc.lastRunning, tc.settled)
			if e.avg < tc.lo || e.avg > tc.hi {
				t.Errorf("estimate = %s, want within [%s, %s]", e.avg, tc.lo, tc.hi)
			}
		})
	}
}

func TestEstimateFirstLooks(t *testing.T) {
	var e estimate
	for range 2 {
		e.observe(900*time.Millisecond, time.Second)
		if first, _, _, _ := e.plan(); first != 0 {
			t.Fatal("a first look planned before three tasks were seen")
		}
	}
	e.observe(900*time.Millisecond, time.Second)
	probes := 0
	for range 8 * probeEvery {
		switch d, _, _, _ := e.plan(); {
		case d == e.avg:
		case d < e.avg && d >= e.avg-time.Duration(float64(e.avg)*probeEarly):
			probes++
		default:
			t.Fatalf("first look at %s, estimate %s", d, e.avg)
		}
	}
	if probes != 8 {
		t.Errorf("%d probes in %d looks, want 8", probes, 8*probeEvery)
	}
}

func TestEstimateTellsWaitsWithoutOne(t *testing.T) {
	var e estimate
	var chans []chan time.Duration
	for i := range 3 {
		ch, watched := e.listen()
		if watched != (i > 0) {
			t.Errorf("wait %d: watched = %v", i, watched)
		}
		chans = append(chans, ch)
	}
	e.forget(chans[2])
	e.observe(500*time.Millisecond, time.Second)
	for i, ch := range chans[:2] {
		select {
		case d := <-ch:
			if d > time.Second || d < time.Second-time.Duration(toldSpread*float64(time.Second)) {
				t.Errorf("wait %d told %s, want within %.0f%% before 1s", i, d, toldSpread*100)
			}
		default:
			t.Errorf("wait %d was not told", i)
		}
	}
	select {
	case <-chans[2]:
		t.Error("a forgotten wait was told")
	default:
	}
	e.observe(500*time.Millisecond, time.Second) // told once: nothing more is sent
	if len(chans[0]) != 0 {
		t.Error("a wait was told twice")
	}
}

func TestTaskLearningKeepsActionsApart(t *testing.T) {
	var l taskLearning
	l.record("t-vdc", "CreateVdc", nil)
	l.record("t-vm", "CreateInstance", nil)
	vdc := l.estimateFor("t-vdc", time.Time{})
	vdc.observe(0, 5*time.Second)
	if vm := l.estimateFor("t-vm", time.Time{}); vm == vdc || vm.seen != 0 {
		t.Error("an instance task shares what was learned from a VDC task")
	}
	if again := l.estimateFor("t-other-vdc", time.Time{}); again == vdc {
		t.Error("a task of unknown action got the CreateVdc estimate")
	}
	l.record("t-vdc-2", "CreateVdc", nil)
	if l.estimateFor("t-vdc-2", time.Time{}) != vdc {
		t.Error("two CreateVdc tasks do not share an estimate")
	}
}

// thresholdClock fires sleeps shorter than limit at once and never fires
// longer ones, so a test sees which sleep a wait took.
type thresholdClock struct {
	*FakeClock
	limit time.Duration
}

func (c thresholdClock) After(d time.Duration) <-chan time.Time {
	if d < c.limit {
		return c.FakeClock.After(d)
	}
	c.FakeClock.mu.Lock()
	c.FakeClock.sleeps = append(c.FakeClock.sleeps, d)
	c.FakeClock.mu.Unlock()
	return make(chan time.Time)
}

// lateClock is a FakeClock whose sleeps end a little later, so a value
// already waiting on another channel is always taken first. Tests that use
// it run in a synctest bubble, where "later" is fake time that passes only
// once the wait is blocked: the order never depends on the scheduler.
type lateClock struct{ *FakeClock }

func (c lateClock) After(d time.Duration) <-chan time.Time {
	fired, out := c.FakeClock.After(d), make(chan time.Time, 1)
	go func() {
		time.Sleep(5 * time.Millisecond)
		out <- <-fired
	}()
	return out
}

// TestWaitTaskToldOfALaterEndLooksAgainThen: a wait told of an end after
// its planned look keeps that look, and if the task is still running it
// looks next at the told end, not a whole backoff interval later.
func TestWaitTaskToldOfALaterEndLooksAgainThen(t *testing.T) {
	synctest.Test(t, waitTaskToldOfALaterEndLooksAgainThen)
}

func waitTaskToldOfALaterEndLooksAgainThen(t *testing.T) {
	clk := lateClock{NewFakeClock(time.Unix(0, 0))}
	told := make(chan time.Duration, 1)
	told <- 300 * time.Millisecond
	d := &timedTask{clk: clk.FakeClock, end: clk.Now().Add(250 * time.Millisecond)}
	lowest := func(c *WaitConfig) { c.Rand, c.Expect = func() float64 { return 0 }, told }
	task, err := WaitTask(context.Background(), d, "t", WaitClock(clk), lowest)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{125 * time.Millisecond, 175 * time.Millisecond}
	if diff := cmp.Diff(want, roundAll(clk.Sleeps())); diff != "" {
		t.Errorf("sleeps (-want +got)\n%s", diff)
	}
	if d.polls != 2 || task.LastRunning != 125*time.Millisecond || task.Settled != 300*time.Millisecond {
		t.Errorf("polls %d, LastRunning %s, Settled %s", d.polls, task.LastRunning, task.Settled)
	}
}

func TestWaitTaskMovesItsLookUpWhenTold(t *testing.T) {
	clk := thresholdClock{NewFakeClock(time.Unix(0, 0)), 100 * time.Millisecond}
	told := make(chan time.Duration, 1)
	told <- 60 * time.Millisecond
	d := &timedTask{clk: clk.FakeClock, end: clk.Now().Add(50 * time.Millisecond)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	task, err := WaitTask(ctx, d, "t", WaitClock(clk), WaitIntervals(time.Second, 10*time.Second), func(c *WaitConfig) { c.Expect = told })
	if err != nil {
		t.Fatal(err)
	}
	if d.polls != 1 || task.LastRunning != 0 || task.Settled != 60*time.Millisecond {
		t.Errorf("polls = %d, LastRunning %s, Settled %s; want one look at the told 60ms", d.polls, task.LastRunning, task.Settled)
	}
	if got := clk.Sleeps(); len(got) != 2 || got[0] < 500*time.Millisecond || got[1] != 60*time.Millisecond {
		t.Errorf("sleeps = %v, want the default first interval, then the told 60ms", got)
	}
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

// TestWaitTaskProbe: a probe adds one early look; a task done by then ends
// the wait there, and otherwise the schedule goes on as planned.
func TestWaitTaskProbe(t *testing.T) {
	for name, tt := range map[string]struct {
		end    time.Duration
		sleeps []time.Duration
	}{
		"done by the probe": {100 * time.Millisecond, []time.Duration{125 * time.Millisecond}},
		"done as cached":    {time.Second, []time.Duration{125 * time.Millisecond, 875 * time.Millisecond}},
	} {
		t.Run(name, func(t *testing.T) {
			clk := NewFakeClock(time.Unix(0, 0))
			d := &timedTask{clk: clk, end: clk.Now().Add(tt.end)}
			task, err := WaitTask(context.Background(), d, "t", WaitClock(clk), WaitFirstPoll(time.Second),
				func(c *WaitConfig) { c.Probe = 125 * time.Millisecond })
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.sleeps, clk.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got)\n%s", diff)
			}
			if task.LastRunning != 0 {
				t.Errorf("LastRunning %s: a probe says nothing of when the task ends", task.LastRunning)
			}
		})
	}
}
