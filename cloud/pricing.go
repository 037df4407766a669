package cloud

import (
	"context"
	"encoding/json"
)

// The documented actions that tell what a region sells, what it costs and
// what the account holds (云主机概览.md §23–25, §29; 虚拟数据中心概览.md §22;
// 首云OpenAPI(v1.2).md 账单 §4), none in the 2019 reference.

// InstanceTypeRequest asks what CPU/RAM sizes a type has in a region.
type InstanceTypeRequest struct {
	RegionID           string `json:"RegionId"`
	InstanceType       string `json:"InstanceType"`
	InstanceChargeType string `json:"InstanceChargeType,omitempty"`
}

// An InstanceSize is one CPU/RAM combination on sale, such as "2核4G".
type InstanceSize struct {
	CPU  Int    `json:"Cpu"`
	RAM  Int    `json:"Ram"`
	Name string `json:"Name"`
}

// DescribeInstanceType lists the sizes of an instance type on sale in a
// region (POST /ccs).
func (c *Client) DescribeInstanceType(ctx context.Context, r InstanceTypeRequest) ([]InstanceSize, error) {
	var d []InstanceSize
	if err := c.callCatalog(ctx, "DescribeInstanceType", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// InstancePriceRequest asks what instances like CreateInstance's would cost.
type InstancePriceRequest struct {
	RegionID           string     `json:"RegionId"`
	InstanceChargeType string     `json:"InstanceChargeType,omitempty"`
	AutoRenew          *int       `json:"AutoRenew,omitempty"`
	PrepaidMonth       *int       `json:"PrepaidMonth,omitempty"`
	CPU                int        `json:"Cpu"`
	RAM                int        `json:"Ram"`
	InstanceType       string     `json:"InstanceType"`
	ImageID            string     `json:"ImageId"`
	SystemDisk         DiskSpec   `json:"SystemDisk"`
	DataDisks          []DiskSpec `json:"DataDisks,omitempty"`
	Amount             int        `json:"Amount"`
}

// An InstancePrice is DescribeInstancePrice's answer. The documents give no
// unit; the emulator quotes PostPaid by the hour and PrePaid by the month
// bought (cloud/emulator/doc.go).
type InstancePrice struct {
	TotalPrice Float `json:"TotalPrice"`
}

// DescribeInstancePrice quotes instances (POST /ccs); Amount defaults to 1.
func (c *Client) DescribeInstancePrice(ctx context.Context, r InstancePriceRequest) (*InstancePrice, error) {
	r.Amount = max(r.Amount, 1)
	var d InstancePrice
	if err := c.callCatalog(ctx, "DescribeInstancePrice", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// BandwidthPriceRequest asks the unit price of a public bandwidth type and
// billing scheme in a region (GET /network). The documents' table names the
// scheme BillScheme, their example BillingScheme: the table's is sent.
type BandwidthPriceRequest struct {
	RegionID      string `json:"RegionId"`
	BandwidthType string `json:"BandwidthType"`
	BillScheme    string `json:"BillScheme"`
	Type          string `json:"Type"` // "wan"
}

// A UnitPrice is a price per Unit per Cycle ("/天" a day, "/GB" per GB) in
// the currency Sign.
type UnitPrice struct {
	StdPrice Float  `json:"StdPrice"`
	Price    Float  `json:"Price"`
	Discount Float  `json:"Discount"`
	Sign     string `json:"Sign"`
	Cycle    string `json:"Cycle"`
	Unit     string `json:"Unit"`
}

// BandwidthPrice is the unit price of bandwidth and of each public address.
type BandwidthPrice struct {
	BandwidthPrice UnitPrice `json:"BandwidthPrice"`
	EIPPrice       UnitPrice `json:"EIPPrice"`
}

// VDCBandwidthUnitPrice quotes public bandwidth (GET /network).
func (c *Client) VDCBandwidthUnitPrice(ctx context.Context, r BandwidthPriceRequest) (*BandwidthPrice, error) {
	var d BandwidthPrice
	if err := c.callCatalog(ctx, "VDCBandwidthUnitPrice", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// IPUsageRequest names a network of a VDC (DescribePublicIp: PublicId;
// DescribePrivateIp: PrivateId).
type IPUsageRequest struct {
	VdcID     string `json:"VdcId"`
	PublicID  string `json:"PublicId,omitempty"`
	PrivateID string `json:"PrivateId,omitempty"`
}

// IPUsage is a network's free and used addresses.
type IPUsage struct {
	UnusedList  []string `json:"UnusedList"`
	UnusedTotal Int      `json:"UnusedTotal"`
	UsedList    []struct {
		Address string `json:"Address"`
		Usage   string `json:"Usage"`
	} `json:"UsedList"`
	UsedTotal Int `json:"UsedTotal"`
}

// DescribePublicIP lists a public network's addresses (POST /network).
func (c *Client) DescribePublicIP(ctx context.Context, r IPUsageRequest) (*IPUsage, error) {
	return c.ipUsage(ctx, "DescribePublicIp", r)
}

// DescribePrivateIP lists a private network's addresses (POST /network).
func (c *Client) DescribePrivateIP(ctx context.Context, r IPUsageRequest) (*IPUsage, error) {
	return c.ipUsage(ctx, "DescribePrivateIp", r)
}

func (c *Client) ipUsage(ctx context.Context, action string, r IPUsageRequest) (*IPUsage, error) {
	var d IPUsage
	if _, err := c.Call(ctx, action, r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// AccountInfo is the account's balance and spending (DescribeAccountInfo).
// It is in arrears when MasterTotalBalance + CreditLine − ToDeduct < 0.
type AccountInfo struct {
	MasterTotalBalance Float `json:"MasterTotalBalance"`
	CreditLine         Float `json:"CreditLine"`
	ToDeduct           Float `json:"ToDeduct"`
	MasterTotalCost    Float `json:"MasterTotalCost"`
	RechargeCount      Int   `json:"RechargeCount"`
	CostCount          Int   `json:"CostCount"`
	CostRecords        []struct {
		Month    string `json:"Month"`
		Currency string `json:"Currency"`
		Amount   Float  `json:"Amount"`
	} `json:"CostRecords"`
	RechargeRecord []struct {
		Amount      Float  `json:"Amount"`
		Currency    string `json:"Currency"`
		CreateDate  string `json:"CreateDate"`
		SwiftNumber string `json:"SwiftNumber"`
		Type        string `json:"Type"`
	} `json:"RechargeRecord"`
	Currency string `json:"Currency,omitempty"`
}

// Available is what the account can still spend.
func (a AccountInfo) Available() float64 {
	return float64(a.MasterTotalBalance) + float64(a.CreditLine) - float64(a.ToDeduct)
}

// DescribeAccountInfo reads the account's balance (GET /billing).
func (c *Client) DescribeAccountInfo(ctx context.Context) (*AccountInfo, error) {
	var d AccountInfo
	if _, err := c.Call(ctx, "DescribeAccountInfo", json.RawMessage(`{}`), &d); err != nil {
		return nil, err
	}
	return &d, nil
}
