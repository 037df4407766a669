package resources

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestRefreshListsEachProductOnce: three databases of each product in one
// VDC (and a replica) are observed from one DescribeDBInstances per
// product, however many there are.
func TestRefreshListsEachProductOnce(t *testing.T) {
	srv, url := emulated(t, emulator.Options{Seed: 7})
	c := testClient(t, url, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	ctx := context.Background()
	wait := waiter(t, c)
	vdc := wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "dbs"}))
	lan := wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: vdc, Name: "lan", Address: "10.10.0.0", Mask: "16"}))
	in := func(kind string, i int) Inputs {
		return Inputs{"vdc": vdc, "network": lan, "name": fmt.Sprintf("%s-%d", kind, i), "region": "CN_Beijing_A", "version": map[string]string{"mysql": "8.0", "redis": "5.0", "mongodb": "4.0"}[kind],
			"architecture": "ha", "cpu": int64(2), "ram": int64(4), "disk_type": "ssd_disk", "disk_size": int64(100), "port": int64(0)}
	}
	waiter := func(ctx context.Context, id string) (*cloud.Task, error) { return c.WaitTask(ctx, id) }
	ids := map[string][]string{}
	for _, kind := range []string{"mysql", "redis", "mongodb"} {
		for i := range 3 {
			id, err := Registry[kind].Create(ctx, c, Registry[kind].Normalize(in(kind, i), "CN_Beijing_A"), map[string]string{"password": "Passw0rd-db"}, waiter)
			if err != nil {
				t.Fatalf("create %s %d: %v", kind, i, err)
			}
			ids[kind] = append(ids[kind], id)
		}
	}
	ro, err := Registry["mysql_readonly"].Create(ctx, c, Inputs{"source": ids["mysql"][0], "name": "ro", "cpu": int64(2), "ram": int64(4),
		"disk_type": "ssd_disk", "disk_size": int64(100)}, nil, waiter)
	if err != nil {
		t.Fatal(err)
	}

	srv.ResetCalls()
	l, err := Refresh(ctx, c, Scope{VDCs: []string{vdc}, Products: []string{"mysql", "redis", "mongodb", "mysql"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"DescribeVdc": 1, "DescribeInstances": 1, "mysql/DescribeDBInstances": 1, "redis/DescribeDBInstances": 1,
		"mongodb/v1/DescribeDBInstances": 1}
	if diff := cmp.Diff(want, srv.Calls()); diff != "" {
		t.Errorf("refresh calls (-want +got)\n%s", diff)
	}
	for kind, list := range ids {
		for _, id := range list {
			obs := Registry[kind].Observe(l, id, nil)
			if obs == nil || obs.Busy || obs.Attrs.String("vdc") != vdc || obs.Outputs["ip"] == "" {
				t.Errorf("%s %s: %+v", kind, id, obs)
			}
		}
	}
	if obs := Registry["mysql_readonly"].Observe(l, ro, nil); obs == nil || obs.Attrs.String("source") != ids["mysql"][0] {
		t.Errorf("replica %s: %+v", ro, obs)
	}
	if got := Registry["redis"].FindByName(l, Inputs{"vdc": vdc, "name": "redis-2"}); got != ids["redis"][2] {
		t.Errorf("FindByName(redis-2) = %q, want %q", got, ids["redis"][2])
	}
}
