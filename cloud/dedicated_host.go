package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Dedicated hosts (专有宿主机): the official SDK's AllocateDedicatedHosts,
// DescribeDedicatedHosts and DescribeDedicatedHostTypes (instance/). The
// current documents describe none of the three (云主机概览.md only names
// DedicatedHostId at CreateInstance and HostId at DescribeInstancePrice),
// so their names, fields, path (ccs) and methods are the SDK's and the
// official Terraform provider's: allocate with POST, the two reads with
// GET. The API has no action that releases a host.

// The host types are a catalogue: kept in the catalogue cache like the
// others.
func init() { cachedActions["DescribeDedicatedHostTypes"] = true }

// AllocateDedicatedHostsRequest buys dedicated hosts (POST /ccs).
// DedicatedHostType and DedicatedHostGoodId come from
// DescribeDedicatedHostTypes (VmTypeId and GoodsId); DedicatedHostLimit is
// the overcommit ratio. cdstack always asks for Amount 1, as the official
// provider does, so one answered id is one host.
type AllocateDedicatedHostsRequest struct {
	RegionID            string `json:"RegionId"`
	DedicatedHostType   string `json:"DedicatedHostType"`
	DedicatedHostGoodID int    `json:"DedicatedHostGoodId"`
	DedicatedHostName   string `json:"DedicatedHostName"`
	DedicatedHostCPU    int    `json:"DedicatedHostCpu"`
	DedicatedHostRAM    int    `json:"DedicatedHostRam"`
	DedicatedHostLimit  int    `json:"DedicatedHostLimit"`
	PrepaidMonth        *int   `json:"PrepaidMonth,omitempty"`
	AutoRenew           *int   `json:"AutoRenew,omitempty"`
	Amount              int    `json:"Amount"`
	DescriptionNum      *bool  `json:"DescriptionNum,omitempty"`
	SubjectID           *int   `json:"SubjectId,omitempty"`
}

// HostIDs is AllocateDedicatedHosts' Data: the SDK shows a list of ids.
// It also accepts one id as a string, a list of objects with a HostId (or
// DedicatedHostId), and an object holding such a list (HostIds, HostIdList,
// HostList), null and "".
type HostIDs []string

// UnmarshalJSON accepts every form listed on HostIDs.
func (h *HostIDs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*h = nil
	switch {
	case len(b) == 0, bytes.Equal(b, []byte("null")), bytes.Equal(b, []byte(`""`)):
		return nil
	case b[0] == '"':
		var s Str
		if err := s.UnmarshalJSON(b); err != nil {
			return err
		}
		*h = HostIDs{string(s)}
		return nil
	case b[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, it := range items {
			id, err := hostIDOf(it)
			if err != nil {
				return err
			}
			if id != "" {
				*h = append(*h, id)
			}
		}
		return nil
	case b[0] == '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		for _, k := range []string{"HostIds", "HostIdList", "HostList", "DedicatedHostIds", "InstanceIds"} {
			if v, ok := m[k]; ok {
				return h.UnmarshalJSON(v)
			}
		}
		id, err := hostIDOf(b)
		if err != nil {
			return err
		}
		if id != "" {
			*h = HostIDs{id}
		}
		return nil
	}
	return fmt.Errorf("want a list of host ids, got %s", snippet(b))
}

// hostIDOf reads one id: a string, or an object's HostId/DedicatedHostId.
func hostIDOf(b json.RawMessage) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			HostID          Str `json:"HostId"`
			DedicatedHostID Str `json:"DedicatedHostId"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return "", err
		}
		if o.HostID != "" {
			return string(o.HostID), nil
		}
		return string(o.DedicatedHostID), nil
	}
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return "", err
	}
	return string(s), nil
}

// AllocateDedicatedHosts buys hosts and returns their ids. The SDK's answer
// has the ids in Data and no TaskId: a host is made at once.
func (c *Client) AllocateDedicatedHosts(ctx context.Context, r AllocateDedicatedHostsRequest) ([]string, error) {
	var ids HostIDs
	if _, err := c.Call(ctx, "AllocateDedicatedHosts", r, &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// DescribeDedicatedHostsRequest pages through the account's hosts,
// optionally one (HostId) or by name (HostName).
type DescribeDedicatedHostsRequest struct {
	HostID     string `json:"HostId,omitempty"`
	HostName   string `json:"HostName,omitempty"`
	PageNumber int    `json:"PageNumber,omitempty"`
	PageSize   int    `json:"PageSize,omitempty"`
}

// A DedicatedHost is one host of DescribeDedicatedHosts. CpuRate and
// RamRate are the service's own text (the emulator answers the share of
// the host its instances take, as "25%"); Duration is the months bought;
// VmNum the instances placed on it. Every field may come as a string or a
// number, or be null.
type DedicatedHost struct {
	HostID        string `json:"HostId"`
	HostName      string `json:"HostName"`
	HostType      string `json:"HostType"`
	Region        string `json:"Region"`
	Status        string `json:"Status"`
	BillMethod    string `json:"BillMethod"`
	CPURate       Str    `json:"CpuRate"`
	RAMRate       Str    `json:"RamRate"`
	Duration      Int    `json:"Duration"`
	VMNum         Int    `json:"VmNum"`
	StartBillTime Str    `json:"StartBillTime"`
	EndBillTime   Str    `json:"EndBillTime"`
}

// UnmarshalJSON reads a host whose text fields may be null or numbers.
func (d *DedicatedHost) UnmarshalJSON(b []byte) error {
	var w struct {
		HostID     Str `json:"HostId"`
		HostName   Str `json:"HostName"`
		HostType   Str `json:"HostType"`
		Region     Str `json:"Region"`
		RegionID   Str `json:"RegionId"`
		Status     Str `json:"Status"`
		BillMethod Str `json:"BillMethod"`
		CPURate    Str `json:"CpuRate"`
		RAMRate    Str `json:"RamRate"`
		Duration   Int `json:"Duration"`
		VMNum      Int `json:"VmNum"`
		Start      Str `json:"StartBillTime"`
		End        Str `json:"EndBillTime"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	region := w.Region
	if region == "" {
		region = w.RegionID
	}
	*d = DedicatedHost{HostID: string(w.HostID), HostName: string(w.HostName), HostType: string(w.HostType),
		Region: string(region), Status: string(w.Status), BillMethod: string(w.BillMethod), CPURate: w.CPURate,
		RAMRate: w.RAMRate, Duration: w.Duration, VMNum: w.VMNum, StartBillTime: w.Start, EndBillTime: w.End}
	return nil
}

