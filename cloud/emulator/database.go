package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// A Database is a managed database: MySQL (a read-only replica when
// SourceID is set), Redis or MongoDB. Its address comes from a private
// network of its VDC.
type Database struct {
	Busy
	ID           string            `json:"id"`
	Seq          uint64            `json:"seq"`
	Product      string            `json:"product"` // mysql, redis, mongodb
	SourceID     string            `json:"source_id,omitempty"`
	Name         string            `json:"name"`
	VdcID        string            `json:"vdc_id"`
	Region       string            `json:"region"`
	PrivateID    string            `json:"private_id"`
	IP           string            `json:"ip"`
	Port         int               `json:"port"`
	Version      string            `json:"version"` // as listed: 5.7.24, 4.0.3
	Arch         int               `json:"arch"`
	GoodsID      int               `json:"goods_id"`
	CPU          int               `json:"cpu"`
	RAM          int               `json:"ram"` // GB
	DiskType     string            `json:"disk_type,omitempty"`
	DiskSize     int               `json:"disk_size,omitempty"`
	TimeZone     string            `json:"time_zone,omitempty"`
	PasswordHash string            `json:"password_hash,omitempty"`
	Accounts     []DBAccount       `json:"accounts,omitempty"`
	Parameters   map[string]string `json:"parameters,omitempty"`
	ParamHistory []ParamChange     `json:"param_history,omitempty"`
	Backup       *BackupPolicy     `json:"backup,omitempty"`
	Backups      []BackupSet       `json:"backups,omitempty"`
	Created      time.Time         `json:"created"`
}

// A DBAccount is a MySQL account; Grants maps a database to a privilege.
type DBAccount struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"` // Super, Normal
	Description  string            `json:"description,omitempty"`
	PasswordHash string            `json:"password_hash"`
	Grants       map[string]string `json:"grants,omitempty"`
	AllCreate    string            `json:"all_create,omitempty"`
}

// A ParamChange is one change of a MySQL parameter.
type ParamChange struct {
	Name string    `json:"name"`
	Old  string    `json:"old"`
	New  string    `json:"new"`
	At   time.Time `json:"at"`
}

// A BackupPolicy is a MySQL database's automatic backup setting.
type BackupPolicy struct {
	TimeSlot string   `json:"time_slot"`
	DateList []string `json:"date_list"`
	Sign     int      `json:"sign"`
}

