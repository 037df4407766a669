package executor

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Crash points let the crash test kill an apply at exact moments of the
// write-ahead protocol. CDSTACK_TEST_CRASH=point:n kills the process with
// SIGKILL the n-th time it reaches point; it is read once and does nothing
// when unset. Points: journaled (an entry was committed), called (the API
// returned a task id, not yet journaled), waited (a task finished, before
// the record), settled (just before the record commit).
var crash = func() struct {
	point string
	n     int
	mu    sync.Mutex
	seen  int
} {
	spec := os.Getenv("CDSTACK_TEST_CRASH")
	point, n, _ := strings.Cut(spec, ":")
	c := struct {
		point string
		n     int
		mu    sync.Mutex
		seen  int
	}{point: point}
	c.n, _ = strconv.Atoi(n)
	return c
}()

func crashPoint(point string) {
	if crash.point != point {
		return
	}
	crash.mu.Lock()
	crash.seen++
	hit := crash.seen == crash.n
	crash.mu.Unlock()
	if hit {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}
