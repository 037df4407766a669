package emulator

import "encoding/json"

// The emulator's answer shapes, written from the current documentation (the
// capitalonline/openapi pages 云主机概览.md, 虚拟数据中心概览.md and
// 首云OpenAPI(v1.2).md) and the field types of the official Go SDK. They are
// the emulator's own: the client's request and answer types are never used
// here, so a mistake on one side cannot hide behind the other. Numbers are
// JSON numbers and texts JSON strings as the documents show them; where the
// 2019 reference and the current documents disagree, these follow the
// current documents (doc.go lists the choices).

// instancesPage is the Data of DescribeInstances.
type instancesPage struct {
	Instances  []instanceView `json:"Instances"`
	PageNumber int            `json:"PageNumber"`
	PageCount  int            `json:"PageCount"`
	Total      int            `json:"Total"`
}

// instanceView is one instance of DescribeInstances. The documents list no
// image or instance type in it, so none is sent.
type instanceView struct {
	InstanceID              string    `json:"InstanceId"`
	InstanceName            string    `json:"InstanceName"`
	InstanceStatus          string    `json:"InstanceStatus"`
	InstanceChargeType      string    `json:"InstanceChargeType"`
	InstanceChargeStatus    string    `json:"InstanceChargeStatus"`
	VdcID                   string    `json:"VdcId"`
	VdcName                 string    `json:"VdcName"`
	RegionID                string    `json:"RegionId"`
	CPU                     int       `json:"Cpu"`
	RAM                     int       `json:"Ram"`
	Disks                   disksView `json:"Disks"`
	PublicNetworkInterface  []nicView `json:"PublicNetworkInterface"`
	PrivateNetworkInterface []nicView `json:"PrivateNetworkInterface"`
	Tags                    []tagView `json:"Tags"`
	CreateTime              string    `json:"CreateTime"`
}

// disksView is an instance's disks.
type disksView struct {
	SystemDisk      diskView   `json:"SystemDisk"`
	DataDisks       []diskView `json:"DataDisks"`
	LeftDataDiskNum int        `json:"LeftDataDiskNum"`
}

// diskView is a system or data disk: Iops is the disk's IOPS, IopsSize the
// provisioned IOPS packs bought with it.
type diskView struct {
	DiskID   string `json:"DiskId,omitempty"`
	DiskType string `json:"DiskType"`
	Size     int    `json:"Size"`
	IopsSize int    `json:"IopsSize"`
	Iops     int    `json:"Iops"`
}

// nicView is a network interface; Connected is 1 when the link is up.
type nicView struct {
	InterfaceID string `json:"InterfaceId"`
	Name        string `json:"Name"`
	IP          string `json:"IP"`
	MAC         string `json:"MAC"`
	Connected   int    `json:"Connected"`
	PublicID    string `json:"PublicId,omitempty"`
	PrivateID   string `json:"PrivateId,omitempty"`
}

// tagView is a tag on an instance; DescribeInstances sends TagId as text.
type tagView struct {
	TagID   string `json:"TagId"`
	TagName string `json:"TagName"`
}

// taskView is the Data of DescribeTask: ResourceId joins the ids with
// commas, ResourceIds lists them.
type taskView struct {
	Status      string   `json:"Status"`
	ResourceID  string   `json:"ResourceId"`
	ResourceIDs []string `json:"ResourceIds"`
	TaskType    string   `json:"TaskType"`
	// why is the answer's Message for a task that failed.
	why string
}

func (v taskView) message() string { return v.why }

// instanceTaskView is one entry of ResetInstancesPassword's Data.
type instanceTaskView struct {
	InstanceID string `json:"InstanceId"`
	TaskID     string `json:"TaskId"`
}

// vdcView is one VDC of DescribeVdc, which repeats the page counters in
// each item.
// vdcList is DescribeVdc's Data, its counters beside it (the items show
// PageNumber and PageCount 0, as the documents' example does).
type vdcList struct {
	items                []vdcView
	number, count, total int
}

func (l vdcList) MarshalJSON() ([]byte, error) { return json.Marshal(l.items) }

func (l vdcList) pages() (int, int, int) { return l.number, l.count, l.total }

type vdcView struct {
	VdcID          string           `json:"VdcId"`
	VdcName        string           `json:"VdcName"`
	RegionID       string           `json:"RegionId"`
	VdcStatus      string           `json:"VdcStatus"`
	PublicNetwork  []publicNetView  `json:"PublicNetwork"`
	PrivateNetwork []privateNetView `json:"PrivateNetwork"`
	PageNumber     int              `json:"PageNumber"`
	PageCount      int              `json:"PageCount"`
}

