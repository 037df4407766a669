package cloud

import "context"

// DescribeBillRequest asks for the bill of a date range written
// "2019.09.02 - 2019.09.03" (one space each side of the dash).
type DescribeBillRequest struct {
	DateFromTo string `json:"DateFromTo"`
	// Currency is the account's currency, CN (yuan, the default when
	// empty) or US (dollars); the current documents require it.
	Currency string `json:"Currency"`
}

// DefaultCurrency is the bill currency sent when none is chosen.
const DefaultCurrency = "CN"

// orDefaultCurrency returns currency, or DefaultCurrency when empty.
func orDefaultCurrency(currency string) string {
	if currency == "" {
		return DefaultCurrency
	}
	return currency
}

// Bill is the Data of DescribeBill.
type Bill struct {
	BillInfo        []BillItem `json:"BillInfo"`
	TotalMasterCost Float      `json:"TotalMasterCost"`
	TotalViceCost   Float      `json:"TotalViceCost"`
}

// A BillItem is one resource's cost over the range.
type BillItem struct {
	RegionID     string `json:"RegionId"`
	ResourceID   string `json:"ResourceId"`
	ResourceName string `json:"ResourceName"`
	ResourceType string `json:"ResourceType"`
	TotalCost    Float  `json:"TotalCost"`
	VdcID        string `json:"VdcId"`
	VdcName      string `json:"VdcName"`
	CreateTime   string `json:"CreateTime"`
	DeleteTime   string `json:"DeleteTime"`
}

// DescribeBill returns the account's costs per resource.
func (c *Client) DescribeBill(ctx context.Context, r DescribeBillRequest) (*Bill, error) {
	r.Currency = orDefaultCurrency(r.Currency)
	var d Bill
	if _, err := c.Call(ctx, "DescribeBill", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// DescribeBillInfoRequest asks for one resource's bill details (dates as 2019.09.02).
type DescribeBillInfoRequest struct {
	DateFrom   string `json:"DateFrom"`
	DateTo     string `json:"DateTo"`
	ResourceID string `json:"ResourceId"`
	// Currency is as in DescribeBillRequest.
	Currency string `json:"Currency"`
}

// BillInfo is the Data of DescribeBillInfo.
type BillInfo struct {
	BillDetail []BillDetail `json:"BillDetail"`
	TotalCost  Float        `json:"TotalCost"`
}

// A BillDetail is one billing period of a resource. StartTime and EndTime
// are Unix seconds.
type BillDetail struct {
	RegionID      string   `json:"RegionId"`
	ResourceID    string   `json:"ResourceId"`
	ResourceName  string   `json:"ResourceName"`
	ResourceType  string   `json:"ResourceType,omitempty"`
	VdcID         string   `json:"VdcId"`
	VdcName       string   `json:"VdcName"`
	ProjectID     string   `json:"ProjectId,omitempty"`
	ProjectName   string   `json:"ProjectName,omitempty"`
	CreateTime    string   `json:"CreateTime"`
	Configuration string   `json:"Configuration"`
	CostDetail    string   `json:"CostDetail"`
	StartTime     Int      `json:"StartTime"`
	EndTime       Int      `json:"EndTime"`
	PayType       Str      `json:"PayType"`
	PayDesc       string   `json:"PayDesc"`
	Status        string   `json:"Status"`
	UnitPrice     Float    `json:"UnitPrice"`
	TotalCost     Float    `json:"TotalCost"`
	IPs           []string `json:"IPs"`
}

// DescribeBillInfo returns one resource's bill details.
func (c *Client) DescribeBillInfo(ctx context.Context, r DescribeBillInfoRequest) (*BillInfo, error) {
	r.Currency = orDefaultCurrency(r.Currency)
	var d BillInfo
	if _, err := c.Call(ctx, "DescribeBillInfo", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}
