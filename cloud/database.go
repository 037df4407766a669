package cloud

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// databaseActions lists the actions of the managed database services with
// the path and method each document gives them. DescribeDBInstancePerformance
// is documented under /paas/monitor but the official SDK calls it under
// /mysql/, where the emulator serves it too.
func databaseActions() []ActionSpec {
	get, post := http.MethodGet, http.MethodPost
	return []ActionSpec{
		// MySQL概览.md: 24 actions.
		{"DescribeRegions", ServiceMySQL, get, true, false},
		{"DescribeAvailableDBConfig", ServiceMySQL, get, true, false},
		{"CreateDBInstance", ServiceMySQL, post, false, true},
		{"DescribeDBInstances", ServiceMySQL, get, true, false},
		{"CreatePrivilegedAccount", ServiceMySQL, post, false, true},
		{"ModifyDbPrivilege", ServiceMySQL, post, false, false},
		{"DeleteDbPrivilege", ServiceMySQL, post, false, false},
		{"DescribeDbPrivileges", ServiceMySQL, get, true, false},
		{"DescribeDBAccount", ServiceMySQL, get, true, false},
		{"DeleteDBAccount", ServiceMySQL, post, false, true},
		{"DescribeModifiableDBSpec", ServiceMySQL, get, true, false},
		{"ModifyDBInstanceSpec", ServiceMySQL, post, false, true},
		{"DeleteDBInstance", ServiceMySQL, post, false, true},
		{"DescribeAvailableReadOnlyConfig", ServiceMySQL, get, true, false},
		{"CreateReadOnlyDBInstance", ServiceMySQL, post, false, true},
		{"CreateBackup", ServiceMySQL, post, false, true},
		{"DescribeBackups", ServiceMySQL, get, true, false},
		{"DeleteBackup", ServiceMySQL, post, false, true},
		{"DownloadBackup", ServiceMySQL, get, true, false},
		{"ModifyDbBackupPolicy", ServiceMySQL, post, false, false},
		{"DescribeDBInstancePerformance", ServiceMySQL, post, true, false},
		{"DescribeDBParameter", ServiceMySQL, get, true, false},
		{"DescribeDBParameterModifyHistory", ServiceMySQL, get, true, false},
		{"ModifyDBParameter", ServiceMySQL, post, false, true},
		// Redis概览.md: 9 actions; it spells DescribeRegins.
		{"DescribeRegins", ServiceRedis, get, true, false},
		{"DescribeAvailableDBConfig", ServiceRedis, get, true, false},
		{"CreateDBInstance", ServiceRedis, post, false, true},
		{"DescribeDBInstances", ServiceRedis, get, true, false},
		{"DeleteDBInstance", ServiceRedis, post, false, true},
		{"DescribeBackups", ServiceRedis, get, true, false},
		{"DownloadBackup", ServiceRedis, get, true, false},
		{"CreateBackup", ServiceRedis, post, false, true},
		{"DeleteBackup", ServiceRedis, post, false, true},
		// 新版MongoDB概览.md: 6 actions under /mongodb/v1.
		{"DescribeZones", ServiceMongoDB, get, true, false},
		{"DescribeSpecInfo", ServiceMongoDB, get, true, false},
		{"CreateDBInstance", ServiceMongoDB, post, false, true},
		{"DescribeDBInstances", ServiceMongoDB, get, true, false},
		{"DeleteDBInstance", ServiceMongoDB, post, false, true},
		{"ModifyDBInstanceSpec", ServiceMongoDB, post, false, true},
		// MongoDB概览.md: the older 5 under /mongodb.
		{"DescribeZones", ServiceMongoDBOld, get, true, false},
		{"DescribeSpecInfo", ServiceMongoDBOld, get, true, false},
		{"CreateDBInstance", ServiceMongoDBOld, post, false, true},
		{"DescribeDBInstances", ServiceMongoDBOld, get, true, false},
		{"DeleteDBInstance", ServiceMongoDBOld, post, false, true},
	}
}

