package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// addDatabaseRoutes adds the database services' actions, keyed by service
// path and name: their names repeat across services.
func addDatabaseRoutes(m map[string]route) {
	get, post := http.MethodGet, http.MethodPost
	add := func(service, method string, actions ...string) {
		for _, a := range actions {
			m[service+"/"+a] = route{service, method}
		}
	}
	// MySQL概览.md.
	add(svcMySQL, get, "DescribeRegions", "DescribeAvailableDBConfig", "DescribeDBInstances", "DescribeDbPrivileges",
		"DescribeDBAccount", "DescribeModifiableDBSpec", "DescribeAvailableReadOnlyConfig", "DescribeBackups", "DownloadBackup",
		"DescribeDBParameter", "DescribeDBParameterModifyHistory")
	add(svcMySQL, post, "CreateDBInstance", "CreatePrivilegedAccount", "ModifyDbPrivilege", "DeleteDbPrivilege", "DeleteDBAccount",
		"ModifyDBInstanceSpec", "DeleteDBInstance", "CreateReadOnlyDBInstance", "CreateBackup", "DeleteBackup", "ModifyDbBackupPolicy",
		"ModifyDBParameter",
		// Documented under /paas/monitor; the official SDK calls it here.
		"DescribeDBInstancePerformance")
	// Redis概览.md.
	add(svcRedis, get, "DescribeRegins", "DescribeAvailableDBConfig", "DescribeDBInstances", "DescribeBackups", "DownloadBackup")
	add(svcRedis, post, "CreateDBInstance", "DeleteDBInstance", "CreateBackup", "DeleteBackup")
	// 新版MongoDB概览.md and the older MongoDB概览.md.
	add(svcMongoDB, get, "DescribeZones", "DescribeSpecInfo", "DescribeDBInstances")
	add(svcMongoDB, post, "CreateDBInstance", "DeleteDBInstance", "ModifyDBInstanceSpec")
	add(svcMongoDBOld, get, "DescribeZones", "DescribeSpecInfo", "DescribeDBInstances")
	add(svcMongoDBOld, post, "CreateDBInstance", "DeleteDBInstance")
}

func init() {
	my := func(name string, h handler) { register(svcMySQL+"/"+name, h) }
	my("DescribeRegions", func(*Server, params) (any, string, *apiError) { return regionsView(), "", nil })
	my("DescribeAvailableDBConfig", func(s *Server, p params) (any, string, *apiError) { return dbConfig(p, "mysql", true) })
	my("CreateDBInstance", (*Server).createMySQL)
	my("DescribeDBInstances", func(s *Server, p params) (any, string, *apiError) { return s.listDatabases(p, "mysql", s.mysqlView) })
	my("CreatePrivilegedAccount", (*Server).createAccount)
	my("ModifyDbPrivilege", (*Server).modifyPrivilege)
	my("DeleteDbPrivilege", (*Server).deletePrivilege)
	my("DescribeDbPrivileges", func(*Server, params) (any, string, *apiError) { return privilegeDetail, "", nil })
	my("DescribeDBAccount", (*Server).describeAccounts)
	my("DeleteDBAccount", (*Server).deleteAccount)
	my("DescribeModifiableDBSpec", (*Server).modifiableSpec)
	my("ModifyDBInstanceSpec", (*Server).modifyMySQLSpec)
	my("DeleteDBInstance", func(s *Server, p params) (any, string, *apiError) {
		return s.deleteDatabase("DeleteDBInstance", p, "mysql")
	})
	my("DescribeAvailableReadOnlyConfig", (*Server).readOnlyConfig)
	my("CreateReadOnlyDBInstance", (*Server).createReadOnly)
	my("CreateBackup", func(s *Server, p params) (any, string, *apiError) {
		return s.createBackup("CreateBackup", p, "mysql", "physical-backup", "logical-backup")
	})
	my("DescribeBackups", func(s *Server, p params) (any, string, *apiError) { return s.describeBackups(p, "mysql") })
	my("DeleteBackup", func(s *Server, p params) (any, string, *apiError) { return s.deleteBackup("DeleteBackup", p, "mysql") })
	my("DownloadBackup", func(s *Server, p params) (any, string, *apiError) { return s.downloadBackup(p, "mysql") })
	my("ModifyDbBackupPolicy", (*Server).modifyBackupPolicy)
	my("DescribeDBInstancePerformance", (*Server).mysqlPerformance)
	my("DescribeDBParameter", (*Server).describeParameters)
	my("DescribeDBParameterModifyHistory", (*Server).parameterHistory)
	my("ModifyDBParameter", (*Server).modifyParameters)
}

