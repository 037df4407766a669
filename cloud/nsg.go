package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// The NSG (network security group) actions of 首云OpenAPI(v1.2).md, section
// 安全组相关, which replace the disabled *SecurityGroup* actions. Rules are
// ACCEPT/DROP with a Direction 0 (inbound) or 1 (outbound), an IpList and a
// PortList; membership is per network interface. Rule changes, joins and
// leaves answer without a TaskId and take effect in the background: the
// rules of DescribeNSGAttribute and the InterfaceStatus of DescribeNSGMembers
// show when they have.

// Rule actions and directions of the NSG model.
const (
	NSGAccept = "ACCEPT"
	NSGDrop   = "DROP"
	// NSGInbound and NSGOutbound are the Direction values.
	NSGInbound  = 0
	NSGOutbound = 1
	// NSGMaxList is the most entries an IpList or a PortList may have.
	NSGMaxList = 100
	// NSGMaxPriority is the highest rule priority (the lowest is 1).
	NSGMaxPriority = 1000
)

// Member interface states of DescribeNSGMembers.
const (
	NSGMemberOK        = "ok"
	NSGMemberSyncing   = "syncing"
	NSGMemberUnbinding = "unbinding"
	NSGMemberError     = "error"
)

// Strs decodes a list of texts: a JSON list of strings or numbers, one
// string joined by ";" or "," (as the old API's TargetAddress was), or null.
type Strs []string

// UnmarshalJSON accepts a list, a joined text, a number or null.
func (l *Strs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []Str
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := Strs{}
		for _, s := range items {
			out = append(out, strings.TrimSpace(string(s)))
		}
		*l = out
		return nil
	}
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("want a list of texts, got %s", snippet(b))
	}
	out := Strs{}
	for _, part := range strings.FieldsFunc(string(s), func(r rune) bool { return r == ';' || r == ',' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	*l = out
	return nil
}

// NSGDirection decodes a rule's Direction: the documented integer (0 in, 1
// out), the same as text, or a word (in, out, ingress, egress).
type NSGDirection int

// UnmarshalJSON accepts 0/1, "0"/"1", "in"/"out", "ingress"/"egress".
func (d *NSGDirection) UnmarshalJSON(b []byte) error {
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(string(s))) {
	case "0", "", "in", "ingress", "inbound":
		*d = NSGInbound
	case "1", "out", "egress", "outbound":
		*d = NSGOutbound
	default:
		return fmt.Errorf("want a direction 0 or 1, got %s", snippet(b))
	}
	return nil
}

// CreateNSGRequest creates an empty group (POST /ccs). Description is
// required by the document.
type CreateNSGRequest struct {
	SecurityGroupName string `json:"SecurityGroupName"`
	Description       string `json:"Description"`
	SecurityGroupType string `json:"SecurityGroupType"` // public or private
	ProjectID         string `json:"ProjectId,omitempty"`
}

// CreateNSGData is the Data of a CreateNSG answer.
type CreateNSGData struct {
	SecurityGroupID string `json:"SecurityGroupId"`
}

// CreateNSG creates a group and returns its id; it answers at once.
func (c *Client) CreateNSG(ctx context.Context, r CreateNSGRequest) (string, error) {
	var d CreateNSGData
	if _, err := c.Call(ctx, "CreateNSG", r, &d); err != nil {
		return "", err
	}
	if d.SecurityGroupID == "" {
		return "", fmt.Errorf("CreateNSG: the answer names no SecurityGroupId")
	}
	return d.SecurityGroupID, nil
}

// DeleteNSGRequest deletes a group (POST). ForceDelete is needed while
// interfaces are members.
type DeleteNSGRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	ForceDelete     bool   `json:"ForceDelete,omitempty"`
}

// DeleteNSG deletes a group.
func (c *Client) DeleteNSG(ctx context.Context, r DeleteNSGRequest) error {
	_, err := c.Call(ctx, "DeleteNSG", r, nil)
	return err
}

// NSGRequest names one group (DescribeNSGAttribute, DescribeNSGMembers: GET).
type NSGRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
}

