package resources

import (
	"testing"
)

// TestFieldRules checks, for every field of every kind, that a change is
// seen and is in place or a replacement as the field table says.
func TestFieldRules(t *testing.T) {
	base := map[string]Inputs{
		"vdc": {"name": "a", "region": "CN_Beijing_A"},
		"public_network": {"vdc": "v", "name": "w", "bandwidth_type": "Bandwidth_BGP", "billing_method": "Bandwidth", "qos": int64(10),
			"ip_count": int64(8), "auto_renew": true, "float_bandwidth": int64(12)},
		"private_network": {"vdc": "v", "name": "l", "type": "auto", "address": "10.0.0.0", "mask": int64(16)},
		"instance": {"vdc": "v", "name": "i", "instance_type": "Standard", "cpu": int64(2), "ram": int64(4), "image": "Centos_7.6_64",
			"password": "x", "region": "CN_Beijing_A", "charge_type": "PostPaid", "auto_renew": true, "prepaid_month": int64(0),
			"data_disks": []any{map[string]any{"size": int64(100), "type": "ssd_disk"}}, "public_ip": "198.18.0.2",
			"private_ips": []any{map[string]any{"network": "p1", "ip": "10.0.0.2"}}, "security_groups": []any{"g1"}, "power": "running",
			"system_disk": map[string]any{"size": int64(20), "type": "system_disk"}, "tags": []any{"a"},
			"public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA a@b", "deletion_protection": false, "dedicated_host": "h1"},
		"security_group": {"name": "g", "type": "public", "description": "d", "rules": []any{}},
		"template":       {"instance": "i", "name": "t", "power_on": true, "sync_regions": []any{}},
		"load_balancer": {"vdc": "v", "name": "lb", "region": "CN_Beijing_A", "cpu": int64(2), "ram": int64(4), "network": "p1",
			"public_network": "w1", "public_segment": "s1", "listeners": []any{}, "custom_config": map[string]any{"maxconn": "100"}},
		"certificate": {"name": "c", "certificate": "-----BEGIN CERTIFICATE-----\n"},
		"dedicated_host": {"name": "dh", "type": "ded_standard", "region": "CN_Beijing_A", "goods_id": int64(6195), "cpu": int64(48),
			"ram": int64(192), "limit": int64(1), "prepaid_month": int64(1), "auto_renew": true},
		"mysql": {"vdc": "v", "network": "p1", "name": "db", "region": "CN_Beijing_A", "version": "8.0", "architecture": "ha", "cpu": int64(2),
			"ram": int64(4), "disk_type": "ssd_disk", "disk_size": int64(200), "port": int64(3306), "time_zone": "+08:00",
			"backup": map[string]any{"window": "02:00-03:00", "weekdays": []any{int64(0)}, "enabled": true}, "parameters": map[string]any{},
			"accounts": []any{}},
		"mysql_readonly": {"source": "s", "name": "ro", "cpu": int64(2), "ram": int64(4), "disk_type": "ssd_disk", "disk_size": int64(200), "port": int64(3306)},
		"redis":          {"vdc": "v", "network": "p1", "name": "r", "region": "CN_Beijing_A", "version": "5.0", "architecture": "ha", "ram": int64(4), "port": int64(9736)},
		"mongodb": {"vdc": "v", "network": "p1", "name": "m", "region": "CN_Beijing_A", "version": "4.0", "cpu": int64(2), "ram": int64(4),
			"disk_type": "ssd_disk", "disk_size": int64(200)},
	}
	changed := map[string]any{
		"name": "other", "region": "CN_Shanghai_A", "vdc": "v2", "bandwidth_type": "Bandwidth_CMCC", "billing_method": "Traffic",
		"qos": int64(20), "ip_count": int64(16), "auto_renew": false, "float_bandwidth": int64(30), "type": "private", "address": "10.1.0.0",
		"mask": int64(24), "instance_type": "Compute", "cpu": int64(4), "ram": int64(8), "image": "Ubuntu_16.04_64", "charge_type": "PrePaid",
		"prepaid_month": int64(3), "data_disks": []any{map[string]any{"size": int64(200), "type": "ssd_disk"}}, "public_ip": "198.18.0.3",
		"private_ips": []any{map[string]any{"network": "p1", "ip": "10.0.0.9"}}, "security_groups": []any{"g2"}, "power": "stopped",
		"description": "e", "rules": []any{map[string]any{"protocol": "TCP"}}, "instance": "i2", "power_on": false, "sync_regions": []any{"CN_Shanghai_A"},
		"system_disk": map[string]any{"size": int64(40), "type": "system_disk"}, "tags": []any{"a", "b"},
		"network": "p2", "public_network": "w2", "public_segment": "s2", "listeners": []any{map[string]any{"name": "web"}},
		"custom_config": map[string]any{"maxconn": "200"}, "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n",
		"version": "5.7", "architecture": "basic", "disk_type": "high_disk", "disk_size": int64(300), "port": int64(3307),
		"time_zone": "+00:00", "backup": map[string]any{"window": "03:00-04:00", "weekdays": []any{int64(0)}, "enabled": true},
		"parameters": map[string]any{"max_connections": "3000"}, "source": "s2",
		"accounts":   []any{map[string]any{"name": "app", "type": "Normal", "privileges": []any{}}},
		"public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB b@c", "deletion_protection": true, "dedicated_host": "h2",
		"goods_id": int64(6196), "limit": int64(2),
	}
	for _, name := range Names() {
		k := Registry[name]
		for _, f := range k.Fields() {
			if f.Sensitive {
				continue // compared as a hash by the planner
			}
			t.Run(name+"."+f.Name, func(t *testing.T) {
				actual := base[name]
				desired := copyInputs(actual)
				v, ok := changed[f.Name]
				if !ok {
					t.Fatalf("no changed value for %s", f.Name)
				}
				desired[f.Name] = v
				if !k.Differs(f.Name, desired, actual) {
					t.Fatalf("a change of %s is not seen", f.Name)
				}
				want := f.Update == ""
				if name == "certificate" {
					// The API changes nothing of a certificate; its name's
					// RecordOnly update is only the "rename" that ends a
					// create-first replacement (certificate.go).
					want = true
				}
				if got := k.Replaces(f.Name, desired, actual); got != want {
					t.Errorf("Replaces(%s) = %v, want %v (Update %q)", f.Name, got, want, f.Update)
				}
				if k.Differs(f.Name, actual, actual) {
					t.Errorf("%s differs from itself", f.Name)
				}
			})
		}
	}
}