// mysqlGoods is the MySQL catalogue: 5.7 and 8.0, basic (0) and ha (1),
// 1C2G–8C16G; read-only replica sizes 1C2G–8C16G for ha databases.
var mysqlGoods = func() []dbGood {
	var out []dbGood
	sizes := [][2]int{{1, 2}, {2, 4}, {4, 8}, {8, 16}}
	for vi, v := range [][2]string{{"5.7", "5.7.24"}, {"8.0", "8.0.26"}} {
		for arch, a := range [][3]string{{"基础版", "MySQL 基础版", "mysql-basic"}, {"主从", "MySQL 高可用版", "mysql-replication"}} {
			for si, sz := range sizes {
				out = append(out, dbGood{Version: v[0], Listed: v[1], Arch: arch, ArchName: a[0], Sub: a[1], SubKey: a[2],
					CPU: sz[0], RAM: sz[1], Name: fmt.Sprintf("%dC%dG", sz[0], sz[1]), ID: 17000 + 100*vi + 10*arch + si})
			}
		}
		for si, sz := range sizes {
			out = append(out, dbGood{Version: v[0], Listed: v[1], Arch: 1, ArchName: "主从", Sub: "MySQL 只读实例", SubKey: "mysql-readonly",
				CPU: sz[0], RAM: sz[1], Name: fmt.Sprintf("%dC%dG", sz[0], sz[1]), ID: 17200 + 10*vi + si, ReadOnly: true})
		}
	}
	return out
}()

// dbConfig answers a catalogue action.
func dbConfig(p params, product string, disks bool) (any, string, *apiError) {
	region, e := p.need("RegionId")
	if e != nil {
		return nil, "", e
	}
	if !dbSells(region) {
		return nil, "", errorf(400, "InvalidParameter", "Region %s sells no %s.", region, product)
	}
	return configView(product, region, disks), "", nil
}

func (s *Server) createMySQL(p params) (any, string, *apiError) {
	place, name, g, e := s.newDatabase(p, "mysql", "MySQL")
	if e != nil {
		return nil, "", e
	}
	diskType, size, e := dbDiskParams(p)
	if e != nil {
		return nil, "", e
	}
	port, e := dbPort(p, 3306, 9100, 9101)
	if e != nil {
		return nil, "", e
	}
	amount, e := amountParam(p, 10)
	if e != nil {
		return nil, "", e
	}
	tz := p.str("TimeZone")
	if tz == "" {
		tz = "+08:00"
	}
	if !validTimeZone(tz) {
		return nil, "", errorf(400, "InvalidParameter", "TimeZone %q is not one of -12:00 … +13:00.", tz)
	}
	db := Database{Product: "mysql", Name: name, Port: port, Version: g.Listed, Arch: g.Arch, GoodsID: g.ID, CPU: g.CPU, RAM: g.RAM,
		DiskType: diskType, DiskSize: size, TimeZone: tz, Parameters: map[string]string{}}
	if pw := p.str("Password"); pw != "" {
		if e := checkPassword("Password", pw); e != nil {
			return nil, "", e
		}
		db.PasswordHash = hashSecret(pw)
	}
	ids, task, e := s.createDatabases("CreateDBInstance", db, place, amount)
	if e != nil {
		return nil, "", e
	}
	return map[string]any{"InstancesUuid": ids}, task, nil
}

// validTimeZone accepts the documented offsets: whole hours -12…+13 and +05:30.
func validTimeZone(tz string) bool {
	if tz == "+05:30" {
		return true
	}
	if len(tz) != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3:] != ":00" {
		return false
	}
	h, err := strconv.Atoi(tz[1:3])
	return err == nil && (tz[0] == '-' && h <= 12 || tz[0] == '+' && h <= 13)
}

// mysqlGood is the catalogue entry a database was bought as.
func mysqlGood(db *Database) dbGood {
	g, _ := goodByID("mysql", db.GoodsID, db.SourceID != "")
	return g
}

