package cloud

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// TaskStatus is a task's state, normalised to upper case.
type TaskStatus string

// The documented task states.
const (
	TaskNew    TaskStatus = "NEW"
	TaskDoing  TaskStatus = "DOING"
	TaskFinish TaskStatus = "FINISH"
	TaskError  TaskStatus = "ERROR"
)

// Done reports whether the task has settled (FINISH or ERROR).
func (s TaskStatus) Done() bool { return s == TaskFinish || s == TaskError }

// A Task is what DescribeTask says about an asynchronous operation.
// ResourceIDs are the resources it created or changed, ResourceID the first
// of them.
type Task struct {
	ID          string
	Status      TaskStatus
	ResourceID  string
	ResourceIDs []string
	TaskType    string
	Message     string
	// Set by WaitTask: how long after the wait began the task was seen
	// finished (Settled) and last seen unfinished (LastRunning; 0 when the
	// first look at the time it was expected to end found it done). It ended
	// in between.
	LastRunning, Settled time.Duration
	// Seen is when the service was asked (zero if the describer does not
	// say); WaitTask measures from it, so time spent queued in the rate
	// limiter does not count as time the task ran.
	Seen time.Time
}

// DescribeTaskRequest asks for one task.
type DescribeTaskRequest struct {
	TaskID string `json:"TaskId"`
}

// DescribeTaskData is the Data of a DescribeTask answer: ResourceIds is a
// list (the current service and the official SDK), ResourceId a text that
// may hold several comma-joined ids (the 2019 reference).
type DescribeTaskData struct {
	Status      Str   `json:"Status"`
	ResourceID  Str   `json:"ResourceId"`
	ResourceIDs []Str `json:"ResourceIds"`
	TaskType    Str   `json:"TaskType"`
}

