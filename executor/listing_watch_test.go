package executor_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// watchedKinds holds a resource of every kind whose create or delete has
// a task, beside what they need: a template of an instance, an ha MySQL
// with a read-only replica; and a certificate, whose upload and delete
// answer at once (the document's TaskId is "").
const watchedKinds = `version: 1
stack: watched
region: CN_Beijing_A
variables:
  pw: {sensitive: true, default: "Watch-Passw0rd"}
  key: {sensitive: true, default: KEY}
resources:
  net: {kind: vdc, properties: {name: watched}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.7.0.0}}
  web: {kind: instance, properties: {vdc: "${net.id}", name: web, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
        password: "${var.pw}", private_ips: [{network: "${lan.id}"}]}}
  golden: {kind: template, properties: {instance: "${web.id}", name: golden, sync_regions: []}}
  db: {kind: mysql, properties: {vdc: "${net.id}", network: "${lan.id}", name: orders, version: "8.0", architecture: ha,
       cpu: 2, ram: 4, disk_type: ssd_disk, disk_size: 100}}
  db_ro: {kind: mysql_readonly, properties: {source: "${db.id}", name: orders-ro, cpu: 2, ram: 4, disk_type: ssd_disk, disk_size: 100}}
  www: {kind: certificate, properties: {name: www, certificate: CERT, private_key: "${var.key}"}}
`

// TestEveryWaitedKindWatchesItsListing: applying and destroying a stack
// of every kind whose create or delete has a task asks no task: each wait
// looks at the listing its resource is in, which says how the task ended.
func TestEveryWaitedKindWatchesItsListing(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 200 * time.Millisecond})
	certPEM, keyPEM := selfSigned("www.example.com")
	src := strings.NewReplacer("CERT", strconv.Quote(certPEM), "KEY", strconv.Quote(keyPEM)).Replace(watchedKinds)
	if res := f.apply(t, src); res.Err() != nil || res.Added != 7 {
		t.Fatalf("apply: %v, %d added", res.Err(), res.Added)
	}
	created := f.srv.Calls()
	f.srv.ResetCalls()
	if res := f.apply(t, "version: 1\nstack: watched\nregion: CN_Beijing_A\nresources: {}\n"); res.Err() != nil || res.Destroyed != 7 {
		t.Fatalf("destroy: %v, %d destroyed", res.Err(), res.Destroyed)
	}
	deleted := f.srv.Calls()
	t.Logf("apply: %v\ndestroy: %v", created, deleted)
	for what, calls := range map[string]map[string]int{"apply": created, "destroy": deleted} {
		if calls["DescribeTask"] != 0 {
			t.Errorf("%s asked %d tasks, want none: the listings tell", what, calls["DescribeTask"])
		}
	}
}