func (s *Server) mysqlView(db *Database) map[string]any {
	g := mysqlGood(db)
	v := s.baseView(db, g)
	v["Cpu"], v["Disks"], v["SubProductKey"], v["Tags"] = db.CPU, db.DiskSize, g.SubKey, []any{}
	ro := []any{}
	var replicas []*Database
	for _, r := range s.world.Databases {
		if r.SourceID == db.ID {
			replicas = append(replicas, r)
		}
	}
	sort.Slice(replicas, func(i, j int) bool { return replicas[i].Seq < replicas[j].Seq })
	for _, r := range replicas {
		progress := 100
		if r.Status == dbCreating {
			progress = 50
		}
		ro = append(ro, map[string]any{"ServiceId": r.ID, "ServiceName": r.Name, "InpaasId": r.ID, "Ip": r.IP, "Port": r.Port,
			"Cpu": r.CPU, "Ram": r.RAM * 1024, "Disks": r.DiskSize, "Status": r.Status, "Message": statusText(r.Status), "Progress": progress,
			"SvcType": "mysql-readonly", "ResourceId": r.ID, "CreateTime": r.Created.Format(time.DateTime), "Locked": ""})
	}
	v["RoGroups"] = ro
	return v
}

// mysqlDB finds a MySQL database or replica and refuses a busy one.
func (s *Server) mysqlDB(p params) (*Database, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, e
	}
	return db, idleDB(db)
}

// account finds AccountName on db.
func account(db *Database, p params) (*DBAccount, *apiError) {
	name, e := p.need("AccountName")
	if e != nil {
		return nil, e
	}
	for i := range db.Accounts {
		if db.Accounts[i].Name == name {
			return &db.Accounts[i], nil
		}
	}
	return nil, errorf(http.StatusNotFound, "ResourceNotFound", "Account %s of database %s does not exist.", name, db.ID)
}

func (s *Server) createAccount(p params) (any, string, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, "", e
	}
	if db.SourceID != "" {
		return nil, "", errorf(400, "UnsupportedOperation", "A read-only replica has its source's accounts.")
	}
	name, e := p.need("AccountName")
	if e != nil {
		return nil, "", e
	}
	pw, e := p.need("Password")
	if e != nil {
		return nil, "", e
	}
	if e := checkPassword("Password", pw); e != nil {
		return nil, "", e
	}
	typ, e := p.need("AccountType")
	if e != nil {
		return nil, "", e
	}
	t, ok := oneOf(typ, "Super", "Normal")
	if !ok {
		return nil, "", errorf(400, "InvalidParameter", "AccountType %q is not Super or Normal.", typ)
	}
	for _, a := range db.Accounts {
		if a.Name == name {
			return nil, "", errorf(http.StatusConflict, "ResourceInUse", "Account %s already exists on database %s.", name, db.ID)
		}
		if t == "Super" && a.Type == "Super" {
			return nil, "", errorf(400, "UnsupportedOperation", "Database %s already has a Super account (%s).", db.ID, a.Name)
		}
	}
	db.Accounts = append(db.Accounts, DBAccount{Name: name, Type: t, Description: p.str("Description"), PasswordHash: hashSecret(pw), Grants: map[string]string{}})
	s.world.touch("database", db.ID)
	return map[string]any{}, "", nil
}

var privileges = []string{"ReadWrite", "DMLOnly", "ReadOnly", "DDLOnly"}

// privilegeDetail says what each privilege grants (DescribeDbPrivileges).
var privilegeDetail = map[string]string{
	"ReadWrite": "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER",
	"DMLOnly":   "SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, SHOW VIEW, EVENT, TRIGGER",
	"ReadOnly":  "SELECT, LOCK TABLES, SHOW VIEW",
	"DDLOnly":   "CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE",
}

// normalAccount finds a Normal account: rights are granted to those only.
func (s *Server) normalAccount(p params) (*Database, *DBAccount, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, nil, e
	}
	a, e := account(db, p)
	if e != nil {
		return nil, nil, e
	}
	if a.Type != "Normal" {
		return nil, nil, errorf(400, "UnsupportedOperation", "Account %s is %s: rights are granted to Normal accounts.", a.Name, a.Type)
	}
	return db, a, nil
}

