package executor

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Crash points let the crash test kill an apply at exact moments of the
// write-ahead protocol. CDSTACK_TEST_CRASH=point:n kills the process with
// SIGKILL the n-th time it reaches point; it is read once and does nothing
// when unset. Points: journaled (an entry was committed), called (the API
// returned a task id, not yet journaled), waited (a task finished, before
// the record), settled (just before the record commit).
//
// CDSTACK_TEST_PAUSE=point:n:path instead holds the step there: it writes
// path.paused and waits until path exists (at most pauseLimit), so a test
// can look at an apply in flight without racing it.
var (
	crashAt, crashN = parseCrash(os.Getenv("CDSTACK_TEST_CRASH"))
	pauseAt, pauseN = parseCrash(os.Getenv("CDSTACK_TEST_PAUSE"))
	crashMu         sync.Mutex
	crashSeen       int
	pauseSeen       int
)

// parseCrash reads point:n (and, for a pause, :path after n).
func parseCrash(spec string) (string, int) {
	point, n, _ := strings.Cut(spec, ":")
	n, _, _ = strings.Cut(n, ":")
	count, _ := strconv.Atoi(n)
	return point, count
}

func crashPoint(point string) {
	if pauseAt == point {
		pause()
	}
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

// pauseLimit bounds a pause: a test that fails before it lets the step go
// (its interrupt waits for the step) does not leave the apply held forever.
const pauseLimit = 2 * time.Minute

// pause holds the pauseN-th step that reaches pauseAt until the file
// CDSTACK_TEST_PAUSE names exists, or pauseLimit has passed.
func pause() {
	crashMu.Lock()
	pauseSeen++
	hit := pauseSeen == pauseN
	crashMu.Unlock()
	parts := strings.SplitN(os.Getenv("CDSTACK_TEST_PAUSE"), ":", 3)
	if !hit || len(parts) < 3 {
		return
	}
	path := parts[2]
	_ = os.WriteFile(path+".paused", nil, 0o600)
	for end := time.Now().Add(pauseLimit); time.Now().Before(end); {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
