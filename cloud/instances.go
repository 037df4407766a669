package cloud

import (
	"context"
	"maps"
	"time"
)

// DiskSpec is a data disk to create: size in GB and a disk type such as
// ssd_disk, high_disk or big_disk.
type DiskSpec struct {
	Size int    `json:"Size"`
	Type string `json:"Type"`
}

// PrivateIPSpec asks for addresses on one private network; IP holds
// addresses or "auto".
type PrivateIPSpec struct {
	PrivateID string   `json:"PrivateID"`
	IP        []string `json:"IP"`
}

// CreateInstanceRequest creates Amount instances (POST /ccs).
type CreateInstanceRequest struct {
	RegionID           string          `json:"RegionId"`
	VdcID              string          `json:"VdcId"`
	Password           string          `json:"Password"`
	InstanceName       string          `json:"InstanceName,omitempty"`
	AssignCCSID        *int            `json:"AssignCCSId,omitempty"`
	InstanceChargeType string          `json:"InstanceChargeType,omitempty"`
	AutoRenew          *int            `json:"AutoRenew,omitempty"`
	PrepaidMonth       *int            `json:"PrepaidMonth,omitempty"`
	CPU                int             `json:"Cpu,omitempty"`
	RAM                int             `json:"Ram,omitempty"`
	InstanceType       string          `json:"InstanceType,omitempty"`
	ImageID            string          `json:"ImageId,omitempty"`
	DataDisks          []DiskSpec      `json:"DataDisks,omitempty"`
	Amount             int             `json:"Amount,omitempty"`
	PublicIP           []string        `json:"PublicIp,omitempty"`
	PrivateIP          []PrivateIPSpec `json:"PrivateIp,omitempty"`
}

// CreateInstance starts creating instances and returns the task id.
func (c *Client) CreateInstance(ctx context.Context, r CreateInstanceRequest) (string, error) {
	return c.task(ctx, "CreateInstance", r)
}

// DeleteInstanceRequest deletes instances (POST /ccs).
type DeleteInstanceRequest struct {
	InstanceIDs []string `json:"InstanceIds"`
}

// DeleteInstance starts deleting instances.
func (c *Client) DeleteInstance(ctx context.Context, r DeleteInstanceRequest) (string, error) {
	return c.task(ctx, "DeleteInstance", r)
}

// InstanceRequest names one instance (StopInstance, RebootInstance: GET /ccs).
type InstanceRequest struct {
	InstanceID string `json:"InstanceId"`
}

// StopInstance powers an instance off.
func (c *Client) StopInstance(ctx context.Context, r InstanceRequest) (string, error) {
	return c.task(ctx, "StopInstance", r)
}

// RebootInstance powers an instance on (or restarts a running one).
func (c *Client) RebootInstance(ctx context.Context, r InstanceRequest) (string, error) {
	return c.task(ctx, "RebootInstance", r)
}

// ModifyInstanceChargeTypeRequest switches PostPaid/PrePaid (POST /ccs).
type ModifyInstanceChargeTypeRequest struct {
	InstanceID         string `json:"InstanceId"`
	InstanceChargeType string `json:"InstanceChargeType"`
	AutoRenew          *int   `json:"AutoRenew,omitempty"`
	PrepaidMonth       *int   `json:"PrepaidMonth,omitempty"`
}

// ModifyInstanceChargeType changes how an instance is billed.
func (c *Client) ModifyInstanceChargeType(ctx context.Context, r ModifyInstanceChargeTypeRequest) (string, error) {
	return c.task(ctx, "ModifyInstanceChargeType", r)
}

// ModifyInstanceSpecRequest changes CPU and/or RAM; zero leaves a value as it is.
type ModifyInstanceSpecRequest struct {
	InstanceID string `json:"InstanceId"`
	CPU        int    `json:"Cpu,omitempty"`
	RAM        int    `json:"Ram,omitempty"`
}

// ModifyInstanceSpec resizes an instance.
func (c *Client) ModifyInstanceSpec(ctx context.Context, r ModifyInstanceSpecRequest) (string, error) {
	return c.task(ctx, "ModifyInstanceSpec", r)
}

// CreateDiskRequest adds data disks to an instance.
type CreateDiskRequest struct {
	InstanceID string     `json:"InstanceId"`
	DataDisks  []DiskSpec `json:"DataDisks"`
}

// CreateDisk adds data disks.
func (c *Client) CreateDisk(ctx context.Context, r CreateDiskRequest) (string, error) {
	return c.task(ctx, "CreateDisk", r)
}

// ResizeDiskRequest grows one disk to DataSize GB (disks only grow).
type ResizeDiskRequest struct {
	InstanceID string `json:"InstanceId"`
	DiskID     string `json:"DiskId"`
	DataSize   int    `json:"DataSize"`
}