// DedicatedHostPage is one page of hosts: the SDK's Data is
// {HostList, Total}; a bare list is read too.
type DedicatedHostPage struct {
	HostList List[DedicatedHost] `json:"HostList"`
	Total    Int                 `json:"Total"`
}

// UnmarshalJSON accepts {HostList, Total} or a list of hosts.
func (p *DedicatedHostPage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		*p = DedicatedHostPage{}
		return json.Unmarshal(b, &p.HostList)
	}
	type plain DedicatedHostPage
	var q plain
	if err := json.Unmarshal(b, &q); err != nil {
		return err
	}
	*p = DedicatedHostPage(q)
	return nil
}

// DescribeDedicatedHosts returns one page of hosts and its counters.
func (c *Client) DescribeDedicatedHosts(ctx context.Context, r DescribeDedicatedHostsRequest) (*DedicatedHostPage, Pages, error) {
	var d DedicatedHostPage
	resp, err := c.Call(ctx, "DescribeDedicatedHosts", r, &d)
	if err != nil {
		return nil, Pages{}, err
	}
	p := resp.Pages
	if p.Total == 0 {
		p.Total = int(d.Total)
	}
	return &d, p, nil
}

// ListDedicatedHosts pages through DescribeDedicatedHosts and returns every
// host that matches r.
func (c *Client) ListDedicatedHosts(ctx context.Context, r DescribeDedicatedHostsRequest, pageSize int) ([]DedicatedHost, error) {
	r.PageSize = pageSize
	return listPages(ctx, func(ctx context.Context, n int) ([]DedicatedHost, Pages, error) {
		r.PageNumber = n
		d, p, err := c.DescribeDedicatedHosts(ctx, r)
		if err != nil {
			return nil, Pages{}, err
		}
		return d.HostList, p, nil
	}, func(h DedicatedHost) string { return h.HostID })
}

// DedicatedHostByID returns the host id, or nil when the account has none
// of that id.
func (c *Client) DedicatedHostByID(ctx context.Context, id string) (*DedicatedHost, error) {
	list, err := c.ListDedicatedHosts(ctx, DescribeDedicatedHostsRequest{HostID: id}, 100)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].HostID == id {
			return &list[i], nil
		}
	}
	return nil, nil
}

// DedicatedHostTypesRequest asks what a region sells.
type DedicatedHostTypesRequest struct {
	RegionID string `json:"RegionId"`
}

// A DedicatedHostType is a kind of host a region sells: VmTypeId is what
// AllocateDedicatedHosts takes as DedicatedHostType, GoodsId as
// DedicatedHostGoodId, Cpu and Ram as DedicatedHostCpu and
// DedicatedHostRam.
type DedicatedHostType struct {
	VMTypeID          Str `json:"VmTypeId"`
	VMTypeName        Str `json:"VmTypeName"`
	VMTypeDescription Str `json:"VmTypeDescription"`
	VMFamilyID        Str `json:"VmFamilyId"`
	VMSpecID          Str `json:"VmSpecId"`
	VMRuleName        Str `json:"VmRuleName"`
	VMTypeSort        Int `json:"VmTypeSort"`
	BillSchemeID      Str `json:"BillSchemeId"`
	GoodsID           Int `json:"GoodsId"`
	CPU               Int `json:"Cpu"`
	RAM               Int `json:"Ram"`
}

// DescribeDedicatedHostTypes returns what a region sells (a catalogue:
// kept in the catalogue cache).
func (c *Client) DescribeDedicatedHostTypes(ctx context.Context, r DedicatedHostTypesRequest) ([]DedicatedHostType, error) {
	var d List[DedicatedHostType]
	if err := c.callCatalog(ctx, "DescribeDedicatedHostTypes", r, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// HostTypeOf returns the type of types named name (by VmTypeId, or by
// VmTypeName when no id matches), or nil.
func HostTypeOf(types []DedicatedHostType, name string) *DedicatedHostType {
	for i := range types {
		if string(types[i].VMTypeID) == name {
			return &types[i]
		}
	}
	for i := range types {
		if string(types[i].VMTypeName) == name {
			return &types[i]
		}
	}
	return nil
}