func (s *Server) modifyPrivilege(p params) (any, string, *apiError) {
	db, a, e := s.normalAccount(p)
	if e != nil {
		return nil, "", e
	}
	ops, e := p.objects("Operations")
	if e != nil {
		return nil, "", e
	}
	if len(ops) == 0 {
		return nil, "", errIncomplete("Operations")
	}
	grants := map[string]string{}
	for i, o := range ops {
		name, priv := o.str("DBName"), o.str("Privilege")
		pv, ok := oneOf(priv, privileges...)
		if name == "" || !ok {
			return nil, "", errorf(400, "InvalidParameter", "Operations[%d]: want a DBName and a Privilege of %s.", i, strings.Join(privileges, ", "))
		}
		grants[name] = pv
	}
	for k, v := range grants {
		a.Grants[k] = v
	}
	if x, _ := p["ExtraPrivilege"].(map[string]any); x != nil {
		a.AllCreate = params(x).str("AllCreate")
	}
	s.world.touch("database", db.ID)
	return nil, "", nil
}

func (s *Server) deletePrivilege(p params) (any, string, *apiError) {
	db, a, e := s.normalAccount(p)
	if e != nil {
		return nil, "", e
	}
	names, e := p.strings("DBNames")
	if e != nil {
		return nil, "", e
	}
	if len(names) == 0 {
		return nil, "", errIncomplete("DBNames")
	}
	for _, n := range names {
		delete(a.Grants, n)
	}
	s.world.touch("database", db.ID)
	return nil, "", nil
}

func (s *Server) describeAccounts(p params) (any, string, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, "", e
	}
	out := []any{}
	for _, a := range db.Accounts {
		var grants any
		if a.Type == "Normal" {
			list := []any{}
			for _, name := range sortedKeysOf(a.Grants) {
				list = append(list, map[string]any{"DBName": name, "TableName": "*", "AccountPrivilegeType": a.Grants[name],
					"AccountPrivilegeDetail": privilegeDetail[a.Grants[name]]})
			}
			grants = list
		}
		var extra any
		if a.AllCreate != "" {
			extra = map[string]any{"AllCreate": a.AllCreate}
		}
		out = append(out, map[string]any{"AccountName": a.Name, "AccountType": a.Type, "AccountStatus": "available",
			"AccountDescription": a.Description, "ServiceId": db.ID, "DatabasePrivileges": grants, "ExtraPrivilege": extra})
	}
	return out, "", nil
}

func sortedKeysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Server) deleteAccount(p params) (any, string, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, "", e
	}
	a, e := account(db, p)
	if e != nil {
		return nil, "", e
	}
	db.Accounts = slices.DeleteFunc(db.Accounts, func(x DBAccount) bool { return x.Name == a.Name })
	s.world.touch("database", db.ID)
	return map[string]any{}, "", nil
}

// sizesFor returns the sizes db may be resized to: those of its version
// and architecture (a replica: the replica sizes).
func sizesFor(db *Database) []dbGood {
	g := mysqlGood(db)
	var out []dbGood
	for _, c := range mysqlGoods {
		if c.Version == g.Version && c.Arch == g.Arch && c.ReadOnly == g.ReadOnly {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) modifiableSpec(p params) (any, string, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, "", e
	}
	d, _ := dbDiskOf(db.DiskType)
	st := standards(sizesFor(db), true, &d)
	return map[string]any{"ProductName": mysqlGood(db).Sub, "RegionId": db.Region, "CpuRam": st["CpuRam"], "AttachDisk": st["AttachDisk"]}, "", nil
}

// modifyMySQLSpec resizes: PaasGoodsId a size of the same version and
// architecture; DiskType (the one bought) and DiskValue the GB to add.
func (s *Server) modifyMySQLSpec(p params) (any, string, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, "", e
	}
	goods := db.GoodsID
	if p.has("PaasGoodsId") {
		id, e := goodsParam(p)
		if e != nil {
			return nil, "", e
		}
		if !slices.ContainsFunc(sizesFor(db), func(g dbGood) bool { return g.ID == id }) {
			return nil, "", errorf(400, "InvalidParameter", "PaasGoodsId %d is not a size database %s can change to (DescribeModifiableDBSpec).", id, db.ID)
		}
		goods = id
	}
	add := 0
	if p.has("DiskValue") {
		n, _, e := p.integer("DiskValue")
		if e != nil {
			return nil, "", e
		}
		if t := p.str("DiskType"); t != db.DiskType {
			return nil, "", errorf(400, "InvalidParameter", "DiskType %q: database %s has %s disks; only more of that type can be added.", t, db.ID, db.DiskType)
		}
		d, _ := dbDiskOf(db.DiskType)
		if n <= 0 || n%d.Step != 0 {
			return nil, "", errorf(400, "InvalidParameter", "DiskValue %d: the disk grows by a positive multiple of %d GB (it never shrinks).", n, d.Step)
		}
		if db.DiskSize+n > d.Exp {
			return nil, "", errorf(400, "InvalidParameter", "DiskValue %d: %d GB would pass the largest disk, %d GB.", n, db.DiskSize+n, d.Exp)
		}
		add = n
	}
	if goods == db.GoodsID && add == 0 {
		return nil, "", errorf(400, "InvalidParameter", "Nothing to change: give another PaasGoodsId or a DiskValue to add.")
	}
	markBusy(&db.Busy, dbModifying, dbRunning)
	task := s.newTask("ModifyDBInstanceSpec", Target{Kind: "database", ID: db.ID, Op: opUpdate})
	if !task.Fail {
		g, _ := goodByID("mysql", goods, db.SourceID != "")
		db.GoodsID, db.CPU, db.RAM = g.ID, g.CPU, g.RAM
		db.DiskSize += add
	}
	s.world.touch("database", db.ID)
	return map[string]any{}, task.ID, nil
}

