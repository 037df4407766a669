package emulator

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestIDsNeverRepeatAfterRestart: restarted with the same seed and data,
// the emulator hands out ids it never handed out before (a new instance
// once received a VDC's id), and does so deterministically.
func TestIDsNeverRepeatAfterRestart(t *testing.T) {
	run := func(path string) (first, second []string) {
		clk := cloud.NewFakeClock(epoch)
		session := func() []string {
			st, err := OpenStore(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Clock: clk, Store: st, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(s)
			defer func() { hs.Close(); s.Close() }()
			c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithClock(clk))
			ctx := context.Background()
			task := must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "ids"}))
			vdc := must(c.WaitTask(ctx, task)).ResourceID
			itask := must(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: vdc, Password: "Passw0rd!",
				InstanceName: "ids", CPU: 1, RAM: 1, InstanceType: "Standard", ImageID: "Centos_7.6_64"}))
			in := must(c.WaitTask(ctx, itask)).ResourceID
			return []string{task, vdc, itask, in}
		}
		return session(), session()
	}
	a1, a2 := run(filepath.Join(t.TempDir(), "a.db"))
	seen := map[string]bool{}
	for _, id := range append(append([]string{}, a1...), a2...) {
		if seen[id] {
			t.Fatalf("id %s handed out twice: first run %v, second %v", id, a1, a2)
		}
		seen[id] = true
	}
	b1, b2 := run(filepath.Join(t.TempDir(), "b.db"))
	if !equalStrings(a1, b1) || !equalStrings(a2, b2) {
		t.Errorf("the same seed and history gave other ids: %v %v vs %v %v", a1, a2, b1, b2)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