// ResizeDisk grows a disk.
func (c *Client) ResizeDisk(ctx context.Context, r ResizeDiskRequest) (string, error) {
	return c.task(ctx, "ResizeDisk", r)
}

// DeleteDiskRequest removes data disks from an instance.
type DeleteDiskRequest struct {
	InstanceID string   `json:"InstanceId"`
	DiskIDs    []string `json:"DiskIds"`
}

// DeleteDisk removes data disks.
func (c *Client) DeleteDisk(ctx context.Context, r DeleteDiskRequest) (string, error) {
	return c.task(ctx, "DeleteDisk", r)
}

// ResetImageRequest reinstalls an instance from an image (destroys its system disk).
type ResetImageRequest struct {
	InstanceID string `json:"InstanceId"`
	ImageID    string `json:"ImageId"`
}

// ResetImage reinstalls an instance.
func (c *Client) ResetImage(ctx context.Context, r ResetImageRequest) (string, error) {
	return c.task(ctx, "ResetImage", r)
}

// DescribeInstancesRequest filters the instance listing (POST /ccs).
type DescribeInstancesRequest struct {
	PageNumber int    `json:"PageNumber,omitempty"`
	PageSize   int    `json:"PageSize,omitempty"`
	VdcID      string `json:"VdcId,omitempty"`
	// InstanceIDs narrows the listing to these instances (the documented
	// form is a JSON list).
	InstanceIDs []string `json:"InstanceId,omitempty"`
	PublicIP    string   `json:"PublicIp,omitempty"`
}

// DescribeInstancesData is one page of instances.
type DescribeInstancesData struct {
	Instances  []Instance `json:"Instances"`
	PageNumber Int        `json:"PageNumber"`
	PageCount  Int        `json:"PageCount"`
}

// An Instance as DescribeInstances shows it. Cpu, Ram, InstanceType and
// ImageId are not in the reference's example answer; they are decoded when
// the service sends them.
type Instance struct {
	InstanceID              string             `json:"InstanceId"`
	InstanceName            string             `json:"InstanceName"`
	InstanceStatus          string             `json:"InstanceStatus"`
	InstanceChargeType      string             `json:"InstanceChargeType"`
	InstanceChargeStatus    string             `json:"InstanceChargeStatus,omitempty"`
	VdcID                   string             `json:"VdcId"`
	VdcName                 string             `json:"VdcName"`
	RegionID                string             `json:"RegionId"`
	CPU                     Int                `json:"Cpu,omitempty"`
	RAM                     Int                `json:"Ram,omitempty"`
	InstanceType            string             `json:"InstanceType,omitempty"`
	ImageID                 string             `json:"ImageId,omitempty"`
	Disks                   InstanceDisks      `json:"Disks"`
	PublicNetworkInterface  *NetworkInterface  `json:"PublicNetworkInterface,omitempty"`
	PrivateNetworkInterface []NetworkInterface `json:"PrivateNetworkInterface"`
}

// InstanceDisks are an instance's system and data disks.
type InstanceDisks struct {
	SystemDisk      Disk   `json:"SystemDisk"`
	DataDisks       []Disk `json:"DataDisks"`
	LeftDataDiskNum Int    `json:"LeftDataDiskNum,omitempty"`
}

// A Disk is a system or data disk.
type Disk struct {
	DiskID   string `json:"DiskId,omitempty"`
	Size     Int    `json:"Size"`
	Type     string `json:"Type,omitempty"`
	IOPS     Int    `json:"IOPS,omitempty"`
	IopsSize Int    `json:"IopsSize,omitempty"`
}

// A NetworkInterface is a public or private NIC. Connected is 1 when the
// link is up. PublicID or PrivateID names its network.
type NetworkInterface struct {
	InterfaceID string `json:"InterfaceId"`
	Name        string `json:"Name"`
	IP          string `json:"IP"`
	MAC         string `json:"MAC"`
	Connected   Int    `json:"Connected"`
	PublicID    string `json:"PublicId,omitempty"`
	PrivateID   string `json:"PrivateId,omitempty"`
}

