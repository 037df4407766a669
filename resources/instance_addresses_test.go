package resources

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMovedAddresses: the addresses an update in place takes from an
// instance: a private interface given another address, the public address
// changed or removed; "auto" and an unchanged address keep theirs.
func TestMovedAddresses(t *testing.T) {
	have := Inputs{"public_ip": "198.18.0.2", "private_ips": []any{
		map[string]any{"network": "lan", "ip": "10.0.0.10"}, map[string]any{"network": "db", "ip": "10.1.0.10"}}}
	tests := map[string]struct {
		want Inputs
		out  []MovedAddress
	}{
		"nothing moves": {Inputs{"public_ip": "198.18.0.2", "private_ips": []any{
			map[string]any{"network": "lan", "ip": "10.0.0.10"}, map[string]any{"network": "db", "ip": "auto"}}}, nil},
		"one private address": {Inputs{"public_ip": "auto", "private_ips": []any{
			map[string]any{"network": "lan", "ip": "10.0.0.10"}, map[string]any{"network": "db", "ip": "10.1.0.20"}}},
			[]MovedAddress{{From: "10.1.0.10", To: "10.1.0.20", Network: "db"}}},
		"public removed, private moved": {Inputs{"public_ip": "", "private_ips": []any{
			map[string]any{"network": "lan", "ip": "10.0.0.30"}, map[string]any{"network": "db", "ip": "10.1.0.10"}}},
			[]MovedAddress{{From: "10.0.0.10", To: "10.0.0.30", Network: "lan"}, {From: "198.18.0.2", To: "", Network: "public"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.out, MovedAddresses(tc.want, have)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestInstanceUpdatedOutputs: ModifyIpAddress changes the exported
// addresses and interfaces, a disk added in place the disk ids; other
// updates change no output.
func TestInstanceUpdatedOutputs(t *testing.T) {
	k := instanceKind{}
	if got := k.UpdatedOutputs([]string{"cpu", "private_ips", "public_ip"}); !cmp.Equal(got, []string{"interfaces", "private_ips", "public_ip"}) {
		t.Errorf("private_ips and public_ip: %q", got)
	}
	if got := k.UpdatedOutputs([]string{"data_disks", "ram"}); !cmp.Equal(got, []string{"disk_ids"}) {
		t.Errorf("data_disks: %q", got)
	}
	if got := k.UpdatedOutputs([]string{"cpu", "ram", "name"}); len(got) != 0 {
		t.Errorf("cpu, ram, name: %q", got)
	}
}