// haSource finds a database that can have read-only replicas.
func (s *Server) haSource(p params) (*Database, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, e
	}
	if db.SourceID != "" || db.Arch != 1 {
		return nil, errorf(400, "UnsupportedOperation", "Database %s is not an ha (主从) database: only those have read-only replicas.", db.ID)
	}
	return db, nil
}

func (s *Server) readOnlyConfig(p params) (any, string, *apiError) {
	db, e := s.haSource(p)
	if e != nil {
		return nil, "", e
	}
	g := mysqlGood(db)
	var goods []dbGood
	for _, c := range mysqlGoods {
		if c.ReadOnly && c.Version == g.Version {
			goods = append(goods, c)
		}
	}
	return map[string]any{"ArchitectureName": g.ArchName, "SubProductName": "MySQL 只读实例", "Version": g.Version,
		"ComputeRoles": []any{map[string]any{"ComputeName": "通用型", "Standards": standards(goods, true, nil)}}}, "", nil
}

// createReadOnly adds replicas to an ha database: at least its size and
// disk, an address of its private network.
func (s *Server) createReadOnly(p params) (any, string, *apiError) {
	src, e := s.haSource(p)
	if e != nil {
		return nil, "", e
	}
	if e := idleDB(src); e != nil {
		return nil, "", e
	}
	name, e := p.need("InstanceName")
	if e != nil {
		return nil, "", e
	}
	id, e := goodsParam(p)
	if e != nil {
		return nil, "", e
	}
	g, ok := goodByID("mysql", id, true)
	if !ok || g.Version != mysqlGood(src).Version {
		return nil, "", errorf(400, "InvalidParameter", "PaasGoodsId %d is not a read-only size of MySQL %s (DescribeAvailableReadOnlyConfig).", id, mysqlGood(src).Version)
	}
	if g.RAM < src.RAM || g.CPU < src.CPU {
		return nil, "", errorf(400, "InvalidParameter", "A read-only replica is at least its source's size (%dC%dG).", src.CPU, src.RAM)
	}
	diskType, size, e := dbDiskParams(p)
	if e != nil {
		return nil, "", e
	}
	if size < src.DiskSize {
		return nil, "", errorf(400, "InvalidParameter", "DiskValue %d: a read-only replica's disk is at least its source's (%d GB).", size, src.DiskSize)
	}
	port, e := dbPort(p, src.Port, 9100, 9101)
	if e != nil {
		return nil, "", e
	}
	amount, e := amountParam(p, 3)
	if e != nil {
		return nil, "", e
	}
	place := &dbPlace{vdc: s.world.VDCs[src.VdcID], private: s.world.Privates[src.PrivateID], region: src.Region}
	if place.vdc == nil || place.private == nil {
		return nil, "", errorf(500, "InternalError", "Database %s has lost its network.", src.ID)
	}
	db := Database{Product: "mysql", SourceID: src.ID, Name: name, Port: port, Version: src.Version, Arch: 1, GoodsID: g.ID,
		CPU: g.CPU, RAM: g.RAM, DiskType: diskType, DiskSize: size, TimeZone: src.TimeZone}
	_, task, e := s.createDatabases("CreateReadOnlyDBInstance", db, place, amount)
	if e != nil {
		return nil, "", e
	}
	return map[string]any{}, task, nil
}