// resourceIDs returns the task's resource ids from whichever field has them.
func (d DescribeTaskData) resourceIDs() []string {
	var ids []string
	add := func(id string) {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range d.ResourceIDs {
		add(string(id))
	}
	for _, id := range strings.Split(string(d.ResourceID), ",") {
		add(id)
	}
	return ids
}

// DescribeTask returns the state of a task.
func (c *Client) DescribeTask(ctx context.Context, taskID string) (*Task, error) {
	var d DescribeTaskData
	resp, err := c.Call(ctx, "DescribeTask", DescribeTaskRequest{TaskID: taskID}, &d)
	if err != nil {
		return nil, err
	}
	t := &Task{
		ID:          taskID,
		Status:      TaskStatus(strings.ToUpper(strings.TrimSpace(string(d.Status)))),
		ResourceIDs: d.resourceIDs(),
		TaskType:    string(d.TaskType),
		Message:     resp.Message,
		Seen:        resp.Sent,
	}
	if len(t.ResourceIDs) > 0 {
		t.ResourceID = t.ResourceIDs[0]
	}
	return t, nil
}

// A TaskDescriber reads a task's state; *Client is one.
type TaskDescriber interface {
	DescribeTask(ctx context.Context, taskID string) (*Task, error)
}

// A TaskFailedError says the task ended in ERROR.
type TaskFailedError struct{ Task Task }

func (e *TaskFailedError) Error() string {
	msg := fmt.Sprintf("task %s (%s) failed", e.Task.ID, e.Task.TaskType)
	if e.Task.Message != "" && !strings.EqualFold(strings.TrimRight(e.Task.Message, "."), "success") {
		msg += ": " + e.Task.Message
	}
	return msg
}

// A TaskTimeoutError says the task had not settled when the wait's timeout ran out.
type TaskTimeoutError struct {
	TaskID     string
	Waited     time.Duration
	LastStatus TaskStatus
}

func (e *TaskTimeoutError) Error() string {
	return fmt.Sprintf("task %s still %s after %s", e.TaskID, e.LastStatus, e.Waited.Round(time.Millisecond))
}

// ErrNoTaskID is returned when asked to wait on an empty task id.
var ErrNoTaskID = errors.New("no task id to wait on")

// WaitConfig controls WaitTask. The zero value of a field takes its default.
type WaitConfig struct {
	Timeout time.Duration // default 30 min
	Initial time.Duration // first poll interval, default 250 ms
	Cap     time.Duration // longest poll interval, default 10 s
	Clock   Clock         // default SystemClock
	// Rand, a float in [0,1) (default math/rand/v2), picks the wait's scale.
	Rand func() float64
	// FirstPoll, when longer than the first interval, is when the first
	// look happens (the expected task duration); polls then back off from a
	// quarter of Initial.
	FirstPoll time.Duration
	// OnPoll, if set, sees every answer (progress lines).
	OnPoll func(Task)
	// Skip leaves out the first looks of the schedule (not those at
	// FirstPoll): other waits on similar tasks are already looking, and one
	// of them will tell this one through Expect.
	Skip int
	// Expect, if set, may deliver the expected task duration once during
	// the wait (learned from a similar task that just ended): the next look
	// moves up to that time if it is sooner, as if it had been FirstPoll.
	Expect <-chan time.Duration
	// Growth is how much each interval grows over the one before (default
	// 2: doubling).
	Growth float64
	// Step and Steps: after the look at FirstPoll, Steps more looks Step
	// apart, then backing off from Step.
	Step  time.Duration
	Steps int
	// Align puts every look on a multiple of Align of the clock, so that
	// the looks of waits begun at different moments coincide (and Ready
	// answers them with one request).
	Align time.Duration
	// Sight, if set, is asked at each look before the task: what a listing
	// shows of the change (see Sighting). While it says Busy, the task is
	// not asked (the look counts as one that saw it running); when it says
	// Done, the wait ends as if the task had been seen FINISH, without
	// asking it. An error from it is ignored: the task is asked.
	Sight func(ctx context.Context) (Sighting, error)
	// Probe, when sooner than the first look, adds one look then; the
	// schedule goes on as if it had not happened (a look at a fraction of
	// a cached duration: the cloud may have become faster).
	Probe time.Duration
	// action is the action that started the task, when known (set by
	// Client.WaitTask): a watch for another action's task only says when
	// to ask the task.
	action string
	// guessed: FirstPoll is a prior, not a measure of such tasks.
	guessed bool
	// earlier, if set, is asked at each look (before Sight, which it
	// stands for when Sight is nil) with a context whose reads answer only
	// from listings read since the wait began, never with a request
	// (earlier_reads.go): a Done ends the wait.
	earlier func(ctx context.Context) (Sighting, error)
}

// watchGridFraction: a watched wait's looks fall on a grid under this
// fraction of the time waited (see WaitTask).
const watchGridFraction = 16

// overdueFactor: a resource still listed busy this many times past when
// such tasks end has its task asked (see WaitTask).
const overdueFactor = 3

// A Sighting is what a listing shows of the resource a task changes.
// Neither Busy nor Done: the listing cannot tell, the task is asked.
type Sighting struct {
	// Busy: listed in a transitional status (creating, deleting, …).
	Busy bool
	// Done: the change shows as finished (a created resource listed in a
	// steady status, a deleted one gone), which only a task that succeeded
	// leaves; ResourceID names the resource, as the task would.
	Done       bool
	ResourceID string
}

// A WaitOption changes a WaitConfig.
type WaitOption func(*WaitConfig)

// WaitTimeout bounds the whole wait.
func WaitTimeout(d time.Duration) WaitOption { return func(c *WaitConfig) { c.Timeout = d } }

// WaitClock injects the clock.
func WaitClock(clk Clock) WaitOption { return func(c *WaitConfig) { c.Clock = clk } }

// WaitIntervals sets the first and the longest poll interval.
func WaitIntervals(initial, cap time.Duration) WaitOption {
	return func(c *WaitConfig) { c.Initial, c.Cap = initial, cap }
}

// WaitFirstPoll sets when the first look happens.
func WaitFirstPoll(d time.Duration) WaitOption { return func(c *WaitConfig) { c.FirstPoll = d } }

// WaitOnPoll registers a callback for every poll answer.
func WaitOnPoll(f func(Task)) WaitOption { return func(c *WaitConfig) { c.OnPoll = f } }

// WaitTask polls taskID until it is FINISH (returning the task, whose
// ResourceID names the created or changed resource), ERROR (a
// *TaskFailedError), the timeout passes (a *TaskTimeoutError) or ctx ends.
// Polls back off exponentially from Initial to Cap, scaled per wait. It is the one
// place in cdstack that waits on the cloud.
func WaitTask(ctx context.Context, d TaskDescriber, taskID string, opts ...WaitOption) (*Task, error) {
	cfg := WaitConfig{Timeout: 30 * time.Minute, Initial: 250 * time.Millisecond, Cap: 10 * time.Second, Clock: SystemClock{}}
	for _, o := range opts {
		o(&cfg)
	}
	if taskID == "" {
		return nil, ErrNoTaskID
	}
	// Intervals double from Initial to Cap, each times this wait's own
	// scale in [0.5, 1). A fixed scale keeps each wait's looks geometric yet
	// spreads the looks of many waits begun together evenly over time (in
	// log scale), so one of them looks soon after any moment such tasks may
	// end, instead of all looking around the same instants.
	random := rand.Float64
	if cfg.Rand != nil {
		random = cfg.Rand
	}
	scale := math.Exp2(random() - 1)
	growth := cfg.Growth
	if growth <= 1 {
		growth = 2
	}
	base := cfg.Initial
	steps, stepped := 0, 0 // fixed Step looks still to come, and taken
	interval := func(attempt int) time.Duration {
		if steps > 0 {
			steps--
			stepped++
			return cfg.Step
		}
		d, grow := float64(base), attempt-stepped
		if stepped > 0 {
			grow++ // the steps were at base: back off from there
		}
		for i := 0; i < grow && d < float64(cfg.Cap); i++ {
			d *= growth
		}
		return time.Duration(min(d, float64(cfg.Cap)) * scale)
	}
	// Looking at the expected end: if the task is not done yet it is about
	// to be, so the next looks come quickly (Step apart when the spread of
	// such tasks is known, else from a quarter of Initial) and back off
	// from there.
	nearEnd := func() {
		base = max(cfg.Initial/4, time.Millisecond)
		if cfg.Step > 0 {
			base, steps, stepped = cfg.Step, cfg.Steps, 0
		}
	}
	// align moves a look planned after d to the next multiple of Align.
	// A watched wait's grid (Sight: one listing answers every wait looking
	// at a moment), while its schedule is a prior's guess, coarsens as the
	// wait goes on, doubling while it is under a sixteenth of the time
	// waited: however many waits, each on its own scale, their looks fall
	// on a few shared moments, each at most an eighth of the time waited
	// late (a thirty-second once told when such tasks end). A measured
	// schedule (the cache's) is shared already and keeps the fine grid.
	var start, expected time.Time // expected: when Expect said the task should end
	align := func(d time.Duration) time.Duration {
		if cfg.Align <= 0 {
			return d
		}
		at := cfg.Clock.Now().Add(d)
		g := cfg.Align
		if cfg.Sight != nil && cfg.guessed {
			frac := time.Duration(watchGridFraction)
			if !expected.IsZero() {
				frac *= 4 // told when such tasks end: looks closer to it
			}
			for g < at.Sub(start)/frac {
				g *= 2
			}
		}
		return d + at.Truncate(g).Add(g).Sub(at)%g
	}
	start = cfg.Clock.Now()
	// A task that was just started is never done: the first look comes after
	// the first interval (or the expected duration), which saves DescribeTask
	// calls; later looks back off from Initial.
	next, attempt := interval(0), 1
	for ; attempt <= cfg.Skip; attempt++ {
		next += interval(attempt)
	}
	if cfg.FirstPoll > next {
		next, attempt = min(cfg.FirstPoll, cfg.Timeout), 0
		nearEnd()
	}
	var resume time.Duration // the first look, after a probe
	if cfg.Probe > 0 && cfg.Probe < next {
		next, resume = cfg.Probe, next
	}
	// sight is what the listing shows at a look (nothing, without Sight or
	// when it fails: a listing that cannot tell is no reason not to ask).
	sight := func() Sighting {
		look := cfg.earlier
		if look == nil {
			look = cfg.Sight
		}
		if look != nil {
			// A listing read since the wait began that shows the change
			// done answers without a request (earlier_reads.go).
			if s, ok := sightSince(ctx, start, look); ok {
				return s
			}
		}
		if cfg.Sight == nil {
			return Sighting{}
		}
		s, err := cfg.Sight(ctx)
		if err != nil {
			return Sighting{}
		}
		return s
	}
	expect := cfg.Expect
	// overdue says whether a look that the listing shows busy asks the task
	// all the same: the resource is still listed in a transitional status
	// past overdueFactor times when such tasks end (a listing stuck in a
	// status the watch reads as busy cannot keep the task from being asked),
	// once per doubling of the time waited. Without an expected end (a
	// prior's first look is a guess, not a measure) the listing is trusted.
	var lastAsked time.Duration
	overdue := func(waited time.Duration) bool {
		end := cfg.FirstPoll
		if cfg.guessed {
			end = 0
		}
		if !expected.IsZero() {
			end = expected.Sub(start)
		}
		if end <= 0 || waited < overdueFactor*end || waited < 2*lastAsked {
			return false
		}
		lastAsked = waited
		return true
	}
	var last *Task
	var lastRunning time.Duration
	for {
		next = align(next)
		deadline := cfg.Clock.Now().Add(next)
		timer := cfg.Clock.After(next)
	sleep:
		for {
			select {
			case <-ctx.Done():
				return last, &WaitError{What: "task " + taskID, Err: ctx.Err()}
			case <-timer:
				break sleep
			case d := <-expect:
				// Learned while waiting that such tasks end about then:
				// look then (or at the look already planned, if sooner),
				// never again before it, and quickly after it.
				expect = nil
				expected = start.Add(min(d, cfg.Timeout))
				attempt = 0
				nearEnd()
				if expected.Before(deadline) {
					deadline, timer = expected, cfg.Clock.After(max(expected.Sub(cfg.Clock.Now()), 0))
					// Looks before the expected end say nothing about it.
					lastRunning = 0
				}
			}
		}
		// A look: the task, unless the listing says its resource has not
		// settled (then the look saw it running) or shows the change done.
		status, waited := TaskDoing, cfg.Clock.Now().Sub(start)
		switch s := sight(); {
		case s.Done:
			t := &Task{ID: taskID, Status: TaskFinish, ResourceID: s.ResourceID, TaskType: cfg.action,
				LastRunning: lastRunning, Settled: waited, Seen: cfg.Clock.Now()}
			if s.ResourceID != "" {
				t.ResourceIDs = []string{s.ResourceID}
			}
			if cfg.OnPoll != nil {
				cfg.OnPoll(*t)
			}
			return t, nil
		case !s.Busy || overdue(waited):
			t, err := d.DescribeTask(ctx, taskID)
			if err != nil {
				return nil, &WaitError{What: "task " + taskID, Err: err}
			}
			last = t
			seen := t.Seen
			if seen.IsZero() {
				seen = cfg.Clock.Now()
			}
			status, waited = t.Status, seen.Sub(start)
			t.LastRunning, t.Settled = lastRunning, waited
			if cfg.OnPoll != nil {
				cfg.OnPoll(*t)
			}
			switch status {
			case TaskFinish:
				return t, nil
			case TaskError:
				return t, &TaskFailedError{Task: *t}
			}
		}
		lastRunning = waited
		if waited >= cfg.Timeout {
			return last, &TaskTimeoutError{TaskID: taskID, Waited: waited, LastStatus: status}
		}
		if resume > 0 {
			next, resume = resume-cfg.Probe, 0
			lastRunning = 0 // a probe says nothing of when the task ends
			continue
		}
		next = max(interval(attempt), expected.Sub(cfg.Clock.Now()))
		next = min(next, cfg.Timeout-waited)
		attempt++
	}
}

// WaitUntil polls probe on WaitTask's schedule until it reports done, the
// timeout passes or ctx ends. It waits on a change that answered no TaskId
// (DeletePublicNetwork deletes in the background); what names the change
// in errors. Its probes read what concurrent readers share (a VDC's
// listing, a security group's members or rules), so every such wait looks
// on one schedule (no per-wait scale) on a grid (untilGrid): waits begun
// together look together, and one request answers them all. The schedule
// is a task's with nothing learned (task_prior.go): a look at an eighth of
// untilPrior, one at untilPrior, then spacing that grows by coldGrowth from
// a quarter of it.
func (c *Client) WaitUntil(ctx context.Context, what string, probe func(context.Context) (bool, error), opts ...WaitOption) error {
	shared := func(cfg *WaitConfig) {
		cfg.Rand = func() float64 { return 1 - 1e-9 } // scale 1
		cfg.Align = untilGrid
		cfg.FirstPoll, cfg.Step, cfg.Growth, cfg.Probe = untilPrior, untilPrior/4, coldGrowth, untilPrior/probeFraction
	}
	_, err := WaitTask(ctx, probeDescriber(probe), what, append([]WaitOption{WaitClock(c.clock), shared}, opts...)...)
	var we *WaitError
	if errors.As(err, &we) {
		we.What = what
	}
	return err
}

// untilGrid is the grid WaitUntil's looks fall on.
const untilGrid = 50 * time.Millisecond

// probeDescriber shows a probe as a task: DOING until it says done.
type probeDescriber func(context.Context) (bool, error)

func (p probeDescriber) DescribeTask(ctx context.Context, id string) (*Task, error) {
	done, err := p(ctx)
	if err != nil {
		return nil, err
	}
	if done {
		return &Task{ID: id, Status: TaskFinish}, nil
	}
	return &Task{ID: id, Status: TaskDoing}, nil
}
