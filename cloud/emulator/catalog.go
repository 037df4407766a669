package emulator

import (
	"slices"
	"strings"
)

// Regions are the region ids of appendix 1 with their display names.
var Regions = map[string]string{
	"CN_Beijing_A": "北京1", "CN_Beijing_B": "北京2", "CN_Beijing_C": "北京3", "CN_Beijing_D": "北京4（测试）",
	"CN_Beijing_E": "北京5", "CN_Beijing_F": "北京6（测试）", "US_Dallas_A": "达拉斯1", "US_Dallas_B": "达拉斯2",
	"US_Dallas_C": "达拉斯3", "EUR_Germany_A": "德国1", "EUR_Germany_B": "德国2", "APAC_Tokyo_A": "东京1",
	"CN_Guangzhou_A": "广州1", "EUR_Netherlands_A": "荷兰1", "US_LosAngeles_A": "洛杉矶1", "US_NewYork_A": "纽约1",
	"CN_Shanghai_A": "上海1", "CN_Shanghai_B": "上海2（测试）", "APAC_Seoul_A": "首尔1", "CN_Taipei_A": "台北1",
	"CN_Wuxi_A": "无锡1", "CN_Hongkong_A": "香港1", "APAC_Singapore_A": "新加坡1", "APAC_Singapore_B": "新加坡2",
	"APAC_Mumbai_A": "孟买1",
}

// InstanceTypes are the compute type ids of appendix 2.
var InstanceTypes = []string{"IO", "High", "Standard", "General", "Balance", "Compact", "Memory",
	"Exclusive", "HighIO", "Compute", "G2_General", "G2_Compute", "G2_Memory"}

// g2Regions are the only regions that sell the second-generation (G2_*)
// types.
var g2Regions = []string{"CN_Beijing_A", "CN_Beijing_B", "CN_Shanghai_A"}

// sells reports whether region sells instance type t. CreateInstance,
// ModifyInstanceSpec, DescribeInstanceType and DescribeAvailableResource
// all ask it, so what is listed is what is accepted.
func sells(region, t string) bool {
	if strings.HasPrefix(t, "G2_") {
		return slices.Contains(g2Regions, region)
	}
	return slices.Contains(InstanceTypes, t)
}

// sizeOnSale reports whether cpu/ram is a size on sale: RAM from 1× to 8×
// the vCPUs.
func sizeOnSale(cpu, ram int) bool {
	return slices.Contains(CPUs, cpu) && slices.Contains(RAMs, ram) && ram >= cpu && ram <= 8*cpu
}

// BandwidthTypes are the bandwidth type ids of appendix 3.
var BandwidthTypes = []string{"Bandwidth_CMCC", "Bandwidth_China_Unicom", "Southeast_Asia_Optimizes_Bandwidth",
	"Test_Ipv6", "Bandwidth_Japan_Locally", "Bandwidth_Korea_Locally", "Bandwidth_BGP", "Bandwidth_Korea_Optimized",
	"Bandwidth_Taiwai_Optimized", "Bandwidth_China_Telecom", "Bandwidth_Tow_Line_BGP", "Bandwidth_China_Optimized",
	"Customer_Specific_Bandwidth", "Bandwidth_VIP_Dedicated", "Globally_Optimized_BGP"}

// BillingMethods of a public network, with the Qos rule of each.
var BillingMethods = []string{"Bandwidth", "Traffic", "DataPackage", "Bandwidth_95"}

// PublicImages are the public templates of appendix 4.
var PublicImages = []string{
	"Centos_7.6_64", "Centos_7.5_64", "Centos_7.4_64", "Centos_7.3_64", "Centos_7.2_64", "Centos_7.1_64", "Centos_7.0_64",
	"Debian_8.1_64", "Debian_8.1_32", "Debian_7.8_64", "Redhat_6.5_64", "Redhat_5.10_64",
	"Ubuntu_16.04_64", "Ubuntu_14.04_64", "Ubuntu_14.10_64",
	"Windows_2008_R2_Enterprise_64_CN", "Windows_2008_Enterprise_32_EN", "Windows_2008_Enterprise_32_CN",
	"Windows_2008_Enterprise_64_EN", "Windows_2008_Enterprise_64_CN", "Windows_2012_R2_Standard_64_EN",
	"Windows_2012_R2_Standard_64_CN", "Windows_2012_R2_Datacenter_64_EN", "Windows_2012_R2_Datacenter_64_CN",
	"Windows_2012_Standard_64_EN", "Windows_2012_Standard_64_CN", "Windows_2012_Datacenter_64_EN",
	"Windows_2012_Datacenter_64_CN", "Windows_2016_Datacenter_64_EN", "Windows_2016_Datacenter_64_CN",
}

