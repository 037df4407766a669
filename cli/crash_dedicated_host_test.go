package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

const hostCrashStack = `version: 1
stack: hostcrash
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: hostcrash}}
  dh:
    kind: dedicated_host
    properties: {name: dh-crash, type: ded_standard, goods_id: 6195, cpu: 48, ram: 192}
  web:
    kind: instance
    properties: {vdc: "${net.id}", name: web, instance_type: Standard, cpu: 2, ram: 4, image: Centos_7.6_64,
                 password: Crash-Passw0rd, dedicated_host: "${dh.id}"}
`

// TestCrashDedicatedHostConverges kills an apply of a dedicated host and
// an instance on it before and after AllocateDedicatedHosts (which answers
// the id with no task: a host made but not recorded is found by its
// name). Each time the next apply converges, drift is clean and the cloud
// holds exactly one host with the one instance on it: none bought twice.
func TestCrashDedicatedHostConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped in -short mode")
	}
	t.Parallel()
	// With one step at a time: dh is journaled and settled first, then net,
	// then web.
	for _, point := range []string{"journaled:1", "settled:1", "journaled:3", "settled:3"} {
		t.Run(point, func(t *testing.T) {
			t.Parallel()
			srv, endpoint, dir := cloudWithStack(t, emulator.Options{TaskLatency: 20 * time.Millisecond}, hostCrashStack)
			out, err := runCdstack(t, dir, endpoint, []string{"CDSTACK_TEST_CRASH=" + point}, "apply", "--auto-approve", "--parallelism", "1")
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
				t.Fatalf("apply was not killed at %s: %v\n%s", point, err, out)
			}
			for _, args := range [][]string{{"apply", "--auto-approve"}, {"drift"}, {"plan", "--detailed-exitcode"}} {
				if out, err := runCdstack(t, dir, endpoint, nil, args...); err != nil {
					t.Fatalf("%s after the crash: %v\n%s", args[0], err, out)
				}
			}
			srv.View(func(w *emulator.World) {
				var hosts, placed []string
				for _, h := range w.Hosts {
					hosts = append(hosts, h.Name)
				}
				for _, in := range w.Instances {
					if h := w.Hosts[in.DedicatedHostID]; h != nil {
						placed = append(placed, in.Name+"@"+h.Name)
					}
				}
				sort.Strings(hosts)
				got := fmt.Sprintf("hosts=%v vdcs=%d instances=%d placed=%v", hosts, len(w.VDCs), len(w.Instances), placed)
				if want := "hosts=[dh-crash] vdcs=1 instances=1 placed=[web@dh-crash]"; got != want {
					t.Errorf("cloud holds %s, want %s", got, want)
				}
			})
		})
	}
}
