package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/pricing"
)

// TestCostAfterAMonth: after an apply and time passing in the cloud, cost
// shows each managed resource's spend, the stack's total is their sum, and
// with what the stack's VDCs cost outside the state it adds up to the bill.
func TestCostAfterAMonth(t *testing.T) {
	t.Parallel()
	srv, endpoint, dir := stackInCloud(t, emulator.Options{})
	if out, err := runCdstack(t, dir, endpoint, nil, "apply", "--auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	out, err := runCdstack(t, dir, endpoint, nil, "state", "show", "net", "--json")
	if err != nil {
		t.Fatal(err)
	}
	vdc := regexp.MustCompile(`"id": "([0-9a-f-]+)"`).FindStringSubmatch(out)[1]
	if out, err := runCdstack(t, dir, endpoint, nil, "api", "CreateInstance", "RegionId=CN_Beijing_A", "VdcId="+vdc,
		"Password=Hand-Made-1", "InstanceName=handmade", "--wait"); err != nil {
		t.Fatalf("an instance made by hand: %v\n%s", err, out)
	}
	// Time passes in the cloud, within this month (in Beijing, where bills
	// are written).
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, now.Location())
	srv.Advance(next.Sub(now) / 2)
	month := now.Format("2006-01")

	cmd := cdstackCommand(dir, endpoint, []string{"TZ=Asia/Shanghai"}, "cost", "--month", month, "--format", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("cost: %v\n%s%s", err, stdout, stderr.String())
	}
	var sp pricing.Spend
	if err := json.Unmarshal(stdout, &sp); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	got := map[string]bool{}
	sum := 0.0
	for _, r := range sp.Resources {
		if r.Cost <= 0 {
			t.Errorf("%s cost %v", r.Addr, r.Cost)
		}
		got[r.Addr] = true
		sum += r.Cost
	}
	for _, addr := range []string{"wan", "web[0]", "web[1]", "web[2]"} {
		if !got[addr] {
			t.Errorf("no spend for %s: %+v", addr, sp.Resources)
		}
	}
	if len(sp.NotInState) != 1 || sp.NotInState[0].Name != "handmade" || sp.NotInStateTotal <= 0 {
		t.Errorf("not in the state: %+v", sp.NotInState)
	}
	if math.Abs(sum-sp.Total) > 0.011 || math.Abs(sp.Total+sp.NotInStateTotal-sp.BillTotal) > 0.011 {
		t.Errorf("resources add up to %.2f, total %.2f, with %.2f outside the state against a bill of %.2f", sum, sp.Total, sp.NotInStateTotal, sp.BillTotal)
	}

	out, err = runCdstack(t, dir, endpoint, []string{"TZ=Asia/Shanghai"}, "cost", "--month", month)
	if err != nil || !strings.Contains(out, "Stack total: ¥") || !strings.Contains(out, "handmade") {
		t.Errorf("cost: %v\n%s", err, out)
	}
	out, err = runCdstack(t, dir, endpoint, []string{"TZ=Asia/Shanghai"}, "cost", "--month", month, "--format", "prometheus")
	if err != nil || !strings.Contains(out, `cdstack_cost_month{stack="crash",month="`+month+`",address="web[0]",kind="instance"}`) {
		t.Errorf("cost --format prometheus: %v\n%s", err, out)
	}
	out, err = runCdstack(t, dir, endpoint, []string{"TZ=Asia/Shanghai"}, "cost", "--month", month, "--resource", "web[0]")
	if err != nil || !strings.Contains(out, "web[0] (instance ") || !strings.Contains(out, "an hour") {
		t.Errorf("cost --resource web[0]: %v\n%s", err, out)
	}
}