// A DBRegion is a site where a database product is sold (DescribeRegions,
// DescribeRegins, DescribeZones).
type DBRegion struct {
	RegionID   string `json:"RegionId"`
	RegionName string `json:"RegionName"`
	CityID     string `json:"CityId"`
	CityName   string `json:"CityName"`
	SiteName   string `json:"SiteName"`
	IsSaling   Int    `json:"IsSaling"`
}

// A DBConfig is what a region sells of a database product
// (DescribeAvailableDBConfig, DescribeSpecInfo).
type DBConfig struct {
	ProductName string          `json:"ProductName"`
	RegionID    string          `json:"RegionId"`
	Products    List[DBProduct] `json:"Products"`
}

// A DBProduct is one version and its architectures.
type DBProduct struct {
	Version       Str                  `json:"Version"`
	Architectures List[DBArchitecture] `json:"Architectures"`
}

// A DBArchitecture is one architecture of a version: MySQL 0 basic, 1 ha;
// Redis 1 ha, 2 cluster, 3 economy. EnginesType is a list in the examples
// and "string" in the tables: it is not decoded.
type DBArchitecture struct {
	ArchitectureName string              `json:"ArchitectureName"`
	ArchitectureType Int                 `json:"ArchitectureType"`
	SubProductName   string              `json:"SubProductName"`
	ComputeRoles     List[DBComputeRole] `json:"ComputeRoles"`
	NetworkLinks     List[DBNetworkLink] `json:"NetworkLinks"`
	EnginesType      json.RawMessage     `json:"EnginesType,omitempty"`
}

// A DBComputeRole is a compute type and the sizes and disks it offers.
type DBComputeRole struct {
	ComputeName string      `json:"ComputeName"`
	ComputeType Int         `json:"ComputeType"`
	Standards   DBStandards `json:"Standards"`
}

// DBStandards are the sizes and disk types of a compute role.
type DBStandards struct {
	AttachDisk List[DBDisk] `json:"AttachDisk"`
	CPURAM     List[DBSize] `json:"CpuRam"`
}

// A DBDisk is a disk type and its size range. The tables type DiskMin,
// DiskStep and DiskMaxExpand as strings, the examples as numbers.
type DBDisk struct {
	DiskValue     string `json:"DiskValue"`
	DiskName      string `json:"DiskName"`
	DiskUnit      string `json:"DiskUnit"`
	BasicIops     Str    `json:"BasicIops"`
	DiskMin       Int    `json:"DiskMin"`
	DiskMax       Int    `json:"DiskMax"`
	DiskMaxExpand Int    `json:"DiskMaxExpand"`
	DiskStep      Int    `json:"DiskStep"`
}

// A DBSize is one size on sale ("2C4G") and its goods id. PaasGoodsId is a
// number in the answers, a string in some requests; one example names the
// size "N" instead of "Name", which is accepted.
type DBSize struct {
	CPU         Int    `json:"CPU"`
	RAM         Int    `json:"RAM"`
	Name        string `json:"Name"`
	PaasGoodsID Int    `json:"PaasGoodsId"`
}