// CPUs and RAMs are the sizes CreateInstance and ModifyInstanceSpec accept.
var (
	CPUs = []int{1, 2, 4, 8, 10, 16, 32}
	RAMs = []int{1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128}
	// IPCounts are the sizes of a public IP segment.
	IPCounts = []int{4, 8, 16, 32, 64}
)

// A DiskGood is a data disk type and its size range in GB.
type DiskGood struct {
	Type               string
	Min, Max, Step     int
	IOPSPerGB, MaxIOPS int
}

// DiskGoods are the data disk types sold in every region.
var DiskGoods = []DiskGood{
	{Type: "ssd_disk", Min: 10, Max: 4000, Step: 10, IOPSPerGB: 30, MaxIOPS: 20000},
	{Type: "high_disk", Min: 10, Max: 4000, Step: 10, IOPSPerGB: 10, MaxIOPS: 5000},
	{Type: "big_disk", Min: 50, Max: 4000, Step: 50, IOPSPerGB: 2, MaxIOPS: 1000},
}

// SystemDiskGoods are the system disk types: a new system disk has the
// image's size (systemDiskSize) unless a larger one is asked for.
var SystemDiskGoods = []DiskGood{
	{Type: "system_disk", Min: 20, Max: 500, Step: 10, IOPSPerGB: 10, MaxIOPS: 5000},
	{Type: "ssd_system_disk", Min: 20, Max: 500, Step: 10, IOPSPerGB: 30, MaxIOPS: 20000},
}

// MaxDataDisks is how many data disks one instance can have.
const MaxDataDisks = 16

// maxIOPSPacks bounds the provisioned IOPS packs of a disk; each adds
// iopsPerPack to what its size gives.
const (
	maxIOPSPacks = 20
	iopsPerPack  = 1000
)

// iops is the IOPS of a disk of g with size GB and packs provisioned packs.
func (g DiskGood) iops(size, packs int) int {
	return min(size*g.IOPSPerGB, g.MaxIOPS) + packs*iopsPerPack
}

func diskGood(t string) (DiskGood, bool) { return goodOf(DiskGoods, t) }

func systemDiskGood(t string) (DiskGood, bool) { return goodOf(SystemDiskGoods, t) }

func goodOf(goods []DiskGood, t string) (DiskGood, bool) {
	for _, g := range goods {
		if g.Type == t {
			return g, true
		}
	}
	return DiskGood{}, false
}

// qosValid applies the reference's Qos rule for a billing method: fixed
// bandwidth 1–500 Mbps in steps of 5 (1–5 allowed below the first step);
// 95th percentile 50–500 in steps of 50; traffic 1–500; data packages up to
// 51200 GB.
func qosValid(method string, qos int) bool {
	switch method {
	case "Bandwidth":
		return qos >= 1 && qos <= 500 && (qos <= 5 || qos%5 == 0)
	case "Bandwidth_95":
		return qos >= 50 && qos <= 500 && qos%50 == 0
	case "Traffic":
		return qos >= 1 && qos <= 500
	case "DataPackage":
		return qos >= 1 && qos <= 51200
	}
	return false
}

// systemDiskSize is the size of a new system disk: Windows images need more.
func systemDiskSize(image string) int {
	if strings.HasPrefix(image, "Windows") {
		return 60
	}
	return 20
}

// osType describes an image for DescribeTemplateInfo.
func osType(image string) string {
	parts := strings.Split(image, "_")
	if len(parts) < 2 {
		return image
	}
	bits := "64位"
	if strings.Contains(image, "_32") {
		bits = "32位"
	}
	return strings.ToLower(parts[0]) + " " + parts[1] + " " + bits
}

// The price table (CNY): bills, DescribeInstancePrice and
// VDCBandwidthUnitPrice are all computed from it.
const (
	pricePerCPUHour    = 0.05
	pricePerGBRAMHour  = 0.02
	pricePerGBDiskHour = 0.0005
	pricePerMbpsHour   = 0.03
	pricePerIPHour     = 0.005
	pricePerTemplHour  = 0.001
	pricePerTrafficGB  = 0.8 // Traffic billing, per GB sent
	pricePerPackageGB  = 0.6 // DataPackage billing, per GB of package
	hoursPerMonth      = 730
)

// instanceHourly is what an instance of cpu, ram and disk GB costs an hour.
func instanceHourly(cpu, ram, disk int) float64 {
	return float64(cpu)*pricePerCPUHour + float64(ram)*pricePerGBRAMHour + float64(disk)*pricePerGBDiskHour
}
