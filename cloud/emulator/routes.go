package emulator

import "net/http"

// The service paths the API is served under.
const (
	svcCCS        = "ccs"
	svcNetwork    = "network"
	svcBilling    = "billing"
	svcCCSProduct = "ccs-product"
	svcMySQL      = "mysql"
	svcRedis      = "redis"
	svcMongoDB    = "mongodb/v1"
	svcMongoDBOld = "mongodb"
)

// The load balancer service (负载均衡概览.md) and its two monitoring actions.
const (
	svcLB          = "lb"
	svcPaasMonitor = "paas/monitor"
)

// A route is where an action is served and with which HTTP method. The
// table is the emulator's own reading of the documents (the 2019-08-08
// reference and the current capitalonline/openapi pages), kept apart from
// the client's, so a wrong path or method on either side shows up in the
// contract tests instead of being shared.
type route struct {
	service string
	method  string
}

var routes = func() map[string]route {
	get, post := http.MethodGet, http.MethodPost
	m := map[string]route{}
	add := func(service, method string, actions ...string) {
		for _, a := range actions {
			m[a] = route{service, method}
		}
	}
	// 云主机 (instances): 云主机概览.md.
	add(svcCCS, post, "CreateInstance", "DeleteInstance", "ModifyInstanceChargeType", "ModifyInstanceSpec",
		"CreateDisk", "ResizeDisk", "DeleteDisk", "ResetImage", "DescribeInstances", "ConnectNetworkInterface",
		"DisconnectNetworkInterface", "ModifyIpAddress", "DescribeInstanceMonitor", "ModifyInstanceName",
		"ResetInstancesPassword", "ExtendSystemDisk", "DescribeTags", "CreateTag", "DeleteTag", "AddInstancesTags",
		"DeleteInstancesTags", "DescribeInstanceType", "DescribeInstancePrice", "ModifyInstanceAttribute",
		// Not in the documents; the official SDK sends it with its default (POST) profile.
		"ModifyInstanceHostName")
	add(svcCCS, get, "StopInstance", "RebootInstance", "StartInstance", "StopInstances", "StartInstances", "RebootInstances")
	// 安全组 (security groups): the 2019 reference, as the official SDK calls them.
	add(svcCCS, post, "CreateSecurityGroup", "ModifySecurityGroupAttribute", "DescribeSecurityGroups",
		"AddSecurityGroupRule", "RemoveSecurityGroupRule", "ModifySecurityGroupRule", "JoinSecurityGroup",
		"LeaveSecurityGroup", "ModifySecurityGroupRulePriority")
	add(svcCCS, get, "DeleteSecurityGroup", "ForceDeleteSecurityGroup", "DescribeSecurityGroupAttribute")
	// 安全组 (security groups), current: the NSG actions of 首云OpenAPI(v1.2).md.
	add(svcCCS, post, "CreateNSG", "DeleteNSG", "ModifyNSGAttribute", "AddNSGRule", "RemoveNSGRule", "ModifyNSGRule",
		"JoinNSG", "LeaveNSG", "ModifyNSGRulePriority")
	add(svcCCS, get, "DescribeNSGAttribute", "DescribeNSGs", "DescribeNSGMembers")
	// 模板 (templates).
	add(svcCCS, post, "CreateTemplate", "DeleteTemplate", "SyncTemplate", "DescribeTemplateInfo")
	// 虚拟数据中心 (VDCs and networks): 虚拟数据中心概览.md.
	add(svcNetwork, get, "DescribeVdc", "DeleteVdc", "ModifyPublicNetwork", "AddPublicIp", "DeletePublicIp",
		"DeletePublicNetwork", "DeletePrivateNetwork", "RenewPublicNetwork", "DescribeBandwidthTraffic")
	add(svcNetwork, post, "CreateVdc", "CreatePublicNetwork", "CreatePrivateNetwork", "ModifyVdcName",
		"DescribePublicIp", "DescribePrivateIp")
	add(svcNetwork, get, "VDCBandwidthUnitPrice")
	// 账单 (billing), 冷云计量 (metering), 其他公共接口 (other).
	add(svcBilling, get, "DescribeBill", "DescribeBillInfo", "DescribeAccountInfo")
	add(svcCCSProduct, get, "GetMetering")
	add(svcCCS, get, "DescribeAvailableResource", "DescribeTask")
	// 专有宿主机 (dedicated hosts): the official SDK's three actions, with
	// the official provider's methods (no document describes them).
	add(svcCCS, post, "AllocateDedicatedHosts")
	add(svcCCS, get, "DescribeDedicatedHosts", "DescribeDedicatedHostTypes")
	addDatabaseRoutes(m)
	// 负载均衡 (load balancers and certificates): 负载均衡概览.md.
	add(svcLB, get, "DescribeZones", "DescribeLoadBalancersSpec", "DescribeLoadBalancers", "DescribeLoadBalancersModifySpec",
		"DescribeCACertificates", "DescribeCACertificate", "DescribeLoadBalancerStrategys", "DescribeHaproxyCustomConfig")
	add(svcLB, post, "CreateLoadBalancer", "ModifyLoadBalancerInstanceSpec", "DeleteLoadBalancer", "DeleteCACertificate",
		"UploadCACertificate", "ModifyLoadBalancerStrategys", "AddLoadBalancerStrategys", "ModifyHaproxyCustomConfig",
		"ModifyLoadBalancerName")
	add(svcPaasMonitor, post, "DescribeLBInstancePerformance", "DescribeLBInstanceListeners")
	return m
}()

// knownService reports whether path names one of the services.
func knownService(path string) bool {
	switch path {
	case svcCCS, svcNetwork, svcBilling, svcCCSProduct:
		return true
	case svcMySQL, svcRedis, svcMongoDB, svcMongoDBOld, svcLB, svcPaasMonitor:
		return true
	}
	return false
}