// NSGAttribute is the Data of DescribeNSGAttribute: a group with its rules.
// The document's example shows no SecurityGroupType (its table does).
type NSGAttribute struct {
	SecurityGroupID   string    `json:"SecurityGroupId"`
	SecurityGroupName string    `json:"SecurityGroupName"`
	Description       string    `json:"Description"`
	SecurityGroupType string    `json:"SecurityGroupType"`
	ProjectID         Str       `json:"ProjectId"`
	QuotaCount        Int       `json:"QuotaCount"`
	RuleCount         Int       `json:"RuleCount"`
	Rules             []NSGRule `json:"Rules"`
	CreateTime        string    `json:"CreateTime"`
	UpdateTime        string    `json:"UpdateTime"`
}

// An NSGRule as DescribeNSGAttribute shows it. Action is ACCEPT or DROP (any
// case is accepted), Direction 0 (in) or 1 (out); PortList ["0"] is every
// port.
type NSGRule struct {
	RuleID      string       `json:"RuleId"`
	Description string       `json:"Description"`
	Protocol    string       `json:"Protocol"`
	Action      Str          `json:"Action"`
	Direction   NSGDirection `json:"Direction"`
	IPList      Strs         `json:"IpList"`
	PortList    Strs         `json:"PortList"`
	Priority    Int          `json:"Priority"`
	QuotaCount  Int          `json:"QuotaCount"`
	CreateTime  string       `json:"CreateTime"`
	UpdateTime  string       `json:"UpdateTime"`
}

// describeNSGAttribute reads one group's rules (DescribeNSGAttribute
// shares it between concurrent readers).
func (c *Client) describeNSGAttribute(ctx context.Context, r NSGRequest) (*NSGAttribute, error) {
	var d NSGAttribute
	if _, err := c.Call(ctx, "DescribeNSGAttribute", r, &d); err != nil {
		return nil, err
	}
	for i := range d.Rules {
		d.Rules[i].Action = Str(strings.ToUpper(string(d.Rules[i].Action)))
		d.Rules[i].Protocol = strings.ToUpper(d.Rules[i].Protocol)
	}
	return &d, nil
}

// ModifyNSGAttributeRequest renames a group and sets its description; the
// document requires both.
type ModifyNSGAttributeRequest struct {
	SecurityGroupID   string `json:"SecurityGroupId"`
	SecurityGroupName string `json:"SecurityGroupName"`
	Description       string `json:"Description"`
}

// ModifyNSGAttribute changes a group's name and description; it answers at
// once (a TaskId, if the service sends one, is returned to wait on).
func (c *Client) ModifyNSGAttribute(ctx context.Context, r ModifyNSGAttributeRequest) (string, error) {
	return c.task(ctx, "ModifyNSGAttribute", r)
}

// DescribeNSGsRequest filters the group listing (GET).
type DescribeNSGsRequest struct {
	SecurityGroupType string `json:"SecurityGroupType,omitempty"`
	Keyword           string `json:"Keyword,omitempty"`
	ProjectID         string `json:"ProjectId,omitempty"`
}

// NSGList is the Data of DescribeNSGs.
type NSGList struct {
	SecurityGroupCount Int   `json:"SecurityGroupCount"`
	SecurityGroups     []NSG `json:"SecurityGroups"`
}

// An NSG is one group of a listing.
type NSG struct {
	SecurityGroupID   string `json:"SecurityGroupId"`
	SecurityGroupName string `json:"SecurityGroupName"`
	Description       string `json:"Description"`
	SecurityGroupType string `json:"SecurityGroupType"`
	ProjectID         Str    `json:"ProjectId"`
	CreateTime        string `json:"CreateTime"`
	UpdateTime        string `json:"UpdateTime"`
	InstanceCount     Int    `json:"InstanceCount"`
	InterfaceCount    Int    `json:"InterfaceCount"`
}

// DescribeNSGs lists the account's groups (the document has no paging).
func (c *Client) DescribeNSGs(ctx context.Context, r DescribeNSGsRequest) (*NSGList, error) {
	var d NSGList
	if _, err := c.Call(ctx, "DescribeNSGs", r, &d); err != nil {
		return nil, err
	}
	for i := range d.SecurityGroups {
		d.SecurityGroups[i].SecurityGroupType = strings.ToLower(d.SecurityGroups[i].SecurityGroupType)
	}
	return &d, nil
}

// NSGMembers is the Data of DescribeNSGMembers: the interfaces in a group.
type NSGMembers struct {
	MemberCount Int         `json:"MemberCount"`
	Members     []NSGMember `json:"Members"`
}

