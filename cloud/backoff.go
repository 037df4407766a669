package cloud

import (
	"math/rand/v2"
	"time"
)

// A Backoff is a capped exponential schedule with full jitter: attempt n
// waits a random duration in [d/2, d] where d = min(Cap, Base·2ⁿ).
type Backoff struct {
	Base time.Duration
	Cap  time.Duration
	// Rand returns a float in [0,1); nil means math/rand/v2.
	Rand func() float64
}

// Delay returns the wait before retry number attempt (0-based). A positive
// hint (the server's Retry-After) wins when it is longer.
func (b Backoff) Delay(attempt int, hint time.Duration) time.Duration {
	d := b.Base
	for i := 0; i < attempt && d < b.Cap; i++ {
		d *= 2
	}
	d = min(d, b.Cap)
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	d = d/2 + time.Duration(r()*float64(d/2))
	return max(d, hint)
}
