package cloud

import "context"

// CreateSecurityGroupRequest creates an empty security group (POST /ccs).
type CreateSecurityGroupRequest struct {
	SecurityGroupName string `json:"SecurityGroupName"`
	Description       string `json:"Description"`
	SecurityGroupType string `json:"SecurityGroupType"` // public or private
}

// CreateSecurityGroupData is the Data of a CreateSecurityGroup answer; the
// reference shows it empty, and some deployments name the new group in it.
type CreateSecurityGroupData struct {
	SecurityGroupID string `json:"SecurityGroupId,omitempty"`
}

// CreateSecurityGroupResult is the task (possibly empty: the call may finish
// at once) and, when the service says it, the new group's id.
type CreateSecurityGroupResult struct {
	TaskID          string
	SecurityGroupID string
}

// CreateSecurityGroup creates a security group.
func (c *Client) CreateSecurityGroup(ctx context.Context, r CreateSecurityGroupRequest) (*CreateSecurityGroupResult, error) {
	var d CreateSecurityGroupData
	resp, err := c.Call(ctx, "CreateSecurityGroup", r, &d)
	if err != nil {
		return nil, err
	}
	return &CreateSecurityGroupResult{TaskID: resp.TaskID, SecurityGroupID: d.SecurityGroupID}, nil
}

// SecurityGroupRequest names one group (Delete, ForceDelete: GET /ccs).
type SecurityGroupRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
}

// DeleteSecurityGroup deletes a group that nothing is bound to.
func (c *Client) DeleteSecurityGroup(ctx context.Context, r SecurityGroupRequest) (string, error) {
	return c.task(ctx, "DeleteSecurityGroup", r)
}

// ForceDeleteSecurityGroup unbinds a group from everything and deletes it.
func (c *Client) ForceDeleteSecurityGroup(ctx context.Context, r SecurityGroupRequest) (string, error) {
	return c.task(ctx, "ForceDeleteSecurityGroup", r)
}

// DescribeSecurityGroupAttributeRequest reads a group's rules, or one rule.
type DescribeSecurityGroupAttributeRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	RuleID          string `json:"RuleId,omitempty"`
}

// SecurityGroupAttribute is a group with its rules.
type SecurityGroupAttribute struct {
	SecurityGroupName      string              `json:"SecurityGroupName"`
	SecurityGroupType      string              `json:"SecurityGroupType"`
	SecurityGroupRuleCount Int                 `json:"SecurityGroupRuleCount"`
	SecurityGroupRules     []SecurityGroupRule `json:"SecurityGroupRules"`
}

// A SecurityGroupRule as the service shows it. Action is 1 (allow) or 0 (deny).
type SecurityGroupRule struct {
	RuleID        string `json:"RuleId"`
	Status        string `json:"Status"`
	TargetAddress string `json:"TargetAddress"`
	TargetPort    Str    `json:"TargetPort"`
	LocalPort     Str    `json:"LocalPort"`
	Direction     string `json:"Direction"`
	Protocol      string `json:"Protocol"`
	Priority      Int    `json:"Priority"`
	Action        Int    `json:"Action"`
	Type          string `json:"Type"`
	Description   string `json:"Description"`
	CreateTime    string `json:"CreateTime"`
}