func TestInstanceSpecialRules(t *testing.T) {
	k := Registry["instance"]
	live := Inputs{"public_ip": "198.18.0.2", "private_ips": []any{map[string]any{"network": "p1", "ip": "10.0.0.5"}},
		"data_disks": []any{map[string]any{"size": int64(100), "type": "ssd_disk"}}, "security_groups": []any{"a", "b"},
		"tags": []any{"x", "y"}, "system_disk": map[string]any{"size": int64(40), "type": "system_disk"}}
	tests := map[string]struct {
		field    string
		desired  any
		differs  bool
		replaces bool
	}{
		"auto public IP matches any address":     {"public_ip", "auto", false, false},
		"auto public IP on none needs a new NIC": {"public_ip", "auto", true, true},
		"auto private IP matches":                {"private_ips", []any{map[string]any{"network": "p1", "ip": "auto"}}, false, false},
		"another network replaces":               {"private_ips", []any{map[string]any{"network": "p2", "ip": "auto"}}, true, true},
		"a disk grows in place":                  {"data_disks", []any{map[string]any{"size": int64(150), "type": "ssd_disk"}}, true, false},
		"a disk cannot shrink":                   {"data_disks", []any{map[string]any{"size": int64(50), "type": "ssd_disk"}}, true, true},
		"a disk cannot change type":              {"data_disks", []any{map[string]any{"size": int64(100), "type": "big_disk"}}, true, true},
		"a disk is added in place": {"data_disks", []any{map[string]any{"size": int64(100), "type": "ssd_disk"},
			map[string]any{"size": int64(10), "type": "high_disk"}}, true, false},
		"a disk is removed in place":     {"data_disks", []any{}, true, false},
		"group order does not matter":    {"security_groups", []any{"b", "a"}, false, false},
		"tag order does not matter":      {"tags", []any{"y", "x"}, false, false},
		"tags change in place":           {"tags", []any{"x"}, true, false},
		"the system disk grows in place": {"system_disk", map[string]any{"size": int64(60), "type": "system_disk"}, true, false},
		"the system disk cannot shrink":  {"system_disk", map[string]any{"size": int64(20), "type": "system_disk"}, true, true},
		"the system disk type is fixed":  {"system_disk", map[string]any{"size": int64(40), "type": "ssd_system_disk"}, true, true},
		"no system disk: the image's":    {"system_disk", nil, false, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			actual := copyInputs(live)
			if name == "auto public IP on none needs a new NIC" {
				actual["public_ip"] = ""
			}
			desired := copyInputs(actual)
			desired[tc.field] = tc.desired
			if got := k.Differs(tc.field, desired, actual); got != tc.differs {
				t.Errorf("Differs = %v, want %v", got, tc.differs)
			}
			if tc.differs {
				if got := k.Replaces(tc.field, desired, actual); got != tc.replaces {
					t.Errorf("Replaces = %v, want %v", got, tc.replaces)
				}
			}
		})
	}
}

func TestNormalizeDefaults(t *testing.T) {
	got := Registry["instance"].Normalize(Inputs{"name": "i", "private_ips": []any{map[string]any{"network": "p"}}, "security_groups": []any{"b", "a"}}, "CN_Beijing_A")
	want := Inputs{"name": "i", "region": "CN_Beijing_A", "charge_type": "PostPaid", "power": "running", "public_ip": "", "data_disks": []any{},
		"private_ips": []any{map[string]any{"network": "p", "ip": "auto"}}, "security_groups": []any{"a", "b"}, "tags": []any{}}
	if !Equal(map[string]any(got), map[string]any(want)) {
		t.Errorf("Normalize = %v\nwant %v", got, want)
	}
	rules := Registry["security_group"].Normalize(Inputs{"name": "g", "type": "public", "rules": []any{
		map[string]any{"protocol": "tcp", "local_port": int64(443), "target_address": "0.0.0.0/0", "priority": int64(20)},
		map[string]any{"protocol": "ICMP", "target_address": "0.0.0.0/0", "priority": int64(10), "action": "deny"}}}, "")
	first := rules.Maps("rules")[0]
	second := rules.Maps("rules")[1]
	if first["protocol"] != "ICMP" || !Equal(first["ports"], []any{"0"}) || first["action"] != "deny" || !Equal(second["ports"], []any{"443"}) || second["direction"] != "in" {
		t.Errorf("rules = %v", rules["rules"])
	}
}
