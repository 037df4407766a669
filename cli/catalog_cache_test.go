package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// catalogActions are the requests the catalogue cache saves, and the
// account read a plan that buys makes.
var catalogActions = []string{"DescribeAvailableResource", "DescribeInstanceType", "DescribeInstancePrice", "VDCBandwidthUnitPrice", "DescribeAccountInfo"}

// TestCatalogAndPricesCached: the catalogue and prices are asked once and
// then read from the cache across commands; a plan that buys nothing and a
// destroy ask for none and are still priced; --refresh-catalog asks again;
// a size changed by hand is priced as it is in the cloud.
func TestCatalogAndPricesCached(t *testing.T) {
	t.Parallel()
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 10 * time.Millisecond})
	env := []string{"CDSTACK_CACHE_DIR=" + filepath.Join(dir, "cache")}
	run := func(args ...string) string {
		t.Helper()
		out, err := runCdstack(t, dir, endpoint, env, args...)
		if err != nil {
			t.Fatalf("cdstack %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	asked := func(args ...string) (map[string]int, string) {
		t.Helper()
		srv.ResetCalls()
		out := run(args...)
		calls := srv.Calls()
		got := map[string]int{}
		for _, a := range catalogActions {
			if calls[a] > 0 {
				got[a] = calls[a]
			}
		}
		return got, out
	}
	cost := regexp.MustCompile(`Monthly cost: ¥[0-9.]+ → ¥[0-9.]+`)

	cold, out := asked("plan")
	if cold["DescribeAvailableResource"] == 0 || cold["DescribeInstancePrice"] == 0 || !cost.MatchString(out) {
		t.Fatalf("a cold plan asked %v; want the catalogue and prices, and a cost line\n%s", cold, out)
	}
	if warm, out := asked("plan"); len(warm) != 1 || warm["DescribeAccountInfo"] != 1 || !cost.MatchString(out) {
		t.Errorf("a warm plan asked %v; want only the account (the balance is never cached)\n%s", warm, out)
	}
	if got, _ := asked("apply", "--auto-approve"); len(got) != 1 {
		t.Errorf("a warm apply asked %v; want only the account", got)
	}
	if got, out := asked("plan"); len(got) != 0 || !strings.Contains(out, "No changes") {
		t.Errorf("a plan with no changes asked %v; want nothing\n%s", got, out)
	}
	if got, out := asked("plan", "--refresh-catalog", "--replace", "web[0]"); got["DescribeAvailableResource"] != 1 || got["DescribeInstancePrice"] == 0 {
		t.Errorf("--refresh-catalog asked %v; want the catalogue and the price again\n%s", got, out)
	}

	// A size changed by hand: the plan that changes it back prices the
	// cloud's size as before, not the stack's.
	id := regexp.MustCompile(`(?m)^id:\s+(\S+)`).FindStringSubmatch(run("state", "show", "web[0]"))[1]
	run("api", "ModifyInstanceSpec", "InstanceId="+id, "Cpu=2", "Ram=4", "--wait")
	_, out = asked("plan")
	if m := regexp.MustCompile(`# cost: -¥[0-9.]+ a month`).FindString(out); m == "" {
		t.Errorf("changing a hand-grown instance back is not priced as a saving:\n%s", out)
	}
	run("apply", "--auto-approve")

	got, out := asked("destroy", "--auto-approve")
	if len(got) != 0 {
		t.Errorf("destroy asked %v; want no catalogue, price or account request", got)
	}
	if !regexp.MustCompile(`→ ¥0\.00`).MatchString(out) {
		t.Errorf("destroy is not priced from the cache:\n%s", out)
	}
}
