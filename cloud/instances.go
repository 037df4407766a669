package cloud

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// DiskSpec is a disk to create: size in GB, a disk type (data disks:
// ssd_disk, high_disk or big_disk; system disks: system_disk or
// ssd_system_disk) and provisioned IOPS packs.
type DiskSpec struct {
	Size int    `json:"Size,omitempty"`
	Type string `json:"Type,omitempty"`
	IOPS int    `json:"IOPS,omitempty"`
}

// PrivateIPSpec asks for addresses on one private network; IP holds
// addresses or "auto".
type PrivateIPSpec struct {
	PrivateID string   `json:"PrivateId"`
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
	SystemDisk         *DiskSpec       `json:"SystemDisk,omitempty"`
	DataDisks          []DiskSpec      `json:"DataDisks,omitempty"`
	Amount             int             `json:"Amount,omitempty"`
	PublicIP           []string        `json:"PublicIp,omitempty"`
	PrivateIP          []PrivateIPSpec `json:"PrivateIp,omitempty"`
	// LabelNames tags the new instances, creating tags that do not exist.
	LabelNames []string `json:"LabelNames,omitempty"`
	// ImagePassword is the custom image's (template's) password, which the
	// current documents require for one.
	ImagePassword string `json:"ImagePassword,omitempty"`
	// PublicKey is an OpenSSH public key put on the instance (the password
	// is still required).
	PublicKey string `json:"PublicKey,omitempty"`
	// UserData is cloud-init data: a list of base64 strings.
	UserData []string `json:"UserData,omitempty"`
	// DeletionProtection refuses DeleteInstance until turned off.
	DeletionProtection *bool `json:"DeletionProtection,omitempty"`
	// DedicatedHostID places the instance on a dedicated host.
	DedicatedHostID string `json:"DedicatedHostId,omitempty"`
	// SecurityGroups binds the new instances' interfaces to NSG groups as
	// part of the create (云主机概览.md: SecurityGroup); groups on one
	// network take effect in list order.
	SecurityGroups []SecurityGroupPipe `json:"SecurityGroup,omitempty"`
}

// A SecurityGroupPipe binds a security group on one network (CreateInstance
// SecurityGroup): PipeID is the public or private network whose interface
// joins the group, of the kind the group's type takes.
type SecurityGroupPipe struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	PipeID          string `json:"PipeId"`
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

// StartInstance powers a stopped instance on.
func (c *Client) StartInstance(ctx context.Context, r InstanceRequest) (string, error) {
	return c.task(ctx, "StartInstance", r)
}

// RebootInstance restarts an instance.
func (c *Client) RebootInstance(ctx context.Context, r InstanceRequest) (string, error) {
	return c.task(ctx, "RebootInstance", r)
}

// InstancesRequest names several instances (StopInstances, StartInstances,
// RebootInstances: GET /ccs); the service takes them as one comma-joined
// text.
type InstancesRequest struct {
	InstanceIDs []string `json:"-"`
}

// MarshalJSON sends InstanceIds as the documents spell it, "a,b".
func (r InstancesRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"InstanceIds": strings.Join(r.InstanceIDs, ",")})
}

// StopInstances powers instances off with one task.
func (c *Client) StopInstances(ctx context.Context, r InstancesRequest) (string, error) {
	return c.task(ctx, "StopInstances", r)
}

// StartInstances powers instances on with one task.
func (c *Client) StartInstances(ctx context.Context, r InstancesRequest) (string, error) {
	return c.task(ctx, "StartInstances", r)
}

// RebootInstances restarts instances with one task.
func (c *Client) RebootInstances(ctx context.Context, r InstancesRequest) (string, error) {
	return c.task(ctx, "RebootInstances", r)
}

// ModifyInstanceNameRequest renames an instance (POST /ccs).
type ModifyInstanceNameRequest struct {
	InstanceID   string `json:"InstanceId"`
	InstanceName string `json:"InstanceName"`
}

// ModifyInstanceName renames an instance. The service answers at once with
// an empty TaskId; a task id, should one come, is returned to wait on.
func (c *Client) ModifyInstanceName(ctx context.Context, r ModifyInstanceNameRequest) (string, error) {
	return c.task(ctx, "ModifyInstanceName", r)
}