// UnmarshalJSON reads a size, taking its name from "N" when "Name" is absent.
func (s *DBSize) UnmarshalJSON(b []byte) error {
	type plain DBSize
	var v struct {
		plain
		N string `json:"N"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = DBSize(v.plain)
	if s.Name == "" {
		s.Name = v.N
	}
	return nil
}

// A DBNetworkLink is a link type an architecture supports.
type DBNetworkLink struct {
	LinkType   string `json:"LinkType"`
	Name       string `json:"Name"`
	DescDetail string `json:"DescDetail,omitempty"`
}

// Sizes returns every size of every compute role of a.
func (a DBArchitecture) Sizes() []DBSize {
	var out []DBSize
	for _, r := range a.ComputeRoles {
		out = append(out, r.Standards.CPURAM...)
	}
	return out
}

// Disks returns every disk type of every compute role of a.
func (a DBArchitecture) Disks() []DBDisk {
	var out []DBDisk
	for _, r := range a.ComputeRoles {
		out = append(out, r.Standards.AttachDisk...)
	}
	return out
}

// VersionMatches reports whether a version as a service reports it
// ("5.7.24", "4.0.3") is the version a catalogue or stack names ("5.7",
// "4.0"): equal, or the longer one continues the shorter after a dot.
func VersionMatches(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return b != "" && strings.HasPrefix(a, b+".")
}

// Architecture returns the architecture of type arch of version in c.
func (c *DBConfig) Architecture(version string, arch int) (*DBArchitecture, bool) {
	for _, p := range c.Products {
		if !VersionMatches(string(p.Version), version) {
			continue
		}
		for i := range p.Architectures {
			if int(p.Architectures[i].ArchitectureType) == arch {
				return &p.Architectures[i], true
			}
		}
	}
	return nil, false
}

// FindSize returns the size with cpu cores (any, when cpu is 0) and ram GB.
func FindSize(sizes []DBSize, cpu, ram int) (DBSize, bool) {
	for _, s := range sizes {
		if (cpu == 0 || int(s.CPU) == cpu) && int(s.RAM) == ram {
			return s, true
		}
	}
	return DBSize{}, false
}

// A DBInstance is a database as DescribeDBInstances lists it, for the three
// products: Ram in MB, Disks in GB; MySQL shows Cpu and Disks, Redis and
// MongoDB only Ram. Neither the private network nor the disk type is shown.
type DBInstance struct {
	InstanceUUID    string           `json:"InstanceUuid"`
	InstanceName    string           `json:"InstanceName"`
	IP              string           `json:"IP"`
	Port            Int              `json:"Port"`
	CPU             Int              `json:"Cpu"`
	RAM             Int              `json:"Ram"`
	Disks           Int              `json:"Disks"`
	RegionID        string           `json:"RegionId"`
	VdcID           string           `json:"VdcId"`
	VdcName         string           `json:"VdcName"`
	DisplayName     string           `json:"DisplayName"`
	Status          string           `json:"Status"`
	StatusStr       string           `json:"StatusStr"`
	SubProductKey   string           `json:"SubProductKey"`
	SubProductName  string           `json:"SubProductName"`
	Version         Str              `json:"Version"`
	LinkType        string           `json:"LinkType"`
	ResourceID      string           `json:"ResourceId"`
	CreatedTime     string           `json:"CreatedTime"`
	ProjectName     string           `json:"ProjectName"`
	RoGroups        List[DBReadOnly] `json:"RoGroups"`
	Tags            List[DBTag]      `json:"Tags"`
	RelationService json.RawMessage  `json:"RelationService,omitempty"`
	MasterInfo      json.RawMessage  `json:"MasterInfo,omitempty"`
}

// RAMGB is the memory in GB.
func (d *DBInstance) RAMGB() int { return int(d.RAM) / 1024 }

// Running reports whether the database is in a settled, usable state.
func (d *DBInstance) Running() bool { return strings.EqualFold(d.Status, "RUNNING") }

// A DBReadOnly is a MySQL read-only replica as its source lists it in
// RoGroups: the only place its id (ServiceId) appears.
type DBReadOnly struct {
	ServiceID   string `json:"ServiceId"`
	ServiceName string `json:"ServiceName"`
	InpaasID    string `json:"InpaasId"`
	IP          string `json:"Ip"`
	Port        Int    `json:"Port"`
	CPU         Int    `json:"Cpu"`
	RAM         Int    `json:"Ram"`
	Disks       Int    `json:"Disks,omitempty"`
	Status      string `json:"Status"`
	Message     string `json:"Message"`
	Progress    Int    `json:"Progress"`
	SvcType     string `json:"SvcType"`
	ResourceID  string `json:"ResourceId"`
	CreateTime  string `json:"CreateTime"`
}

// A DBTag is a label on a database.
type DBTag struct {
	TagID   Str    `json:"TagID"`
	TagName string `json:"TagName"`
}

// DescribeDBInstancesRequest filters a product's database listing.
type DescribeDBInstancesRequest struct {
	InstanceUUID string `json:"InstanceUuid,omitempty"`
	InstanceName string `json:"InstanceName,omitempty"`
	IP           string `json:"IP,omitempty"`
	TagName      string `json:"TagName,omitempty"`
}

// DBCreated is a create's Data: a list of ids (MySQL, Redis), one id (the
// newer MongoDB document) or nothing (the older).
type DBCreated struct {
	InstancesUUID List[string] `json:"InstancesUuid"`
	InstanceUUID  string       `json:"InstanceUuid"`
}

// IDs returns every id the answer named.
func (d DBCreated) IDs() []string {
	out := append([]string(nil), d.InstancesUUID...)
	if d.InstanceUUID != "" {
		out = append(out, d.InstanceUUID)
	}
	return out
}

// DBInstanceRequest names one database.
type DBInstanceRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
}

// dbList calls a product's listing action.
func (c *Client) dbList(ctx context.Context, action string, r DescribeDBInstancesRequest) ([]DBInstance, error) {
	var d List[DBInstance]
	if _, err := c.Call(ctx, action, r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// dbCreate calls a product's create action and returns its task and ids.
func (c *Client) dbCreate(ctx context.Context, action string, r any) (string, []string, error) {
	var d DBCreated
	resp, err := c.Call(ctx, action, r, &d)
	if err != nil {
		return "", nil, err
	}
	return resp.TaskID, d.IDs(), nil
}

// dbRegions calls a product's region listing.
func (c *Client) dbRegions(ctx context.Context, action string) ([]DBRegion, error) {
	var d List[DBRegion]
	if _, err := c.Call(ctx, action, nil, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// RegionRequest names a region (DescribeAvailableDBConfig, DescribeSpecInfo,
// DescribeLoadBalancersSpec).
type RegionRequest struct {
	RegionID string `json:"RegionId"`
}

// dbConfig calls a product's catalogue action.
func (c *Client) dbConfig(ctx context.Context, action, region string) (*DBConfig, error) {
	var d DBConfig
	if _, err := c.Call(ctx, action, RegionRequest{RegionID: region}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// A DBBackup is one backup set (DescribeBackups, DownloadBackup).
type DBBackup struct {
	BackupID                  string `json:"BackupId"`
	InstanceID                string `json:"InstanceId"`
	Status                    string `json:"Status"`
	BackupType                string `json:"BackupType"`
	BackupMode                string `json:"BackupMode"`
	BackupSize                Int    `json:"BackupSize"`
	BackupStrategy            string `json:"BackupStrategy"`
	Desc                      string `json:"Desc"`
	StartTime                 string `json:"StartTime"`
	EndTime                   string `json:"EndTime"`
	BackupFinishTime          string `json:"BackupFinishTime,omitempty"`
	BackupDownloadURL         string `json:"BackupDownloadUrl,omitempty"`
	BackupIntranetDownloadURL string `json:"BackupIntranetDownloadUrl,omitempty"`
}

// CreateBackupRequest takes a backup. BackupType is physical-backup or
// logical-backup (MySQL; Redis takes RDB files only); DBList limits a
// logical backup to some databases.
type CreateBackupRequest struct {
	InstanceUUID string   `json:"InstanceUuid"`
	BackupType   string   `json:"BackupType,omitempty"`
	Desc         string   `json:"Desc,omitempty"`
	DBList       []string `json:"DBList,omitempty"`
}

// BackupRequest names one backup of one database.
type BackupRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	BackupID     string `json:"BackupId"`
}

func (c *Client) dbBackups(ctx context.Context, action, id string) ([]DBBackup, error) {
	var d List[DBBackup]
	if _, err := c.Call(ctx, action, DBInstanceRequest{InstanceUUID: id}, &d); err != nil {
		return nil, err
	}
	return d, nil
}

func (c *Client) dbDownloadBackup(ctx context.Context, action string, r BackupRequest) (*DBBackup, error) {
	var d DBBackup
	if _, err := c.Call(ctx, action, r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// DBGone reports whether err says a database does not exist.
func DBGone(err error) bool {
	return IsCode(err, "ResourceNotFound")
}
