package cloud

import (
	"context"
	"math"
	"sync"

	"golang.org/x/time/rate"
)

// A Limiter is the one request budget every caller of a Client shares. It
// starts at the configured rate; each throttling answer halves it (down to a
// floor) and allows no burst, and successes win it back a twentieth of the
// configured rate at a time, the burst returning with the full rate, so a
// throttled run slows down at once and speeds up gradually.
type Limiter struct {
	mu      sync.Mutex
	lim     *rate.Limiter
	ceiling rate.Limit
	floor   rate.Limit
	burst   int
}

// DefaultBurst is a conservative burst for rps requests per second: a
// quarter of a second's worth, 1 to 10. A service that allows rps does not
// necessarily allow rps at once (the audit's 5-requests/s service refused a
// burst of 10).
func DefaultBurst(rps float64) int {
	if rps <= 0 {
		return 10
	}
	return min(max(int(math.Ceil(rps/4)), 1), 10)
}

// throttleStart is where an unlimited Limiter drops to on its first throttle.
const throttleStart = 20

// NewLimiter returns a Limiter for rps requests per second with the given
// burst; rps <= 0 means no limit until the service throttles.
func NewLimiter(rps float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	ceiling := rate.Limit(rps)
	if rps <= 0 {
		ceiling = rate.Inf
	}
	floor := rate.Limit(0.5)
	if ceiling != rate.Inf && ceiling < floor {
		floor = ceiling
	}
	return &Limiter{lim: rate.NewLimiter(ceiling, burst), ceiling: ceiling, floor: floor, burst: burst}
}

// Wait blocks until a request may go out or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	return l.lim.Wait(ctx)
}

// Throttled halves the current rate, not below the floor.
func (l *Limiter) Throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.lim.Limit()
	if cur == rate.Inf {
		cur = throttleStart * 2
	}
	next := max(cur/2, l.floor)
	l.lim.SetLimit(next)
	l.lim.SetBurst(1)
}

// Succeeded moves the rate back towards the configured one.
func (l *Limiter) Succeeded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.lim.Limit()
	if cur == l.ceiling {
		return
	}
	step := l.ceiling / 20
	if l.ceiling == rate.Inf {
		step = throttleStart / 20
	}
	next := cur + step
	if l.ceiling != rate.Inf && next > l.ceiling {
		next = l.ceiling
	}
	if l.ceiling == rate.Inf && next >= throttleStart*4 {
		next = rate.Inf
	}
	l.lim.SetLimit(next)
	if next == l.ceiling {
		l.lim.SetBurst(l.burst)
	}
}

// Rate returns the current requests-per-second budget (+Inf when unlimited).
func (l *Limiter) Rate() float64 {
	r := l.lim.Limit()
	if r == rate.Inf {
		return math.Inf(1)
	}
	return float64(r)
}
