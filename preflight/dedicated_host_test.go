package preflight_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/preflight"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const hostSrc = `version: 1
stack: hosts
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: hosts}}
  dh:
    kind: dedicated_host
    properties: {name: dh, type: TYPE, goods_id: GOODS, cpu: 48, ram: 192, limit: LIMIT, region: HOSTREGION}
  web:
    kind: instance
    count: COUNT
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 16, ram: 32, image: Centos_7.6_64,
      password: Host-Passw0rd, dedicated_host: "${dh.id}"}
`

var column = regexp.MustCompile(`^(stack\.yaml:\d+):\d+:`)

// TestDedicatedHostPreflight: a host's type must be on sale in its region
// with the goods id, cpu and ram the catalogue gives it; the instances the
// stack places on it must fit it together (its vCPUs times its limit, its
// RAM). Every problem points at the property.
func TestDedicatedHostPreflight(t *testing.T) {
	types := []cloud.DedicatedHostType{{VMTypeID: "ded_standard", GoodsID: 6195, CPU: 48, RAM: 192},
		{VMTypeID: "ded_memory", GoodsID: 6196, CPU: 48, RAM: 384}}
	tests := map[string]struct {
		typ, goods, limit, count string
		hostRegion               string
		want                     []string
	}{
		"fits":               {"ded_standard", "6195", "1", "3", "", nil},
		"unknown type":       {"ded_huge", "6195", "1", "1", "", []string{"stack.yaml:8: resources.dh.properties.type: dedicated host type ded_huge is not on sale in CN_Beijing_A (DescribeDedicatedHostTypes); on sale there: ded_standard (goods_id 6195, 48 vCPU, 192 GB), ded_memory (goods_id 6196, 48 vCPU, 384 GB)"}},
		"another's goods id": {"ded_standard", "6196", "1", "1", "", []string{"stack.yaml:8: resources.dh.properties.goods_id: a ded_standard host in CN_Beijing_A has goods_id 6195, not 6196 (DescribeDedicatedHostTypes)"}},
		"ram not the type's": {"ded_memory", "6196", "1", "1", "", []string{"stack.yaml:8: resources.dh.properties.ram: a ded_memory host in CN_Beijing_A has ram 384, not 192 (DescribeDedicatedHostTypes)"}},
		"too many instances": {"ded_standard", "6195", "1", "4", "", []string{"stack.yaml:12: resources.web.properties.cpu: the stack's instances on dedicated host dh take 64 vCPU and 128 GB; it has 48 vCPU (48 × limit 1) and 192 GB"}},
		"overcommitted":      {"ded_standard", "6195", "2", "4", "", nil},
		"another region": {"ded_standard", "6195", "1", "1", "CN_Shanghai_A", []string{
			"stack.yaml:13: resources.web.properties.dedicated_host: dedicated host dh is in CN_Shanghai_A, and the instance in CN_Beijing_A: CreateInstance places an instance only on a host of its region"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			region := tc.hostRegion
			if region == "" {
				region = "CN_Beijing_A"
			}
			src := strings.NewReplacer("TYPE", tc.typ, "GOODS", tc.goods, "LIMIT", tc.limit, "COUNT", tc.count, "HOSTREGION", region).Replace(hostSrc)
			s, err := spec.Parse("stack.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			snap := &state.Snapshot{Resources: map[string]*state.Record{}}
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap})
			if err != nil {
				t.Fatal(err)
			}
			facts := &preflight.Facts{HostTypes: map[string][]cloud.DedicatedHostType{"CN_Beijing_A": types, "CN_Shanghai_A": types}}
			var got []string
			for _, e := range preflight.Check(s, p, snap, nil, facts) {
				// The columns move with the values substituted.
				got = append(got, column.ReplaceAllString(e.Error(), "$1:"))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestDedicatedHostPreflightCountsWhatIsThere: the instances already on a
// host (left as they are by the plan) count with the new ones.
func TestDedicatedHostPreflightCountsWhatIsThere(t *testing.T) {
	src := strings.NewReplacer("TYPE", "ded_standard", "GOODS", "6195", "LIMIT", "1", "COUNT", "4", "HOSTREGION", "CN_Beijing_A").Replace(hostSrc)
	s, err := spec.Parse("stack.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	host := map[string]any{"name": "dh", "type": "ded_standard", "goods_id": int64(6195), "cpu": int64(48), "ram": int64(192),
		"limit": int64(1), "prepaid_month": int64(1), "auto_renew": true, "region": "CN_Beijing_A"}
	snap := &state.Snapshot{Resources: map[string]*state.Record{
		"net": {Addr: "net", Kind: "vdc", ID: "v1", Inputs: map[string]any{"name": "hosts", "region": "CN_Beijing_A"}, Outputs: map[string]any{"id": "v1"}},
		"dh":  {Addr: "dh", Kind: "dedicated_host", ID: "h1", Inputs: host, Outputs: map[string]any{"id": "h1"}},
	}}
	for i := range 3 {
		addr := fmt.Sprintf("web[%d]", i)
		snap.Resources[addr] = &state.Record{Addr: addr, Kind: "instance", ID: fmt.Sprintf("i%d", i), Deps: []string{"dh", "net"},
			Outputs: map[string]any{"id": fmt.Sprintf("i%d", i)}, Inputs: map[string]any{"vdc": "v1", "name": fmt.Sprintf("web-%d", i),
				"instance_type": "Standard", "cpu": int64(16), "ram": int64(32), "image": "Centos_7.6_64", "dedicated_host": "h1",
				"region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "", "data_disks": []any{},
				"private_ips": []any{}, "security_groups": []any{}, "tags": []any{}}}
	}
	p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Change("web[0]"); c.Action != planner.NoOp {
		t.Fatalf("web[0] is %s, want no change", c.Action)
	}
	facts := &preflight.Facts{HostTypes: map[string][]cloud.DedicatedHostType{"CN_Beijing_A": {{VMTypeID: "ded_standard", GoodsID: 6195, CPU: 48, RAM: 192}}}}
	var got []string
	for _, e := range preflight.Check(s, p, snap, nil, facts) {
		got = append(got, column.ReplaceAllString(e.Error(), "$1:"))
	}
	want := []string{"stack.yaml:12: resources.web.properties.cpu: the stack's instances on dedicated host dh take 64 vCPU and 128 GB; it has 48 vCPU (48 × limit 1) and 192 GB"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