// DescribeSecurityGroupAttribute reads a group's rules.
func (c *Client) DescribeSecurityGroupAttribute(ctx context.Context, r DescribeSecurityGroupAttributeRequest) (*SecurityGroupAttribute, error) {
	var d SecurityGroupAttribute
	if _, err := c.Call(ctx, "DescribeSecurityGroupAttribute", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// ModifySecurityGroupAttributeRequest renames a group or changes its description.
type ModifySecurityGroupAttributeRequest struct {
	SecurityGroupID   string `json:"SecurityGroupId"`
	Description       string `json:"Description"`
	SecurityGroupName string `json:"SecurityGroupName"`
}

// ModifySecurityGroupAttribute renames a group or changes its description.
func (c *Client) ModifySecurityGroupAttribute(ctx context.Context, r ModifySecurityGroupAttributeRequest) (string, error) {
	return c.task(ctx, "ModifySecurityGroupAttribute", r)
}

// DescribeSecurityGroupsRequest filters the group listing. PageNumber and
// PageSize are not in the reference; the emulator honours them.
type DescribeSecurityGroupsRequest struct {
	SecurityGroupType string `json:"SecurityGroupType,omitempty"`
	Keyword           string `json:"Keyword,omitempty"`
	SecurityGroupID   string `json:"SecurityGroupId,omitempty"`
	PageNumber        int    `json:"PageNumber,omitempty"`
	PageSize          int    `json:"PageSize,omitempty"`
}

// SecurityGroupList is the Data of DescribeSecurityGroups.
type SecurityGroupList struct {
	SecurityGroupCount Int             `json:"SecurityGroupCount"`
	SecurityGroup      []SecurityGroup `json:"SecurityGroup"`
}

// A SecurityGroup in a listing.
type SecurityGroup struct {
	SecurityGroupID    string `json:"SecurityGroupId"`
	SecurityGroupName  string `json:"SecurityGroupName"`
	SecurityGroupType  string `json:"SecurityGroupType"`
	Description        string `json:"Description"`
	BindInstanceCount  Int    `json:"BindInstanceCount"`
	BindInterfaceCount Int    `json:"BindInterfaceCount"`
	BindVdcCount       Int    `json:"BindVdcCount"`
	CreateTime         string `json:"CreateTime"`
	UpdateTime         string `json:"UpdateTime"`
}

// DescribeSecurityGroups lists groups.
func (c *Client) DescribeSecurityGroups(ctx context.Context, r DescribeSecurityGroupsRequest) (*SecurityGroupList, error) {
	var d SecurityGroupList
	if _, err := c.Call(ctx, "DescribeSecurityGroups", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// AddSecurityGroupRuleRequest adds one rule. The reference types every field
// as a string: Action "1" allows and "0" denies, TargetPort "0" means all ports.
type AddSecurityGroupRuleRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	Action          string `json:"Action"`
	Description     string `json:"Description"`
	TargetAddress   string `json:"TargetAddress"`
	TargetPort      string `json:"TargetPort,omitempty"`
	LocalPort       string `json:"LocalPort,omitempty"`
	Direction       string `json:"Direction"`
	Priority        string `json:"Priority"`
	Protocol        string `json:"Protocol"`
	RuleType        string `json:"RuleType"`
}

// AddSecurityGroupRule adds a rule.
func (c *Client) AddSecurityGroupRule(ctx context.Context, r AddSecurityGroupRuleRequest) (string, error) {
	return c.task(ctx, "AddSecurityGroupRule", r)
}

// RemoveSecurityGroupRuleRequest removes rules by id.
type RemoveSecurityGroupRuleRequest struct {
	SecurityGroupID string   `json:"SecurityGroupId"`
	RuleIDs         []string `json:"RuleIds"`
}

// RemoveSecurityGroupRule removes rules.
func (c *Client) RemoveSecurityGroupRule(ctx context.Context, r RemoveSecurityGroupRuleRequest) (string, error) {
	return c.task(ctx, "RemoveSecurityGroupRule", r)
}

// ModifySecurityGroupRuleRequest changes a rule's description (the only
// field the API changes in place).
type ModifySecurityGroupRuleRequest struct {
	SecurityGroupID string `json:"SecurityGroupId"`
	RuleID          string `json:"RuleId"`
	Description     string `json:"Description"`
}

// ModifySecurityGroupRule changes a rule's description.
func (c *Client) ModifySecurityGroupRule(ctx context.Context, r ModifySecurityGroupRuleRequest) (string, error) {
	return c.task(ctx, "ModifySecurityGroupRule", r)
}

// SecurityGroupBinding binds a group to an instance, optionally on one network.
type SecurityGroupBinding struct {
	InstanceID string `json:"InstanceId"`
	PrivateID  string `json:"PrivateId,omitempty"`
	PublicID   string `json:"PublicId,omitempty"`
}

// SecurityGroupBindRequest is the body of Join/LeaveSecurityGroup.
type SecurityGroupBindRequest struct {
	SecurityGroupID string                 `json:"SecurityGroupId"`
	BindData        []SecurityGroupBinding `json:"BindData"`
}

// JoinSecurityGroup binds instances to a group.
func (c *Client) JoinSecurityGroup(ctx context.Context, r SecurityGroupBindRequest) (string, error) {
	return c.task(ctx, "JoinSecurityGroup", r)
}

// LeaveSecurityGroup unbinds instances from a group.
func (c *Client) LeaveSecurityGroup(ctx context.Context, r SecurityGroupBindRequest) (string, error) {
	return c.task(ctx, "LeaveSecurityGroup", r)
}

// RulePriority sets one rule's priority (1–100).
type RulePriority struct {
	RuleID   string `json:"RuleId"`
	Priority int    `json:"Priority"`
}

// ModifySecurityGroupRulePriorityRequest reorders rules.
type ModifySecurityGroupRulePriorityRequest struct {
	SecurityGroupID string         `json:"SecurityGroupId"`
	BindData        []RulePriority `json:"BindData"`
}

// ModifySecurityGroupRulePriority changes rule priorities.
func (c *Client) ModifySecurityGroupRulePriority(ctx context.Context, r ModifySecurityGroupRulePriorityRequest) (string, error) {
	return c.task(ctx, "ModifySecurityGroupRulePriority", r)
}
