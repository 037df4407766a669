package resources

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestInstanceGroupsBoundAtCreate: an instance's security groups are sent
// in CreateInstance (SecurityGroup, each with its network) and bound by the
// create task: no JoinNSG, no DescribeNSGs when the records know the
// groups' types, one DescribeVdc to find the public network; the read-back
// observes both groups. Where the public network cannot be told before the
// create (two in the VDC), the public group joins afterwards as before.
func TestInstanceGroupsBoundAtCreate(t *testing.T) {
	for name, tc := range map[string]struct {
		known      bool
		twoPublics bool
		want       map[string]int
		// readBack: DescribeNSGMembers of the read-back (the groups bound
		// at create were read by the create's check).
		readBack int
	}{
		"types known from the records": {known: true, want: map[string]int{"CreateInstance": 1, "JoinNSG": 0, "DescribeNSGs": 0, "DescribeVdc": 1}},
		"types read from DescribeNSGs": {want: map[string]int{"CreateInstance": 1, "JoinNSG": 0, "DescribeNSGs": 1, "DescribeVdc": 1}},
		"two public networks":          {known: true, twoPublics: true, want: map[string]int{"CreateInstance": 1, "JoinNSG": 1, "DescribeVdc": 1}, readBack: 1},
	} {
		t.Run(name, func(t *testing.T) {
			clk := cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
			srv, url := emulated(t, emulator.Options{Clock: clk, TaskLatency: 2 * time.Second, Seed: 5})
			c := testClient(t, url, cloud.WithClock(clk), cloud.WithRetries(0))
			ctx := context.Background()
			waitTask := func(ctx context.Context, task string) (*cloud.Task, error) { return c.WaitTask(ctx, task) }
			wait := waiter(t, c)
			vdc := wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "v"}))
			npublics := 1
			if tc.twoPublics {
				npublics = 2
			}
			for range npublics {
				wait(c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Name: "wan", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4}))
			}
			lan := wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Address: "10.1.0.0", Mask: "16"}))
			sg := Registry["security_group"]
			pub, err := sg.Create(ctx, c, sg.Normalize(Inputs{"name": "web", "type": "public"}, ""), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			priv, err := sg.Create(ctx, c, sg.Normalize(Inputs{"name": "db", "type": "private"}, ""), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.known {
				types := map[string]string{pub: "public", priv: "private"}
				ctx = WithKnown(ctx, func(id string) (string, Inputs, bool) {
					typ, ok := types[id]
					return "security_group", Inputs{"type": typ}, ok
				})
			}
			k := Registry["instance"]
			in := k.Normalize(Inputs{"vdc": vdc, "name": "vm", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1),
				"image": "Centos_7.6_64", "public_ip": "auto", "private_ips": []any{map[string]any{"network": lan}},
				"security_groups": []any{pub, priv}}, "CN_Beijing_A")
			srv.ResetCalls()
			id, err := k.Create(ctx, c, in, map[string]string{"password": "Passw0rd!x"}, waitTask)
			if err != nil {
				t.Fatal(err)
			}
			calls := srv.Calls()
			for action, n := range tc.want {
				if calls[action] != n {
					t.Errorf("%s sent %d times, want %d (calls %v)", action, calls[action], n, calls)
				}
			}
			srv.ResetCalls()
			obs, err := ReadBack(ctx, c, k, id, &Recorded{Inputs: in, Outputs: map[string]any{}})
			if err != nil || obs == nil {
				t.Fatalf("read back: %v, %v", obs, err)
			}
			if n := srv.Calls()["DescribeNSGMembers"]; n != tc.readBack {
				t.Errorf("the read-back asked DescribeNSGMembers %d times, want %d", n, tc.readBack)
			}
			if diff := cmp.Diff(toAny(sortedStrings([]string{pub, priv})), obs.Attrs["security_groups"]); diff != "" {
				t.Errorf("security_groups read back (-want +got):\n%s", diff)
			}
			for _, g := range []string{pub, priv} {
				m, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g})
				if err != nil {
					t.Fatal(err)
				}
				if len(m.Members) != 1 || m.Members[0].InstanceID != id || m.Members[0].InterfaceStatus != cloud.NSGMemberOK {
					t.Errorf("members of %s = %+v, want instance %s ok", g, m.Members, id)
				}
			}
		})
	}
}

// TestInstanceGroupsWrongNetworkFallsBack: when the network an instance's
// public group was to bind on is no longer the VDC's (changed by someone
// else since this client read it), CreateInstance is refused before
// anything is made, made again without SecurityGroup, and the group joins
// afterwards (JoinNSG): one instance, in its group.
func TestInstanceGroupsWrongNetworkFallsBack(t *testing.T) {
	clk := cloud.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{"k": "s"}, Clock: clk, TaskLatency: time.Second, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	newClient := func() *cloud.Client {
		c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithClock(clk), cloud.WithRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c, other := newClient(), newClient()
	ctx := context.Background()
	wait := waiter(t, c)
	vdc := wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "v"}))
	old := wait(c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Name: "a", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4}))
	if v, err := c.SharedVdc(ctx, vdc); err != nil || v == nil || len(v.PublicNetwork) != 1 {
		t.Fatalf("VDC %s: %+v, %v", vdc, v, err)
	}
	// Someone else replaces the public network.
	if _, err := other.DeletePublicNetwork(ctx, cloud.PublicNetworkRequest{PublicID: old}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second)
	wait(other.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Name: "b", Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4}))
	sg := Registry["security_group"]
	pub, err := sg.Create(ctx, c, sg.Normalize(Inputs{"name": "web", "type": "public"}, ""), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	k := Registry["instance"]
	in := k.Normalize(Inputs{"vdc": vdc, "name": "vm", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1),
		"image": "Centos_7.6_64", "public_ip": "auto", "security_groups": []any{pub}}, "CN_Beijing_A")
	srv.ResetCalls()
	id, err := k.Create(ctx, c, in, map[string]string{"password": "Passw0rd!x"}, func(ctx context.Context, task string) (*cloud.Task, error) { return c.WaitTask(ctx, task) })
	if err != nil {
		t.Fatal(err)
	}
	if calls := srv.Calls(); calls["CreateInstance"] != 2 || calls["JoinNSG"] != 1 {
		t.Errorf("calls %v, want CreateInstance twice (refused, then without SecurityGroup) and one JoinNSG", calls)
	}
	m, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: pub})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Members) != 1 || m.Members[0].InstanceID != id || m.Members[0].InterfaceStatus != cloud.NSGMemberOK {
		t.Errorf("members of %s = %+v, want instance %s ok", pub, m.Members, id)
	}
}