// A BackupSet is one backup of a database.
type BackupSet struct {
	ID       string    `json:"id"`
	Type     string    `json:"type"`
	Desc     string    `json:"desc"`
	DBList   []string  `json:"db_list,omitempty"`
	Size     int       `json:"size"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
}

// Database statuses as the listings show them.
const (
	dbCreating  = "CREATING"
	dbRunning   = "RUNNING"
	dbModifying = "MODIFYING"
	dbDeleting  = "DELETING"
)

// dbRegions are the regions that sell the three products.
var dbRegions = []struct{ ID, City, Area, Site string }{
	{"CN_Beijing_A", "北京", "中国大陆", "北京1"},
	{"CN_Wuxi_A", "无锡", "中国大陆", "无锡1"},
	{"CN_Hongkong_A", "香港", "亚太地区", "香港1"},
}

func dbSells(region string) bool {
	for _, r := range dbRegions {
		if r.ID == region {
			return true
		}
	}
	return false
}

// A dbGood is one size of one version and architecture of a product.
type dbGood struct {
	Version  string // as the catalogue names it (5.7, 4.0)
	Listed   string // as listings show it (5.7.24, 4.0.3)
	Arch     int
	ArchName string
	Sub      string // SubProductName
	SubKey   string // SubProductKey
	CPU, RAM int
	Name     string
	ID       int
	ReadOnly bool // a MySQL read-only replica size
}

// A dbDisk is a disk type a product sells.
type dbDisk struct {
	Value, Name, Iops   string
	Min, Max, Step, Exp int
}

// dbDisks are the disk types of MySQL and MongoDB: 100–2000 GB in steps of 100.
var dbDisks = []dbDisk{
	{Value: "ssd_disk", Name: "SSD", Iops: "5000", Min: 100, Max: 2000, Step: 100, Exp: 2000},
	{Value: "high_disk", Name: "性能型", Iops: "3000", Min: 100, Max: 2000, Step: 100, Exp: 2000},
}

func dbDiskOf(value string) (dbDisk, bool) {
	for _, d := range dbDisks {
		if d.Value == value {
			return d, true
		}
	}
	return dbDisk{}, false
}

// catalogueOf returns the goods of a product.
func catalogueOf(product string) []dbGood {
	switch product {
	case "mysql":
		return mysqlGoods
	case "redis":
		return redisGoods
	case "mongodb":
		return mongoGoods
	}
	return nil
}

// goodByID finds a good of product (read-only sizes with ro).
func goodByID(product string, id int, ro bool) (dbGood, bool) {
	for _, g := range catalogueOf(product) {
		if g.ID == id && g.ReadOnly == ro {
			return g, true
		}
	}
	return dbGood{}, false
}

// configView answers DescribeAvailableDBConfig / DescribeSpecInfo.
func configView(product, region string, disks bool) map[string]any {
	type key struct {
		v    string
		arch int
	}
	var versions []string
	byArch := map[key][]dbGood{}
	archs := map[string][]int{}
	for _, g := range catalogueOf(product) {
		if g.ReadOnly {
			continue
		}
		k := key{g.Version, g.Arch}
		if _, ok := archs[g.Version]; !ok {
			versions = append(versions, g.Version)
		}
		if len(byArch[k]) == 0 {
			archs[g.Version] = append(archs[g.Version], g.Arch)
		}
		byArch[k] = append(byArch[k], g)
	}
	products := []any{}
	for _, v := range versions {
		var list []any
		for _, a := range archs[v] {
			goods := byArch[key{v, a}]
			list = append(list, map[string]any{
				"ArchitectureName": goods[0].ArchName, "ArchitectureType": a, "SubProductName": goods[0].Sub, "EnginesType": []string{},
				"NetworkLinks": []any{map[string]any{"LinkType": "default_link", "Name": "默认链路", "DescDetail": "The database takes an address of a private network of the VDC."}},
				"ComputeRoles": []any{map[string]any{"ComputeName": "通用型", "ComputeType": 0, "Standards": standards(goods, disks, nil)}},
			})
		}
		products = append(products, map[string]any{"Version": v, "Architectures": list})
	}
	return map[string]any{"ProductName": product, "RegionId": region, "Products": products}
}

// standards is a compute role's sizes and, with disks, disk types (only
// only, when set).
func standards(goods []dbGood, disks bool, only *dbDisk) map[string]any {
	sizes := []any{}
	for _, g := range goods {
		sizes = append(sizes, map[string]any{"CPU": g.CPU, "RAM": g.RAM, "Name": g.Name, "PaasGoodsId": g.ID})
	}
	attach := []any{}
	if disks {
		for _, d := range dbDisks {
			if only != nil && d.Value != only.Value {
				continue
			}
			attach = append(attach, map[string]any{"DiskValue": d.Value, "DiskName": d.Name, "BasicIops": d.Iops, "DiskUnit": "G",
				"DiskMin": d.Min, "DiskMax": d.Max, "DiskStep": d.Step, "DiskMaxExpand": d.Exp})
		}
	}
	return map[string]any{"CpuRam": sizes, "AttachDisk": attach}
}

// regionsView answers DescribeRegions / DescribeRegins / DescribeZones.
func regionsView() []any {
	out := []any{}
	for _, r := range dbRegions {
		out = append(out, map[string]any{"RegionId": r.ID, "RegionName": r.Area, "CityName": r.City, "SiteName": r.Site,
			"CityId": fmt.Sprintf("%x", r.City), "IsSaling": 1})
	}
	return out
}

// dbPlace is where a new database goes: its VDC, region and private network.
type dbPlace struct {
	vdc     *VDC
	private *PrivateNet
	region  string
}

// placeDatabase checks RegionId, VdcId and BasePipeId: the region sells
// databases, the VDC is in it and idle, the private network belongs to it.
func (s *Server) placeDatabase(p params) (*dbPlace, *apiError) {
	w := s.world
	region, e := p.need("RegionId")
	if e != nil {
		return nil, e
	}
	if !dbSells(region) {
		return nil, errorf(400, "InvalidParameter", "Region %s sells no databases.", region)
	}
	v, e := s.idleVdc(p, "InvalidVDCID.Malformed")
	if e != nil {
		return nil, e
	}
	if v.Region != region {
		return nil, errorf(400, "InvalidParameter", "Vdc %s is in %s, not %s.", v.ID, v.Region, region)
	}
	pipe, e := p.need("BasePipeId")
	if e != nil {
		return nil, e
	}
	pn, ok := w.Privates[pipe]
	if !ok || pn.VdcID != v.ID {
		return nil, errorf(400, "InvalidParameter", "Private network %s (BasePipeId) is not in Vdc %s.", pipe, v.ID)
	}
	if pn.Status != statusOK {
		return nil, errorf(409, "ResourceInUse", "Private network %s is %s.", pn.ID, pn.Status)
	}
	return &dbPlace{vdc: v, private: pn, region: region}, nil
}

// freeIP returns the first free host address of pn, or "".
func (w *World) freeIP(pn *PrivateNet) string {
	first, last := pn.hostRange()
	for n := first; n <= last; n++ {
		if ip := ipString(n); !w.ipUsed(pn.ID, ip) {
			return ip
		}
	}
	return ""
}

// dbPort reads ServicePort: default def, 1024–65535 except reserved.
func dbPort(p params, def int, reserved ...int) (int, *apiError) {
	port, ok, e := p.integer("ServicePort")
	if e != nil {
		return 0, e
	}
	if !ok {
		return def, nil
	}
	if port < 1024 || port > 65535 {
		return 0, errorf(400, "InvalidParameter", "ServicePort %d is not in 1024–65535.", port)
	}
	for _, r := range reserved {
		if port == r {
			return 0, errorf(400, "InvalidParameter", "ServicePort %d is reserved.", port)
		}
	}
	return port, nil
}

// dbDiskParams reads DiskType and DiskValue (the size) of a create.
func dbDiskParams(p params) (string, int, *apiError) {
	t, e := p.need("DiskType")
	if e != nil {
		return "", 0, e
	}
	d, ok := dbDiskOf(t)
	if !ok {
		return "", 0, errorf(400, "InvalidParameter", "DiskType %q is not on sale (ssd_disk, high_disk).", t)
	}
	size, has, e := p.integer("DiskValue")
	if e != nil {
		return "", 0, e
	}
	if !has {
		return "", 0, errIncomplete("DiskValue")
	}
	if size < d.Min || size > d.Max || (size-d.Min)%d.Step != 0 {
		return "", 0, errorf(400, "InvalidParameter", "DiskValue %d is not %d–%d GB in steps of %d.", size, d.Min, d.Max, d.Step)
	}
	return t, size, nil
}

// amountParam reads Amount, 1 by default, at most max.
func amountParam(p params, most int) (int, *apiError) {
	n, ok, e := p.integer("Amount")
	if e != nil {
		return 0, e
	}
	if !ok {
		return 1, nil
	}
	if n < 1 || n > most {
		return 0, errorf(400, "InvalidParameter", "Amount %d is not 1–%d.", n, most)
	}
	return n, nil
}

// goodsParam reads PaasGoodsId: a number, or a number as text (the older
// MongoDB document types it as a string).
func goodsParam(p params) (int, *apiError) {
	id, ok, e := p.integer("PaasGoodsId")
	if e != nil {
		return 0, e
	}
	if !ok {
		return 0, errIncomplete("PaasGoodsId")
	}
	return id, nil
}

// createDatabases adds amount databases like proto, each with an address
// of the private network, and starts the task that brings them up.
func (s *Server) createDatabases(action string, proto Database, place *dbPlace, amount int) ([]string, string, *apiError) {
	w := s.world
	if s.opts.Arrears {
		return nil, "", errorf(400, "CreateOrderExcept", "Your account does not have enough balance.")
	}
	if w.unusedPrivateIPs(place.private) < amount {
		return nil, "", errorf(400, "InvalidParameter", "No free address is left in private network %s.", place.private.cidr())
	}
	now := s.now()
	var ids []string
	var targets []Target
	for i := 0; i < amount; i++ {
		db := proto
		w.seq++
		db.ID, db.Seq, db.Created = w.newID(), w.seq, now
		db.VdcID, db.Region, db.PrivateID = place.vdc.ID, place.region, place.private.ID
		db.IP = w.freeIP(place.private)
		w.claimIP(db.PrivateID, db.IP, db.ID)
		markBusy(&db.Busy, dbCreating, dbRunning)
		w.Databases[db.ID] = &db
		w.touch("database", db.ID)
		ids = append(ids, db.ID)
		targets = append(targets, Target{Kind: "database", ID: db.ID, Op: opCreate})
	}
	return ids, s.newTask(action, targets...).ID, nil
}

// database finds the database InstanceUuid names, of product.
func (s *Server) database(p params, product string) (*Database, *apiError) {
	id, e := p.need("InstanceUuid")
	if e != nil {
		return nil, e
	}
	db, ok := s.world.Databases[id]
	if !ok || db.Product != product {
		return nil, errorf(http.StatusNotFound, "ResourceNotFound", "The %s database %s does not exist.", product, id)
	}
	return db, nil
}

// idleDB refuses a change to a database a task is changing.
func idleDB(db *Database) *apiError {
	if db.TaskID != "" || db.Status != dbRunning {
		return errorf(http.StatusConflict, "ResourceInUse", "Database %s is %s: another task holds it.", db.ID, db.Status)
	}
	return nil
}

// deleteDatabase starts deleting db; a MySQL source with replicas is refused.
func (s *Server) deleteDatabase(action string, p params, product string) (any, string, *apiError) {
	db, e := s.database(p, product)
	if e != nil {
		return nil, "", e
	}
	if e := idleDB(db); e != nil {
		return nil, "", e
	}
	for _, r := range s.world.Databases {
		if r.SourceID == db.ID {
			return nil, "", errorf(http.StatusConflict, "ResourceInUse", "Database %s still has read-only replica %s.", db.ID, r.ID)
		}
	}
	markBusy(&db.Busy, dbDeleting, db.Status)
	s.world.touch("database", db.ID)
	return map[string]any{}, s.newTask(action, Target{Kind: "database", ID: db.ID, Op: opDelete}).ID, nil
}

// listDatabases answers DescribeDBInstances for product: the databases
// (not the replicas, which their source lists in RoGroups), oldest first,
// filtered by InstanceUuid, InstanceName, IP (a part of it) and TagName.
func (s *Server) listDatabases(p params, product string, view func(*Database) map[string]any) (any, string, *apiError) {
	w := s.world
	var out []*Database
	for _, db := range w.Databases {
		if db.Product != product || db.SourceID != "" {
			continue
		}
		if id := p.str("InstanceUuid"); id != "" && id != db.ID {
			continue
		}
		if n := p.str("InstanceName"); n != "" && n != db.Name {
			continue
		}
		if ip := p.str("IP"); ip != "" && !strings.Contains(db.IP, ip) {
			continue
		}
		if p.has("TagName") {
			continue // the emulator's databases carry no tags
		}
		out = append(out, db)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	list := []any{}
	for _, db := range out {
		list = append(list, view(db))
	}
	return list, "", nil
}

// baseView is what the three listings share.
func (s *Server) baseView(db *Database, g dbGood) map[string]any {
	vdcName := ""
	if v := s.world.VDCs[db.VdcID]; v != nil {
		vdcName = v.Name
	}
	return map[string]any{"InstanceUuid": db.ID, "InstanceName": db.Name, "IP": db.IP, "Port": db.Port, "Ram": db.RAM * 1024,
		"RegionId": db.Region, "VdcId": db.VdcID, "VdcName": vdcName, "DisplayName": db.Region, "Status": db.Status,
		"StatusStr": statusText(db.Status), "SubProductName": g.Sub, "Version": db.Version, "LinkType": "default_link",
		"LinkTypeStr": "默认链路", "ResourceId": db.ID, "CreatedTime": db.Created.Format(time.DateTime), "MasterInfo": "",
		"RelationService": nil, "ProjectName": "默认项目组"}
}

func statusText(status string) string {
	return map[string]string{dbCreating: "创建中", dbRunning: "运行中", dbModifying: "变更中", dbDeleting: "删除中"}[status]
}

// backupView is one backup set as DescribeBackups shows it.
func backupView(db *Database, b BackupSet) map[string]any {
	strategy := "instance"
	if len(b.DBList) > 0 {
		strategy = "db"
	}
	return map[string]any{"BackupId": b.ID, "InstanceId": db.ID, "Status": "finished", "BackupType": b.Type, "BackupMode": "manual",
		"BackupSize": b.Size, "Desc": b.Desc, "StartTime": b.Started.Format(time.DateTime), "EndTime": b.Finished.Format(time.DateTime),
		"BackupStrategy": strategy, "BackupFinishTime": b.Finished.Format(time.DateTime)}
}

// Backups (MySQL and Redis share the four actions).
func (s *Server) createBackup(action string, p params, product string, types ...string) (any, string, *apiError) {
	db, e := s.database(p, product)
	if e != nil {
		return nil, "", e
	}
	if e := idleDB(db); e != nil {
		return nil, "", e
	}
	typ := p.str("BackupType")
	if typ == "" {
		typ = types[0]
	}
	t, ok := oneOf(typ, types...)
	if !ok {
		return nil, "", errorf(400, "InvalidParameter", "BackupType %q is not one of %s.", typ, strings.Join(types, ", "))
	}
	dbs, e := p.strings("DBList")
	if e != nil {
		return nil, "", e
	}
	now := s.now()
	task := s.newTask(action, Target{Kind: "backup", ID: db.ID, Op: opUpdate}) // the database stays usable
	if !task.Fail {
		db.Backups = append(db.Backups, BackupSet{ID: s.world.newID(), Type: t, Desc: p.str("Desc"), DBList: dbs,
			Size: 4096 * (1 + db.RAM), Started: now, Finished: now.Add(time.Minute)})
		s.world.touch("database", db.ID)
	}
	return map[string]any{}, task.ID, nil
}

func (s *Server) describeBackups(p params, product string) (any, string, *apiError) {
	db, e := s.database(p, product)
	if e != nil {
		return nil, "", e
	}
	list := []any{}
	for _, b := range db.Backups {
		list = append(list, backupView(db, b))
	}
	return list, "", nil
}

func (s *Server) backupOf(p params, product string) (*Database, int, *apiError) {
	db, e := s.database(p, product)
	if e != nil {
		return nil, 0, e
	}
	id, e := p.need("BackupId")
	if e != nil {
		return nil, 0, e
	}
	for i, b := range db.Backups {
		if b.ID == id {
			return db, i, nil
		}
	}
	return nil, 0, errorf(http.StatusNotFound, "ResourceNotFound", "Backup %s of database %s does not exist.", id, db.ID)
}

func (s *Server) deleteBackup(action string, p params, product string) (any, string, *apiError) {
	db, i, e := s.backupOf(p, product)
	if e != nil {
		return nil, "", e
	}
	task := s.newTask(action, Target{Kind: "backup", ID: db.ID, Op: opUpdate})
	if !task.Fail {
		db.Backups = append(db.Backups[:i], db.Backups[i+1:]...)
		s.world.touch("database", db.ID)
	}
	return map[string]any{}, task.ID, nil
}

func (s *Server) downloadBackup(p params, product string) (any, string, *apiError) {
	db, i, e := s.backupOf(p, product)
	if e != nil {
		return nil, "", e
	}
	v := backupView(db, db.Backups[i])
	v["BackupDownloadUrl"] = "https://backup.emulator.invalid/" + db.Backups[i].ID
	v["BackupIntranetDownloadUrl"] = "http://" + db.IP + ":8080/" + db.Backups[i].ID
	return v, "", nil
}

// checkPassword applies the rule of instance passwords to a database's:
// 8–30 characters.
func checkPassword(name, pw string) *apiError {
	if n := len(pw); n < 8 || n > 30 {
		return errorf(400, "InvalidParameter", "%s must be 8–30 characters.", name)
	}
	return nil
}

// newDatabase reads what every database create starts with: where it goes
// (placeDatabase), its InstanceName, and a size of product on sale (label
// names the product in the error).
func (s *Server) newDatabase(p params, product, label string) (*dbPlace, string, dbGood, *apiError) {
	place, e := s.placeDatabase(p)
	if e != nil {
		return nil, "", dbGood{}, e
	}
	name, e := p.need("InstanceName")
	if e != nil {
		return nil, "", dbGood{}, e
	}
	id, e := goodsParam(p)
	if e != nil {
		return nil, "", dbGood{}, e
	}
	g, ok := goodByID(product, id, false)
	if !ok {
		return nil, "", dbGood{}, errorf(400, "InvalidParameter", "PaasGoodsId %d is not a %s size on sale.", id, label)
	}
	return place, name, g, nil
}
