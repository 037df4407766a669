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

// The managed database services of the current documents (MySQL概览.md,
// Redis概览.md, 新版MongoDB概览.md and the older MongoDB概览.md). Their
// actions share names (DescribeDBInstances, CreateDBInstance, …), so each
// is found by its Key: the service path and the name.
const (
	ServiceMySQL      Service = "mysql"
	ServiceRedis      Service = "redis"
	ServiceMongoDB    Service = "mongodb/v1"
	ServiceMongoDBOld Service = "mongodb"
)

// qualified reports whether the service's actions are looked up by Key.
func (s Service) qualified() bool {
	switch s {
	case ServiceMySQL, ServiceRedis, ServiceMongoDB, ServiceMongoDBOld:
		return true
	}
	return false
}

// Key is how LookupAction finds the spec: the action name, qualified by the
// service path for the database services ("mysql/DescribeDBInstances").
func (a ActionSpec) Key() string {
	if a.Service.qualified() {
		return string(a.Service) + "/" + a.Name
	}
	return a.Name
}

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
		// 安全组相关, current (首云OpenAPI(v1.2).md): the NSG actions that replace
		// the disabled ones above; none answers a TaskId.
		{"CreateNSG", ServiceCCS, post, false, false},
		{"DeleteNSG", ServiceCCS, post, false, false},
		{"DescribeNSGAttribute", ServiceCCS, get, true, false},
		{"ModifyNSGAttribute", ServiceCCS, post, false, false},
		{"DescribeNSGs", ServiceCCS, get, true, false},
		{"DescribeNSGMembers", ServiceCCS, get, true, false},
		{"AddNSGRule", ServiceCCS, post, false, false},
		{"RemoveNSGRule", ServiceCCS, post, false, false},
		{"ModifyNSGRule", ServiceCCS, post, false, false},
		{"JoinNSG", ServiceCCS, post, false, false},
		{"LeaveNSG", ServiceCCS, post, false, false},
		{"ModifyNSGRulePriority", ServiceCCS, post, false, false},
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
		// 负载均衡 (load balancers and certificates): 负载均衡概览.md.
		{"DescribeZones", ServiceLB, get, true, false},
		{"DescribeLoadBalancersSpec", ServiceLB, get, true, false},
		{"CreateLoadBalancer", ServiceLB, post, false, true},
		{"DescribeLoadBalancers", ServiceLB, get, true, false},
		{"DescribeLoadBalancersModifySpec", ServiceLB, get, true, false},
		{"ModifyLoadBalancerInstanceSpec", ServiceLB, post, false, true},
		{"DeleteLoadBalancer", ServiceLB, post, false, true},
		{"DescribeCACertificates", ServiceLB, get, true, false},
		{"DescribeCACertificate", ServiceLB, get, true, false},
		{"DeleteCACertificate", ServiceLB, post, false, false},
		{"UploadCACertificate", ServiceLB, post, false, false},
		{"DescribeLoadBalancerStrategys", ServiceLB, get, true, false},
		{"ModifyLoadBalancerStrategys", ServiceLB, post, false, true},
		{"AddLoadBalancerStrategys", ServiceLB, post, false, true},
		{"DescribeHaproxyCustomConfig", ServiceLB, get, true, false},
		{"ModifyHaproxyCustomConfig", ServiceLB, post, false, true},
		{"ModifyLoadBalancerName", ServiceLB, post, false, false},
		{"DescribeLBInstancePerformance", ServicePaasMonitor, post, true, false},
		{"DescribeLBInstanceListeners", ServicePaasMonitor, post, true, false},
		// 其他公共接口 (other)
		{"DescribeAvailableResource", ServiceCCS, get, true, false},
		{"DescribeTask", ServiceCCS, get, true, false},
		// 专有宿主机 (dedicated hosts): the official SDK only (dedicated_host.go);
		// the ids come in the answer, no TaskId.
		{"AllocateDedicatedHosts", ServiceCCS, post, false, false},
		{"DescribeDedicatedHosts", ServiceCCS, get, true, false},
		{"DescribeDedicatedHostTypes", ServiceCCS, get, true, false},
	}
	list = append(list, databaseActions()...)
	m := make(map[string]ActionSpec, len(list))
	for _, a := range list {
		m[a.Key()] = a
	}
	return m
}()

// LookupAction returns the spec of the named action; names are case-sensitive
// as on the wire. A database action is named by its Key; its bare name
// finds it too when no other service has an action of that name.
func LookupAction(name string) (ActionSpec, bool) {
	if a, ok := actions[name]; ok {
		return a, true
	}
	var found []ActionSpec
	for _, a := range actions {
		if a.Name == name {
			found = append(found, a)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return ActionSpec{}, false
}

// Actions returns every action spec sorted by name.
func Actions() []ActionSpec {
	out := make([]ActionSpec, 0, len(actions))
	for _, a := range actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
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
