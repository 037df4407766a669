package cloud

import (
	"net/http"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/internal/suggest"
)

// Service is the path prefix an action is served under.
type Service string

// The four services of the 2019-08-08 API.
const (
	ServiceCCS        Service = "ccs"
	ServiceNetwork    Service = "network"
	ServiceBilling    Service = "billing"
	ServiceCCSProduct Service = "ccs-product"
)

// An ActionSpec says where and how an action is called. ReadOnly actions
// change nothing in the cloud and are always safe to retry. Async actions
// answer a TaskId to wait on; the others take effect at once (or, for
// DeletePublicNetwork, in the background without a task).
type ActionSpec struct {
	Name     string
	Service  Service
	Method   string // http.MethodGet or http.MethodPost
	ReadOnly bool
	// Async actions answer with a TaskId to wait on.
	Async bool
}

// actions lists every action of the 2019 reference and the ones the current
// documents and the official SDK add, with the service path and HTTP method
// the documents give it.
var actions = func() map[string]ActionSpec {
	get, post := http.MethodGet, http.MethodPost
	list := []ActionSpec{
		// 实例相关 (instances, disks, NICs, monitoring)
		{"CreateInstance", ServiceCCS, post, false, true},
		{"DeleteInstance", ServiceCCS, post, false, true},
		{"StopInstance", ServiceCCS, get, false, true},
		{"RebootInstance", ServiceCCS, get, false, true},
		{"ModifyInstanceChargeType", ServiceCCS, post, false, true},
		{"ModifyInstanceSpec", ServiceCCS, post, false, true},
		{"CreateDisk", ServiceCCS, post, false, true},
		{"ResizeDisk", ServiceCCS, post, false, true},
		{"DeleteDisk", ServiceCCS, post, false, true},
		{"ResetImage", ServiceCCS, post, false, true},
		{"DescribeInstances", ServiceCCS, post, true, false},
		{"ConnectNetworkInterface", ServiceCCS, post, false, true},
		{"DisconnectNetworkInterface", ServiceCCS, post, false, true},
		{"ModifyIpAddress", ServiceCCS, post, false, true},
		{"DescribeInstanceMonitor", ServiceCCS, post, true, false},
		// Current documents (云主机概览.md) and the official SDK.
		{"StartInstance", ServiceCCS, get, false, true},
		{"StopInstances", ServiceCCS, get, false, true},
		{"StartInstances", ServiceCCS, get, false, true},
		{"RebootInstances", ServiceCCS, get, false, true},
		{"ModifyInstanceName", ServiceCCS, post, false, false},
		{"ModifyInstanceHostName", ServiceCCS, post, false, false}, // SDK only
		{"ResetInstancesPassword", ServiceCCS, post, false, true},
		{"ExtendSystemDisk", ServiceCCS, post, false, true},
		{"DescribeTags", ServiceCCS, post, true, false},
		{"CreateTag", ServiceCCS, post, false, false},
		{"DeleteTag", ServiceCCS, post, false, false},
		{"AddInstancesTags", ServiceCCS, post, false, false},
		{"DeleteInstancesTags", ServiceCCS, post, false, false},
		{"DescribeInstanceType", ServiceCCS, post, true, false},
		{"DescribeInstancePrice", ServiceCCS, post, true, false},
		{"ModifyInstanceAttribute", ServiceCCS, post, false, false},
		// 安全组相关 (security groups)
		{"CreateSecurityGroup", ServiceCCS, post, false, true},
		{"DeleteSecurityGroup", ServiceCCS, get, false, true},
		{"ForceDeleteSecurityGroup", ServiceCCS, get, false, true},
		{"DescribeSecurityGroupAttribute", ServiceCCS, get, true, false},
		{"ModifySecurityGroupAttribute", ServiceCCS, post, false, true},
		{"DescribeSecurityGroups", ServiceCCS, post, true, false},
		{"AddSecurityGroupRule", ServiceCCS, post, false, true},
		{"RemoveSecurityGroupRule", ServiceCCS, post, false, true},
		{"ModifySecurityGroupRule", ServiceCCS, post, false, true},
		{"JoinSecurityGroup", ServiceCCS, post, false, true},
		{"LeaveSecurityGroup", ServiceCCS, post, false, true},
		{"ModifySecurityGroupRulePriority", ServiceCCS, post, false, true},
		// 模板相关 (templates)
		{"CreateTemplate", ServiceCCS, post, false, true},
		{"DeleteTemplate", ServiceCCS, post, false, true},
		{"SyncTemplate", ServiceCCS, post, false, true},
		{"DescribeTemplateInfo", ServiceCCS, post, true, false},
		// 虚拟数据中心相关 (VDCs and networks)
		{"DescribeVdc", ServiceNetwork, get, true, false},
		{"CreateVdc", ServiceNetwork, post, false, true},
		{"DeleteVdc", ServiceNetwork, get, false, true},
		{"CreatePublicNetwork", ServiceNetwork, post, false, true},
		{"CreatePrivateNetwork", ServiceNetwork, post, false, true},
		{"ModifyPublicNetwork", ServiceNetwork, get, false, true},
		{"AddPublicIp", ServiceNetwork, get, false, true},
		{"DeletePublicIp", ServiceNetwork, get, false, true},
		{"DeletePublicNetwork", ServiceNetwork, get, false, false}, // deletes in the background, no TaskId
		{"DeletePrivateNetwork", ServiceNetwork, get, false, true},
		{"RenewPublicNetwork", ServiceNetwork, get, false, false},
		{"DescribeBandwidthTraffic", ServiceNetwork, get, true, false},
		{"ModifyVdcName", ServiceNetwork, post, false, false},
		{"DescribePublicIp", ServiceNetwork, post, true, false},
		{"DescribePrivateIp", ServiceNetwork, post, true, false},
		{"VDCBandwidthUnitPrice", ServiceNetwork, get, true, false},
		// 账单相关 (billing)
		{"DescribeBill", ServiceBilling, get, true, false},
		{"DescribeBillInfo", ServiceBilling, get, true, false},
		{"DescribeAccountInfo", ServiceBilling, get, true, false},
		// 冷云计量相关 (metering)
		{"GetMetering", ServiceCCSProduct, get, true, false},
		// 其他公共接口 (other)
		{"DescribeAvailableResource", ServiceCCS, get, true, false},
		{"DescribeTask", ServiceCCS, get, true, false},
	}
	m := make(map[string]ActionSpec, len(list))
	for _, a := range list {
		m[a.Name] = a
	}
	return m
}()

// LookupAction returns the spec of the named action; names are case-sensitive
// as on the wire.
func LookupAction(name string) (ActionSpec, bool) {
	a, ok := actions[name]
	return a, ok
}

// Actions returns every action spec sorted by name.
func Actions() []ActionSpec {
	out := make([]ActionSpec, 0, len(actions))
	for _, a := range actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SuggestActions returns up to limit known action names close to name: a
// case-insensitive match first, then names by edit distance, then names that
// contain name. It is what an "unknown action" message offers.
func SuggestActions(name string, limit int) []string {
	type cand struct {
		name string
		dist int
	}
	lower := strings.ToLower(name)
	var cands []cand
	for n := range actions {
		ln := strings.ToLower(n)
		d := suggest.Distance(lower, ln)
		switch {
		case ln == lower:
			d = -2
		case lower != "" && strings.Contains(ln, lower):
			d = min(d, -1+len(ln)-len(lower))
		}
		if d <= max(len(lower)/3, 3) {
			cands = append(cands, cand{n, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	out := []string{}
	for i := 0; i < len(cands) && i < limit; i++ {
		out = append(out, cands[i].name)
	}
	return out
}
