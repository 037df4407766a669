package cloud

import "context"

// MongoDB is the client of the MongoDB service: the newer /mongodb/v1/
// (新版MongoDB概览.md, with ModifyDBInstanceSpec), or with Old the older
// /mongodb/ (MongoDB概览.md).
type MongoDB struct {
	c       *Client
	service Service
}

// MongoDB returns the MongoDB service of c, under /mongodb/v1/.
func (c *Client) MongoDB() MongoDB { return MongoDB{c, ServiceMongoDB} }

// Old returns the same service under the older /mongodb/ path, which has
// no ModifyDBInstanceSpec.
func (m MongoDB) Old() MongoDB { return MongoDB{m.c, ServiceMongoDBOld} }

func (m MongoDB) action(name string) string { return string(m.service) + "/" + name }

// DescribeZones lists the regions that sell MongoDB.
func (m MongoDB) DescribeZones(ctx context.Context) ([]DBRegion, error) {
	return m.c.dbRegions(ctx, m.action("DescribeZones"))
}

// DescribeSpecInfo returns what region sells: versions, sizes and disks.
func (m MongoDB) DescribeSpecInfo(ctx context.Context, region string) (*DBConfig, error) {
	return m.c.dbConfig(ctx, m.action("DescribeSpecInfo"), region)
}

// CreateMongoDBRequest creates a MongoDB database. The newer document types
// PaasGoodsId as an int, the older as a string: it is sent as a number,
// which the emulator accepts on both paths.
type CreateMongoDBRequest struct {
	RegionID     string `json:"RegionId"`
	VdcID        string `json:"VdcId"`
	BasePipeID   string `json:"BasePipeId"`
	InstanceName string `json:"InstanceName"`
	PaasGoodsID  int    `json:"PaasGoodsId"`
	DiskType     string `json:"DiskType"`
	DiskValue    int    `json:"DiskValue"`
	Password     string `json:"Password"`
	Version      string `json:"Version,omitempty"`
}

// CreateDBInstance starts creating a database; it returns the task and the
// id when the answer names it (InstanceUuid; the older path answers {}).
func (m MongoDB) CreateDBInstance(ctx context.Context, r CreateMongoDBRequest) (string, []string, error) {
	return m.c.dbCreate(ctx, m.action("CreateDBInstance"), r)
}

// DescribeDBInstances lists the account's MongoDB databases.
func (m MongoDB) DescribeDBInstances(ctx context.Context, r DescribeDBInstancesRequest) ([]DBInstance, error) {
	return m.c.dbList(ctx, m.action("DescribeDBInstances"), r)
}

// DeleteDBInstance deletes a database.
func (m MongoDB) DeleteDBInstance(ctx context.Context, id string) (string, error) {
	return m.c.task(ctx, m.action("DeleteDBInstance"), DBInstanceRequest{InstanceUUID: id})
}

// ModifyMongoDBSpecRequest resizes a database: PaasGoodsId the new size,
// DiskValue the new disk size in GB (the document's "磁盘大小"; MySQL's is
// the amount to add).
type ModifyMongoDBSpecRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	PaasGoodsID  int    `json:"PaasGoodsId,omitempty"`
	DiskType     string `json:"DiskType,omitempty"`
	DiskValue    int    `json:"DiskValue,omitempty"`
}

// ModifyDBInstanceSpec starts a resize (newer path only).
func (m MongoDB) ModifyDBInstanceSpec(ctx context.Context, r ModifyMongoDBSpecRequest) (string, error) {
	return m.c.task(ctx, ServiceMongoDB.key("ModifyDBInstanceSpec"), r)
}

func (s Service) key(name string) string { return string(s) + "/" + name }
