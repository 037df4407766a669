package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// The load balancer (HAProxy) service of 负载均衡概览.md: its actions live
// under /lb/, except the two monitoring ones, which the document serves
// under /paas/monitor/.
const (
	ServiceLB          Service = "lb"
	ServicePaasMonitor Service = "paas/monitor"
)

// An LBZone is a region where load balancers are sold (DescribeZones).
type LBZone struct {
	RegionID   string `json:"RegionId"`
	RegionName string `json:"RegionName"`
	CityID     string `json:"CityId"`
	CityName   string `json:"CityName"`
	SiteName   string `json:"SiteName"`
	IsSaling   Int    `json:"IsSaling"`
}

// DescribeLBZones lists the regions that sell load balancers (GET /lb).
func (c *Client) DescribeLBZones(ctx context.Context) ([]LBZone, error) {
	var d []LBZone
	if _, err := c.Call(ctx, "DescribeZones", nil, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// An LBCpuRam is one size of load balancer and the goods id that buys it:
// the catalogues' one size shape (DBSize; the modify-spec answer's "N" is
// read as its Name).
type LBCpuRam = DBSize

// An LBAttachDisk is a disk type the catalogue lists with a size.
type LBAttachDisk struct {
	DiskName  string `json:"DiskName"`
	DiskValue string `json:"DiskValue"`
	DiskMin   Int    `json:"DiskMin"`
	DiskMax   Int    `json:"DiskMax"`
	DiskStep  Int    `json:"DiskStep"`
	DiskUnit  string `json:"DiskUnit"`
	BasicIops Str    `json:"BasicIops"`
}

// LBSpec is a region's load balancer catalogue (DescribeLoadBalancersSpec).
type LBSpec struct {
	ProductName string          `json:"ProductName"`
	RegionID    string          `json:"RegionId"`
	Products    List[LBProduct] `json:"Products"`
}

// An LBProduct is one version and its architectures.
type LBProduct struct {
	Version       Str                  `json:"Version"`
	Architectures List[LBArchitecture] `json:"Architectures"`
}

// An LBArchitecture is one architecture (主从: master and standby) and its
// compute roles.
type LBArchitecture struct {
	ArchitectureName Str                 `json:"ArchitectureName"`
	ArchitectureType Int                 `json:"ArchitectureType"`
	SubProductName   string              `json:"SubProductName"`
	ComputeRoles     List[LBComputeRole] `json:"ComputeRoles"`
}

// An LBComputeRole holds the sizes of one compute type.
type LBComputeRole struct {
	ComputeName string `json:"ComputeName"`
	ComputeType Int    `json:"ComputeType"`
	Standards   struct {
		AttachDisk List[LBAttachDisk] `json:"AttachDisk"`
		CpuRam     List[LBCpuRam]     `json:"CpuRam"`
	} `json:"Standards"`
}

// Sizes returns every size of the catalogue, in its order.
func (s *LBSpec) Sizes() []LBCpuRam {
	var out []LBCpuRam
	for _, p := range s.Products {
		for _, a := range p.Architectures {
			for _, r := range a.ComputeRoles {
				out = append(out, r.Standards.CpuRam...)
			}
		}
	}
	return out
}

// GoodsFor returns the PaasGoodsId of the size with cpu cores and ram GB,
// or 0 when sizes have none.
func GoodsFor(sizes []LBCpuRam, cpu, ram int) int {
	for _, s := range sizes {
		if int(s.CPU) == cpu && int(s.RAM) == ram {
			return int(s.PaasGoodsID)
		}
	}
	return 0
}

// DescribeLoadBalancersSpec returns a region's catalogue (GET /lb). The SDK
// reads Data as "data"; the document and the service send "Data", and the
// envelope decoding takes the one the service sends.
func (c *Client) DescribeLoadBalancersSpec(ctx context.Context, r RegionRequest) (*LBSpec, error) {
	var d LBSpec
	resp, err := c.Call(ctx, "DescribeLoadBalancersSpec", r, &d)
	if err != nil {
		return nil, err
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		var low struct {
			Data *LBSpec `json:"data"`
		}
		if json.Unmarshal(resp.Body, &low) == nil && low.Data != nil {
			return low.Data, nil
		}
	}
	return &d, nil
}

// An LBNetwork is one network a load balancer is created on: the private
// network (PipeType "private", IsVip 1) and optionally a public network with
// the segment whose three addresses it takes.
type LBNetwork struct {
	PipeType  string `json:"PipeType"`
	PipeID    string `json:"PipeId"`
	SegmentID string `json:"SegmentId,omitempty"`
	IsVip     *int   `json:"IsVip,omitempty"`
}

// CreateLoadBalancerRequest creates a load balancer (POST /lb).
type CreateLoadBalancerRequest struct {
	RegionID     string      `json:"RegionId"`
	VdcID        string      `json:"VdcId"`
	BasePipeID   string      `json:"BasePipeId"`
	InstanceName string      `json:"InstanceName"`
	PaasGoodsID  int         `json:"PaasGoodsId"`
	Ips          []LBNetwork `json:"Ips"`
	Amount       int         `json:"Amount,omitempty"`
}

// CreateLoadBalancer starts creating a load balancer and returns the task
// to wait on and the new load balancer's id (Data.InstancesUuid).
func (c *Client) CreateLoadBalancer(ctx context.Context, r CreateLoadBalancerRequest) (taskID, id string, err error) {
	var d struct {
		InstancesUUID List[string] `json:"InstancesUuid"`
		InstanceUUID  string       `json:"InstanceUuid"`
	}
	resp, err := c.Call(ctx, "CreateLoadBalancer", r, &d)
	if err != nil {
		return "", "", err
	}
	id = d.InstanceUUID
	if len(d.InstancesUUID) > 0 {
		id = d.InstancesUUID[0]
	}
	return resp.TaskID, id, nil
}

// DescribeLoadBalancersRequest filters the listing (GET /lb).
type DescribeLoadBalancersRequest struct {
	IP           string `json:"IP,omitempty"`
	InstanceUUID string `json:"InstanceUuid,omitempty"`
	InstanceName string `json:"InstanceName,omitempty"`
	StartTime    string `json:"StartTime,omitempty"`
	EndTime      string `json:"EndTime,omitempty"`
	TagName      string `json:"TagName,omitempty"`
}

// An LBVip is one address of a load balancer: Type "private" or "public".
// The document's table spells the fields ip and type, its example IP and
// Type; both are read.
type LBVip struct {
	IP   string `json:"IP"`
	Type string `json:"Type"`
}

// UnmarshalJSON reads either spelling.
func (v *LBVip) UnmarshalJSON(b []byte) error {
	var m map[string]Str
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, x := range m {
		switch strings.ToLower(k) {
		case "ip":
			v.IP = string(x)
		case "type":
			v.Type = string(x)
		}
	}
	return nil
}

// An LBTag is a tag on a load balancer.
type LBTag struct {
	TagID   Str    `json:"TagID"`
	TagName string `json:"TagName"`
}

// A LoadBalancer is one HAProxy instance as DescribeLoadBalancers shows it.
// Ram is in MB.
type LoadBalancer struct {
	InstanceUUID   string      `json:"InstanceUuid"`
	InstanceName   string      `json:"InstanceName"`
	Status         string      `json:"Status"`
	StatusStr      string      `json:"StatusStr"`
	RegionID       string      `json:"RegionId"`
	VdcID          string      `json:"VdcId"`
	VdcName        string      `json:"VdcName"`
	CPU            Int         `json:"Cpu"`
	RAM            Int         `json:"Ram"`
	IP             string      `json:"IP"`
	Port           Int         `json:"Port"`
	Version        Str         `json:"Version"`
	SubProductName string      `json:"SubProductName"`
	IsCustomConf   Int         `json:"IsCustomConf"`
	ResourceID     string      `json:"ResourceId"`
	CreatedTime    string      `json:"CreatedTime"`
	Vips           List[LBVip] `json:"Vips"`
	Tags           List[LBTag] `json:"Tags"`
}

// RAMGB is the memory in GB (the listing gives MB; a value below 256 is
// taken as GB already).
func (lb *LoadBalancer) RAMGB() int {
	if lb.RAM < 256 {
		return int(lb.RAM)
	}
	return int(lb.RAM) / 1024
}

// Running reports whether the load balancer is settled and serving.
func (lb *LoadBalancer) Running() bool { return strings.EqualFold(lb.Status, "RUNNING") }

// DescribeLoadBalancers lists the account's load balancers.
func (c *Client) DescribeLoadBalancers(ctx context.Context, r DescribeLoadBalancersRequest) ([]LoadBalancer, error) {
	var d List[LoadBalancer]
	if _, err := c.Call(ctx, "DescribeLoadBalancers", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// LoadBalancerRequest names one load balancer.
type LoadBalancerRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
}

// LBModifySpec is what a load balancer may be resized to.
type LBModifySpec struct {
	ProductName string             `json:"ProductName"`
	RegionID    string             `json:"RegionId"`
	CpuRam      List[LBCpuRam]     `json:"CpuRam"`
	AttachDisk  List[LBAttachDisk] `json:"AttachDisk"`
}

// DescribeLoadBalancersModifySpec returns the sizes a load balancer may take.
func (c *Client) DescribeLoadBalancersModifySpec(ctx context.Context, r LoadBalancerRequest) (*LBModifySpec, error) {
	var d LBModifySpec
	if _, err := c.Call(ctx, "DescribeLoadBalancersModifySpec", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ModifyLoadBalancerInstanceSpecRequest resizes a load balancer (POST /lb).
type ModifyLoadBalancerInstanceSpecRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	PaasGoodsID  int    `json:"PaasGoodsId"`
}

// ModifyLoadBalancerInstanceSpec starts a resize.
func (c *Client) ModifyLoadBalancerInstanceSpec(ctx context.Context, r ModifyLoadBalancerInstanceSpecRequest) (string, error) {
	return c.task(ctx, "ModifyLoadBalancerInstanceSpec", r)
}

// DeleteLoadBalancer starts deleting a load balancer.
func (c *Client) DeleteLoadBalancer(ctx context.Context, r LoadBalancerRequest) (string, error) {
	return c.task(ctx, "DeleteLoadBalancer", r)
}

// ModifyLoadBalancerNameRequest renames a load balancer (POST /lb).
type ModifyLoadBalancerNameRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	InstanceName string `json:"InstanceName"`
}

// ModifyLoadBalancerName renames a load balancer; it answers at once.
func (c *Client) ModifyLoadBalancerName(ctx context.Context, r ModifyLoadBalancerNameRequest) (string, error) {
	return c.task(ctx, "ModifyLoadBalancerName", r)
}

// A BackendServer is one server a listener sends to. Weight is text on the
// wire ("1"–"256").
type BackendServer struct {
	IP      string `json:"IP"`
	Port    Int    `json:"Port"`
	Weight  Str    `json:"Weight"`
	MaxConn Int    `json:"MaxConn"`
}

// A ListenerCertificate names a certificate an http listener serves.
type ListenerCertificate struct {
	CertificateID   string `json:"CertificateId"`
	CertificateName string `json:"CertificateName"`
}

// SessionPersistence is an http listener's cookie-based stickiness.
type SessionPersistence struct {
	Key   string `json:"Key"`
	Mode  Int    `json:"Mode"`
	Timer *struct {
		MaxIdle Int `json:"MaxIdle"`
		MaxLife Int `json:"MaxLife"`
	} `json:"Timer,omitempty"`
}

// ListenerOption is an http listener's advanced settings (its health check).
type ListenerOption struct {
	Httpchk *struct {
		Method string `json:"Method"`
		URI    string `json:"Uri"`
	} `json:"Httpchk,omitempty"`
}

// A Listener is one listening policy of a load balancer, http or tcp. The
// timeouts are text with a unit ("1000", "ms"). CertificateIds,
// SessionPersistence, StickySession and Option are http's; EnableSourceIp
// and EnableRepeaterMode tcp's.
type Listener struct {
	ListenerName       string                    `json:"ListenerName"`
	ListenerMode       string                    `json:"ListenerMode"`
	ListenerPort       Int                       `json:"ListenerPort"`
	Scheduler          string                    `json:"Scheduler"`
	MaxConn            Int                       `json:"MaxConn"`
	ClientTimeout      Str                       `json:"ClientTimeout"`
	ClientTimeoutUnit  string                    `json:"ClientTimeoutUnit"`
	ServerTimeout      Str                       `json:"ServerTimeout"`
	ServerTimeoutUnit  string                    `json:"ServerTimeoutUnit"`
	ConnectTimeout     Str                       `json:"ConnectTimeout"`
	ConnectTimeoutUnit string                    `json:"ConnectTimeoutUnit"`
	AclWhiteList       List[string]              `json:"AclWhiteList"`
	BackendServer      List[BackendServer]       `json:"BackendServer"`
	CertificateIds     List[ListenerCertificate] `json:"CertificateIds,omitempty"`
	StickySession      string                    `json:"StickySession,omitempty"`
	SessionPersistence *SessionPersistence       `json:"SessionPersistence,omitempty"`
	Option             *ListenerOption           `json:"Option,omitempty"`
	EnableSourceIP     string                    `json:"EnableSourceIp,omitempty"`
	EnableRepeaterMode string                    `json:"EnableRepeaterMode,omitempty"`
}

// Listeners are a load balancer's listening policies.
type Listeners struct {
	HTTPListeners List[Listener] `json:"HttpListeners"`
	TCPListeners  List[Listener] `json:"TcpListeners"`
}

// All returns the http listeners then the tcp ones.
func (l *Listeners) All() []Listener {
	return append(append([]Listener{}, l.HTTPListeners...), l.TCPListeners...)
}

// DescribeLoadBalancerStrategys returns a load balancer's listeners.
func (c *Client) DescribeLoadBalancerStrategys(ctx context.Context, r LoadBalancerRequest) (*Listeners, error) {
	var d Listeners
	if _, err := c.Call(ctx, "DescribeLoadBalancerStrategys", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ModifyLoadBalancerStrategysRequest replaces a load balancer's whole
// listener set (POST /lb): a listener left out is deleted. HttpListeners
// is required, so an empty list is sent as [] (never null).
type ModifyLoadBalancerStrategysRequest struct {
	InstanceUUID  string     `json:"InstanceUuid"`
	HTTPListeners []Listener `json:"HttpListeners"`
	TCPListeners  []Listener `json:"TcpListeners"`
}

func (r ModifyLoadBalancerStrategysRequest) filled() ModifyLoadBalancerStrategysRequest {
	if r.HTTPListeners == nil {
		r.HTTPListeners = []Listener{}
	}
	if r.TCPListeners == nil {
		r.TCPListeners = []Listener{}
	}
	return r
}

// ModifyLoadBalancerStrategys replaces the listener set.
func (c *Client) ModifyLoadBalancerStrategys(ctx context.Context, r ModifyLoadBalancerStrategysRequest) (string, error) {
	return c.task(ctx, "ModifyLoadBalancerStrategys", r.filled())
}

// AddLoadBalancerStrategys adds listeners to the set without replacing it.
func (c *Client) AddLoadBalancerStrategys(ctx context.Context, r ModifyLoadBalancerStrategysRequest) (string, error) {
	return c.task(ctx, "AddLoadBalancerStrategys", r.filled())
}

// HaproxyConfig is a load balancer's custom configuration file.
type HaproxyConfig struct {
	Configs string `json:"Configs"`
}

// DescribeHaproxyCustomConfig returns the custom configuration file.
func (c *Client) DescribeHaproxyCustomConfig(ctx context.Context, r LoadBalancerRequest) (*HaproxyConfig, error) {
	var d HaproxyConfig
	if _, err := c.Call(ctx, "DescribeHaproxyCustomConfig", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ModifyHaproxyCustomConfigRequest replaces the custom configuration file.
type ModifyHaproxyCustomConfigRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	Configs      string `json:"Configs"`
}

// ModifyHaproxyCustomConfig replaces the custom configuration file.
func (c *Client) ModifyHaproxyCustomConfig(ctx context.Context, r ModifyHaproxyCustomConfigRequest) (string, error) {
	return c.task(ctx, "ModifyHaproxyCustomConfig", r)
}

// LBPerformanceRequest asks for one metric of a load balancer (POST
// /paas/monitor); ListenerName is required for the listener metrics.
type LBPerformanceRequest struct {
	InstanceUUID string `json:"InstanceUuid"`
	ListenerName string `json:"ListenerName,omitempty"`
	MetricKey    string `json:"MetricKey"`
	StartTime    string `json:"StartTime"`
	EndTime      string `json:"EndTime"`
}

// LBPerformance is a metric's series.
type LBPerformance struct {
	InstanceUUID string `json:"InstanceUuid"`
	MetricKey    string `json:"MetricKey"`
	Period       Int    `json:"Period"`
	ProductType  string `json:"ProductType"`
	StartTime    string `json:"StartTime"`
	EndTime      string `json:"EndTime"`
	DataPoints   List[struct {
		MetricName  string `json:"MetricName"`
		MetricType  string `json:"MetricType"`
		MonitorType any    `json:"MonitorType"`
		Unit        string `json:"Unit"`
		Values      List[struct {
			DateTime string `json:"DateTime"`
			Value    Float  `json:"Value"`
		}] `json:"Values"`
	}] `json:"DataPoints"`
}

// DescribeLBInstancePerformance returns a metric of a load balancer.
func (c *Client) DescribeLBInstancePerformance(ctx context.Context, r LBPerformanceRequest) (*LBPerformance, error) {
	var d LBPerformance
	if _, err := c.Call(ctx, "DescribeLBInstancePerformance", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// An LBListenerName is a listener's name and mode, and for http its
// backend groups.
type LBListenerName struct {
	ListenerName string `json:"ListenerName"`
	ListenerMode string `json:"ListenerMode"`
	BackendNames List[struct {
		BackendName string `json:"BackendName"`
		DisplayName string `json:"DisplayName"`
	}] `json:"BackendNames"`
}

// DescribeLBInstanceListeners names a load balancer's listeners (POST
// /paas/monitor).
func (c *Client) DescribeLBInstanceListeners(ctx context.Context, r LoadBalancerRequest) ([]LBListenerName, error) {
	var d List[LBListenerName]
	if _, err := c.Call(ctx, "DescribeLBInstanceListeners", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// LoadBalancer returns the load balancer id, or nil when the cloud has none.
func (c *Client) LoadBalancer(ctx context.Context, id string) (*LoadBalancer, error) {
	list, err := c.DescribeLoadBalancers(ctx, DescribeLoadBalancersRequest{InstanceUUID: id})
	if LBGone(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load balancer %s: %w", id, err)
	}
	for i := range list {
		if list[i].InstanceUUID == id {
			return &list[i], nil
		}
	}
	return nil, nil
}

// LBGone reports whether err says the load balancer or certificate does
// not exist (ResourceNotFound, the document's 404).
func LBGone(err error) bool { return IsCode(err, "ResourceNotFound") }
