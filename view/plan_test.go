package view_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
	"github.com/cdstack/cdstack/view"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const goldenStack = `version: 1
stack: golden
region: CN_Beijing_A
variables:
  pw: {default: "Golden-Passw0rd", sensitive: true}
resources:
  net: {kind: vdc, properties: {name: golden}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.5.0.0, mask: 16}}
  web:
    kind: instance
    properties: {vdc: "${net.id}", name: web, instance_type: Standard, cpu: 4, ram: 4, image: Centos_7.6_64, password: "${var.pw}"}
  db:
    kind: instance
    properties: {vdc: "${net.id}", name: db, instance_type: Standard, cpu: 2, ram: 4, image: Centos_7.6_64, password: "${var.pw}",
                 private_ips: [{network: "${lan.id}"}]}
  cache:
    kind: instance
    properties: {vdc: "${net.id}", name: cache, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, password: "${var.pw}"}
`

func goldenPlan(t *testing.T) *planner.Document {
	t.Helper()
	s, err := spec.Parse("stack.yaml", []byte(goldenStack))
	if err != nil {
		t.Fatal(err)
	}
	inst := func(name string, cpu int64, privates []any) map[string]any {
		return map[string]any{"vdc": "vdc-1", "name": name, "instance_type": "Standard", "cpu": cpu, "ram": int64(4), "image": "Centos_7.6_64",
			"region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "", "data_disks": []any{},
			"private_ips": privates, "security_groups": []any{}}
	}
	snap := &state.Snapshot{Meta: state.Meta{Lineage: "11111111-2222-4333-8444-555555555555", Serial: 7, Format: 1}, Resources: map[string]*state.Record{
		"net": {Addr: "net", Kind: "vdc", ID: "vdc-1", Inputs: map[string]any{"name": "golden", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "vdc-1"}},
		"lan": {Addr: "lan", Kind: "private_network", ID: "lan-1", Inputs: map[string]any{"vdc": "vdc-1", "name": "lan", "type": "auto", "address": "10.4.0.0", "mask": int64(16)},
			Outputs: map[string]any{"id": "lan-1"}, Deps: []string{"net"}},
		"web": {Addr: "web", Kind: "instance", ID: "i-web", Inputs: inst("web", 2, []any{}), Outputs: map[string]any{"id": "i-web"}, Deps: []string{"net"},
			SecretHashes: map[string]string{"password": state.HashSecret("Golden-Passw0rd")}},
		"db": {Addr: "db", Kind: "instance", ID: "i-db", Inputs: inst("db", 2, []any{map[string]any{"network": "lan-1", "ip": "auto"}}), Outputs: map[string]any{"id": "i-db"},
			Deps: []string{"lan", "net"}, SecretHashes: map[string]string{"password": state.HashSecret("Golden-Passw0rd")}},
		"old": {Addr: "old", Kind: "instance", ID: "i-old", Inputs: inst("old", 1, []any{}), Outputs: map[string]any{"id": "i-old"}, Deps: []string{"net"}},
	}}
	live := resources.NewLive()
	live.VDCs["vdc-1"] = &cloud.Vdc{VdcID: "vdc-1", VdcName: "golden", RegionID: "CN_Beijing_A", VdcStatus: "ok"}
	live.Privates["lan-1"] = &resources.LivePrivate{VdcID: "vdc-1", PrivateNetwork: cloud.PrivateNetwork{PrivateID: "lan-1", Name: "lan", Status: "ok", Type: "auto", Address: "10.4.0.0", Mask: 16}}
	mk := func(id, name string, cpu int64, nics []cloud.NetworkInterface) *cloud.Instance {
		return &cloud.Instance{InstanceID: id, InstanceName: name, InstanceStatus: "running", InstanceChargeType: "PostPaid", VdcID: "vdc-1", RegionID: "CN_Beijing_A",
			CPU: cloud.Int(cpu), RAM: 4, InstanceType: "Standard", ImageID: "Centos_7.6_64", PrivateNetworkInterface: nics}
	}
	live.Instances["i-web"] = mk("i-web", "web", 2, nil)
	live.Instances["i-db"] = mk("i-db", "db", 2, []cloud.NetworkInterface{{InterfaceID: "n1", PrivateID: "lan-1", IP: "10.4.0.2", Connected: 1}})
	live.Instances["i-old"] = mk("i-old", "old", 1, nil)
	live.Instances["i-hand"] = mk("i-hand", "handmade", 1, nil)
	live.ListedInstances["vdc-1"] = true
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./view -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (go test ./view -update rewrites it):\n--- want\n%s\n--- got\n%s", name, want, got)
	}
}

func TestPlanTextGolden(t *testing.T) {
	var b bytes.Buffer
	p := goldenPlan(t)
	view.PlanText(&b, p, view.Style{})
	b.WriteString("\n")
	view.DriftText(&b, p.Drift, view.Style{})
	golden(t, "plan.txt", b.Bytes())
	if bytes.Contains(b.Bytes(), []byte("Golden-Passw0rd")) {
		t.Error("the password is in the plan")
	}
}

func TestPlanJSONGolden(t *testing.T) {
	var b bytes.Buffer
	if err := view.JSON(&b, goldenPlan(t)); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.json", b.Bytes())
	if bytes.Contains(b.Bytes(), []byte("Golden-Passw0rd")) {
		t.Error("the password is in the plan")
	}
}

// priced adds what pricing and preflight add to a plan: costs, a
// usage-based price and an ordering edge.
func priced(p *planner.Document) *planner.Document {
	p.Cost = &planner.CostSummary{Currency: "¥", Before: 146, After: 248.2, Budget: 300}
	p.Change("cache").Cost = &planner.Cost{After: 36.5}
	p.Change("web").Cost = &planner.Cost{Before: 73, After: 146}
	p.Change("old").Cost = &planner.Cost{Before: 36.5}
	p.Change("db").Cost = &planner.Cost{Before: 36.5, After: 66.2, Usage: []string{"Traffic bandwidth: ¥0.8 per GB"}}
	p.Change("cache").WaitsFor = []planner.Wait{{Step: "old (delete)", Reason: "it frees an address this needs"}}
	return p
}

func TestPlanTextCostGolden(t *testing.T) {
	var b bytes.Buffer
	view.PlanText(&b, priced(goldenPlan(t)), view.Style{})
	golden(t, "plan_cost.txt", b.Bytes())
}

func TestPlanMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	p := priced(goldenPlan(t))
	// A value that would close a code block or break a table.
	p.Changes[0].After["name"] = "ca```che|x"
	view.PlanMarkdown(&b, p)
	golden(t, "plan.md", b.Bytes())
	if bytes.Contains(b.Bytes(), []byte("Golden-Passw0rd")) {
		t.Error("the password is in the plan")
	}
	if !bytes.Contains(b.Bytes(), []byte("````diff\n")) {
		t.Error("a value with ``` is not fenced by a longer fence")
	}
}
