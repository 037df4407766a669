package resources

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(groupKind{}) }

type groupKind struct{}

func (groupKind) Name() string { return "security_group" }

func (groupKind) Fields() []Field {
	return []Field{{Name: "name", Update: "ModifySecurityGroupAttribute"}, {Name: "type"},
		{Name: "description", Update: "ModifySecurityGroupAttribute"},
		{Name: "rules", Update: "AddSecurityGroupRule/RemoveSecurityGroupRule/ModifySecurityGroupRule/ModifySecurityGroupRulePriority"}}
}

// normRule fills a rule's defaults.
func normRule(r map[string]any) map[string]any {
	in := Inputs(Canon(r).(map[string]any))
	out := map[string]any{
		"protocol": strings.ToUpper(in.String("protocol")), "target_address": in.String("target_address"),
		"local_port": portString(in["local_port"]), "target_port": portString(in["target_port"]),
		"direction": "all", "action": "allow", "rule_type": "ip", "priority": int64(in.Int("priority")), "description": in.String("description"),
	}
	for _, k := range []string{"direction", "action", "rule_type"} {
		if in.Has(k) {
			out[k] = in.String(k)
		}
	}
	if out["protocol"] == "ICMP" {
		out["local_port"], out["target_port"] = "0", "0"
	}
	return out
}

func portString(v any) string {
	switch t := Canon(v).(type) {
	case nil:
		return "0"
	case int64:
		return fmt.Sprint(t)
	case string:
		if t == "" {
			return "0"
		}
		return t
	}
	return fmt.Sprint(v)
}

// ruleKey identifies a rule apart from what changes in place (priority, description).
func ruleKey(r map[string]any) string {
	return fmt.Sprint(r["protocol"], "|", r["local_port"], "|", r["target_port"], "|", r["target_address"], "|", r["direction"], "|", r["action"], "|", r["rule_type"])
}

func sortRules(rules []any) []any {
	sort.SliceStable(rules, func(i, j int) bool {
		a, b := rules[i].(map[string]any), rules[j].(map[string]any)
		if a["priority"].(int64) != b["priority"].(int64) {
			return a["priority"].(int64) < b["priority"].(int64)
		}
		return ruleKey(a) < ruleKey(b)
	})
	return rules
}

func (groupKind) Normalize(in Inputs, _ string) Inputs {
	out := copyInputs(in)
	if !out.Has("description") {
		out["description"] = ""
	}
	rules := []any{}
	for _, r := range out.Maps("rules") {
		rules = append(rules, normRule(r))
	}
	out["rules"] = sortRules(rules)
	return out
}

func (groupKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	g, ok := l.Groups[id]
	if !ok {
		return nil
	}
	attrs := Inputs{"name": g.SecurityGroupName, "type": g.SecurityGroupType, "description": g.Description}
	ruleIDs := []any{}
	if g.Attr != nil {
		rules := []any{}
		type withID struct {
			rule map[string]any
			id   string
		}
		var list []withID
		for _, r := range g.Attr.SecurityGroupRules {
			action := "allow"
			if r.Action == 0 {
				action = "deny"
			}
			nr := normRule(map[string]any{"protocol": r.Protocol, "local_port": string(r.LocalPort), "target_port": string(r.TargetPort),
				"target_address": r.TargetAddress, "direction": r.Direction, "action": action, "rule_type": strings.ToLower(r.Type),
				"priority": int64(r.Priority), "description": r.Description})
			list = append(list, withID{nr, r.RuleID})
		}
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i].rule, list[j].rule
			if a["priority"].(int64) != b["priority"].(int64) {
				return a["priority"].(int64) < b["priority"].(int64)
			}
			return ruleKey(a) < ruleKey(b)
		})
		for _, x := range list {
			rules = append(rules, x.rule)
			ruleIDs = append(ruleIDs, x.id)
		}
		attrs["rules"] = rules
	} else if recorded != nil {
		attrs["rules"] = Canon(recorded.Inputs["rules"])
	}
	return &Observation{ID: id, Attrs: attrs, Raw: g, Outputs: map[string]any{"id": id, "rule_ids": ruleIDs}}
}