var weekdays = []string{"0", "1", "2", "3", "4", "5", "6"}

func (s *Server) modifyBackupPolicy(p params) (any, string, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, "", e
	}
	if db.Arch != 1 || db.SourceID != "" {
		return nil, "", errorf(400, "UnsupportedOperation", "Automatic backups are set on ha (高可用版) databases; %s is not one.", db.ID)
	}
	x, _ := p["DataBackups"].(map[string]any)
	if x == nil {
		return nil, "", errIncomplete("DataBackups")
	}
	dp := params(x)
	slot := dp.str("TimeSlot")
	if !validSlot(slot) {
		return nil, "", errorf(400, "InvalidParameter", "DataBackups.TimeSlot %q is not an hour such as 13:00-14:00.", slot)
	}
	days, e := dp.strings("DateList")
	if e != nil {
		return nil, "", e
	}
	for _, d := range days {
		if !slices.Contains(weekdays, d) {
			return nil, "", errorf(400, "InvalidParameter", "DataBackups.DateList: %q is not a weekday 0–6.", d)
		}
	}
	sign, ok, e := dp.integer("Sign")
	if e != nil || !ok || sign != 0 && sign != 1 {
		return nil, "", errorf(400, "InvalidParameter", "DataBackups.Sign must be 0 or 1.")
	}
	slices.Sort(days)
	db.Backup = &BackupPolicy{TimeSlot: slot, DateList: slices.Compact(days), Sign: sign}
	s.world.touch("database", db.ID)
	return nil, "", nil
}

// validSlot accepts "HH:00-HH+1:00" (23:00-24:00 ends the day).
func validSlot(slot string) bool {
	var a, b int
	if _, err := fmt.Sscanf(slot, "%02d:00-%02d:00", &a, &b); err != nil || len(slot) != 11 {
		return false
	}
	return a >= 0 && a <= 23 && b == a+1
}

var mysqlMetrics = []string{"mysql_cpu_usage", "mysql_mem_usage", "mysql_space_usage", "mysql_network_trffice", "mysql_sessions", "mysql_slow_queries"}

func (s *Server) mysqlPerformance(p params) (any, string, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, "", e
	}
	key, e := p.need("MetricKey")
	if e != nil {
		return nil, "", e
	}
	if !slices.Contains(mysqlMetrics, key) {
		return nil, "", errorf(400, "InvalidParameter", "MetricKey %q is not one of %s.", key, strings.Join(mysqlMetrics, ", "))
	}
	start, err1 := time.Parse(time.DateTime, p.str("StartTime"))
	end, err2 := time.Parse(time.DateTime, p.str("EndTime"))
	if err1 != nil || err2 != nil || !end.After(start) || end.Sub(start) > 30*24*time.Hour {
		return nil, "", errorf(400, "InvalidParameter", "StartTime and EndTime: two times such as 2026-11-30 14:00:00, at most 30 days apart.")
	}
	period := 30 * time.Second
	switch span := end.Sub(start); {
	case span > 10*24*time.Hour:
		period = time.Hour
	case span > 2*24*time.Hour:
		period = 5 * time.Minute
	case span > 4*time.Hour:
		period = time.Minute
	}
	values := []any{}
	for t := start; !t.After(end) && len(values) < 1000; t = t.Add(period) {
		var v any = round3(seriesValue(db.ID, key, t.Unix()/int64(period/time.Second)))
		if key == "mysql_sessions" || key == "mysql_slow_queries" {
			v = int(v.(float64)) // counts are whole: the official SDK reads them as int
		}
		values = append(values, map[string]any{"DateTime": t.Format(time.DateTime), "Value": v})
	}
	return map[string]any{"InstanceUuid": db.ID, "MetricKey": key, "ProductType": mysqlGood(db).SubKey, "Period": int(period / time.Second),
		"StartTime": start.Format(time.DateTime), "EndTime": end.Format(time.DateTime),
		"DataPoints": []any{map[string]any{"MetricName": strings.TrimPrefix(key, "mysql_"), "MetricType": "gauge", "MonitorType": metricType(key), "Unit": "", "Values": values}}}, "", nil
}

// metricType is where a metric comes from: the host or the engine.
func metricType(key string) string {
	if key == "mysql_sessions" || key == "mysql_slow_queries" {
		return "engine"
	}
	return "resources"
}