// publicNetView is a VDC's public network: the fields of the documents'
// table and example (no billing method, renewal or float bandwidth).
type publicNetView struct {
	PublicID   string        `json:"PublicId"`
	Name       string        `json:"Name"`
	Status     string        `json:"Status"`
	Type       string        `json:"Type"`
	Qos        int           `json:"Qos"`
	Segments   []segmentView `json:"Segments"`
	UnuseIPNum int           `json:"UnuseIpNum"`
}

// segmentView is a block of public addresses.
type segmentView struct {
	SegmentID string `json:"SegmentId"`
	Address   string `json:"Address"`
	Mask      int    `json:"Mask"`
	Gateway   string `json:"Gateway"`
}

// privateNetView is a VDC's private network; Segments read like
// "10.240.59.0/16~10.240.59.255/16".
type privateNetView struct {
	PrivateID  string   `json:"PrivateId"`
	Name       string   `json:"Name"`
	Status     string   `json:"Status"`
	UnuseIPNum int      `json:"UnuseIpNum"`
	Segments   []string `json:"Segments"`
}

// trafficView is the Data of DescribeBandwidthTraffic.
type trafficView struct {
	LastFiveMinutesUsage struct {
		Inbps  float64 `json:"Inbps"`
		Outbps float64 `json:"Outbps"`
	} `json:"LastFiveMinutesUsage"`
	MaxQos int `json:"MaxQos"`
}

// ipUsageView is the Data of DescribePublicIp and DescribePrivateIp.
type ipUsageView struct {
	UnusedList  []string      `json:"UnusedList"`
	UnusedTotal int           `json:"UnusedTotal"`
	UsedList    []ipUsageItem `json:"UsedList"`
	UsedTotal   int           `json:"UsedTotal"`
}

// ipUsageItem is an address in use and by what.
type ipUsageItem struct {
	Address string `json:"Address"`
	Usage   string `json:"Usage"`
}

// groupList is the Data of DescribeSecurityGroups.
type groupList struct {
	SecurityGroupCount int         `json:"SecurityGroupCount"`
	SecurityGroup      []groupView `json:"SecurityGroup"`
}

// groupView is one security group of a listing.
type groupView struct {
	SecurityGroupID    string `json:"SecurityGroupId"`
	SecurityGroupName  string `json:"SecurityGroupName"`
	SecurityGroupType  string `json:"SecurityGroupType"`
	Description        string `json:"Description"`
	BindInstanceCount  int    `json:"BindInstanceCount"`
	BindInterfaceCount int    `json:"BindInterfaceCount"`
	BindVdcCount       int    `json:"BindVdcCount"`
	CreateTime         string `json:"CreateTime"`
	UpdateTime         string `json:"UpdateTime"`
}

// groupAttrView is the Data of DescribeSecurityGroupAttribute.
type groupAttrView struct {
	SecurityGroupName      string     `json:"SecurityGroupName"`
	SecurityGroupType      string     `json:"SecurityGroupType"`
	SecurityGroupRuleCount int        `json:"SecurityGroupRuleCount"`
	SecurityGroupRules     []ruleView `json:"SecurityGroupRules"`
}

// ruleView is a rule: ports are text, Action 1 allows and 0 denies.
type ruleView struct {
	RuleID        string `json:"RuleId"`
	Status        string `json:"Status"`
	TargetAddress string `json:"TargetAddress"`
	TargetPort    string `json:"TargetPort"`
	LocalPort     string `json:"LocalPort"`
	Direction     string `json:"Direction"`
	Protocol      string `json:"Protocol"`
	Priority      int    `json:"Priority"`
	Action        int    `json:"Action"`
	Type          string `json:"Type"`
	Description   string `json:"Description"`
	CreateTime    string `json:"CreateTime"`
}

// templateList is the Data of DescribeTemplateInfo.
type templateList struct {
	TotalPage    int            `json:"TotalPage"`
	TemplateList []templateView `json:"TemplateList"`
}

// templateView is a public or custom template.
type templateView struct {
	TemplateID string               `json:"TemplateId"`
	Name       string               `json:"Name"`
	Status     string               `json:"Status"`
	Count      int                  `json:"Count"`
	OSType     string               `json:"OSType"`
	CreateTime string               `json:"CreateTime"`
	Region     []templateRegionView `json:"Region"`
}

// templateRegionView is a template's copy in one region.
type templateRegionView struct {
	RegionID   string `json:"RegionId"`
	RegionName string `json:"RegionName"`
	Status     string `json:"Status"`
}

