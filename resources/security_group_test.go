package resources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

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

// nsgFake answers DescribeNSGMembers and DescribeNSGAttribute from funcs
// of the call count, and counts the calls.
func nsgFake(t *testing.T, members, attr func(n int) string) (*cloud.Client, map[string]int) {
	t.Helper()
	calls := map[string]int{}
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := r.URL.Query().Get("Action")
		calls[a]++
		n := calls[a]
		mu.Unlock()
		data := "{}"
		switch a {
		case "DescribeNSGMembers":
			data = members(n)
		case "DescribeNSGAttribute":
			data = attr(n)
		}
		fmt.Fprintf(w, `{"Code":"Success","Message":"","Data":%s}`, data)
	}))
	t.Cleanup(srv.Close)
	c, err := cloud.New(srv.URL, cloud.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"},
		cloud.WithClock(cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))), cloud.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c, calls
}

// TestWaitMembersEndsOnError: a binding DescribeNSGMembers shows in error
// ends the wait at the first look; syncing is waited through.
func TestWaitMembersEndsOnError(t *testing.T) {
	member := func(status string) string {
		return `{"MemberCount":1,"Members":[{"InstanceId":"i","InterfaceId":"n1","InterfaceStatus":"` + status + `"}]}`
	}
	c, calls := nsgFake(t, func(int) string { return member("error") }, nil)
	err := waitMembers(context.Background(), c, "g", []string{"n1"}, true)
	if !errors.Is(err, errMemberBinding) {
		t.Fatalf("wait = %v, want the binding error", err)
	}
	if calls["DescribeNSGMembers"] != 1 {
		t.Errorf("%d looks, want 1: an error ends the wait at once", calls["DescribeNSGMembers"])
	}
	c, calls = nsgFake(t, func(n int) string {
		if n < 3 {
			return member("syncing")
		}
		return member("ok")
	}, nil)
	if err := waitMembers(context.Background(), c, "g", []string{"n1"}, true); err != nil {
		t.Fatal(err)
	}
	if calls["DescribeNSGMembers"] != 3 {
		t.Errorf("%d looks, want 3 (syncing, syncing, ok)", calls["DescribeNSGMembers"])
	}
	// Leaving: unbinding until gone.
	c, calls = nsgFake(t, func(n int) string {
		if n < 2 {
			return member("unbinding")
		}
		return `{"MemberCount":0,"Members":[]}`
	}, nil)
	if err := waitMembers(context.Background(), c, "g", []string{"n1"}, false); err != nil {
		t.Fatal(err)
	}
	if calls["DescribeNSGMembers"] != 2 {
		t.Errorf("%d looks, want 2 (unbinding, gone)", calls["DescribeNSGMembers"])
	}
}

// TestWaitRulesUntilShown: rule changes take effect in the background; the
// wait ends when DescribeNSGAttribute shows the rules wanted.
func TestWaitRulesUntilShown(t *testing.T) {
	want := nsgRules([]map[string]any{{"protocol": "TCP", "ports": []any{"22"}, "addresses": []any{"1.1.1.1"}, "priority": int64(5)}})
	c, calls := nsgFake(t, nil, func(n int) string {
		if n < 4 {
			return `{"Rules":[]}`
		}
		return `{"Rules":[{"RuleId":"r","Action":"ACCEPT","Direction":0,"Protocol":"TCP","IpList":["1.1.1.1"],"PortList":["22"],"Priority":5,"Description":"` + defaultRuleDescription + `"}]}`
	})
	if err := waitRules(context.Background(), c, "g", want); err != nil {
		t.Fatal(err)
	}
	if calls["DescribeNSGAttribute"] != 4 {
		t.Errorf("%d looks, want 4", calls["DescribeNSGAttribute"])
	}
}
