package cloud

import "context"

// GetMeteringRequest asks for cold-storage metering up to EndTime
// ("20191101"), for all pools or the one named by Uid.
type GetMeteringRequest struct {
	EndTime string `json:"EndTime"`
	UID     string `json:"Uid,omitempty"`
}

// A Metering is one storage pool's usage.
type Metering struct {
	ID        Str    `json:"Id"`
	Name      string `json:"Name"`
	TotalSize Str    `json:"TotalSize"`
	Cold      Float  `json:"Cold"`
	Warm      Float  `json:"Warm"`
}

// GetMetering returns storage pool usage (GET /ccs-product).
func (c *Client) GetMetering(ctx context.Context, r GetMeteringRequest) ([]Metering, error) {
	var d []Metering
	if _, err := c.Call(ctx, "GetMetering", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// AvailableResourceRequest names a region.
type AvailableResourceRequest struct {
	RegionID string `json:"RegionId"`
}

// AvailableResource is what a region sells.
type AvailableResource struct {
	RegionID      string          `json:"RegionId"`
	RegionName    string          `json:"RegionName"`
	RegionStatus  Str             `json:"RegionStatus,omitempty"` // "1" on sale (current documents)
	WanGoods      []WanGood       `json:"WanGoods"`
	InstanceGoods []InstanceGoods `json:"InstanceGoods"`
}

// A WanGood is a bandwidth type and its billing methods.
type WanGood struct {
	Type          string              `json:"Type"`
	BillingMethod []WanBillingMethods `json:"BillingMethod"`
}

// WanBillingMethods is a billing method and its largest Qos.
type WanBillingMethods struct {
	Key    string `json:"Key"`
	MaxQos Int    `json:"MaxQos"`
}

// InstanceGoods are the images and disks an instance type can have.
type InstanceGoods struct {
	InstanceType    string      `json:"InstanceType"`
	ImageGoods      ImageGoods  `json:"ImageGoods"`
	DiskGoods       []DiskGoods `json:"DiskGoods"`
	SystemDiskGoods []DiskGoods `json:"SystemDiskGoods,omitempty"`
}

// ImageGoods are public and private images.
type ImageGoods struct {
	PublicImage   []Image `json:"PublicImage"`
	PrivateImages []Image `json:"PrivateImages"`
}

// An Image an instance can boot.
type Image struct {
	ImageID        string `json:"ImageId"`
	ImageType      string `json:"ImageType"`
	GicDisplayName string `json:"GicDisplayName"`
}

// DiskGoods is a disk type with its size range in GB.
type DiskGoods struct {
	Type    string `json:"Type"`
	MinSize Int    `json:"MinSize"`
	MaxSize Int    `json:"MaxSize"`
	Step    Int    `json:"Step"`
}

// DescribeAvailableResource returns what a region sells.
func (c *Client) DescribeAvailableResource(ctx context.Context, r AvailableResourceRequest) (*AvailableResource, error) {
	var d AvailableResource
	if err := c.callCatalog(ctx, "DescribeAvailableResource", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}
