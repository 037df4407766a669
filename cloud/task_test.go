package cloud

import (
	"context"
	"errors"
	"net/http"
	"testing"
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

func TestWaitTaskJitterStaysInWindow(t *testing.T) {
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

func TestClientLearnsTaskDuration(t *testing.T) {
	var c Client
	for _, d := range []time.Duration{time.Second, time.Second, 1100 * time.Millisecond} {
		if c.taskTimes.expected() != 0 {
			t.Fatal("an estimate before three tasks")
		}
		c.taskTimes.observe(d)
	}
	if got := c.taskTimes.expected(); got < time.Second || got > 1100*time.Millisecond {
		t.Errorf("expected = %s", got)
	}
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
