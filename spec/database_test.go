package spec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAccountPasswordsAreSplitOut: a MySQL account's password from a
// sensitive variable leaves the rest of accounts shown and stored; a
// sensitive value anywhere else in accounts still makes all of it
// sensitive, and so does one in another property.
func TestAccountPasswordsAreSplitOut(t *testing.T) {
	src := head + `variables:
  pw: {default: Db-Passw0rd, sensitive: true}
  secret_db: {default: hidden, sensitive: true}
resources:
  net: {kind: vdc, properties: {name: a}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: l}}
  db:
    kind: mysql
    properties: {vdc: "${net.id}", network: "${lan.id}", name: d, version: "8.0", architecture: ha, cpu: 2, ram: 4,
                 disk_type: ssd_disk, disk_size: 100, accounts: [{name: app, password: "${var.pw}"}]}
  db2:
    kind: mysql
    properties: {vdc: "${net.id}", network: "${lan.id}", name: "${var.secret_db}", version: "8.0", architecture: ha, cpu: 2, ram: 4,
                 disk_type: ssd_disk, disk_size: 100,
                 accounts: [{name: app, password: "${var.pw}", privileges: [{database: "${var.secret_db}", privilege: ReadOnly}]}]}
`
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{}, s.SensitiveProperties(s.Resources["db"])); diff != "" {
		t.Errorf("db (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"name": true, "accounts": true}, s.SensitiveProperties(s.Resources["db2"])); diff != "" {
		t.Errorf("db2 (-want +got)\n%s", diff)
	}
}