// ModifyInstanceHostNameRequest sets the guest's host name; the service
// needs the instance's password to do it.
type ModifyInstanceHostNameRequest struct {
	InstanceID string `json:"InstanceId"`
	HostName   string `json:"HostName"`
	Password   string `json:"Password"`
}

// ModifyInstanceHostName sets the host name (an action of the official SDK,
// not of the documents).
func (c *Client) ModifyInstanceHostName(ctx context.Context, r ModifyInstanceHostNameRequest) (string, error) {
	return c.task(ctx, "ModifyInstanceHostName", r)
}

// ResetInstancesPasswordRequest sets a new password on instances.
type ResetInstancesPasswordRequest struct {
	InstanceIDs []string `json:"-"`
	Password    string   `json:"Password"`
}

// MarshalJSON sends InstanceIds comma-joined, as the documents spell it.
func (r ResetInstancesPasswordRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"InstanceIds": strings.Join(r.InstanceIDs, ","), "Password": r.Password})
}

// instanceTask is one entry of ResetInstancesPassword's Data.
type instanceTask struct {
	InstanceID string `json:"InstanceId"`
	TaskID     Str    `json:"TaskId"`
}

// ResetInstancesPassword sets a new password and returns every task to wait
// on: the documents answer Data: [{InstanceId, TaskId}], the official SDK
// reads a top-level TaskId; both are taken, each id once.
func (c *Client) ResetInstancesPassword(ctx context.Context, r ResetInstancesPasswordRequest) ([]string, error) {
	var d []instanceTask
	resp, err := c.Call(ctx, "ResetInstancesPassword", r, &d)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range d {
		if id := string(t.TaskID); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if resp.TaskID != "" && !slices.Contains(ids, resp.TaskID) {
		ids = append(ids, resp.TaskID)
	}
	return ids, nil
}

// ExtendSystemDiskRequest grows the system disk to Size GB and/or its
// provisioned IOPS packs (zero leaves a value as it is).
type ExtendSystemDiskRequest struct {
	InstanceID string `json:"InstanceId"`
	Size       int    `json:"Size,omitempty"`
	IOPS       int    `json:"IOPS,omitempty"`
}

// ExtendSystemDisk grows an instance's system disk.
func (c *Client) ExtendSystemDisk(ctx context.Context, r ExtendSystemDiskRequest) (string, error) {
	return c.task(ctx, "ExtendSystemDisk", r)
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
	// InstanceType changes the compute type in place (current documents).
	InstanceType string `json:"InstanceType,omitempty"`
}

// ModifyInstanceAttributeRequest turns deletion protection on or off.
type ModifyInstanceAttributeRequest struct {
	InstanceIDs        []string `json:"InstanceIds"`
	DeletionProtection bool     `json:"DeletionProtection"`
}

// ModifyInstanceAttribute sets instances' deletion protection; it takes
// effect at once (no TaskId).
func (c *Client) ModifyInstanceAttribute(ctx context.Context, r ModifyInstanceAttributeRequest) (string, error) {
	return c.task(ctx, "ModifyInstanceAttribute", r)
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
	// Password is the reinstalled system's password (required by the
	// current documents); ImagePassword a custom image's own.
	Password      string   `json:"Password"`
	ImagePassword string   `json:"ImagePassword,omitempty"`
	PublicKey     string   `json:"PublicKey,omitempty"`
	UserData      []string `json:"UserData,omitempty"`
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
	// InstanceID narrows the listing to one instance: one string, as the
	// current documents, the official SDK and the official examples send it
	// (the 2019 reference showed a JSON list).
	InstanceID string `json:"InstanceId,omitempty"`
	// PublicIPs is a list (one address in the 2019 reference).
	PublicIPs []string `json:"PublicIp,omitempty"`
	VdcName   string   `json:"VdcName,omitempty"`
	RegionID  string   `json:"RegionId,omitempty"`
	TagName   string   `json:"TagName,omitempty"`
}

// DescribeInstancesData is one page of instances. Total (the current
// documents) counts every match; the 2019 reference has only PageCount.
type DescribeInstancesData struct {
	Instances  []Instance `json:"Instances"`
	PageNumber Int        `json:"PageNumber"`
	PageCount  Int        `json:"PageCount"`
	Total      Int        `json:"Total"`
}

// An Instance as DescribeInstances shows it. The documents list no image or
// instance type in it: ImageID and InstanceType are empty unless a service
// sends them.
type Instance struct {
	InstanceID           string        `json:"InstanceId"`
	InstanceName         string        `json:"InstanceName"`
	InstanceStatus       string        `json:"InstanceStatus"`
	InstanceChargeType   string        `json:"InstanceChargeType"`
	InstanceChargeStatus string        `json:"InstanceChargeStatus,omitempty"`
	VdcID                string        `json:"VdcId"`
	VdcName              string        `json:"VdcName"`
	RegionID             string        `json:"RegionId"`
	CPU                  Int           `json:"Cpu,omitempty"`
	RAM                  Int           `json:"Ram,omitempty"`
	InstanceType         string        `json:"InstanceType,omitempty"`
	ImageID              string        `json:"ImageId,omitempty"`
	Disks                InstanceDisks `json:"Disks"`
	// PublicNetworkInterface is a list now (maybe empty); the 2019
	// reference shows one object, {} for none.
	PublicNetworkInterface  List[NetworkInterface] `json:"PublicNetworkInterface"`
	PrivateNetworkInterface []NetworkInterface     `json:"PrivateNetworkInterface"`
	Tags                    []Tag                  `json:"Tags,omitempty"`
	CreateTime              string                 `json:"CreateTime,omitempty"`
}

// PublicInterface returns the instance's public NIC, or nil.
func (in Instance) PublicInterface() *NetworkInterface {
	for i := range in.PublicNetworkInterface {
		if in.PublicNetworkInterface[i].InterfaceID != "" {
			return &in.PublicNetworkInterface[i]
		}
	}
	return nil
}

// Power is an instance's power state as InstanceStatus shows it, or ""
// while a task is changing it.
func (in Instance) Power() Power { return PowerOf(in.InstanceStatus) }

// Failed reports whether InstanceStatus is a failure status: the task that
// built or changed the instance ended in error, and the service keeps it
// listed (what the official provider treats as final). Case is ignored.
func (in Instance) Failed() bool { return StatusFailed(in.InstanceStatus) }

// StatusFailed reports whether an instance status is a failure status:
// "error", "failed", "create_failed" or "delete_failed" (any case, with
// "-" for "_").
func StatusFailed(status string) bool {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(status)), "-", "_") {
	case "error", "failed", "fail", "create_failed", "delete_failed", "createfailed":
		return true
	}
	return false
}

