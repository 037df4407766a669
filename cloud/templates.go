package cloud

import "context"

// CreateTemplateRequest makes a template from an instance. PowerOn keeps the
// instance running while the template is made; it is a boolean in the
// current documents (1 or 0 in the 2019 reference, which the service also
// reads).
type CreateTemplateRequest struct {
	InstanceID  string `json:"InstanceId"`
	DisplayName string `json:"DisplayName"`
	PowerOn     bool   `json:"PowerOn"`
}

// CreateTemplate makes a template from an instance.
func (c *Client) CreateTemplate(ctx context.Context, r CreateTemplateRequest) (string, error) {
	return c.task(ctx, "CreateTemplate", r)
}

// TemplateRegionRequest names a template in a region (Delete/SyncTemplate).
type TemplateRegionRequest struct {
	TemplateID string `json:"TemplateId"`
	RegionID   string `json:"RegionId"`
}

// DeleteTemplate deletes a template's copy in a region.
func (c *Client) DeleteTemplate(ctx context.Context, r TemplateRegionRequest) (string, error) {
	return c.task(ctx, "DeleteTemplate", r)
}

// SyncTemplate copies a template to another region.
func (c *Client) SyncTemplate(ctx context.Context, r TemplateRegionRequest) (string, error) {
	return c.task(ctx, "SyncTemplate", r)
}

// DescribeTemplateInfoRequest pages through the account's templates.
type DescribeTemplateInfoRequest struct {
	PageNumber int    `json:"PageNumber"`
	PageSize   int    `json:"PageSize"`
	Keyword    string `json:"Keyword,omitempty"`
}

// TemplateList is one page of templates.
type TemplateList struct {
	TotalPage    Int        `json:"TotalPage"`
	TemplateList []Template `json:"TemplateList"`
}

// A Template and its copies per region.
type Template struct {
	TemplateID string           `json:"TemplateId"`
	Name       string           `json:"Name"`
	Status     string           `json:"Status"`
	Count      Int              `json:"Count"`
	OSType     string           `json:"OSType"`
	CreateTime string           `json:"CreateTime"`
	Region     []TemplateRegion `json:"Region"`
}

// TemplateRegion is a template's sync state in one region.
type TemplateRegion struct {
	RegionID   string `json:"RegionId"`
	RegionName string `json:"RegionName"`
	Status     string `json:"Status"`
}

// DescribeTemplateInfo returns one page of templates.
func (c *Client) DescribeTemplateInfo(ctx context.Context, r DescribeTemplateInfoRequest) (*TemplateList, error) {
	var d TemplateList
	if _, err := c.Call(ctx, "DescribeTemplateInfo", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}
