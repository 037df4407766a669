package cloud

import "context"

// MySQL is the client of the MySQL service (/mysql/, MySQL概览.md).
type MySQL struct{ c *Client }

// MySQL returns the MySQL service of c.
func (c *Client) MySQL() MySQL { return MySQL{c} }

// DescribeRegions lists the regions that sell MySQL.
func (m MySQL) DescribeRegions(ctx context.Context) ([]DBRegion, error) {
	return m.c.dbRegions(ctx, "mysql/DescribeRegions")
}

// DescribeAvailableDBConfig returns what region sells: versions,
// architectures (0 basic, 1 ha), sizes with their PaasGoodsId, disk types.
func (m MySQL) DescribeAvailableDBConfig(ctx context.Context, region string) (*DBConfig, error) {
	return m.c.dbConfig(ctx, "mysql/DescribeAvailableDBConfig", region)
}

// CreateMySQLRequest creates MySQL databases. DiskType is the catalogue's
// DiskValue (ssd_disk), DiskValue the size in GB; BasePipeId the private
// network the address comes from. Password is not in the parameter table
// but in the document's example.
type CreateMySQLRequest struct {
	RegionID     string `json:"RegionId"`
	VdcID        string `json:"VdcId"`
	BasePipeID   string `json:"BasePipeId"`
	InstanceName string `json:"InstanceName"`
	PaasGoodsID  int    `json:"PaasGoodsId"`
	DiskType     string `json:"DiskType"`
	DiskValue    int    `json:"DiskValue"`
	TimeZone     string `json:"TimeZone,omitempty"`
	Amount       int    `json:"Amount,omitempty"`
	ServicePort  int    `json:"ServicePort,omitempty"`
	Password     string `json:"Password,omitempty"`
}

// CreateDBInstance starts creating databases and returns the task and the
// new ids (InstancesUuid).
func (m MySQL) CreateDBInstance(ctx context.Context, r CreateMySQLRequest) (string, []string, error) {
	return m.c.dbCreate(ctx, "mysql/CreateDBInstance", r)
}

// DescribeDBInstances lists the account's MySQL databases (every region:
// the action takes no region) with their read-only replicas in RoGroups.
func (m MySQL) DescribeDBInstances(ctx context.Context, r DescribeDBInstancesRequest) ([]DBInstance, error) {
	return m.c.dbList(ctx, "mysql/DescribeDBInstances", r)
}

// CreatePrivilegedAccountRequest creates an account; AccountType is Super
// (one per database) or Normal.
type CreatePrivilegedAccountRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	AccountName  string `json:"AccountName"`
	Password     string `json:"Password"`
	AccountType  string `json:"AccountType"`
	Description  string `json:"Description,omitempty"`
}

// CreatePrivilegedAccount creates an account; the answer's TaskId may be empty.
func (m MySQL) CreatePrivilegedAccount(ctx context.Context, r CreatePrivilegedAccountRequest) (string, error) {
	return m.c.task(ctx, "mysql/CreatePrivilegedAccount", r)
}

// A DBOperation grants Privilege (ReadWrite, DMLOnly, ReadOnly, DDLOnly) on
// the database DBName.
type DBOperation struct {
	DBName    string `json:"DBName"`
	Privilege string `json:"Privilege"`
}

// ExtraPrivilege is an account's global CREATE right ("true"/"false").
type ExtraPrivilege struct {
	AllCreate string `json:"AllCreate,omitempty"`
}

// ModifyDbPrivilegeRequest grants or changes a Normal account's rights.
type ModifyDbPrivilegeRequest struct {
	InstanceUUID   string          `json:"InstanceUuid"`
	AccountName    string          `json:"AccountName"`
	Operations     []DBOperation   `json:"Operations"`
	ExtraPrivilege *ExtraPrivilege `json:"ExtraPrivilege,omitempty"`
}

// ModifyDbPrivilege grants rights at once.
func (m MySQL) ModifyDbPrivilege(ctx context.Context, r ModifyDbPrivilegeRequest) (string, error) {
	return m.c.task(ctx, "mysql/ModifyDbPrivilege", r)
}