// A Power is an instance's settled power state.
type Power string

// The settled power states.
const (
	PowerRunning Power = "running"
	PowerStopped Power = "stopped"
)

// PowerOf reads an InstanceStatus: "running" is running; "stop" (what the
// current service and the official provider say) and "stopped" are
// stopped; every other status (creating, starting, stopping, updating,
// deleting, …) is a change in progress, "". Case is ignored.
func PowerOf(status string) Power {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "running":
		return PowerRunning
	case "stop", "stopped", "shutdown":
		return PowerStopped
	}
	return ""
}

// InstanceDisks are an instance's system and data disks.
type InstanceDisks struct {
	SystemDisk      Disk   `json:"SystemDisk"`
	DataDisks       []Disk `json:"DataDisks"`
	LeftDataDiskNum Int    `json:"LeftDataDiskNum,omitempty"`
}

// A Disk is a system or data disk. The current service spells the type
// DiskType and the IOPS Iops (IopsSize: provisioned IOPS packs); the 2019
// reference spells them Type and IOPS. Both decode into Type and IOPS.
type Disk struct {
	DiskID   string `json:"DiskId,omitempty"`
	Size     Int    `json:"Size"`
	Type     string `json:"Type,omitempty"`
	IOPS     Int    `json:"IOPS,omitempty"`
	IopsSize Int    `json:"IopsSize,omitempty"`
}

