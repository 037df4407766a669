package cloud

import "context"

// Redis is the client of the Redis service (/redis/, Redis概览.md). It has
// no modify action.
type Redis struct{ c *Client }

// Redis returns the Redis service of c.
func (c *Client) Redis() Redis { return Redis{c} }

// DescribeRegins lists the regions that sell Redis (the document's spelling).
func (r Redis) DescribeRegins(ctx context.Context) ([]DBRegion, error) {
	return r.c.dbRegions(ctx, "redis/DescribeRegins")
}

// DescribeAvailableDBConfig returns what region sells: versions,
// architectures (1 ha, 2 cluster, 3 economy) and memory sizes.
func (r Redis) DescribeAvailableDBConfig(ctx context.Context, region string) (*DBConfig, error) {
	return r.c.dbConfig(ctx, "redis/DescribeAvailableDBConfig", region)
}

// CreateRedisRequest creates Redis databases; the size is the PaasGoodsId.
type CreateRedisRequest struct {
	RegionID     string `json:"RegionId"`
	VdcID        string `json:"VdcId"`
	BasePipeID   string `json:"BasePipeId"`
	InstanceName string `json:"InstanceName"`
	PaasGoodsID  int    `json:"PaasGoodsId"`
	Password     string `json:"Password"`
	TestGroupID  int    `json:"TestGroupId,omitempty"`
	Amount       int    `json:"Amount,omitempty"`
	ServicePort  int    `json:"ServicePort,omitempty"`
}

// CreateDBInstance starts creating databases; it returns the task and ids.
func (r Redis) CreateDBInstance(ctx context.Context, req CreateRedisRequest) (string, []string, error) {
	return r.c.dbCreate(ctx, "redis/CreateDBInstance", req)
}

// DescribeDBInstances lists the account's Redis databases.
func (r Redis) DescribeDBInstances(ctx context.Context, req DescribeDBInstancesRequest) ([]DBInstance, error) {
	return r.c.dbList(ctx, "redis/DescribeDBInstances", req)
}

// DeleteDBInstance deletes a database.
func (r Redis) DeleteDBInstance(ctx context.Context, id string) (string, error) {
	return r.c.task(ctx, "redis/DeleteDBInstance", DBInstanceRequest{InstanceUUID: id})
}

// DescribeBackups lists a database's backups.
func (r Redis) DescribeBackups(ctx context.Context, id string) ([]DBBackup, error) {
	return r.c.dbBackups(ctx, "redis/DescribeBackups", id)
}

// DownloadBackup returns a backup with its download addresses.
func (r Redis) DownloadBackup(ctx context.Context, req BackupRequest) (*DBBackup, error) {
	return r.c.dbDownloadBackup(ctx, "redis/DownloadBackup", req)
}

// CreateBackup starts a backup (an RDB file).
func (r Redis) CreateBackup(ctx context.Context, req CreateBackupRequest) (string, error) {
	return r.c.task(ctx, "redis/CreateBackup", req)
}

// DeleteBackup deletes a backup.
func (r Redis) DeleteBackup(ctx context.Context, req BackupRequest) (string, error) {
	return r.c.task(ctx, "redis/DeleteBackup", req)
}