func (groupKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

func (k groupKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (groupKind) Scope(Inputs) string { return "" }

func (groupKind) FindByName(l *Live, in Inputs) string {
	for id, g := range l.Groups {
		if g.SecurityGroupName == in.String("name") {
			return id
		}
	}
	return ""
}

func (groupKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	res, err := c.CreateSecurityGroup(ctx, cloud.CreateSecurityGroupRequest{SecurityGroupName: in.String("name"),
		Description: in.String("description"), SecurityGroupType: in.String("type")})
	if err != nil {
		return "", err
	}
	id, err := waitID(ctx, wait, res.TaskID, res.SecurityGroupID)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", fmt.Errorf("CreateSecurityGroup named no group")
	}
	step := stepper(ctx, wait)
	for _, r := range in.Maps("rules") {
		if err := step(c.AddSecurityGroupRule(ctx, addRule(id, r))); err != nil {
			return id, err
		}
	}
	return id, nil
}

func addRule(group string, r map[string]any) cloud.AddSecurityGroupRuleRequest {
	in := Inputs(r)
	action := "1"
	if in.String("action") == "deny" {
		action = "0"
	}
	return cloud.AddSecurityGroupRuleRequest{SecurityGroupID: group, Action: action, Description: in.String("description"),
		TargetAddress: in.String("target_address"), TargetPort: in.String("target_port"), LocalPort: in.String("local_port"),
		Direction: in.String("direction"), Priority: fmt.Sprint(in.Int("priority")), Protocol: in.String("protocol"), RuleType: in.String("rule_type")}
}

func (groupKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, _ map[string]string, wait Waiter) error {
	step := stepper(ctx, wait)
	for _, f := range fields {
		if f == "name" || f == "description" {
			if err := step(c.ModifySecurityGroupAttribute(ctx, cloud.ModifySecurityGroupAttributeRequest{SecurityGroupID: id,
				SecurityGroupName: to.String("name"), Description: to.String("description")})); err != nil {
				return err
			}
			break
		}
	}
	for _, f := range fields {
		if f == "rules" {
			g, ok := live.Raw.(*LiveGroup)
			if !ok || g.Attr == nil {
				return fmt.Errorf("security group %s: its rules were not read", id)
			}
			return updateRules(ctx, c, id, g.Attr, to.Maps("rules"), step)
		}
	}
	return nil
}

// updateRules matches wanted rules to live ones by what cannot change in
// place; it removes the unmatched live ones, adds the new ones and fixes
// priorities and descriptions of the matched ones.
func updateRules(ctx context.Context, c *cloud.Client, id string, attr *cloud.SecurityGroupAttribute, want []map[string]any, step func(string, error) error) error {
	live := map[string][]cloud.SecurityGroupRule{}
	for _, r := range attr.SecurityGroupRules {
		action := "allow"
		if r.Action == 0 {
			action = "deny"
		}
		k := ruleKey(normRule(map[string]any{"protocol": r.Protocol, "local_port": string(r.LocalPort), "target_port": string(r.TargetPort),
			"target_address": r.TargetAddress, "direction": r.Direction, "action": action, "rule_type": strings.ToLower(r.Type)}))
		live[k] = append(live[k], r)
	}
	var priorities []cloud.RulePriority
	var adds []map[string]any
	for _, w := range want {
		k := ruleKey(w)
		if len(live[k]) == 0 {
			adds = append(adds, w)
			continue
		}
		r := live[k][0]
		live[k] = live[k][1:]
		if int(r.Priority) != Inputs(w).Int("priority") {
			priorities = append(priorities, cloud.RulePriority{RuleID: r.RuleID, Priority: Inputs(w).Int("priority")})
		}
		if r.Description != Inputs(w).String("description") {
			if err := step(c.ModifySecurityGroupRule(ctx, cloud.ModifySecurityGroupRuleRequest{SecurityGroupID: id, RuleID: r.RuleID, Description: Inputs(w).String("description")})); err != nil {
				return err
			}
		}
	}
	var drop []string
	for _, rs := range live {
		for _, r := range rs {
			drop = append(drop, r.RuleID)
		}
	}
	sort.Strings(drop)
	if len(drop) > 0 {
		if err := step(c.RemoveSecurityGroupRule(ctx, cloud.RemoveSecurityGroupRuleRequest{SecurityGroupID: id, RuleIDs: drop})); err != nil {
			return err
		}
	}
	if len(priorities) > 0 {
		if err := step(c.ModifySecurityGroupRulePriority(ctx, cloud.ModifySecurityGroupRulePriorityRequest{SecurityGroupID: id, BindData: priorities})); err != nil {
			return err
		}
	}
	for _, a := range adds {
		if err := step(c.AddSecurityGroupRule(ctx, addRule(id, a))); err != nil {
			return err
		}
	}
	return nil
}

func (groupKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.DeleteSecurityGroup(ctx, cloud.SecurityGroupRequest{SecurityGroupID: id}))
}