// UnmarshalJSON accepts both spellings, and size/type in lower case as the
// 2019 reference's DataDisks example writes them.
func (d *Disk) UnmarshalJSON(b []byte) error {
	var w struct {
		DiskID   string `json:"DiskId"`
		Size     Int    `json:"Size"`
		Type     string `json:"Type"`
		DiskType string `json:"DiskType"`
		IOPS     *Int   `json:"IOPS"`
		Iops     *Int   `json:"Iops"`
		IopsSize Int    `json:"IopsSize"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = Disk{DiskID: w.DiskID, Size: w.Size, Type: w.DiskType, IopsSize: w.IopsSize}
	if d.Type == "" {
		d.Type = w.Type
	}
	if w.Iops != nil {
		d.IOPS = *w.Iops
	} else if w.IOPS != nil {
		d.IOPS = *w.IOPS
	}
	return nil
}

// A NetworkInterface is a public or private NIC. Connected is 1 when the
// link is up. PublicID or PrivateID names its network.
type NetworkInterface struct {
	InterfaceID string `json:"InterfaceId"`
	Name        string `json:"Name"`
	IP          string `json:"IP"`
	IPv6        string `json:"IPv6,omitempty"`
	MAC         string `json:"MAC"`
	Connected   Int    `json:"Connected"`
	PublicID    string `json:"PublicId,omitempty"`
	PrivateID   string `json:"PrivateId,omitempty"`
}

// A Tag is a label on an instance. TagId is text in DescribeInstances and a
// number in DescribeTags; both decode.
type Tag struct {
	TagID   Str    `json:"TagId"`
	TagName string `json:"TagName"`
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
	r.PageSize = pageSize
	return listPages(ctx, func(ctx context.Context, n int) ([]Instance, Pages, error) {
		r.PageNumber = n
		var d DescribeInstancesData
		resp, err := c.Call(ctx, "DescribeInstances", r, &d)
		if err != nil {
			return nil, Pages{}, err
		}
		p := resp.Pages // beside Data, or inside it
		if p.Count == 0 && p.Total == 0 {
			p = Pages{Number: int(d.PageNumber), Count: int(d.PageCount), Total: int(d.Total)}
		}
		return d.Instances, p, nil
	}, func(in Instance) string { return in.InstanceID })
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
// id. Concurrent calls share the rate limiter's turns (see coalescer), but
// each asks DescribeInstances for its own id, one string, as the documents
// send it: where the instance's VDC is known, InstanceIn reads it from the
// VDC's listing instead, shared with every concurrent read in that VDC.
func (c *Client) Instance(ctx context.Context, id string) (*Instance, error) {
	if in, ok := c.listings.take(id, c.clock.Now()); ok {
		return in, nil // a wait's listing just showed it settled
	}
	in, found, err := c.instances.get(ctx, keyed(ctx, id))
	if !found {
		in = nil
	}
	return in, err
}

// InstanceIn returns instance id of VDC vdc, or nil when the VDC's listing
// does not hold it. Concurrent reads in one VDC are answered by one listing
// of the VDC (DescribeInstances with VdcId, paged), the one the waits share;
// with no VDC it is Instance.
func (c *Client) InstanceIn(ctx context.Context, vdc, id string) (*Instance, error) {
	if in, ok := c.listings.take(id, c.clock.Now()); ok {
		return in, nil
	}
	if vdc == "" {
		return c.Instance(ctx, id)
	}
	list, _, err := c.listings.get(ctx, keyed(ctx, vdc))
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].InstanceID == id {
			in := list[i]
			return &in, nil
		}
	}
	return nil, nil
}

// describeInstancesByID reads ids, one DescribeInstances each (InstanceId
// is one string in the documents); an id the service calls gone is left
// out.
func (c *Client) describeInstancesByID(ctx context.Context, ids []string) (map[string]*Instance, error) {
	out := make(map[string]*Instance, len(ids))
	for _, key := range ids {
		rctx, id := unkeyed(ctx, key)
		list, err := c.ListInstances(rctx, DescribeInstancesRequest{InstanceID: id}, 10)
		if IsCode(err, "InstanceNotFound") {
			continue
		}
		if err != nil {
			return out, err
		}
		for i := range list {
			if list[i].InstanceID == id {
				out[key] = &list[i]
			}
		}
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
	// Password is the instance's password, which the current documents
	// require (the address is written into the guest).
	Password string `json:"Password"`
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
