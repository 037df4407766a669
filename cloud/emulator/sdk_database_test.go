package emulator

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/capitalonline/cds-gic-sdk-go/common"
	"github.com/capitalonline/cds-gic-sdk-go/common/profile"
	"github.com/capitalonline/cds-gic-sdk-go/mongodb"
	"github.com/capitalonline/cds-gic-sdk-go/mysql"
	"github.com/capitalonline/cds-gic-sdk-go/redis"

	"github.com/cdstack/cdstack/cloud"
)

// sdkDBNotServed are the database SDK methods whose actions no document
// lists (point-in-time rollback and temporary databases): the emulator does
// not serve them and answers InvalidAction.NotFound.
var sdkDBNotServed = map[string]string{
	"mysql.StartBatchRollback":                      "not in MySQL概览.md",
	"mysql.DescribeRollbackRangeTime":               "not in MySQL概览.md",
	"mysql.StartBatchRollbackToTemporaryDBInstance": "not in MySQL概览.md",
	"mysql.DescribeTemporaryDBInstances":            "not in MySQL概览.md",
	"mysql.RegularizeTemporaryDBInstances":          "not in MySQL概览.md",
	"mysql.DeleteTemporaryDBInstances":              "not in MySQL概览.md",
}

// TestOfficialSDKDatabases drives the emulator with the official SDK's
// mysql, redis and mongodb packages, each action with the method its
// document gives it: every method the emulator serves is called, what it
// sends is accepted and what it answers parses with the values written.
func TestOfficialSDKDatabases(t *testing.T) {
	srv, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: sdkLatency, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	target, _ := url.Parse(hs.URL)
	cred := common.NewCredential(testKey, testSecret)
	prof := func(method string) *profile.ClientProfile {
		p := profile.NewClientProfile()
		p.HttpProfile.ReqMethod, p.HttpProfile.ReqTimeout = method, 10
		return p
	}
	myGet, _ := mysql.NewClient(cred, "CN_Beijing_A", prof("GET"))
	myPost, _ := mysql.NewClient(cred, "CN_Beijing_A", prof("POST"))
	rdGet, _ := redis.NewClient(cred, "CN_Beijing_A", prof("GET"))
	rdPost, _ := redis.NewClient(cred, "CN_Beijing_A", prof("POST"))
	mgGet, _ := mongodb.NewClient(cred, "CN_Beijing_A", prof("GET"))
	mgPost, _ := mongodb.NewClient(cred, "CN_Beijing_A", prof("POST"))
	for _, c := range []*common.Client{&myGet.Client, &myPost.Client, &rdGet.Client, &rdPost.Client, &mgGet.Client, &mgPost.Client} {
		c.WithHttpTransport(toEmulator{target})
	}
	// The VDC and network come from cdstack's own client.
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, client: c, ctx: t.Context()}
	f := e.fixture()
	called := map[string]bool{}
	do := func(method string, call func() error) {
		t.Helper()
		called[method] = true
		if err := call(); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	settle := func(task *string) string {
		t.Helper()
		if task == nil || *task == "" {
			t.Fatal("no TaskId")
		}
		time.Sleep(3 * sdkLatency)
		return e.wait(*task, nil)
	}
	s, i := common.StringPtr, common.IntPtr

	// MySQL.
	do("mysql.DescribeRegions", func() error {
		r, err := myGet.DescribeRegions(nil)
		if err == nil && (len(r.Data) == 0 || *r.Data[0].SiteName == "") {
			err = errors.New("no regions")
		}
		return err
	})
	var goods2C4G, goods4C8G int
	do("mysql.DescribeAvailableDBConfig", func() error {
		req := mysql.NewDescribeAvailableDBConfigRequest()
		req.RegionId = s("CN_Beijing_A")
		r, err := myGet.DescribeAvailableDBConfig(req)
		if err != nil {
			return err
		}
		for _, p := range r.Data.Products {
			for _, a := range p.Architectures {
				for _, sz := range a.ComputeRoles[0].Standards.CpuRam {
					if *p.Version == "8.0" && *a.SubProductName == "MySQL 高可用版" && *sz.Name == "2C4G" {
						goods2C4G = *sz.PaasGoodsId
					}
					if *p.Version == "8.0" && *a.SubProductName == "MySQL 高可用版" && *sz.Name == "4C8G" {
						goods4C8G = *sz.PaasGoodsId
					}
				}
			}
		}
		if goods2C4G == 0 || goods4C8G == 0 {
			return errors.New("no 8.0 ha 2C4G and 4C8G")
		}
		return nil
	})
	var db string
	do("mysql.CreateDBInstance", func() error {
		req := mysql.NewCreateDBInstanceRequest()
		req.RegionId, req.VdcId, req.BasePipeId, req.InstanceName = s("CN_Beijing_A"), s(f.vdc), s(f.private), s("sdk-db")
		req.PaasGoodsId, req.DiskType, req.DiskValue, req.Amount, req.Password = i(goods2C4G), s("ssd_disk"), i(200), i(1), s("Sdk-Passw0rd")
		r, err := myPost.CreateDBInstance(req)
		if err != nil {
			return err
		}
		if len(r.Data.InstancesUuid) != 1 {
			return errors.New("want one InstancesUuid")
		}
		db = r.Data.InstancesUuid[0]
		if got := settle(r.TaskId); got != db {
			return errors.New("the task names another database")
		}
		return nil
	})
	describe := func() *mysql.DescribeDBInstanceEntry {
		t.Helper()
		var out *mysql.DescribeDBInstanceEntry
		do("mysql.DescribeDBInstances", func() error {
			req := mysql.NewDescribeDBInstancesRequest()
			req.InstanceUuid = s(db)
			r, err := myGet.DescribeDBInstances(req)
			if err == nil && len(r.Data) != 1 {
				err = errors.New("want one database")
			}
			if err == nil {
				out = r.Data[0]
			}
			return err
		})
		return out
	}
	if d := describe(); *d.InstanceName != "sdk-db" || *d.Cpu != 2 || *d.Ram != 4096 || *d.Disks != 200 || *d.Status != "RUNNING" {
		t.Fatalf("DescribeDBInstances = %+v", d)
	}
	do("mysql.CreatePrivilegedAccount", func() error {
		req := mysql.NewCreatePrivilegedAccountRequest()
		req.InstanceUuid, req.AccountName, req.Password, req.AccountType = s(db), s("app"), s("App-Passw0rd"), s("Normal")
		_, err := myPost.CreatePrivilegedAccount(req)
		return err
	})
	do("mysql.ModifyDbPrivilege", func() error {
		req := mysql.NewModifyDbPrivilegeRequest()
		req.InstanceUuid, req.AccountName = s(db), s("app")
		req.Operations = []*mysql.ModifyDbPrivilegeOperation{{DBName: s("orders"), Privilege: s("ReadWrite")}}
		_, err := myPost.ModifyDbPrivilege(req)
		return err
	})
	do("mysql.DescribeDBAccount", func() error {
		req := mysql.NewDescribeDBAccountRequest()
		req.InstanceUuid = s(db)
		r, err := myGet.DescribeDBAccount(req)
		if err == nil && (len(r.Data) != 1 || *r.Data[0].AccountName != "app") {
			err = errors.New("want the app account")
		}
		return err
	})
	do("mysql.ModifyDBParameter", func() error {
		req := mysql.NewModifyDBParameterRequest()
		req.InstanceUuid = s(db)
		req.Parameters = []*mysql.ModifyDBParameterParameters{{Name: s("max_connections"), Value: s("3000")}}
		r, err := myPost.ModifyDBParameter(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})
	do("mysql.ModifyDbBackupPolicy", func() error {
		req := mysql.NewModifyDbBackupPolicyRequest()
		req.InstanceUuid = s(db)
		req.DataBackups = &mysql.ModifyDbBackupPolicyDataBackups{TimeSlot: s("02:00-03:00"), DateList: []string{"0", "3"}, Sign: i(1)}
		_, err := myPost.ModifyDbBackupPolicy(req)
		return err
	})
	do("mysql.DescribeDBInstancePerformanceRequest", func() error {
		req := mysql.NewDescribeDBInstancePerformanceRequest()
		now := time.Now()
		req.InstanceUuid, req.MetricKey = s(db), s("mysql_slow_queries") // the SDK reads Value as an int
		req.StartTime, req.EndTime = s(now.Add(-5*time.Minute).Format(time.DateTime)), s(now.Format(time.DateTime))
		r, err := myPost.DescribeDBInstancePerformanceRequest(req)
		if err == nil && (len(r.Data.DataPoints) != 1 || len(r.Data.DataPoints[0].Values) == 0) {
			err = errors.New("no data points")
		}
		return err
	})
	var backup string
	do("mysql.CreateBackup", func() error {
		req := mysql.NewCreateBackupRequest()
		req.InstanceUuid, req.BackupType, req.Desc = s(db), s("physical-backup"), s("sdk")
		r, err := myPost.CreateBackup(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})
	do("mysql.DescribeBackups", func() error {
		req := mysql.NewDescribeBackupsRequest()
		req.InstanceUuid = s(db)
		r, err := myGet.DescribeBackups(req)
		if err == nil && len(r.Data) != 1 {
			err = errors.New("want one backup")
		}
		if err == nil {
			backup = *r.Data[0].BackupId
		}
		return err
	})
	do("mysql.DownloadBackup", func() error {
		req := mysql.NewDownloadBackupRequest()
		req.InstanceUuid, req.BackupId = s(db), s(backup)
		_, err := myGet.DownloadBackup(req)
		return err
	})
	do("mysql.DeleteBackup", func() error {
		req := mysql.NewDeleteBackupRequest()
		req.InstanceUuid, req.BackupId = s(db), s(backup)
		r, err := myPost.DeleteBackup(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})
	do("mysql.DescribeModifiableDBSpec", func() error {
		req := mysql.NewDescribeModifiableDBSpecRequest()
		req.InstanceUuid = s(db)
		r, err := myGet.DescribeModifiableDBSpec(req)
		if err == nil && len(r.Data.CpuRam) != 4 {
			err = errors.New("want 4 sizes")
		}
		return err
	})
	do("mysql.ModifyDBInstanceSpec", func() error {
		req := mysql.NewModifyDBInstanceSpecRequest()
		req.InstanceUuid, req.PaasGoodsId, req.DiskType, req.DiskValue = s(db), i(goods4C8G), s("ssd_disk"), i(100)
		r, err := myPost.ModifyDBInstanceSpec(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})
	if d := describe(); *d.Cpu != 4 || *d.Ram != 8192 || *d.Disks != 300 {
		t.Fatalf("after ModifyDBInstanceSpec: cpu %d ram %d disks %d", *d.Cpu, *d.Ram, *d.Disks)
	}
	var roGoods int
	do("mysql.DescribeAvailableReadOnlyConfig", func() error {
		req := mysql.NewDescribeAvailableReadOnlyConfigRequest()
		req.InstanceUuid = s(db)
		r, err := myGet.DescribeAvailableReadOnlyConfig(req)
		if err != nil {
			return err
		}
		for _, sz := range r.Data.ComputeRoles[0].Standards.CpuRam {
			if *sz.Name == "4C8G" {
				roGoods = *sz.PaasGoodsId
			}
		}
		if roGoods == 0 {
			return errors.New("no 4C8G replica size")
		}
		return nil
	})
	var ro string
	do("mysql.CreateReadOnlyDBInstance", func() error {
		req := mysql.NewCreateReadOnlyDBInstanceRequest()
		req.InstanceUuid, req.InstanceName, req.PaasGoodsId, req.DiskType, req.DiskValue, req.Amount = s(db), s("sdk-ro"), i(roGoods), s("ssd_disk"), i(300), i(1)
		r, err := myPost.CreateReadOnlyDBInstance(req)
		if err == nil {
			ro = settle(r.TaskId)
		}
		return err
	})
	if d := describe(); len(d.RoGroups) != 1 || *d.RoGroups[0].ServiceId != ro {
		t.Fatalf("RoGroups = %+v, want %s", d.RoGroups, ro)
	}
	for _, id := range []string{ro, db} {
		do("mysql.DeleteDBInstance", func() error {
			req := mysql.NewDeleteDBInstanceRequest()
			req.InstanceUuid = s(id)
			r, err := myPost.DeleteDBInstance(req)
			if err == nil {
				settle(r.TaskId)
			}
			return err
		})
	}

	// Redis.
	do("redis.DescribeRegins", func() error { _, err := rdGet.DescribeRegins(nil); return err })
	var redisGoods int
	do("redis.DescribeAvailableDBConfig", func() error {
		req := redis.NewDescribeAvailableDBConfigRequest()
		req.RegionId = s("CN_Beijing_A")
		r, err := rdGet.DescribeAvailableDBConfig(req)
		if err != nil {
			return err
		}
		if r.Data.Products == nil {
			return errors.New("no Products")
		}
		for _, p := range *r.Data.Products {
			for _, a := range p.Architectures {
				for _, sz := range a.ComputeRoles[0].Standards.CpuRam {
					if *p.Version == "5.0" && *a.ArchitectureType == 1 && *sz.RAM == 2 {
						redisGoods = *sz.PaasGoodsId
					}
				}
			}
		}
		if redisGoods == 0 {
			return errors.New("no Redis 5.0 ha 2 GB")
		}
		return nil
	})
	var cache string
	do("redis.CreateDBInstance", func() error {
		req := redis.NewCreateDBInstanceRequest()
		req.RegionId, req.VdcId, req.BasePipeId, req.InstanceName = s("CN_Beijing_A"), s(f.vdc), s(f.private), s("sdk-cache")
		req.PaasGoodsId, req.Password, req.Amount = i(redisGoods), s("Cache-Passw0rd"), i(1)
		r, err := rdPost.CreateDBInstance(req)
		if err == nil {
			cache = settle(r.TaskId)
		}
		return err
	})
	do("redis.DescribeDBInstances", func() error {
		r, err := rdGet.DescribeDBInstances(redis.NewDescribeDBInstancesRequest())
		if err == nil && (len(r.Data) != 1 || *r.Data[0].InstanceUuid != cache || *r.Data[0].Ram != 2048) {
			err = errors.New("want the cache with 2048 MB")
		}
		return err
	})

	do("redis.DeleteDBInstance", func() error {
		req := redis.NewDeleteDBInstanceRequest()
		req.InstanceUuid = s(cache)
		r, err := rdPost.DeleteDBInstance(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})

	// MongoDB (/mongodb/v1/).
	do("mongodb.DescribeZones", func() error { _, err := mgGet.DescribeZones(nil); return err })
	var mongoGoods int
	do("mongodb.DescribeSpecInfo", func() error {
		req := mongodb.NewDescribeSpecInfoRequest()
		req.RegionId = s("CN_Beijing_A")
		r, err := mgGet.DescribeSpecInfo(req)
		if err != nil {
			return err
		}
		for _, p := range r.Data.Products {
			for _, a := range p.Architectures {
				for _, sz := range a.ComputeRoles[0].Standards.CpuRam {
					if *p.Version == "4.0" && *sz.Name == "2C4G" {
						mongoGoods = *sz.PaasGoodsId
					}
				}
			}
		}
		if mongoGoods == 0 {
			return errors.New("no MongoDB 4.0 2C4G")
		}
		return nil
	})
	var events string
	do("mongodb.CreateDBInstance", func() error {
		req := mongodb.NewCreateDBInstanceRequest()
		req.RegionId, req.VdcId, req.BasePipeId, req.InstanceName = s("CN_Beijing_A"), s(f.vdc), s(f.private), s("sdk-events")
		req.PaasGoodsId, req.DiskType, req.DiskValue, req.Password, req.Version = i(mongoGoods), s("high_disk"), i(100), s("Events-Passw0rd"), s("4.0.3")
		r, err := mgPost.CreateDBInstance(req)
		if err == nil {
			events = settle(r.TaskId)
		}
		return err
	})
	do("mongodb.DescribeDBInstances", func() error {
		r, err := mgGet.DescribeDBInstances(mongodb.NewDescribeDBInstancesRequest())
		if err == nil && (len(r.Data) != 1 || *r.Data[0].InstanceUuid != events) {
			err = errors.New("want the events database")
		}
		return err
	})
	do("mongodb.DeleteDBInstance", func() error {
		req := mongodb.NewDeleteDBInstanceRequest()
		req.InstanceUuid = s(events)
		r, err := mgPost.DeleteDBInstance(req)
		if err == nil {
			settle(r.TaskId)
		}
		return err
	})

	// Every method of the three packages is called or said not served.
	shared := map[string]bool{}
	ct := reflect.TypeOf(&common.Client{})
	for i := 0; i < ct.NumMethod(); i++ {
		shared[ct.Method(i).Name] = true
	}
	var missing []string
	for pkg, c := range map[string]any{"mysql": myGet, "redis": rdGet, "mongodb": mgGet} {
		tp := reflect.TypeOf(c)
		for i := 0; i < tp.NumMethod(); i++ {
			name := pkg + "." + tp.Method(i).Name
			if !shared[tp.Method(i).Name] && !called[name] && sdkDBNotServed[name] == "" {
				missing = append(missing, name)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("SDK methods not covered: %v", missing)
	}
	// Those not served are refused plainly.
	if _, err := myPost.StartBatchRollback(mysql.NewStartBatchRollbackRequest()); err == nil || !strings.Contains(err.Error(), "InvalidAction.NotFound") {
		t.Errorf("StartBatchRollback = %v, want InvalidAction.NotFound", err)
	}
	srv.View(func(w *World) {
		if len(w.Databases) != 0 {
			t.Errorf("%d databases left", len(w.Databases))
		}
	})
}
