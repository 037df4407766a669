package resources

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

// TestRuleMapping: the stack's rule properties, old and new, become NSG
// rules; direction all becomes an inbound rule and an outbound twin at the
// first free priority above it.
func TestRuleMapping(t *testing.T) {
	rule := func(prio int64, dir, action string, ports, addrs []any) map[string]any {
		return map[string]any{"protocol": "TCP", "action": action, "direction": dir, "ports": ports, "addresses": addrs, "priority": prio, "description": ""}
	}
	tests := map[string]struct {
		in   []any
		want []any
	}{
		"old form, all": {
			[]any{map[string]any{"protocol": "tcp", "local_port": int64(443), "target_port": int64(0), "target_address": "10.0.0.1;0.0.0.0/0", "priority": int64(10), "direction": "all", "rule_type": "ip"}},
			[]any{rule(10, "in", "allow", []any{"443"}, []any{"0.0.0.0/0", "10.0.0.1"}), rule(11, "out", "allow", []any{"443"}, []any{"0.0.0.0/0", "10.0.0.1"})},
		},
		"twin skips used priorities": {
			[]any{
				map[string]any{"protocol": "TCP", "local_port": "22", "target_address": "1.1.1.1", "priority": int64(10), "direction": "all", "action": "deny"},
				map[string]any{"protocol": "TCP", "ports": []any{int64(80), "8000-9000"}, "addresses": []any{"2.2.2.2"}, "priority": int64(11)},
				map[string]any{"protocol": "TCP", "local_port": "23", "target_address": "1.1.1.1", "priority": int64(12), "direction": "all"},
			},
			[]any{
				rule(10, "in", "deny", []any{"22"}, []any{"1.1.1.1"}),
				rule(11, "in", "allow", []any{"80", "8000-9000"}, []any{"2.2.2.2"}),
				rule(12, "in", "allow", []any{"23"}, []any{"1.1.1.1"}),
				rule(13, "out", "deny", []any{"22"}, []any{"1.1.1.1"}),
				rule(14, "out", "allow", []any{"23"}, []any{"1.1.1.1"}),
			},
		},
		"absent direction is in; out; no port is every port": {
			[]any{
				map[string]any{"protocol": "UDP", "target_address": "1.1.1.1", "priority": int64(5), "direction": "out"},
				map[string]any{"protocol": "ICMP", "local_port": "7", "addresses": []any{"1.1.1.1"}, "priority": int64(4)},
			},
			[]any{
				map[string]any{"protocol": "ICMP", "action": "allow", "direction": "in", "ports": []any{"0"}, "addresses": []any{"1.1.1.1"}, "priority": int64(4), "description": ""},
				map[string]any{"protocol": "UDP", "action": "allow", "direction": "out", "ports": []any{"0"}, "addresses": []any{"1.1.1.1"}, "priority": int64(5), "description": ""},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Registry["security_group"].Normalize(Inputs{"name": "g", "type": "public", "rules": tc.in}, "")
			if diff := cmp.Diff(Canon(tc.want), Canon(got["rules"])); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			// Normalising twice changes nothing (a state holds normalised rules).
			again := Registry["security_group"].Normalize(got, "")
			if diff := cmp.Diff(Canon(got["rules"]), Canon(again["rules"])); diff != "" {
				t.Errorf("not idempotent (-once +twice)\n%s", diff)
			}
		})
	}
}

// TestObservedRuleMatchesNormalized: an NSG rule as the document shows it
// reads back as the stack's rule that made it (the default description
// stands for none).
func TestObservedRuleMatchesNormalized(t *testing.T) {
	want := nsgRules([]map[string]any{{"protocol": "TCP", "local_port": int64(3306), "target_address": "10.4.0.0/14;192.168.0.0/16", "priority": int64(4), "action": "deny", "direction": "out"}})
	got := observedRule(cloud.NSGRule{Action: "DROP", Direction: cloud.NSGOutbound, Protocol: "tcp", IPList: cloud.Strs{"192.168.0.0/16", "10.4.0.0/14"},
		PortList: cloud.Strs{"3306"}, Priority: 4, Description: defaultRuleDescription})
	if diff := cmp.Diff(Canon(want[0]), Canon(got)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
