package preflight_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/preflight"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// privateSrc puts instances, an ha MySQL, its read-only replica and a
// load balancer on one /29 private network: 5 addresses for hosts.
const privateSrc = `version: 1
stack: lan
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: lan}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 29}}
  web:
    kind: instance
    count: COUNT
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
      password: "Lan-Passw0rd", private_ips: [{network: "${lan.id}"}]}
  db:
    kind: mysql
    properties: {vdc: "${net.id}", network: "${lan.id}", name: orders, version: "8.0", architecture: ha, cpu: 2, ram: 4, disk_type: ssd_disk, disk_size: 100}
  db_ro:
    kind: mysql_readonly
    properties: {source: "${db.id}", name: orders-ro, cpu: 2, ram: 4, disk_type: ssd_disk, disk_size: 100}
  front:
    kind: load_balancer
    properties: {vdc: "${net.id}", network: "${lan.id}", name: front, cpu: 2, ram: 4}
`

// TestPrivateAddresses: the databases, replicas and load balancers a plan
// creates take an address of their private network each, as instances do;
// preflight counts them all and names who needs what.
func TestPrivateAddresses(t *testing.T) {
	for _, tc := range []struct {
		count string
		want  []string
	}{
		{count: "2"}, // 2 instances, a database, a replica and a load balancer: 5
		{count: "3", want: []string{"stack.yaml:20:45: resources.front.properties.network: 6 addresses are needed on lan " +
			"(instances web[0], web[1], web[2]: 1 each; database db: 1; read-only replica db_ro: 1; load balancer front: 1) but it has 5 free"}},
	} {
		t.Run(tc.count+" instances", func(t *testing.T) {
			s, err := spec.Parse("stack.yaml", []byte(strings.ReplaceAll(privateSrc, "COUNT", tc.count)))
			if err != nil {
				t.Fatal(err)
			}
			snap, live := &state.Snapshot{Resources: map[string]*state.Record{}}, resources.NewLive()
			p, err := planner.Plan(planner.Input{Stack: s, Snapshot: snap, Live: live})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range preflight.Check(s, p, snap, live, &preflight.Facts{}) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got)\n%s", diff)
			}
		})
	}
}
