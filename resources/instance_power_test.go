package resources

import (
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestInstancePowerInTransition: an instance in a status that is no
// settled power state (a template being made from it, a reboot) is busy,
// and its power is what was recorded, not "": a plan or a cron drift that
// runs meanwhile must not call it changed nor plan StartInstance on it. A
// settled status is observed as it is.
func TestInstancePowerInTransition(t *testing.T) {
	k := Registry["instance"]
	rec := &Recorded{Inputs: Inputs{"power": "running"}, Outputs: map[string]any{}}
	for status, want := range map[string]struct {
		power string
		busy  bool
	}{
		"running":   {"running", false},
		"stopped":   {"stopped", false},
		"making":    {"running", true},
		"rebooting": {"running", true},
	} {
		l := NewLive()
		l.Instances["i1"] = &cloud.Instance{InstanceID: "i1", InstanceName: "src", VdcID: "v1", RegionID: "CN_Beijing_A", InstanceStatus: status}
		obs := k.Observe(l, "i1", rec)
		if got := obs.Attrs.String("power"); got != want.power || obs.Busy != want.busy {
			t.Errorf("status %s: power %q, busy %v; want %q, %v", status, got, obs.Busy, want.power, want.busy)
		}
	}
}
