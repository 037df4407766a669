package cloud

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// WaitTask is the package WaitTask with this client as the describer. It
// learns how long the tasks of each action take (CreateInstance, CreateVdc,
// …) and makes the first look when a task of that action should be done, so
// a run of similar tasks needs about one DescribeTask each. Waits that began
// before anything was learned hear of the first task of their action seen
// to end, and move their next look up to its duration: tasks started
// together tend to end together, and the first one seen done speaks for the
// rest.
func (c *Client) WaitTask(ctx context.Context, taskID string, opts ...WaitOption) (*Task, error) {
	est := c.tasks.estimateFor(taskID)
	base := []WaitOption{WaitClock(c.clock)}
	if eta := est.firstLook(); eta > 0 {
		base = append(base, WaitFirstPoll(eta))
	} else {
		ch, watched := est.listen()
		defer est.forget(ch)
		base = append(base, func(cfg *WaitConfig) {
			cfg.Expect = ch
			if watched {
				cfg.Skip = 1
			}
		})
	}
	t, err := WaitTask(ctx, c, taskID, append(base, opts...)...)
	if err == nil {
		est.observe(t.LastRunning, t.Settled)
	}
	return t, err
}

// taskLearning remembers which action started each task and what was
// learned about each action's tasks.
type taskLearning struct {
	mu       sync.Mutex
	started  map[string]string // task id → action, until the task is waited on
	byAction map[string]*estimate
}

// maxStartedTasks bounds the task ids remembered for tasks nobody waits on.
const maxStartedTasks = 10000

// record notes that action started taskID.
func (l *taskLearning) record(taskID, action string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started == nil || len(l.started) >= maxStartedTasks {
		l.started = map[string]string{}
	}
	l.started[taskID] = action
}

// estimateFor returns the estimate for the action that started taskID (one
// shared estimate for tasks whose action is not known).
func (l *taskLearning) estimateFor(taskID string) *estimate {
	l.mu.Lock()
	defer l.mu.Unlock()
	action := l.started[taskID]
	delete(l.started, taskID)
	if l.byAction == nil {
		l.byAction = map[string]*estimate{}
	}
	e := l.byAction[action]
	if e == nil {
		e = &estimate{}
		l.byAction[action] = e
	}
	return e
}

// An estimate is how long one action's tasks take: a moving average of when
// the last ones ended, and the waits still to be told a first duration.
type estimate struct {
	mu      sync.Mutex
	avg     time.Duration
	seen    int
	looks   int
	waiting map[chan time.Duration]struct{}
}

// settledNudge is how much earlier than its look a task found done at the
// first look is taken to have ended: a hair, so that fifty such tasks move
// the estimate well under one per cent. The probes do the real work of
// moving it earlier.
const settledNudge = 0.0005

// probeEvery and probeEarly: one wait in probeEvery looks probeEarly before
// the estimate. If its task is already done, the estimate was late and moves
// earlier at once; if not, its next look (soon after) says closely when the
// task ended. The others look at the estimate and mostly need one look.
const (
	probeEvery = 8
	probeEarly = 0.02
)

// toldSpread is how far before the first task's end the waits told of it
// may look.
const toldSpread = 0.05

// firstLook returns when a new wait should first look, or 0 when nothing is
// known yet.
func (e *estimate) firstLook() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen < 3 {
		return 0
	}
	e.looks++
	if e.looks%probeEvery == 0 {
		return e.avg - time.Duration(float64(e.avg)*probeEarly)
	}
	return e.avg
}

// listen registers a wait that has no expected duration yet; the channel
// receives one when a task of the same action is next seen done. watched
// reports whether other such waits were already looking.
func (e *estimate) listen() (ch chan time.Duration, watched bool) {
	ch = make(chan time.Duration, 1)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.waiting == nil {
		e.waiting = map[chan time.Duration]struct{}{}
	}
	watched = len(e.waiting) > 0
	e.waiting[ch] = struct{}{}
	return ch, watched
}

// forget drops a wait that ended.
func (e *estimate) forget(ch chan time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.waiting, ch)
}

// observe learns from a finished wait: the task ended after lastRunning (the
// last look that saw it unfinished, 0 if none did since the end was
// expected) and by settled. Every wait still without an expected duration is
// told about settled. Then:
//   - the first task of an action gives the estimate its settled time (of
//     many tasks started together, it is the one looked at soonest after
//     its end);
//   - close looks say it ended between them: their middle;
//   - far-apart looks say little: their middle, weighed half as much;
//   - a first look that found it done says only that the estimate was not
//     early: the estimate never moves later for it, and creeps earlier by a
//     hair.
func (e *estimate) observe(lastRunning, settled time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.waiting {
		// One task's end is a rough guide: the waits spread their looks
		// over the span before it, so the early ones that find their task
		// still running learn closely when such tasks end.
		ch <- settled - time.Duration(rand.Float64()*toldSpread*float64(settled)) // buffered, sent once: never blocks
		delete(e.waiting, ch)
	}
	v, weight := settled, time.Duration(5)
	switch {
	case e.seen == 0:
		// The first task seen done is the one whose look came soonest
		// after its end: its look is the best first guess.
	case lastRunning == 0:
		// Done by settled, perhaps long before (the look may have waited
		// its turn at the rate limiter): only the estimate can be earlier.
		v = min(v, e.avg)
		v -= time.Duration(float64(v) * settledNudge)
	case settled-lastRunning > settled/8:
		// Far-apart looks: about halfway, and worth less.
		v, weight = (lastRunning+settled)/2, 10
	default:
		// Close looks: it ended between them.
		v = (lastRunning + settled) / 2
	}
	if e.seen == 0 {
		e.avg = v
	} else {
		e.avg += (v - e.avg) / weight
	}
	e.seen++
}
