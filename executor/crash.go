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
var (
	crashAt, crashN = parseCrash(os.Getenv("CDSTACK_TEST_CRASH"))
	crashMu         sync.Mutex
	crashSeen       int
)

func parseCrash(spec string) (string, int) {
	point, n, _ := strings.Cut(spec, ":")
	count, _ := strconv.Atoi(n)
	return point, count
}

func crashPoint(point string) {
	if crashAt != point {
		return
	}
	crashMu.Lock()
	crashSeen++
	hit := crashSeen == crashN
	crashMu.Unlock()
	if hit {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
}
