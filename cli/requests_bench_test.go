package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// countingHandler counts the actions it passes to the emulator.
type countingHandler struct {
	next  http.Handler
	mu    sync.Mutex
	calls map[string]int
}

func (h *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.calls[r.URL.Query().Get("Action")]++
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

// take returns the counts since the last take, and starts again.
func (h *countingHandler) take() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.calls
	h.calls = map[string]int{}
	return c
}

// BenchmarkRequestsPerPhase runs the job on crashStack (a VDC with a public
// network, a private network, a security group and three instances: the
// stack the official provider is compared on) against the
// emulator (1 s tasks) and reports the requests and the time of each
// phase: apply, a plan with no changes, a plan after a hand change, and
// destroy; cold (empty caches) and warm (the caches of a first run). The
// official provider's figures on the same stack: apply 29, no-change
// plan 6, destroy 15.
func BenchmarkRequestsPerPhase(b *testing.B) {
	for _, warm := range []bool{false, true} {
		name := map[bool]string{false: "cold", true: "warm"}[warm]
		b.Run(name, func(b *testing.B) {
			for range b.N {
				benchRequestsPerPhase(b, warm)
			}
		})
	}
}

func benchRequestsPerPhase(b *testing.B, warm bool) {
	cache := b.TempDir()
	if warm { // a first run fills the caches
		runPhases(b, cache, false)
	}
	runPhases(b, cache, true)
}

// runPhases applies, plans, changes by hand, plans and destroys
// crashStack in a fresh cloud, reporting each phase when report.
func runPhases(b *testing.B, cache string, report bool) {
	b.Helper()
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	h := &countingHandler{next: srv, calls: map[string]int{}}
	hs := httptest.NewServer(h)
	defer hs.Close()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(crashStack), 0o600); err != nil {
		b.Fatal(err)
	}
	env := []string{"CDSTACK_CACHE_DIR=" + cache}
	var lines []string
	phase := func(name string, args ...string) string {
		start := time.Now()
		cmd := cdstackCommand(dir, hs.URL, env, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		took := time.Since(start)
		calls := h.take()
		if err != nil && name != "plan-after-hand-change" {
			b.Fatalf("%s: %v\n%s", name, err, out.String())
		}
		total := 0
		var parts []string
		for a, n := range calls {
			total += n
			parts = append(parts, fmt.Sprintf("%s:%d", a, n))
		}
		sort.Strings(parts)
		if report {
			b.ReportMetric(float64(total), name+"-req")
			b.ReportMetric(took.Seconds(), name+"-s")
			lines = append(lines, fmt.Sprintf("%-24s %3d requests %6.2fs  %s", name, total, took.Seconds(), strings.Join(parts, " ")))
		}
		return out.String()
	}
	phase("apply", "apply", "--auto-approve")
	phase("plan-no-changes", "plan")
	// A hand change, made past cdstack (not counted).
	out, err := runCdstack(nil, dir, hs.URL, env, "state", "show", "web[0]")
	if err != nil {
		b.Fatal(err)
	}
	id := regexp.MustCompile(`(?m)^id:\s+(\S+)`).FindStringSubmatch(out)[1]
	if out, err := runCdstack(nil, dir, hs.URL, env, "api", "ModifyInstanceSpec", "InstanceId="+id, "Cpu=2", "Ram=4", "--wait"); err != nil {
		b.Fatalf("hand change: %v\n%s", err, out)
	}
	h.take()
	phase("plan-after-hand-change", "plan")
	phase("destroy", "destroy", "--auto-approve")
	if report {
		b.Logf("\n%s", strings.Join(lines, "\n"))
	}
}