// billView is the Data of DescribeBill.
type billView struct {
	BillInfo        []billItemView `json:"BillInfo"`
	TotalMasterCost float64        `json:"TotalMasterCost"`
	TotalViceCost   float64        `json:"TotalViceCost"`
}

// billItemView is one resource's cost over the bill's days.
type billItemView struct {
	RegionID     string  `json:"RegionId"`
	ResourceID   string  `json:"ResourceId"`
	ResourceName string  `json:"ResourceName"`
	ResourceType string  `json:"ResourceType"`
	TotalCost    float64 `json:"TotalCost"`
	VdcID        string  `json:"VdcId"`
	VdcName      string  `json:"VdcName"`
	CreateTime   string  `json:"CreateTime"`
	DeleteTime   string  `json:"DeleteTime"`
}

// billInfoView is the Data of DescribeBillInfo.
type billInfoView struct {
	BillDetail []billDetailView `json:"BillDetail"`
	TotalCost  float64          `json:"TotalCost"`
}

// billDetailView is one resource's cost over one day.
type billDetailView struct {
	RegionID      string   `json:"RegionId"`
	ResourceID    string   `json:"ResourceId"`
	ResourceName  string   `json:"ResourceName"`
	ResourceType  string   `json:"ResourceType"`
	VdcID         string   `json:"VdcId"`
	VdcName       string   `json:"VdcName"`
	ProjectID     string   `json:"ProjectId"`
	ProjectName   string   `json:"ProjectName"`
	CreateTime    string   `json:"CreateTime"`
	Configuration string   `json:"Configuration"`
	CostDetail    string   `json:"CostDetail"`
	StartTime     int64    `json:"StartTime"`
	EndTime       int64    `json:"EndTime"`
	PayType       string   `json:"PayType"`
	PayDesc       string   `json:"PayDesc"`
	Status        string   `json:"Status"`
	UnitPrice     float64  `json:"UnitPrice"`
	TotalCost     float64  `json:"TotalCost"`
	IPs           []string `json:"IPs"`
}

// meteringView is one cold storage pool of GetMetering.
type meteringView struct {
	ID        string  `json:"Id"`
	Name      string  `json:"Name"`
	TotalSize string  `json:"TotalSize"`
	Cold      float64 `json:"Cold"`
	Warm      float64 `json:"Warm"`
}

// availableView is the Data of DescribeAvailableResource.
type availableView struct {
	RegionID       string              `json:"RegionId"`
	RegionName     string              `json:"RegionName"`
	RegionStatus   string              `json:"RegionStatus"`
	RegionStatusZh string              `json:"RegionStatusZh"`
	WanGoods       []wanGoodView       `json:"WanGoods"`
	InstanceGoods  []instanceGoodsView `json:"InstanceGoods"`
}

// wanGoodView is a bandwidth type and how it can be billed.
type wanGoodView struct {
	Type          string           `json:"Type"`
	BillingMethod []billingKeyView `json:"BillingMethod"`
}

// billingKeyView is a billing method and its largest Qos.
type billingKeyView struct {
	Key    string `json:"Key"`
	MaxQos int    `json:"MaxQos"`
}

// instanceGoodsView is what an instance type can have.
type instanceGoodsView struct {
	InstanceType    string         `json:"InstanceType"`
	ImageGoods      imageGoodsView `json:"ImageGoods"`
	DiskGoods       []diskGoodView `json:"DiskGoods"`
	SystemDiskGoods []diskGoodView `json:"SystemDiskGoods"`
}

// imageGoodsView lists the images on sale.
type imageGoodsView struct {
	PublicImage   []imageView `json:"PublicImage"`
	PrivateImages []imageView `json:"PrivateImages"`
}

// imageView is one image.
type imageView struct {
	ImageID        string `json:"ImageId"`
	ImageType      string `json:"ImageType"`
	GicDisplayName string `json:"GicDisplayName"`
}

// diskGoodView is a disk type and its sizes in GB.
type diskGoodView struct {
	Type    string `json:"Type"`
	MinSize int    `json:"MinSize"`
	MaxSize int    `json:"MaxSize"`
	Step    int    `json:"Step"`
}

// monitorView is the Data of DescribeInstanceMonitor; Period is text.
type monitorView struct {
	InstanceID string          `json:"InstanceId"`
	Period     string          `json:"Period"`
	DataPoints []dataPointView `json:"DataPoints"`
}

// dataPointView is one sample.
type dataPointView struct {
	Timestamp string  `json:"Timestamp"`
	Value     float64 `json:"Value"`
}
