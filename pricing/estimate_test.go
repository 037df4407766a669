package pricing_test

import (
	"context"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/pricing"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

func quoter(t *testing.T) (*cloud.Client, *emulator.Server) {
	t.Helper()
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func instance(cpu, ram int64, charge string, months int64) map[string]any {
	in := map[string]any{"region": "CN_Beijing_A", "instance_type": "Standard", "cpu": cpu, "ram": ram, "image": "Centos_7.6_64",
		"charge_type": charge, "data_disks": []any{map[string]any{"size": int64(100), "type": "ssd_disk"}}}
	if charge == "PrePaid" {
		in["prepaid_month"] = months
	}
	return in
}

// The emulator's table: 0.05/vCPU, 0.02/GB of RAM, 0.0005/GB of disk an
// hour; 0.03/Mbps and 0.005/address an hour, quoted by the day.
func TestEstimate(t *testing.T) {
	c, srv := quoter(t)
	wan := map[string]any{"vdc": spec.Unknown{Ref: "${net.id}"}, "bandwidth_type": "Bandwidth_BGP", "billing_method": "Bandwidth", "qos": int64(10), "ip_count": int64(8)}
	traffic := map[string]any{"vdc": "v-old", "bandwidth_type": "Bandwidth_BGP", "billing_method": "Traffic", "qos": int64(10), "ip_count": int64(4)}
	p := &planner.Document{Changes: []*planner.Change{
		{Addr: "net", Kind: "vdc", Action: planner.Create, After: map[string]any{"region": "CN_Beijing_A"}},
		{Addr: "wan", Kind: "public_network", Action: planner.Create, After: wan},
		{Addr: "web[0]", Kind: "instance", Action: planner.Create, After: instance(2, 4, "PostPaid", 0)},
		{Addr: "web[1]", Kind: "instance", Action: planner.Create, After: instance(2, 4, "PostPaid", 0)},
		{Addr: "db", Kind: "instance", Action: planner.Update, After: instance(4, 8, "PostPaid", 0)},
		{Addr: "batch", Kind: "instance", Action: planner.Create, After: instance(1, 2, "PrePaid", 3)},
		{Addr: "old", Kind: "instance", Action: planner.Delete},
		{Addr: "trafficwan", Kind: "public_network", Action: planner.Create, After: traffic},
	}}
	snap := &state.Snapshot{Resources: map[string]*state.Record{
		"db":  {Addr: "db", Kind: "instance", ID: "i-db", Inputs: instance(2, 4, "PostPaid", 0)},
		"old": {Addr: "old", Kind: "instance", ID: "i-old", Inputs: instance(1, 2, "PostPaid", 0)},
		"vdc": {Addr: "vdc", Kind: "vdc", ID: "v-old", Inputs: map[string]any{"region": "CN_Beijing_A"}},
	}}
	if err := pricing.Estimate(context.Background(), c, p, snap, resources.NewLive(), 500); err != nil {
		t.Fatal(err)
	}
	hour := func(cpu, ram, disk float64) float64 { return (cpu*0.05 + ram*0.02 + disk*0.0005) * 730 }
	small, big := hour(2, 4, 20+100), hour(4, 8, 20+100)
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.011 }
	want := map[string][2]float64{
		"wan":        {0, (10*0.03 + 8*0.005) * 730},
		"web[0]":     {0, small},
		"web[1]":     {0, small},
		"db":         {small, big},
		"batch":      {0, hour(1, 2, 120)}, // PrePaid: three months quoted, a third of it a month
		"old":        {hour(1, 2, 120), 0},
		"trafficwan": {0, 4 * 0.005 * 730}, // its bandwidth is billed by use
	}
	for addr, w := range want {
		c := p.Change(addr).Cost
		if c == nil || !near(c.Before, w[0]) || !near(c.After, w[1]) {
			t.Errorf("%s: %+v, want %.2f → %.2f", addr, c, w[0], w[1])
		}
	}
	if p.Change("net").Cost != nil {
		t.Errorf("a VDC is priced: %+v", p.Change("net").Cost)
	}
	if diff := cmp.Diff([]string{"Traffic bandwidth: ¥0.8 per GB"}, p.Change("trafficwan").Cost.Usage); diff != "" {
		t.Errorf("usage-based (-want +got)\n%s", diff)
	}
	before := small + hour(1, 2, 120)
	after := before + (10*0.03+8*0.005)*730 + 2*small + (big - small) + hour(1, 2, 120) - hour(1, 2, 120) + 4*0.005*730
	if s := p.Cost; s == nil || s.Currency != "¥" || !near(s.Before, before) || !near(s.After, after) || s.Budget != 500 {
		t.Errorf("summary %+v, want ¥%.2f → ¥%.2f", s, before, after)
	}
	// One quote per distinct configuration: web[0] and web[1] share one.
	calls := srv.Calls()
	if calls["DescribeInstancePrice"] != 4 || calls["VDCBandwidthUnitPrice"] != 2 {
		t.Errorf("quotes: %v, want 4 instance configurations and 2 bandwidth schemes", calls)
	}
	s, err := spec.Parse("s.yaml", []byte("version: 1\nstack: s\nregion: CN_Beijing_A\nbudget: {monthly: 500}\nresources: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if e := pricing.OverBudget(s, p); e == nil || e.Pos.Line != 4 {
		t.Errorf("OverBudget = %v, want an error at line 4", e)
	}
	s.Budget = 100000
	if e := pricing.OverBudget(s, p); e != nil {
		t.Errorf("OverBudget within the budget = %v", e)
	}
}