// A mysqlParam is a server parameter: its default, its range and whether
// a change needs a restart.
type mysqlParam struct {
	Name, Default, Description string
	Min, Max                   int
	Restart                    bool
}

var mysqlParams = []mysqlParam{
	{"back_log", "3000", "Outstanding connection requests MySQL can queue.", 1, 65535, true},
	{"connect_timeout", "10", "Seconds the server waits for a connect packet.", 2, 31536000, false},
	{"innodb_ft_max_token_size", "84", "Maximum length of words stored in an InnoDB FULLTEXT index.", 10, 84, true},
	{"max_connections", "2000", "Maximum simultaneous client connections.", 1, 100000, false},
	{"slow_query_log", "1", "Whether the slow query log is on.", 0, 1, false},
	{"long_query_time", "1", "Seconds after which a query counts as slow.", 0, 3600, false},
	{"wait_timeout", "28800", "Seconds an idle connection is kept.", 1, 31536000, false},
}

func paramOf(name string) (mysqlParam, bool) {
	for _, m := range mysqlParams {
		if m.Name == name {
			return m, true
		}
	}
	return mysqlParam{}, false
}

func (s *Server) describeParameters(p params) (any, string, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, "", e
	}
	list := []any{}
	for _, m := range mysqlParams {
		cur := m.Default
		if v, ok := db.Parameters[m.Name]; ok {
			cur = v
		}
		list = append(list, map[string]any{"Name": m.Name, "CurrentValue": cur, "DefaultValue": m.Default, "Description": m.Description,
			"IsModify": "true", "IsRestart": strconv.FormatBool(m.Restart), "CheckingCode": fmt.Sprintf("[%d-%d]", m.Min, m.Max)})
	}
	return map[string]any{"Parameters": list}, "", nil
}

func (s *Server) parameterHistory(p params) (any, string, *apiError) {
	db, e := s.database(p, "mysql")
	if e != nil {
		return nil, "", e
	}
	start, err1 := time.Parse(time.DateTime, p.str("StartTime"))
	end, err2 := time.Parse(time.DateTime, p.str("EndTime"))
	if err1 != nil || err2 != nil {
		return nil, "", errorf(400, "InvalidParameter", "StartTime and EndTime: two times such as 2026-11-30 14:00:00.")
	}
	list := []any{}
	for _, c := range db.ParamHistory {
		if c.At.Before(start) || c.At.After(end) {
			continue
		}
		list = append(list, map[string]any{"ParameterName": c.Name, "OldParameterValue": c.Old, "NewParameterValue": c.New,
			"ModifyTime": c.At.Format(time.DateTime), "ModifyRole": "用户", "StatusMessage": "已生效", "IsValid": true})
	}
	return list, "", nil
}

func (s *Server) modifyParameters(p params) (any, string, *apiError) {
	db, e := s.mysqlDB(p)
	if e != nil {
		return nil, "", e
	}
	list, e := p.objects("Parameters")
	if e != nil {
		return nil, "", e
	}
	if len(list) == 0 {
		return nil, "", errIncomplete("Parameters")
	}
	set := map[string]string{}
	for i, o := range list {
		name, value := o.str("Name"), o.str("Value")
		m, ok := paramOf(name)
		if !ok {
			return nil, "", errorf(400, "InvalidParameter", "Parameters[%d]: %q is not a parameter that can be changed.", i, name)
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < m.Min || n > m.Max {
			return nil, "", errorf(400, "InvalidParameter", "Parameters[%d]: %s=%q is not in [%d-%d].", i, name, value, m.Min, m.Max)
		}
		set[name] = value
	}
	markBusy(&db.Busy, dbModifying, dbRunning)
	task := s.newTask("ModifyDBParameter", Target{Kind: "database", ID: db.ID, Op: opUpdate})
	if !task.Fail {
		now := s.now()
		for _, name := range sortedKeysOf(set) {
			old := db.Parameters[name]
			if old == "" {
				m, _ := paramOf(name)
				old = m.Default
			}
			if db.Parameters == nil {
				db.Parameters = map[string]string{}
			}
			db.Parameters[name] = set[name]
			db.ParamHistory = append(db.ParamHistory, ParamChange{Name: name, Old: old, New: set[name], At: now})
		}
	}
	s.world.touch("database", db.ID)
	return map[string]any{}, task.ID, nil
}
