package cli

import (
	"fmt"
	"math"
	"slices"
	"time"

	ucli "github.com/urfave/cli/v2"
)

// Sensible bounds of the flags that set times and rates: below them a
// command would hang silently (--rate-limit 0.001 waits 1000 s per request)
// or give up before anything could answer.
const (
	minRequestTimeout = 100 * time.Millisecond
	minOutageTimeout  = time.Second
	minRateLimit      = 0.1 // requests a second; 0 means no limit
	minLockTTL        = time.Second
)

// checkGlobalFlags refuses durations and rates no command can work with:
// negative, NaN, infinite, or below the minimums above.
func checkGlobalFlags(c *ucli.Context) error {
	if d := c.Duration(flagTimeout); d < minRequestTimeout {
		return fmt.Errorf("--%s %s: want at least %s", flagTimeout, d, minRequestTimeout)
	}
	if d := c.Duration(flagOutage); d < minOutageTimeout {
		return fmt.Errorf("--%s %s: want at least %s", flagOutage, d, minOutageTimeout)
	}
	if d := c.Duration(flagCatalogTTL); d < 0 {
		return fmt.Errorf("--%s %s: want 0 (never cached) or a positive duration", flagCatalogTTL, d)
	}
	if r := c.Float64(flagRateLimit); math.IsNaN(r) || math.IsInf(r, 0) || r < 0 || r > 0 && r < minRateLimit {
		return fmt.Errorf("--%s %v: want 0 (no limit) or a rate of at least %v requests a second", flagRateLimit, r, minRateLimit)
	}
	return nil
}

// checkCommandFlags does the same for the flags a command has.
func checkCommandFlags(c *ucli.Context) error {
	has := func(name string) bool {
		return c.Command != nil && slices.ContainsFunc(c.Command.Flags, func(f ucli.Flag) bool { return slices.Contains(f.Names(), name) })
	}
	if has(flagLockTimeout) && c.Duration(flagLockTimeout) < 0 {
		return fmt.Errorf("--%s %s: want 0 (fail at once) or a positive duration", flagLockTimeout, c.Duration(flagLockTimeout))
	}
	if has("lock-ttl") && c.Duration("lock-ttl") < minLockTTL {
		return fmt.Errorf("--lock-ttl %s: want at least %s", c.Duration("lock-ttl"), minLockTTL)
	}
	if has("parallelism") && c.Int("parallelism") < 1 {
		return fmt.Errorf("--parallelism %d: want at least 1", c.Int("parallelism"))
	}
	for _, name := range []string{"fault-rate", "task-failure-rate"} {
		if has(name) {
			if r := c.Float64(name); math.IsNaN(r) || r < 0 || r > 1 {
				return fmt.Errorf("--%s %v: want a fraction from 0 to 1", name, r)
			}
		}
	}
	for _, name := range []string{"throttle-qps", "balance"} {
		if has(name) {
			if r := c.Float64(name); math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
				return fmt.Errorf("--%s %v: want a finite number, 0 or more", name, r)
			}
		}
	}
	for _, name := range []string{"task-latency", "task-jitter", "latency", "latency-jitter"} {
		if has(name) && c.Duration(name) < 0 {
			return fmt.Errorf("--%s %s: want 0 or more", name, c.Duration(name))
		}
	}
	return nil
}