// DescribeInstances returns one page of instances.
func (c *Client) DescribeInstances(ctx context.Context, r DescribeInstancesRequest) (*DescribeInstancesData, error) {
	var d DescribeInstancesData
	if _, err := c.Call(ctx, "DescribeInstances", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ListInstances pages through DescribeInstances with pageSize per page and
// returns every instance that matches r.
func (c *Client) ListInstances(ctx context.Context, r DescribeInstancesRequest, pageSize int) ([]Instance, error) {
	var all []Instance
	r.PageSize = pageSize
	for page := 1; ; page++ {
		r.PageNumber = page
		d, err := c.DescribeInstances(ctx, r)
		if err != nil {
			return nil, err
		}
		all = append(all, d.Instances...)
		if int(d.PageCount) <= page || len(d.Instances) == 0 {
			return all, nil
		}
	}
}

// instanceBatch is the most instances one coalesced lookup asks for.
const instanceBatch = 100

// instanceLinger is how long a lookup waits for others to share its
// request. Reads after a change hold no parallelism slot, so the wait costs
// nothing on the way to the next change, while an instance's own steps take
// seconds to minutes; under load it halves the requests that read instances
// back (0.47 to 0.22 per instance in BenchmarkApply200 at 200 requests/s).
const instanceLinger = 25 * time.Millisecond

// Instance returns one instance, or nil when the cloud has none with that
// id. Concurrent calls are answered together by one DescribeInstances that
// lists their ids, so fifty readbacks after fifty creates cost a few calls.
func (c *Client) Instance(ctx context.Context, id string) (*Instance, error) {
	in, found, err := c.instances.get(ctx, id)
	if !found {
		in = nil
	}
	return in, err
}

// describeInstancesByID lists ids in one request (paged if the service
// pages it). A batch that fails because one of its instances is gone is
// asked again one id at a time, so the others are not failed with it.
func (c *Client) describeInstancesByID(ctx context.Context, ids []string) (map[string]*Instance, error) {
	list, err := c.ListInstances(ctx, DescribeInstancesRequest{InstanceIDs: ids}, len(ids))
	if IsCode(err, "InstanceNotFound") && len(ids) > 1 {
		out := map[string]*Instance{}
		for _, id := range ids {
			one, err := c.describeInstancesByID(ctx, []string{id})
			if err != nil {
				return out, err
			}
			maps.Copy(out, one)
		}
		return out, nil
	}
	if IsCode(err, "InstanceNotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Instance, len(list))
	for i := range list {
		out[list[i].InstanceID] = &list[i]
	}
	return out, nil
}

// NetworkInterfaceRequest names a NIC of an instance (Connect/DisconnectNetworkInterface).
type NetworkInterfaceRequest struct {
	InterfaceID string `json:"InterfaceId"`
	InstanceID  string `json:"InstanceId"`
}

// ConnectNetworkInterface brings a NIC up.
func (c *Client) ConnectNetworkInterface(ctx context.Context, r NetworkInterfaceRequest) (string, error) {
	return c.task(ctx, "ConnectNetworkInterface", r)
}

// DisconnectNetworkInterface takes a NIC down.
func (c *Client) DisconnectNetworkInterface(ctx context.Context, r NetworkInterfaceRequest) (string, error) {
	return c.task(ctx, "DisconnectNetworkInterface", r)
}

// ModifyIPAddressRequest binds, changes or (Address "None") unbinds a NIC's address.
type ModifyIPAddressRequest struct {
	InstanceID  string `json:"InstanceId"`
	InterfaceID string `json:"InterfaceId"`
	Address     string `json:"Address"`
}

// ModifyIPAddress changes a NIC's address.
func (c *Client) ModifyIPAddress(ctx context.Context, r ModifyIPAddressRequest) (string, error) {
	return c.task(ctx, "ModifyIpAddress", r)
}

// DescribeInstanceMonitorRequest asks for one metric's series.
type DescribeInstanceMonitorRequest struct {
	InstanceID  string `json:"InstanceId"`
	MetricName  string `json:"MetricName"`
	Period      int    `json:"Period"`
	StartTime   string `json:"StartTime"`
	EndTime     string `json:"EndTime"`
	InterfaceID string `json:"InterfaceId,omitempty"`
	DiskID      string `json:"DiskId,omitempty"`
}

// MonitorData is a metric series.
type MonitorData struct {
	InstanceID string      `json:"InstanceId"`
	Period     Str         `json:"Period"`
	DataPoints []DataPoint `json:"DataPoints"`
}

// A DataPoint is one sample of a series.
type DataPoint struct {
	Timestamp string `json:"Timestamp"`
	Value     Float  `json:"Value"`
}

// DescribeInstanceMonitor returns a metric series of an instance.
func (c *Client) DescribeInstanceMonitor(ctx context.Context, r DescribeInstanceMonitorRequest) (*MonitorData, error) {
	var d MonitorData
	if _, err := c.Call(ctx, "DescribeInstanceMonitor", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// task calls an asynchronous action and returns its TaskId.
func (c *Client) task(ctx context.Context, action string, r any) (string, error) {
	resp, err := c.Call(ctx, action, r, nil)
	if err != nil {
		return "", err
	}
	return resp.TaskID, nil
}