// An NSGMember is one interface in a group and how far its binding is.
type NSGMember struct {
	InstanceID         string `json:"InstanceId"`
	InstanceName       string `json:"InstanceName"`
	InstanceStatus     string `json:"InstanceStatus"`
	InterfaceID        string `json:"InterfaceId"`
	InterfaceIPAddress string `json:"InterfaceIpAddress"`
	InterfaceMac       string `json:"InterfaceMac"`
	InterfaceStatus    string `json:"InterfaceStatus"` // ok, syncing, unbinding, error
}

// describeNSGMembers reads one group's member interfaces
// (DescribeNSGMembers shares it between concurrent readers).
func (c *Client) describeNSGMembers(ctx context.Context, r NSGRequest) (*NSGMembers, error) {
	var d NSGMembers
	if _, err := c.Call(ctx, "DescribeNSGMembers", r, &d); err != nil {
		return nil, err
	}
	for i := range d.Members {
		d.Members[i].InterfaceStatus = strings.ToLower(d.Members[i].InterfaceStatus)
	}
	return &d, nil
}

// AddNSGRuleRequest adds one rule. Every field is required by the document,
// Description included; PortList must be ["0"] for ICMP.
type AddNSGRuleRequest struct {
	SecurityGroupID string   `json:"SecurityGroupId"`
	Description     string   `json:"Description"`
	Action          string   `json:"Action"`
	Direction       int      `json:"Direction"`
	Protocol        string   `json:"Protocol"`
	IPList          []string `json:"IpList"`
	PortList        []string `json:"PortList"`
	Priority        int      `json:"Priority"`
}

// AddNSGRule adds a rule; it takes effect in the background.
func (c *Client) AddNSGRule(ctx context.Context, r AddNSGRuleRequest) error {
	_, err := c.Call(ctx, "AddNSGRule", r, nil)
	return err
}

// RemoveNSGRuleRequest removes one rule.
type RemoveNSGRuleRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	RuleID          string `json:"RuleId"`
}

// RemoveNSGRule removes a rule; it takes effect in the background.
func (c *Client) RemoveNSGRule(ctx context.Context, r RemoveNSGRuleRequest) error {
	_, err := c.Call(ctx, "RemoveNSGRule", r, nil)
	return err
}

// ModifyNSGRuleRequest changes a rule in place; absent fields are kept.
type ModifyNSGRuleRequest struct {
	SecurityGroupID string   `json:"SecurityGroupId"`
	RuleID          string   `json:"RuleId"`
	Description     *string  `json:"Description,omitempty"`
	Action          string   `json:"Action,omitempty"`
	Direction       *int     `json:"Direction,omitempty"`
	Protocol        string   `json:"Protocol,omitempty"`
	IPList          []string `json:"IpList,omitempty"`
	PortList        []string `json:"PortList,omitempty"`
	Priority        int      `json:"Priority,omitempty"`
}

// ModifyNSGRule changes a rule; it takes effect in the background.
func (c *Client) ModifyNSGRule(ctx context.Context, r ModifyNSGRuleRequest) error {
	_, err := c.Call(ctx, "ModifyNSGRule", r, nil)
	return err
}

// NSGMembershipRequest is the body of JoinNSG and LeaveNSG.
type NSGMembershipRequest struct {
	SecurityGroupID string   `json:"SecurityGroupId"`
	InterfaceIDs    []string `json:"InterfaceIds"`
}

// JoinNSG adds interfaces to a group; each is syncing, then ok (or error).
func (c *Client) JoinNSG(ctx context.Context, r NSGMembershipRequest) error {
	_, err := c.Call(ctx, "JoinNSG", r, nil)
	return err
}

// LeaveNSG removes interfaces from a group; each is unbinding, then gone.
func (c *Client) LeaveNSG(ctx context.Context, r NSGMembershipRequest) error {
	_, err := c.Call(ctx, "LeaveNSG", r, nil)
	return err
}

// NSGRulePriority gives one rule a new priority.
type NSGRulePriority struct {
	RuleID   string `json:"RuleId"`
	Priority int    `json:"Priority"`
}

// ModifyNSGRulePriorityRequest reorders rules in one call.
type ModifyNSGRulePriorityRequest struct {
	SecurityGroupID string            `json:"SecurityGroupId"`
	Rules           []NSGRulePriority `json:"Rules"`
}

// ModifyNSGRulePriority changes priorities; it takes effect in the background.
func (c *Client) ModifyNSGRulePriority(ctx context.Context, r ModifyNSGRulePriorityRequest) error {
	_, err := c.Call(ctx, "ModifyNSGRulePriority", r, nil)
	return err
}