// DeleteDbPrivilegeRequest takes an account's rights on DBNames away.
type DeleteDbPrivilegeRequest struct {
	InstanceUUID string   `json:"InstanceUuid"`
	AccountName  string   `json:"AccountName"`
	DBNames      []string `json:"DBNames"`
}

// DeleteDbPrivilege takes rights away at once.
func (m MySQL) DeleteDbPrivilege(ctx context.Context, r DeleteDbPrivilegeRequest) (string, error) {
	return m.c.task(ctx, "mysql/DeleteDbPrivilege", r)
}

// DBPrivileges says what each privilege level grants.
type DBPrivileges struct {
	ReadWrite string `json:"ReadWrite"`
	DMLOnly   string `json:"DMLOnly"`
	ReadOnly  string `json:"ReadOnly"`
	DDLOnly   string `json:"DDLOnly"`
}

// DescribeDbPrivileges returns what each privilege level grants.
func (m MySQL) DescribeDbPrivileges(ctx context.Context) (*DBPrivileges, error) {
	var d DBPrivileges
	if _, err := m.c.Call(ctx, "mysql/DescribeDbPrivileges", nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// A DBAccount is an account of a database (DescribeDBAccount).
type DBAccount struct {
	AccountName        string                 `json:"AccountName"`
	AccountType        string                 `json:"AccountType"`
	AccountStatus      string                 `json:"AccountStatus"`
	AccountDescription string                 `json:"AccountDescription"`
	ServiceID          string                 `json:"ServiceId"`
	DatabasePrivileges List[DBPrivilegeGrant] `json:"DatabasePrivileges"`
	ExtraPrivilege     *ExtraPrivilege        `json:"ExtraPrivilege"`
}

// A DBPrivilegeGrant is one database an account has rights on.
type DBPrivilegeGrant struct {
	DBName                 string `json:"DBName"`
	TableName              string `json:"TableName"`
	AccountPrivilegeType   string `json:"AccountPrivilegeType"`
	AccountPrivilegeDetail string `json:"AccountPrivilegeDetail"`
}

// DescribeDBAccount lists a database's accounts and their rights.
func (m MySQL) DescribeDBAccount(ctx context.Context, id string) ([]DBAccount, error) {
	var d List[DBAccount]
	if _, err := m.c.Call(ctx, "mysql/DescribeDBAccount", DBInstanceRequest{InstanceUUID: id}, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// DeleteDBAccountRequest names an account.
type DeleteDBAccountRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	AccountName  string `json:"AccountName"`
}

// DeleteDBAccount deletes an account.
func (m MySQL) DeleteDBAccount(ctx context.Context, r DeleteDBAccountRequest) (string, error) {
	return m.c.task(ctx, "mysql/DeleteDBAccount", r)
}

// ModifiableSpec is what a database may be resized to.
type ModifiableSpec struct {
	ProductName string       `json:"ProductName"`
	RegionID    string       `json:"RegionId"`
	CPURAM      List[DBSize] `json:"CpuRam"`
	AttachDisk  List[DBDisk] `json:"AttachDisk"`
}

// DescribeModifiableDBSpec returns the sizes and disks a database may move to.
func (m MySQL) DescribeModifiableDBSpec(ctx context.Context, id string) (*ModifiableSpec, error) {
	var d ModifiableSpec
	if _, err := m.c.Call(ctx, "mysql/DescribeModifiableDBSpec", DBInstanceRequest{InstanceUUID: id}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ModifyMySQLSpecRequest resizes a database or replica: PaasGoodsId the new
// size, DiskValue the GB to ADD (of the DiskType it was bought with). The
// table types DiskValue as a string, the example sends a number: it is sent
// as a number.
type ModifyMySQLSpecRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	PaasGoodsID  int    `json:"PaasGoodsId,omitempty"`
	DiskType     string `json:"DiskType,omitempty"`
	DiskValue    int    `json:"DiskValue,omitempty"`
}

// ModifyDBInstanceSpec starts a resize.
func (m MySQL) ModifyDBInstanceSpec(ctx context.Context, r ModifyMySQLSpecRequest) (string, error) {
	return m.c.task(ctx, "mysql/ModifyDBInstanceSpec", r)
}

// DeleteDBInstance deletes a database (or a read-only replica).
func (m MySQL) DeleteDBInstance(ctx context.Context, id string) (string, error) {
	return m.c.task(ctx, "mysql/DeleteDBInstance", DBInstanceRequest{InstanceUUID: id})
}

// ReadOnlyConfig is what read-only replicas of a database may be.
type ReadOnlyConfig struct {
	ArchitectureName string              `json:"ArchitectureName"`
	SubProductName   string              `json:"SubProductName"`
	Version          Str                 `json:"Version"`
	ComputeRoles     List[DBComputeRole] `json:"ComputeRoles"`
}

// Sizes returns every size a replica may have.
func (r *ReadOnlyConfig) Sizes() []DBSize {
	return DBArchitecture{ComputeRoles: r.ComputeRoles}.Sizes()
}

// Disks returns every disk type a replica may have.
func (r *ReadOnlyConfig) Disks() []DBDisk {
	return DBArchitecture{ComputeRoles: r.ComputeRoles}.Disks()
}

// DescribeAvailableReadOnlyConfig returns the replica sizes an ha database offers.
func (m MySQL) DescribeAvailableReadOnlyConfig(ctx context.Context, id string) (*ReadOnlyConfig, error) {
	var d ReadOnlyConfig
	if _, err := m.c.Call(ctx, "mysql/DescribeAvailableReadOnlyConfig", DBInstanceRequest{InstanceUUID: id}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// CreateReadOnlyRequest adds read-only replicas to an ha database.
type CreateReadOnlyRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	InstanceName string `json:"InstanceName"`
	PaasGoodsID  int    `json:"PaasGoodsId"`
	DiskType     string `json:"DiskType"`
	DiskValue    int    `json:"DiskValue"`
	TestGroupID  int    `json:"TestGroupId,omitempty"`
	Amount       int    `json:"Amount,omitempty"`
	ServicePort  int    `json:"ServicePort,omitempty"`
}

// CreateReadOnlyDBInstance starts creating a replica; the task's ResourceId
// (or, when the answer names them, InstancesUuid) is its id.
func (m MySQL) CreateReadOnlyDBInstance(ctx context.Context, r CreateReadOnlyRequest) (string, []string, error) {
	return m.c.dbCreate(ctx, "mysql/CreateReadOnlyDBInstance", r)
}

// CreateBackup starts a backup.
func (m MySQL) CreateBackup(ctx context.Context, r CreateBackupRequest) (string, error) {
	return m.c.task(ctx, "mysql/CreateBackup", r)
}

// DescribeBackups lists a database's backups.
func (m MySQL) DescribeBackups(ctx context.Context, id string) ([]DBBackup, error) {
	return m.c.dbBackups(ctx, "mysql/DescribeBackups", id)
}

// DeleteBackup deletes a backup.
func (m MySQL) DeleteBackup(ctx context.Context, r BackupRequest) (string, error) {
	return m.c.task(ctx, "mysql/DeleteBackup", r)
}

// DownloadBackup returns a backup with its download addresses.
func (m MySQL) DownloadBackup(ctx context.Context, r BackupRequest) (*DBBackup, error) {
	return m.c.dbDownloadBackup(ctx, "mysql/DownloadBackup", r)
}

// DataBackups is an automatic backup policy: TimeSlot such as
// "13:00-14:00", DateList the weekdays ("0" Sunday … "6"), Sign 1 on, 0 off.
type DataBackups struct {
	TimeSlot string   `json:"TimeSlot"`
	DateList []string `json:"DateList"`
	Sign     int      `json:"Sign"`
}

// ModifyDbBackupPolicyRequest sets a database's automatic backups.
type ModifyDbBackupPolicyRequest struct {
	InstanceUUID string      `json:"InstanceUuid"`
	DataBackups  DataBackups `json:"DataBackups"`
}

// ModifyDbBackupPolicy sets the policy at once.
func (m MySQL) ModifyDbBackupPolicy(ctx context.Context, r ModifyDbBackupPolicyRequest) (string, error) {
	return m.c.task(ctx, "mysql/ModifyDbBackupPolicy", r)
}

// PerformanceRequest asks for one metric (mysql_cpu_usage, …) over a time span.
type PerformanceRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	MetricKey    string `json:"MetricKey"`
	StartTime    string `json:"StartTime"`
	EndTime      string `json:"EndTime"`
}

// Performance is a metric's series.
type Performance struct {
	InstanceUUID string `json:"InstanceUuid"`
	MetricKey    string `json:"MetricKey"`
	ProductType  string `json:"ProductType"`
	Period       Int    `json:"Period"`
	StartTime    string `json:"StartTime"`
	EndTime      string `json:"EndTime"`
	DataPoints   List[struct {
		MetricName  string `json:"MetricName"`
		MetricType  string `json:"MetricType"`
		MonitorType string `json:"MonitorType"`
		Unit        string `json:"Unit"`
		Values      List[struct {
			DateTime string `json:"DateTime"`
			Value    Float  `json:"Value"`
		}] `json:"Values"`
	}] `json:"DataPoints"`
}

// DescribeDBInstancePerformance returns a metric's series.
func (m MySQL) DescribeDBInstancePerformance(ctx context.Context, r PerformanceRequest) (*Performance, error) {
	var d Performance
	if _, err := m.c.Call(ctx, "mysql/DescribeDBInstancePerformance", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// A DBParameter is one server parameter; values are text.
type DBParameter struct {
	Name         string `json:"Name"`
	CurrentValue Str    `json:"CurrentValue"`
	DefaultValue Str    `json:"DefaultValue"`
	Description  string `json:"Description"`
	IsModify     Str    `json:"IsModify"`
	IsRestart    Str    `json:"IsRestart"`
	CheckingCode string `json:"CheckingCode"`
}

// DescribeDBParameter lists a database's parameters.
func (m MySQL) DescribeDBParameter(ctx context.Context, id string) ([]DBParameter, error) {
	var d struct {
		Parameters List[DBParameter] `json:"Parameters"`
	}
	if _, err := m.c.Call(ctx, "mysql/DescribeDBParameter", DBInstanceRequest{InstanceUUID: id}, &d); err != nil {
		return nil, err
	}
	return d.Parameters, nil
}

// ParameterHistoryRequest asks for the changes between two times
// ("2022-02-01 17:16:08").
type ParameterHistoryRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	StartTime    string `json:"StartTime"`
	EndTime      string `json:"EndTime"`
}

// A ParameterChange is one change of a parameter. IsValid is a boolean
// (the example spells it ture).
type ParameterChange struct {
	ParameterName     string `json:"ParameterName"`
	OldParameterValue Str    `json:"OldParameterValue"`
	NewParameterValue Str    `json:"NewParameterValue"`
	ModifyTime        string `json:"ModifyTime"`
	ModifyRole        string `json:"ModifyRole"`
	StatusMessage     string `json:"StatusMessage"`
	IsValid           Str    `json:"IsValid"`
}

// DescribeDBParameterModifyHistory lists parameter changes.
func (m MySQL) DescribeDBParameterModifyHistory(ctx context.Context, r ParameterHistoryRequest) ([]ParameterChange, error) {
	var d List[ParameterChange]
	if _, err := m.c.Call(ctx, "mysql/DescribeDBParameterModifyHistory", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// A ParameterValue sets one parameter.
type ParameterValue struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// ModifyDBParameterRequest sets parameters.
type ModifyDBParameterRequest struct {
	InstanceUUID string           `json:"InstanceUuid"`
	Parameters   []ParameterValue `json:"Parameters"`
}

// ModifyDBParameter starts setting parameters.
func (m MySQL) ModifyDBParameter(ctx context.Context, r ModifyDBParameterRequest) (string, error) {
	return m.c.task(ctx, "mysql/ModifyDBParameter", r)
}
