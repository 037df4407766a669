package cloud

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// WaitTask is the package WaitTask with this client as the describer, on a
// schedule from what is known of the tasks of the action that started it
// (CreateInstance, CreateVdc, …) in its region:
//   - learned in this run (three tasks or more, or one when there is no
//     cache): the first look when such tasks end (see estimate.observe),
//     then quick looks;
//   - learned in earlier runs (the task cache): the first look at the 10th
//     percentile of the durations seen, then looks every quarter of the
//     10th–90th percentile spread until the 90th, then backing off;
//   - nothing: the first look at the action's prior (taskPriors), then
//     looks whose spacing grows by coldGrowth from a quarter of it, so a
//     look comes at most a quarter of the elapsed time after the task
//     ended. Waits that began together hear of the first such task seen to
//     end and move their next look up to its duration: tasks started
//     together tend to end together, and the first one seen done speaks
//     for the rest.
//
// The first wait of an action planned from the cache (unless learned
// within trustCache) or from the prior (unless a task of this run kept its
// prior's pace: taskLearning.paced) also looks at an eighth of it: the
// cloud may be faster.
func (c *Client) WaitTask(ctx context.Context, taskID string, opts ...WaitOption) (*Task, error) {
	est := c.tasks.estimateFor(taskID, c.clock.Now())
	base := []WaitOption{WaitClock(c.clock), func(cfg *WaitConfig) { cfg.action = est.action() }}
	switch first, step, steps, src := est.plan(); src {
	case fromRun, fromPrior, fromProbe:
		base = append(base, WaitFirstPoll(first), func(cfg *WaitConfig) { cfg.Step, cfg.Steps = step, steps })
		if src != fromRun {
			// A probe that finds the cache stale tells this wait.
			ch, _ := est.listen()
			defer est.forget(ch)
			base = append(base, func(cfg *WaitConfig) { cfg.Expect = ch })
		}
		if src == fromProbe {
			// One more look, at a fraction of the cached duration.
			base = append(base, func(cfg *WaitConfig) { cfg.Probe = max(first/probeFraction, time.Millisecond) })
		}
	case fromTable, fromTableProbe:
		ch, _ := est.listen()
		defer est.forget(ch)
		base = append(base, WaitFirstPoll(first), func(cfg *WaitConfig) {
			cfg.Step, cfg.Steps, cfg.Growth, cfg.Expect, cfg.guessed = step, 0, coldGrowth, ch, true
			if src == fromTableProbe {
				cfg.Probe = max(first/probeFraction, time.Millisecond)
			}
		})
	default:
		ch, watched := est.listen()
		defer est.forget(ch)
		base = append(base, func(cfg *WaitConfig) {
			cfg.Growth = coldGrowth
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

// coldGrowth is how much each look's spacing grows when nothing is known of
// a task: the overshoot stays under coldGrowth−1 of the time waited.
const coldGrowth = 1.25

// taskLearning remembers which action started each task and what was
// learned about each action's tasks, in this run and (with a cache) before.
type taskLearning struct {
	mu      sync.Mutex
	host    string            // the endpoint's host: part of every key
	started map[string]string // task id → key, until the task is waited on
	byKey   map[string]*estimate
	cache   *taskCache
	// paced: a task of this run waited on from its prior took at least
	// half of it (task_prior.go): the cloud is not faster than the table,
	// and the other actions' first waits need not probe it.
	paced atomic.Bool
}

// maxStartedTasks bounds the task ids remembered for tasks nobody waits on.
const maxStartedTasks = 10000

// record notes that action, asked with params, started taskID.
func (l *taskLearning) record(taskID, action string, params any) {
	key := l.host + "|" + action + "|" + regionOf(params)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started == nil || len(l.started) >= maxStartedTasks {
		l.started = map[string]string{}
	}
	l.started[taskID] = key
}

// regionOf is the RegionId of a request's parameters, or "".
func regionOf(params any) string {
	var r struct {
		RegionID string `json:"RegionId"`
	}
	if b, err := json.Marshal(params); err == nil {
		_ = json.Unmarshal(b, &r)
	}
	return r.RegionID
}

// estimateFor returns the estimate for the key of the task (one shared
// estimate for tasks whose action is not known).
func (l *taskLearning) estimateFor(taskID string, now time.Time) *estimate {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := l.started[taskID]
	delete(l.started, taskID)
	if l.byKey == nil {
		l.byKey = map[string]*estimate{}
	}
	e := l.byKey[key]
	if e == nil {
		at := l.cache.learnedAt(key)
		e = &estimate{key: key, cache: l.cache, prior: l.cache.samples(key), trusted: !at.IsZero() && now.Sub(at) < trustCache,
			typical: taskPrior(actionOfKey(key)), paced: &l.paced}
		slices.Sort(e.prior)
		l.byKey[key] = e
	}
	return e
}

// An estimate is how long one action's tasks take: what earlier runs saw,
// a moving average of when this run's ended, and the waits still to be
// told a first duration.
type estimate struct {
	mu     sync.Mutex
	key    string
	cache  *taskCache
	prior  []time.Duration // sorted
	avg    time.Duration
	seen   int
	looks  int
	probes int // waits that probed the cache (staleProbes)
	// trusted: the cache's durations were learned recently (trustCache),
	// so they are not probed.
	trusted bool
	// typical is the action's prior (taskPriors): the first look when
	// nothing else is known; 0 for none.
	typical time.Duration
	// paced is the learning's (taskLearning.paced).
	paced   *atomic.Bool
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

// Where a wait's schedule comes from (estimate.plan).
const (
	fromNothing    = iota // nothing known: the cold schedule
	fromRun               // what this run learned
	fromPrior             // the durations of earlier runs (the cache)
	fromProbe             // the same, and one look early, at first/probeFraction
	fromTable             // the action's prior (taskPriors)
	fromTableProbe        // the same, and one look early, at first/probeFraction
)

// staleProbes is how many waits of each action, in a run that starts from
// the cache, also look early, at an eighth (probeFraction) of the cached
// durations: the cloud may have become faster since (the cache was learned
// elsewhere, or in a busy hour). When a probe's task has ended by then, it
// tells the waits of the wave, and the run's own durations replace the
// cache's. A probe costs one request, so a cache learned within trustCache
// (the cloud is unlikely to have changed its pace since) is not probed.
const (
	trustCache    = time.Hour
	staleProbes   = 1
	probeFraction = 8
)

// plan returns when a new wait should first look, the spacing and number
// of the looks after it (0: the wait's own backoff), and where that comes
// from; first is 0 when nothing is known yet.
func (e *estimate) plan() (first, step time.Duration, steps, src int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var lo, hi time.Duration
	if len(e.prior) > 0 {
		lo, hi = quantile(e.prior, 0.1), quantile(e.prior, 0.9)
	}
	// What this run saw speaks over a cache it contradicts, from its first
	// task on, and over the prior always.
	stale := e.seen > 0 && len(e.prior) > 0 && (e.avg < lo/2 || e.avg > 2*hi)
	switch {
	case e.seen >= 3 || stale || e.seen > 0 && len(e.prior) == 0 && e.typical > 0:
		e.looks++
		if e.looks%probeEvery == 0 {
			return e.avg - time.Duration(float64(e.avg)*probeEarly), 0, 0, fromRun
		}
		return e.avg, 0, 0, fromRun
	case len(e.prior) > 0:
		spread := hi - lo
		if len(e.prior) < fewSamples {
			// A few durations say little of their spread: assume ±10 %.
			spread = max(spread, lo/5)
		}
		hi = lo + spread
		step = max(spread/4, lo/50, 20*time.Millisecond)
		src = fromPrior
		if !e.trusted && e.probes < staleProbes && e.seen == 0 {
			e.probes++
			src = fromProbe
		}
		return lo, step, int((hi-lo)/step) + 2, src
	case e.typical > 0:
		src = fromTable
		if e.probes < staleProbes && !e.paced.Load() {
			e.probes++
			src = fromTableProbe
		}
		return e.typical, max(e.typical/4, time.Millisecond), 0, src
	}
	return 0, 0, 0, fromNothing
}

// action is the action whose tasks e estimates ("" when unknown).
func (e *estimate) action() string { return actionOfKey(e.key) }

// actionOfKey is the action of a learning key (host|action|region).
func actionOfKey(key string) string {
	parts := strings.Split(key, "|")
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// fewSamples: a cache with fewer durations of an action than this is
// taken to spread them at least ±10 % (see plan).
const fewSamples = 5

// quantile is the q-th quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
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
// told about settled. The cache keeps when it ended: between the looks, or
// by settled. Then:
//   - the first task of an action gives the estimate its settled time (of
//     many tasks started together, it is the one looked at soonest after
//     its end);
//   - close looks say it ended between them: their middle;
//   - far-apart looks say little: their middle, weighed half as much;
//   - a first look that found it done says only that the estimate was not
//     early: the estimate never moves later for it, and creeps earlier by a
//     hair.
func (e *estimate) observe(lastRunning, settled time.Duration) {
	ended := settled
	if lastRunning > 0 {
		ended = (lastRunning + settled) / 2
	}
	e.cache.add(e.key, ended)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen == 0 && len(e.prior) == 0 && e.typical > settledAtOnce && ended >= e.typical/2 && e.paced != nil {
		e.paced.Store(true) // the table's pace holds on this cloud
	}
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
