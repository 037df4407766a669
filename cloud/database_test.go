package cloud

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// serveDatabaseFile answers with the example of one database action (its
// Key, such as mysql/DescribeDBInstances), checking path and Action.
func serveDatabaseFile(t *testing.T, key string) *Client {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "databases", key+".json"))
	if err != nil {
		t.Fatal(err)
	}
	spec, ok := LookupAction(key)
	if !ok {
		t.Fatalf("%s is not in the catalogue", key)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := strings.Trim(r.URL.Path, "/"); got != string(spec.Service) {
			t.Errorf("%s: path %q, want /%s/", key, r.URL.Path, spec.Service)
		}
		if got := r.URL.Query().Get("Action"); got != spec.Name || r.Method != spec.Method {
			t.Errorf("%s: %s Action=%q, want %s %s", key, r.Method, got, spec.Method, spec.Name)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDecodeDatabaseExamples decodes an answer of every database action in
// the shapes the documents show: lower-case "success", PaasGoodsId as a
// number and as text, a size named "N", InstancesUuid lists and a single
// InstanceUuid, numbers as text, a boolean spelled as JSON true.
func TestDecodeDatabaseExamples(t *testing.T) {
	ctx := context.Background()
	const id, ro, task = "7e0a1c00-0000-4000-8000-000000000001", "7e0a1c00-0000-4000-8000-000000000002", "7e0a1c00-0000-4000-8000-0000000000f1"
	type pair = []any
	my := func(c *Client) MySQL { return c.MySQL() }
	tests := map[string]example{
		"mysql/DescribeRegions": {func(c *Client) (any, error) {
			r, err := my(c).DescribeRegions(ctx)
			return pair{len(r), r[0].RegionID, r[1].IsSaling}, err
		}, pair{2, "CN_Beijing_A", Int(0)}},
		"mysql/DescribeAvailableDBConfig": {func(c *Client) (any, error) {
			d, err := my(c).DescribeAvailableDBConfig(ctx, "CN_Beijing_A")
			if err != nil {
				return nil, err
			}
			a, ok := d.Architecture("8.0", 1)
			return pair{ok, a.Sizes(), a.Disks()[0].DiskMin, a.Disks()[0].DiskValue}, nil
		}, pair{true, []DBSize{{CPU: 2, RAM: 4, Name: "2C4G", PaasGoodsID: 17111}}, Int(100), "ssd_disk"}},
		"mysql/CreateDBInstance": {func(c *Client) (any, error) {
			tk, ids, err := my(c).CreateDBInstance(ctx, CreateMySQLRequest{})
			return pair{tk, ids}, err
		}, pair{task, []string{id}}},
		"mysql/DescribeDBInstances": {func(c *Client) (any, error) {
			l, err := my(c).DescribeDBInstances(ctx, DescribeDBInstancesRequest{})
			if err != nil {
				return nil, err
			}
			d := l[0]
			return pair{d.InstanceUUID, int(d.CPU), d.RAMGB(), int(d.Disks), int(d.Port), d.Running(), string(d.Version), d.RoGroups[0].ServiceID, d.RoGroups[0].IP, string(d.Tags[0].TagID)}, nil
		}, pair{id, 2, 4, 200, 3306, true, "8.0.26", ro, "10.10.0.6", "24"}},
		"mysql/CreatePrivilegedAccount": {func(c *Client) (any, error) {
			return my(c).CreatePrivilegedAccount(ctx, CreatePrivilegedAccountRequest{})
		}, ""},
		"mysql/ModifyDbPrivilege": {func(c *Client) (any, error) { return my(c).ModifyDbPrivilege(ctx, ModifyDbPrivilegeRequest{}) }, ""},
		"mysql/DeleteDbPrivilege": {func(c *Client) (any, error) { return my(c).DeleteDbPrivilege(ctx, DeleteDbPrivilegeRequest{}) }, ""},
		"mysql/DescribeDbPrivileges": {func(c *Client) (any, error) {
			d, err := my(c).DescribeDbPrivileges(ctx)
			return d.ReadOnly, err
		}, "SELECT"},
		"mysql/DescribeDBAccount": {func(c *Client) (any, error) {
			l, err := my(c).DescribeDBAccount(ctx, id)
			return pair{len(l), len(l[0].DatabasePrivileges), l[1].DatabasePrivileges[0].AccountPrivilegeType, l[1].ExtraPrivilege.AllCreate}, err
		}, pair{2, 0, "ReadOnly", "false"}},
		"mysql/DeleteDBAccount": {func(c *Client) (any, error) { return my(c).DeleteDBAccount(ctx, DeleteDBAccountRequest{}) }, ""},
		"mysql/DescribeModifiableDBSpec": {func(c *Client) (any, error) {
			d, err := my(c).DescribeModifiableDBSpec(ctx, id)
			return pair{[]DBSize(d.CPURAM), d.AttachDisk[0].DiskValue}, err
		}, pair{[]DBSize{{CPU: 2, RAM: 4, Name: "2C4G", PaasGoodsID: 17111}, {CPU: 4, RAM: 8, Name: "4C8G", PaasGoodsID: 17112}}, "high_disk"}},
		"mysql/ModifyDBInstanceSpec": {func(c *Client) (any, error) {
			return my(c).ModifyDBInstanceSpec(ctx, ModifyMySQLSpecRequest{InstanceUUID: id, PaasGoodsID: 17112})
		}, task},
		"mysql/DeleteDBInstance": {func(c *Client) (any, error) { return my(c).DeleteDBInstance(ctx, id) }, ""},
		"mysql/DescribeAvailableReadOnlyConfig": {func(c *Client) (any, error) {
			d, err := my(c).DescribeAvailableReadOnlyConfig(ctx, id)
			return pair{d.Sizes()[0].PaasGoodsID, d.Disks()[0].DiskStep}, err
		}, pair{Int(17212), Int(100)}},
		"mysql/CreateReadOnlyDBInstance": {func(c *Client) (any, error) {
			tk, ids, err := my(c).CreateReadOnlyDBInstance(ctx, CreateReadOnlyRequest{})
			return pair{tk, len(ids)}, err
		}, pair{task, 0}},
		"mysql/CreateBackup": {func(c *Client) (any, error) { return my(c).CreateBackup(ctx, CreateBackupRequest{}) }, task},
		"mysql/DescribeBackups": {func(c *Client) (any, error) {
			l, err := my(c).DescribeBackups(ctx, id)
			return pair{l[0].BackupID, l[0].BackupSize}, err
		}, pair{"b-1", Int(677496)}},
		"mysql/DeleteBackup": {func(c *Client) (any, error) { return my(c).DeleteBackup(ctx, BackupRequest{}) }, task},
		"mysql/DownloadBackup": {func(c *Client) (any, error) {
			d, err := my(c).DownloadBackup(ctx, BackupRequest{})
			return d.BackupDownloadURL, err
		}, "https://download.example/b-1"},
		"mysql/ModifyDbBackupPolicy": {func(c *Client) (any, error) {
			return my(c).ModifyDbBackupPolicy(ctx, ModifyDbBackupPolicyRequest{})
		}, ""},
		"mysql/DescribeDBInstancePerformance": {func(c *Client) (any, error) {
			d, err := my(c).DescribeDBInstancePerformance(ctx, PerformanceRequest{})
			return pair{d.Period, d.DataPoints[0].Values[1].Value}, err
		}, pair{Int(30), Float(15)}},
		"mysql/DescribeDBParameter": {func(c *Client) (any, error) {
			l, err := my(c).DescribeDBParameter(ctx, id)
			return pair{l[0].Name, l[0].CurrentValue, l[0].DefaultValue}, err
		}, pair{"max_connections", Str("151"), Str("151")}},
		"mysql/DescribeDBParameterModifyHistory": {func(c *Client) (any, error) {
			l, err := my(c).DescribeDBParameterModifyHistory(ctx, ParameterHistoryRequest{})
			return pair{l[0].NewParameterValue, l[0].IsValid}, err
		}, pair{Str("300"), Str("true")}},
		"mysql/ModifyDBParameter": {func(c *Client) (any, error) { return my(c).ModifyDBParameter(ctx, ModifyDBParameterRequest{}) }, task},

		"redis/DescribeRegins": {func(c *Client) (any, error) { r, err := c.Redis().DescribeRegins(ctx); return len(r), err }, 2},
		"redis/DescribeAvailableDBConfig": {func(c *Client) (any, error) {
			d, err := c.Redis().DescribeAvailableDBConfig(ctx, "CN_Beijing_A")
			if err != nil {
				return nil, err
			}
			a, ok := d.Architecture("2.8", 3)
			return pair{ok, a.Sizes()[0].PaasGoodsID, a.Sizes()[0].RAM}, nil
		}, pair{true, Int(12188), Int(1)}},
		"redis/CreateDBInstance": {func(c *Client) (any, error) {
			tk, ids, err := c.Redis().CreateDBInstance(ctx, CreateRedisRequest{})
			return pair{tk, ids}, err
		}, pair{task, []string{id}}},
		"redis/DescribeDBInstances": {func(c *Client) (any, error) {
			l, err := c.Redis().DescribeDBInstances(ctx, DescribeDBInstancesRequest{})
			return pair{l[0].RAMGB(), int(l[0].Port), len(l[0].RoGroups), string(l[0].Version)}, err
		}, pair{2, 9736, 0, "5.0"}},
		"redis/DeleteDBInstance": {func(c *Client) (any, error) { return c.Redis().DeleteDBInstance(ctx, id) }, task},
		"redis/DescribeBackups":  {func(c *Client) (any, error) { l, err := c.Redis().DescribeBackups(ctx, id); return len(l), err }, 1},
		"redis/DownloadBackup": {func(c *Client) (any, error) {
			d, err := c.Redis().DownloadBackup(ctx, BackupRequest{})
			return d.BackupIntranetDownloadURL, err
		}, "http://10.0.0.1/b-1"},
		"redis/CreateBackup": {func(c *Client) (any, error) { return c.Redis().CreateBackup(ctx, CreateBackupRequest{}) }, task},
		"redis/DeleteBackup": {func(c *Client) (any, error) { return c.Redis().DeleteBackup(ctx, BackupRequest{}) }, task},

		"mongodb/v1/DescribeZones": {func(c *Client) (any, error) { r, err := c.MongoDB().DescribeZones(ctx); return r[1].RegionID, err }, "CN_Wuxi_A"},
		"mongodb/v1/DescribeSpecInfo": {func(c *Client) (any, error) {
			d, err := c.MongoDB().DescribeSpecInfo(ctx, "CN_Beijing_A")
			if err != nil {
				return nil, err
			}
			a, ok := d.Architecture("4.0", 0)
			return pair{ok, a.Sizes()[0].Name}, nil
		}, pair{true, "1C2G"}},
		"mongodb/v1/CreateDBInstance": {func(c *Client) (any, error) {
			tk, ids, err := c.MongoDB().CreateDBInstance(ctx, CreateMongoDBRequest{})
			return pair{tk, ids}, err
		}, pair{"", []string{id}}},
		"mongodb/v1/DescribeDBInstances": {func(c *Client) (any, error) {
			l, err := c.MongoDB().DescribeDBInstances(ctx, DescribeDBInstancesRequest{})
			return pair{l[0].RAMGB(), int(l[0].Port), VersionMatches(string(l[0].Version), "4.0")}, err
		}, pair{2, 27017, true}},
		"mongodb/v1/DeleteDBInstance": {func(c *Client) (any, error) { return c.MongoDB().DeleteDBInstance(ctx, id) }, task},
		"mongodb/v1/ModifyDBInstanceSpec": {func(c *Client) (any, error) {
			return c.MongoDB().ModifyDBInstanceSpec(ctx, ModifyMongoDBSpecRequest{InstanceUUID: id})
		}, ""},
		"mongodb/DescribeZones": {func(c *Client) (any, error) { r, err := c.MongoDB().Old().DescribeZones(ctx); return len(r), err }, 1},
		"mongodb/DescribeSpecInfo": {func(c *Client) (any, error) {
			d, err := c.MongoDB().Old().DescribeSpecInfo(ctx, "CN_Beijing_A")
			if err != nil {
				return nil, err
			}
			a, _ := d.Architecture("3.4.21", 0)
			return a.Sizes()[0].PaasGoodsID, nil
		}, Int(7295)},
		"mongodb/CreateDBInstance": {func(c *Client) (any, error) {
			tk, ids, err := c.MongoDB().Old().CreateDBInstance(ctx, CreateMongoDBRequest{})
			return pair{tk, len(ids)}, err
		}, pair{task, 0}},
		"mongodb/DescribeDBInstances": {func(c *Client) (any, error) {
			l, err := c.MongoDB().Old().DescribeDBInstances(ctx, DescribeDBInstancesRequest{})
			return len(l), err
		}, 1},
		"mongodb/DeleteDBInstance": {func(c *Client) (any, error) { return c.MongoDB().Old().DeleteDBInstance(ctx, id) }, task},
	}
	n := 0
	for _, a := range Actions() {
		if a.Key() != a.Name {
			n++
			if _, ok := tests[a.Key()]; !ok {
				t.Errorf("%s: no decoding test", a.Key())
			}
		}
	}
	if n != len(tests) {
		t.Errorf("%d database actions, %d tested", n, len(tests))
	}
	for key, tc := range tests {
		t.Run(key, func(t *testing.T) {
			got, err := tc.call(serveDatabaseFile(t, key))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestLookupDatabaseActions: a shared name needs its service; a name only
// one service has is found alone.
func TestLookupDatabaseActions(t *testing.T) {
	if _, ok := LookupAction("ModifyDBInstanceSpec"); ok {
		t.Error("ModifyDBInstanceSpec (MySQL and MongoDB) was found without a service")
	}
	for key, want := range map[string]Service{"mysql/ModifyDBInstanceSpec": ServiceMySQL, "mongodb/v1/ModifyDBInstanceSpec": ServiceMongoDB,
		"CreatePrivilegedAccount": ServiceMySQL, "DescribeRegins": ServiceRedis, "redis/DescribeDBInstances": ServiceRedis} {
		if a, ok := LookupAction(key); !ok || a.Service != want {
			t.Errorf("LookupAction(%q) = %+v, %v; want service %s", key, a, ok, want)
		}
	}
	if s := SuggestActions("ModifyDBInstanceSpec", 3); len(s) < 2 || !strings.Contains(strings.Join(s, " "), "mysql/ModifyDBInstanceSpec") {
		t.Errorf("SuggestActions(ModifyDBInstanceSpec) = %v", s)
	}
}
