package emulator

import (
	"sort"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestContractDatabases drives every action of the MySQL, Redis and MongoDB
// services through the client and checks the documented answers and the
// invariants: a network of the VDC, a size from the catalogue, replicas of
// ha sources only, addresses from the private network freed on delete,
// disks that only grow.
func TestContractDatabases(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 2 * time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	my, rd, mg := c.MySQL(), c.Redis(), c.MongoDB()

	for name, list := range map[string]func() ([]cloud.DBRegion, error){
		"DescribeRegions":            func() ([]cloud.DBRegion, error) { return my.DescribeRegions(ctx) },
		"DescribeRegins":             func() ([]cloud.DBRegion, error) { return rd.DescribeRegins(ctx) },
		"DescribeZones":              func() ([]cloud.DBRegion, error) { return mg.DescribeZones(ctx) },
		"DescribeZones (older path)": func() ([]cloud.DBRegion, error) { return mg.Old().DescribeZones(ctx) },
	} {
		if r := must(list()); len(r) == 0 || r[0].RegionID != "CN_Beijing_A" {
			t.Errorf("%s = %+v", name, r)
		}
	}
	// The catalogue of the issue.
	cfg := must(my.DescribeAvailableDBConfig(ctx, "CN_Beijing_A"))
	var ha2C4G, ha4C8G cloud.DBSize
	for _, v := range []string{"5.7", "8.0"} {
		for _, arch := range []int{0, 1} {
			a, ok := cfg.Architecture(v, arch)
			if !ok || len(a.Sizes()) != 4 || len(a.Disks()) != 2 || a.Disks()[0].DiskMin != 100 || a.Disks()[0].DiskMax != 2000 || a.Disks()[0].DiskStep != 100 {
				t.Fatalf("MySQL %s arch %d: %+v", v, arch, a)
			}
			if v == "8.0" && arch == 1 {
				ha2C4G, _ = cloud.FindSize(a.Sizes(), 2, 4)
				ha4C8G, _ = cloud.FindSize(a.Sizes(), 4, 8)
			}
		}
	}
	basic, _ := cfg.Architecture("5.7", 0)
	basic1C2G, _ := cloud.FindSize(basic.Sizes(), 1, 2)
	rcfg := must(rd.DescribeAvailableDBConfig(ctx, "CN_Beijing_A"))
	for _, v := range []string{"2.8", "5.0"} {
		for _, arch := range []int{1, 2, 3} {
			if a, ok := rcfg.Architecture(v, arch); !ok || len(a.Sizes()) != 5 || a.Sizes()[4].RAM != 16 {
				t.Fatalf("Redis %s arch %d: %+v", v, arch, a)
			}
		}
	}
	redisHA, _ := rcfg.Architecture("5.0", 1)
	redis2G, _ := cloud.FindSize(redisHA.Sizes(), 0, 2)
	mcfg := must(mg.DescribeSpecInfo(ctx, "CN_Beijing_A"))
	m40, ok := mcfg.Architecture("4.0", 0)
	if !ok || len(m40.Sizes()) != 6 {
		t.Fatalf("MongoDB 4.0: %+v", m40)
	}
	if _, ok := must(mg.Old().DescribeSpecInfo(ctx, "CN_Beijing_A")).Architecture("3.4.21", 0); !ok {
		t.Fatal("MongoDB 3.4.21 is not on sale")
	}
	mongo2C4G, _ := cloud.FindSize(m40.Sizes(), 2, 4)

	// Invariants of a create.
	other := e.wait(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "other"}))
	otherNet := e.wait(c.CreatePrivateNetwork(ctx, cloud.CreatePrivateNetworkRequest{VdcID: other, Name: "lan2", Address: "10.20.0.0", Mask: "24"}))
	base := cloud.CreateMySQLRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private, InstanceName: "orders",
		PaasGoodsID: int(ha2C4G.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 200, Password: "Passw0rd!"}
	for name, tc := range map[string]func(r *cloud.CreateMySQLRequest){
		"network of another VDC": func(r *cloud.CreateMySQLRequest) { r.BasePipeID = otherNet },
		"size not on sale":       func(r *cloud.CreateMySQLRequest) { r.PaasGoodsID = 1 },
		"disk not in steps":      func(r *cloud.CreateMySQLRequest) { r.DiskValue = 150 },
		"disk too large":         func(r *cloud.CreateMySQLRequest) { r.DiskValue = 2100 },
		"unknown disk type":      func(r *cloud.CreateMySQLRequest) { r.DiskType = "local_disk" },
		"reserved port":          func(r *cloud.CreateMySQLRequest) { r.ServicePort = 9100 },
		"region of no VDC":       func(r *cloud.CreateMySQLRequest) { r.RegionID = "CN_Wuxi_A" },
	} {
		r := base
		tc(&r)
		if _, _, err := my.CreateDBInstance(ctx, r); !cloud.IsCode(err, "InvalidParameter") {
			t.Errorf("%s: err = %v, want InvalidParameter", name, err)
		}
	}

	// MySQL: create, list, accounts, parameters, backups, resize, replica.
	task, ids, err := my.CreateDBInstance(ctx, base)
	if err != nil || len(ids) != 1 {
		t.Fatalf("CreateDBInstance = %v, %v", ids, err)
	}
	if got := e.wait(task, nil); got != ids[0] {
		t.Errorf("task ResourceId %s, InstancesUuid %s", got, ids[0])
	}
	id := ids[0]
	basicTask, basicIDs, err := my.CreateDBInstance(ctx, cloud.CreateMySQLRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private,
		InstanceName: "cache-db", PaasGoodsID: int(basic1C2G.PaasGoodsID), DiskType: "high_disk", DiskValue: 100, ServicePort: 6033})
	e.wait(basicTask, err)
	list := must(my.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{}))
	if len(list) != 2 || list[0].InstanceUUID != id || list[0].IP != "10.10.0.2" || list[0].Port != 3306 || list[0].CPU != 2 || list[0].RAMGB() != 4 ||
		list[0].Disks != 200 || !list[0].Running() || !cloud.VersionMatches(string(list[0].Version), "8.0") || list[0].SubProductKey != "mysql-replication" || list[0].VdcID != f.vdc {
		t.Fatalf("DescribeDBInstances = %+v", list)
	}
	if l := must(my.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{InstanceName: "cache-db"})); len(l) != 1 || l[0].Port != 6033 {
		t.Errorf("by name: %+v", l)
	}

	e.now(my.CreatePrivilegedAccount(ctx, cloud.CreatePrivilegedAccountRequest{InstanceUUID: id, AccountName: "root", Password: "R00t-Passw0rd", AccountType: "Super"}))
	if _, err := my.CreatePrivilegedAccount(ctx, cloud.CreatePrivilegedAccountRequest{InstanceUUID: id, AccountName: "root2", Password: "R00t-Passw0rd", AccountType: "Super"}); !cloud.IsCode(err, "UnsupportedOperation") {
		t.Errorf("a second Super account: %v", err)
	}
	e.now(my.CreatePrivilegedAccount(ctx, cloud.CreatePrivilegedAccountRequest{InstanceUUID: id, AccountName: "app", Password: "App-Passw0rd", AccountType: "Normal"}))
	e.now(my.ModifyDbPrivilege(ctx, cloud.ModifyDbPrivilegeRequest{InstanceUUID: id, AccountName: "app",
		Operations: []cloud.DBOperation{{DBName: "orders", Privilege: "ReadWrite"}, {DBName: "audit", Privilege: "ReadOnly"}}}))
	e.now(my.DeleteDbPrivilege(ctx, cloud.DeleteDbPrivilegeRequest{InstanceUUID: id, AccountName: "app", DBNames: []string{"audit"}}))
	accts := must(my.DescribeDBAccount(ctx, id))
	if len(accts) != 2 || accts[1].AccountName != "app" || len(accts[1].DatabasePrivileges) != 1 || accts[1].DatabasePrivileges[0].AccountPrivilegeType != "ReadWrite" {
		t.Fatalf("DescribeDBAccount = %+v", accts)
	}
	if p := must(my.DescribeDbPrivileges(ctx)); p.ReadOnly == "" {
		t.Error("DescribeDbPrivileges says nothing")
	}
	e.now(my.DeleteDBAccount(ctx, cloud.DeleteDBAccountRequest{InstanceUUID: id, AccountName: "root"}))
	if n := len(must(my.DescribeDBAccount(ctx, id))); n != 1 {
		t.Errorf("%d accounts after DeleteDBAccount", n)
	}

	e.wait(my.ModifyDBParameter(ctx, cloud.ModifyDBParameterRequest{InstanceUUID: id, Parameters: []cloud.ParameterValue{{Name: "max_connections", Value: "3000"}}}))
	if _, err := my.ModifyDBParameter(ctx, cloud.ModifyDBParameterRequest{InstanceUUID: id, Parameters: []cloud.ParameterValue{{Name: "max_connections", Value: "0"}}}); !cloud.IsCode(err, "InvalidParameter") {
		t.Errorf("parameter out of range: %v", err)
	}
	params := must(my.DescribeDBParameter(ctx, id))
	if got := paramValue(params, "max_connections"); got != "3000" {
		t.Errorf("max_connections = %q", got)
	}
	now := e.clk.Now()
	hist := must(my.DescribeDBParameterModifyHistory(ctx, cloud.ParameterHistoryRequest{InstanceUUID: id,
		StartTime: now.Add(-time.Hour).Format(time.DateTime), EndTime: now.Add(time.Hour).Format(time.DateTime)}))
	if len(hist) != 1 || hist[0].NewParameterValue != "3000" {
		t.Errorf("history = %+v", hist)
	}
	e.now(my.ModifyDbBackupPolicy(ctx, cloud.ModifyDbBackupPolicyRequest{InstanceUUID: id, DataBackups: cloud.DataBackups{TimeSlot: "02:00-03:00", DateList: []string{"0", "3"}, Sign: 1}}))
	if _, err := my.ModifyDbBackupPolicy(ctx, cloud.ModifyDbBackupPolicyRequest{InstanceUUID: basicIDs[0], DataBackups: cloud.DataBackups{TimeSlot: "02:00-03:00", DateList: []string{"0"}, Sign: 1}}); !cloud.IsCode(err, "UnsupportedOperation") {
		t.Errorf("backup policy of a basic database: %v", err)
	}
	e.wait(my.CreateBackup(ctx, cloud.CreateBackupRequest{InstanceUUID: id, BackupType: "logical-backup", DBList: []string{"orders"}}))
	backups := must(my.DescribeBackups(ctx, id))
	if len(backups) != 1 || backups[0].BackupStrategy != "db" {
		t.Fatalf("DescribeBackups = %+v", backups)
	}
	if d := must(my.DownloadBackup(ctx, cloud.BackupRequest{InstanceUUID: id, BackupID: backups[0].BackupID})); d.BackupIntranetDownloadURL == "" {
		t.Errorf("DownloadBackup = %+v", d)
	}
	e.wait(my.DeleteBackup(ctx, cloud.BackupRequest{InstanceUUID: id, BackupID: backups[0].BackupID}))
	perf := must(my.DescribeDBInstancePerformance(ctx, cloud.PerformanceRequest{InstanceUUID: id, MetricKey: "mysql_cpu_usage",
		StartTime: now.Add(-10 * time.Minute).Format(time.DateTime), EndTime: now.Format(time.DateTime)}))
	if perf.Period != 30 || len(perf.DataPoints) != 1 || len(perf.DataPoints[0].Values) != 21 {
		t.Errorf("performance: period %d, %d points", perf.Period, len(perf.DataPoints))
	}

	// Resize: 2C4G → 4C8G and 100 GB more; the disk only grows.
	spec := must(my.DescribeModifiableDBSpec(ctx, id))
	if len(spec.AttachDisk) != 1 || spec.AttachDisk[0].DiskValue != "ssd_disk" {
		t.Errorf("modifiable disks = %+v (only the type bought)", spec.AttachDisk)
	}
	if _, ok := cloud.FindSize(spec.CPURAM, 4, 8); !ok {
		t.Fatalf("4C8G not modifiable: %+v", spec.CPURAM)
	}
	if _, err := my.ModifyDBInstanceSpec(ctx, cloud.ModifyMySQLSpecRequest{InstanceUUID: id, DiskType: "ssd_disk", DiskValue: -100}); !cloud.IsCode(err, "InvalidParameter") {
		t.Errorf("shrinking the disk: %v", err)
	}
	if _, err := my.ModifyDBInstanceSpec(ctx, cloud.ModifyMySQLSpecRequest{InstanceUUID: id, DiskType: "high_disk", DiskValue: 100}); !cloud.IsCode(err, "InvalidParameter") {
		t.Errorf("another disk type: %v", err)
	}
	e.wait(my.ModifyDBInstanceSpec(ctx, cloud.ModifyMySQLSpecRequest{InstanceUUID: id, PaasGoodsID: int(ha4C8G.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 100}))
	if d := must(my.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{InstanceUUID: id}))[0]; d.CPU != 4 || d.RAMGB() != 8 || d.Disks != 300 {
		t.Errorf("after resize: %+v", d)
	}

	// Read-only replicas: of ha sources only, at least their size.
	if _, err := my.DescribeAvailableReadOnlyConfig(ctx, basicIDs[0]); !cloud.IsCode(err, "UnsupportedOperation") {
		t.Errorf("replica config of a basic database: %v", err)
	}
	ro := must(my.DescribeAvailableReadOnlyConfig(ctx, id))
	ro4C8G, _ := cloud.FindSize(ro.Sizes(), 4, 8)
	ro2C4G, _ := cloud.FindSize(ro.Sizes(), 2, 4)
	if _, _, err := my.CreateReadOnlyDBInstance(ctx, cloud.CreateReadOnlyRequest{InstanceUUID: id, InstanceName: "small", PaasGoodsID: int(ro2C4G.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 300}); !cloud.IsCode(err, "InvalidParameter") {
		t.Errorf("a replica smaller than its source: %v", err)
	}
	rtask, _, err := my.CreateReadOnlyDBInstance(ctx, cloud.CreateReadOnlyRequest{InstanceUUID: id, InstanceName: "orders-ro", PaasGoodsID: int(ro4C8G.PaasGoodsID), DiskType: "ssd_disk", DiskValue: 300})
	roID := e.wait(rtask, err)
	src := must(my.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{InstanceUUID: id}))[0]
	if len(src.RoGroups) != 1 || src.RoGroups[0].ServiceID != roID || src.RoGroups[0].IP != "10.10.0.4" || src.RoGroups[0].Status != "RUNNING" {
		t.Fatalf("RoGroups = %+v (replica %s)", src.RoGroups, roID)
	}
	if n := len(must(my.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{}))); n != 2 {
		t.Errorf("%d databases listed: a replica is listed only in RoGroups", n)
	}
	if _, err := my.DeleteDBInstance(ctx, id); !cloud.IsCode(err, "ResourceInUse") {
		t.Errorf("deleting a source with a replica: %v", err)
	}

	// Redis.
	if _, _, err := rd.CreateDBInstance(ctx, cloud.CreateRedisRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private, InstanceName: "sessions", PaasGoodsID: int(redis2G.PaasGoodsID)}); !cloud.IsCode(err, "IncompleteParamter") {
		t.Errorf("Redis without a password: %v", err)
	}
	rtask, rids, err := rd.CreateDBInstance(ctx, cloud.CreateRedisRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private,
		InstanceName: "sessions", PaasGoodsID: int(redis2G.PaasGoodsID), Password: "Redis-Passw0rd"})
	e.wait(rtask, err)
	if l := must(rd.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{})); len(l) != 1 || l[0].InstanceUUID != rids[0] || l[0].RAMGB() != 2 || l[0].Port != 9736 || l[0].SubProductKey != "redis-replication" {
		t.Fatalf("Redis DescribeDBInstances = %+v", l)
	}
	e.wait(rd.CreateBackup(ctx, cloud.CreateBackupRequest{InstanceUUID: rids[0]}))
	rb := must(rd.DescribeBackups(ctx, rids[0]))
	if len(rb) != 1 {
		t.Fatalf("Redis backups = %+v", rb)
	}
	must(rd.DownloadBackup(ctx, cloud.BackupRequest{InstanceUUID: rids[0], BackupID: rb[0].BackupID}))
	e.wait(rd.DeleteBackup(ctx, cloud.BackupRequest{InstanceUUID: rids[0], BackupID: rb[0].BackupID}))

	// MongoDB, on both paths.
	mreq := cloud.CreateMongoDBRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private, InstanceName: "events",
		PaasGoodsID: int(mongo2C4G.PaasGoodsID), DiskType: "high_disk", DiskValue: 100, Password: "Mongo-Passw0rd", Version: "4.0.3"}
	mtask, mids, err := mg.CreateDBInstance(ctx, mreq)
	if err != nil || len(mids) != 1 {
		t.Fatalf("MongoDB create = %v, %v", mids, err)
	}
	e.wait(mtask, nil)
	mreq.InstanceName = "events-old"
	otask, oids, err := mg.Old().CreateDBInstance(ctx, mreq)
	if err != nil || len(oids) != 0 {
		t.Fatalf("older MongoDB create = %v, %v (Data is empty there)", oids, err)
	}
	oldID := e.wait(otask, nil)
	ml := must(mg.Old().DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{}))
	if len(ml) != 2 || ml[0].InstanceUUID != mids[0] || ml[0].Port != 27017 || ml[0].RAMGB() != 4 || string(ml[0].Version) != "4.0.3" {
		t.Fatalf("MongoDB DescribeDBInstances = %+v", ml)
	}
	if _, err := mg.ModifyDBInstanceSpec(ctx, cloud.ModifyMongoDBSpecRequest{InstanceUUID: mids[0], DiskValue: 50}); !cloud.IsCode(err, "InvalidParameter") {
		t.Errorf("shrinking a MongoDB disk: %v", err)
	}
	m4C8G, _ := cloud.FindSize(m40.Sizes(), 4, 8)
	e.wait(mg.ModifyDBInstanceSpec(ctx, cloud.ModifyMongoDBSpecRequest{InstanceUUID: mids[0], PaasGoodsID: int(m4C8G.PaasGoodsID), DiskValue: 200}))
	if d := must(mg.DescribeDBInstances(ctx, cloud.DescribeDBInstancesRequest{InstanceUUID: mids[0]}))[0]; d.RAMGB() != 8 {
		t.Errorf("MongoDB after resize: %+v", d)
	}

	// Teardown: every address goes back to the private network.
	e.wait(my.DeleteDBInstance(ctx, roID))
	for _, id := range []string{id, basicIDs[0]} {
		e.wait(my.DeleteDBInstance(ctx, id))
	}
	e.wait(rd.DeleteDBInstance(ctx, rids[0]))
	e.wait(mg.DeleteDBInstance(ctx, mids[0]))
	e.wait(mg.Old().DeleteDBInstance(ctx, oldID))
	e.srv.View(func(w *World) {
		if len(w.Databases) != 0 || w.ipCount[f.private] != 0 {
			t.Errorf("left: %d databases, %d addresses", len(w.Databases), w.ipCount[f.private])
		}
	})

	var missing []string
	calls := e.srv.Calls()
	for _, a := range cloud.Actions() {
		if a.Key() != a.Name && calls[a.Key()] == 0 {
			missing = append(missing, a.Key())
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("database actions never called: %v", missing)
	}
}

func paramValue(list []cloud.DBParameter, name string) string {
	for _, p := range list {
		if p.Name == name {
			return string(p.CurrentValue)
		}
	}
	return ""
}

// now checks an action that takes effect at once: no error, no task.
func (e *env) now(taskID string, err error) {
	e.t.Helper()
	if err != nil || taskID != "" {
		e.t.Fatalf("= %q, %v; want no task and no error", taskID, err)
	}
}
