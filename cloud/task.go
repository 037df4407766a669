package cloud

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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
type Task struct {
	ID         string
	Status     TaskStatus
	ResourceID string
	TaskType   string
	Message    string
	// Set by WaitTask: how long after the wait began the task was last seen
	// unfinished, and seen finished. It ended in between.
	LastRunning, Settled time.Duration
}

// DescribeTaskRequest asks for one task.
type DescribeTaskRequest struct {
	TaskID string `json:"TaskId"`
}

// DescribeTaskData is the Data of a DescribeTask answer.
type DescribeTaskData struct {
	Status     Str `json:"Status"`
	ResourceID Str `json:"ResourceId"`
	TaskType   Str `json:"TaskType"`
}

// DescribeTask returns the state of a task.
func (c *Client) DescribeTask(ctx context.Context, taskID string) (*Task, error) {
	var d DescribeTaskData
	resp, err := c.Call(ctx, "DescribeTask", DescribeTaskRequest{TaskID: taskID}, &d)
	if err != nil {
		return nil, err
	}
	return &Task{
		ID:         taskID,
		Status:     TaskStatus(strings.ToUpper(strings.TrimSpace(string(d.Status)))),
		ResourceID: string(d.ResourceID),
		TaskType:   string(d.TaskType),
		Message:    resp.Message,
	}, nil
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
	Rand    func() float64
	// FirstPoll, when longer than the first interval, is when the first
	// look happens (the expected task duration); polls then back off from a
	// quarter of Initial.
	FirstPoll time.Duration
	// OnPoll, if set, sees every answer (progress lines).
	OnPoll func(Task)
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
// Polls back off exponentially with jitter from Initial to Cap. It is the one
// place in cdstack that waits on the cloud.
func WaitTask(ctx context.Context, d TaskDescriber, taskID string, opts ...WaitOption) (*Task, error) {
	cfg := WaitConfig{Timeout: 30 * time.Minute, Initial: 250 * time.Millisecond, Cap: 10 * time.Second, Clock: SystemClock{}}
	for _, o := range opts {
		o(&cfg)
	}
	if taskID == "" {
		return nil, ErrNoTaskID
	}
	b := Backoff{Base: cfg.Initial, Cap: cfg.Cap, Rand: cfg.Rand}
	start := cfg.Clock.Now()
	// A task that was just started is never done: the first look comes after
	// the first interval (or the expected duration), which saves DescribeTask
	// calls; later looks back off from Initial.
	first, attempt := b.Delay(0, 0), 1
	if cfg.FirstPoll > first {
		// Looking at the expected end: if the task is not done yet it is
		// about to be, so the next looks come quickly (a quarter of Initial)
		// and back off from there.
		first, attempt = min(cfg.FirstPoll, cfg.Timeout), 0
		b.Base = max(cfg.Initial/4, time.Millisecond)
	}
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for task %s: %w", taskID, ctx.Err())
	case <-cfg.Clock.After(first):
	}
	var lastRunning time.Duration
	for ; ; attempt++ {
		t, err := d.DescribeTask(ctx, taskID)
		if err != nil {
			return nil, fmt.Errorf("wait for task %s: %w", taskID, err)
		}
		waited := cfg.Clock.Now().Sub(start)
		t.LastRunning, t.Settled = lastRunning, waited
		if cfg.OnPoll != nil {
			cfg.OnPoll(*t)
		}
		switch t.Status {
		case TaskFinish:
			return t, nil
		case TaskError:
			return t, &TaskFailedError{Task: *t}
		}
		lastRunning = waited
		if waited >= cfg.Timeout {
			return t, &TaskTimeoutError{TaskID: taskID, Waited: waited, LastStatus: t.Status}
		}
		delay := min(b.Delay(attempt, 0), cfg.Timeout-waited)
		select {
		case <-ctx.Done():
			return t, fmt.Errorf("wait for task %s: %w", taskID, ctx.Err())
		case <-cfg.Clock.After(delay):
		}
	}
}

// WaitTask is the package WaitTask with this client as the describer. It
// learns how long this client's tasks take (a moving average of when the
// last ones ended) and makes the first look then, so a run of similar tasks
// needs about two DescribeTask calls each instead of three or four.
func (c *Client) WaitTask(ctx context.Context, taskID string, opts ...WaitOption) (*Task, error) {
	base := []WaitOption{WaitClock(c.clock)}
	if eta := c.taskTimes.expected(); eta > 0 {
		base = append(base, WaitFirstPoll(eta))
	}
	t, err := WaitTask(ctx, c, taskID, append(base, opts...)...)
	if err == nil {
		// Learn when the task ended, not when it was seen to: the middle of
		// the last two looks (learning the look itself would feed each
		// late look into a later first look).
		c.taskTimes.observe((t.LastRunning + t.Settled) / 2)
	}
	return t, err
}

// taskTimes is a moving average of how long tasks took to be seen finished.
type taskTimes struct {
	mu   sync.Mutex
	avg  time.Duration
	seen int
}

// expected returns the average once three tasks were seen, else 0.
func (t *taskTimes) expected() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen < 3 {
		return 0
	}
	return t.avg
}

func (t *taskTimes) observe(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == 0 {
		t.avg = d
	} else {
		t.avg = (t.avg*4 + d) / 5
	}
	t.seen++
}
