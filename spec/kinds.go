package spec

import "sort"

// Kinds are the resource kinds a stack can declare.
var Kinds = []string{"vdc", "public_network", "private_network", "instance", "security_group", "template",
	"mysql", "mysql_readonly", "redis", "mongodb"}

// Exports lists the attributes each kind exports after apply, with their
// types ("string" or "list"). References may also name any of the kind's
// properties.
var Exports = map[string]map[string]string{
	"vdc":             {"id": "string", "status": "string"},
	"public_network":  {"id": "string", "segments": "list", "ips": "list", "gateway": "string"},
	"private_network": {"id": "string", "cidr": "string"},
	"instance":        {"id": "string", "status": "string", "public_ip": "string", "private_ips": "list", "disk_ids": "list", "interfaces": "list"},
	"security_group":  {"id": "string", "rule_ids": "list"},
	"template":        {"id": "string", "status": "string"},
	"mysql":           {"id": "string", "ip": "string", "port": "string", "status": "string"},
	"mysql_readonly":  {"id": "string", "ip": "string", "port": "string", "status": "string"},
	"redis":           {"id": "string", "ip": "string", "port": "string", "status": "string"},
	"mongodb":         {"id": "string", "ip": "string", "port": "string", "status": "string"},
}

// Properties lists each kind's property names (the schema's $defs).
var Properties = map[string][]string{
	"vdc":             {"name", "region"},
	"public_network":  {"vdc", "name", "bandwidth_type", "billing_method", "qos", "ip_count", "auto_renew", "float_bandwidth"},
	"private_network": {"vdc", "name", "type", "address", "mask"},
	"instance": {"vdc", "name", "instance_type", "cpu", "ram", "image", "password", "region", "charge_type", "auto_renew",
		"prepaid_month", "data_disks", "public_ip", "private_ips", "security_groups", "power", "image_password",
		"user_data", "public_key", "deletion_protection", "dedicated_host"},
	"security_group": {"name", "type", "description", "rules"},
	"template":       {"instance", "name", "power_on", "sync_regions"},
	"mysql": {"vdc", "network", "name", "region", "version", "architecture", "cpu", "ram", "disk_type", "disk_size", "port",
		"time_zone", "backup", "parameters", "accounts"},
	"mysql_readonly": {"source", "name", "cpu", "ram", "disk_type", "disk_size", "port"},
	"redis":          {"vdc", "network", "name", "region", "version", "architecture", "ram", "password", "port"},
	"mongodb":        {"vdc", "network", "name", "region", "version", "cpu", "ram", "disk_type", "disk_size", "password"},
}

// SensitiveProperties are never shown or stored in clear text.
var SensitiveProperties = map[string][]string{"instance": {"password", "image_password", "user_data"}, "redis": {"password"}, "mongodb": {"password"}}

// SplitSecretProperties names, per kind, the list property whose items'
// password the kind takes out as secrets of their own (MySQL accounts):
// the rest of the property is shown and stored in clear.
var SplitSecretProperties = map[string]string{"mysql": "accounts"}

// attrNames lists what a reference to a resource of kind may name.
func attrNames(kind string) []string {
	seen := map[string]bool{}
	var out []string
	for a := range Exports[kind] {
		seen[a] = true
		out = append(out, a)
	}
	for _, p := range Properties[kind] {
		if !seen[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// attrType is "string", "list" or "" (any) for an attribute of kind.
func attrType(kind, attr string) (string, bool) {
	if t, ok := Exports[kind][attr]; ok {
		return t, true
	}
	for _, p := range Properties[kind] {
		if p == attr {
			return "", true
		}
	}
	return "", false
}
