package emulator

// CurrentInstanceTypes are the compute types the current documents add to
// appendix 2 (G2L_*, CCS.*): sold beside the 2019 ones.
var CurrentInstanceTypes = []string{
	"G2L_General", "G2L_Compute", "G2L_Memory", "G2L_Dense", "CCS.IC3", "CCS.C3",
	"CCS.G3", "CCS.R3", "CCS.iC2", "CCS.C2", "CCS.G2", "CCS.R2",
	"CCS.IC1", "CCS.C1", "CCS.G1", "CCS.R1", "CCS.HFC3", "CCS.HFG3",
	"CCS.HFR3", "CCS.IC3V2", "CCS.C3V2", "CCS.G3V2", "CCS.R3V2", "CCS.IC2V2",
	"CCS.C2V2", "CCS.G2V2", "CCS.R2V2", "CCS.IC1V2", "CCS.C1V2", "CCS.G1V2",
	"CCS.R1V2", "CCS.C3NE3", "CCS.G3NE3", "CCS.R3NE3", "CCS.G2NE", "CCS.G1NE",
	"CCS.C2NE", "CCS.IC2NE", "CCS.C1NE", "CCS.IC1NE", "CCS.R2NE", "CCS.R1NE",
	"CCS.IC1A", "CCS.HC1", "CCS.HG1", "CCS.HR1", "CCS.HIC1", "CCS.C1CL",
	"CCS.HG3", "CCS.HC3", "CCS.HIC3", "CCS.HR3", "CCS.IC3CL", "CCS.IC1CL",
	"CCS.GC3", "CCS.IC2CL", "CCS.C2CL", "CCS.C3CL", "CCS.G3CL", "CCS.G2CL",
	"CCS.R3CL", "CCS.R2CL",
}

// CurrentPublicImages are the public templates the current documents'
// appendix 4 lists beside the 2019 ones.
var CurrentPublicImages = []string{
	"AnolisOS_8.6_64", "RockyLinux_9.3_64", "RockyLinux_9.0_64", "RockyLinux_8.6_64",
	"RockyLinux_8.5_64", "Centos_Stream_8", "Centos_8.2_64", "Centos_8.1_64",
	"Centos_8.0_64", "Centos_7.9_64", "Centos_7.8_64", "Centos_6.10_64",
	"Centos_6.9_64", "Centos_6.8_64", "Centos_6.7_64", "Centos_6.6_64",
	"Centos_6.5_64", "Centos_6.4_64", "Centos_5.9_64", "Debian_12.4_64",
	"Debian_11.3_64", "Debian_10.2_64", "Debian_9.11_64", "Debian_9.8_64",
	"Debian_8.11_64", "Debian_7.4_64", "Redhat_7.4_64", "Ubuntu_22.04_64",
	"Ubuntu_20.04_64", "Ubuntu_18.04_64", "Windows_2019_Datacenter_64_CN", "Windows_2019_Datacenter_64_EN",
}

// currentRegions are the regions of the current documents' table (附件一)
// the 2019 reference lacks, with their display names.
var currentRegions = map[string]string{
	"CN_Beijing_H": "北京H", "CN_Beijing_I": "北京I", "CN_Beijing_J": "北京J", "CN_Beijing_Y": "北京Y",
	"CN_Beijing_Z": "北京Z", "US_Dallas_D": "达拉斯D", "US_Dallas_E": "达拉斯E", "US_Dallas_F": "达拉斯F",
	"US_Dallas_G": "达拉斯G", "US_Dallas_H": "达拉斯H", "US_Dallas_I": "达拉斯I", "US_Dallas_J": "达拉斯J",
	"US_Miami_A": "迈阿密A", "EUR_Germany_C": "德国C", "CN_Shanghai_C": "上海C", "CN_Shanghai_D": "上海D",
	"CN_Wuxi_B": "无锡B", "APAC_Singapore_C": "新加坡C", "APAC_Singapore_D": "新加坡D", "APAC_SGSIN_E": "新加坡E",
	"APAC_Mumbai_B": "孟买B", "APAC_Mumbai_C": "孟买C", "US_Virginia_A": "弗吉尼亚A", "US_Dallas_L": "达拉斯L",
	"CN_Huhehaote_A": "呼和浩特A", "CN_Huhehaote_B": "呼和浩特B", "SR_SaintPaul_A": "圣保罗A", "CN_Suzhou_A": "苏州A",
	"APAC_Jakarta_A": "雅加达A", "APAC_HoChiMinh_A": "胡志明A", "EUR_Marseilles_A": "马赛A", "US_Dallas_N": "达拉斯N",
	"CN_Changsha_A": "长沙A", "CN_Suqian_B": "宿迁B",
}

func init() {
	InstanceTypes = append(InstanceTypes, CurrentInstanceTypes...)
	PublicImages = append(PublicImages, CurrentPublicImages...)
	for id, name := range currentRegions {
		Regions[id] = name
	}
}
