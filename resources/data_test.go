package resources

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

func TestLookup(t *testing.T) {
	l := NewLive()
	l.addVDCs([]cloud.Vdc{
		{VdcID: "v1", VdcName: "platform-prod", RegionID: "CN_Beijing_A", PrivateNetwork: []cloud.PrivateNetwork{{PrivateID: "n1", Name: "lan"}}},
		{VdcID: "v2", VdcName: "platform-stage", RegionID: "CN_Beijing_B", PrivateNetwork: []cloud.PrivateNetwork{{PrivateID: "n2", Name: "lan"}}},
	})
	l.Instances["i1"] = &cloud.Instance{InstanceID: "i1", InstanceName: "ops", VdcID: "v1", RegionID: "CN_Beijing_A"}
	l.ListedInstances["v1"] = true
	l.Catalogs["CN_Beijing_A"] = &cloud.AvailableResource{InstanceGoods: []cloud.InstanceGoods{{ImageGoods: cloud.ImageGoods{
		PublicImage: []cloud.Image{{ImageID: "Centos_7.6_64", GicDisplayName: "Centos_7.6_64", ImageType: "centos"}, {ImageID: "Ubuntu_16.04_64", GicDisplayName: "Ubuntu_16.04_64"}}}}}}
	l.Templates["t1"] = &cloud.Template{TemplateID: "t1", Name: "Centos_7.6_golden", Region: []cloud.TemplateRegion{{RegionID: "CN_Beijing_A"}}}
	l.Databases["m1"] = &LiveDatabase{Product: "mysql", DBInstance: cloud.DBInstance{InstanceUUID: "m1", InstanceName: "orders", VdcID: "v1", RegionID: "CN_Beijing_A", Version: "8.0"}}
	l.Databases["r1"] = &LiveDatabase{Product: "redis", DBInstance: cloud.DBInstance{InstanceUUID: "r1", InstanceName: "orders", VdcID: "v1", RegionID: "CN_Beijing_A", Version: "5.0"}}
	l.ListedProducts["mysql"], l.ListedProducts["redis"] = true, true
	l.Certs["c1"] = &cloud.Certificate{CertificateID: "c1", CertificateName: "www"}
	l.ListedCerts = true
	ids := func(cs []Candidate) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	tests := map[string]struct {
		kind string
		f    Filter
		want []string
	}{
		"vdc by prefix":          {"vdc", Filter{NamePrefix: "platform-"}, []string{"v1", "v2"}},
		"vdc by prefix, region":  {"vdc", Filter{NamePrefix: "platform-", Region: "CN_Beijing_B"}, []string{"v2"}},
		"vdc by id":              {"vdc", Filter{ID: "v1"}, []string{"v1"}},
		"network by name":        {"private_network", Filter{Name: "lan"}, []string{"n1", "n2"}},
		"network in a VDC":       {"private_network", Filter{Name: "lan", VDC: "v2"}, []string{"n2"}},
		"instance with a tag":    {"instance", Filter{Name: "ops", Tags: []string{"web"}}, []string{}},
		"instance":               {"instance", Filter{Name: "ops", VDC: "v1"}, []string{"i1"}},
		"image from the catalog": {"image", Filter{NamePrefix: "Centos_7.6", Region: "CN_Beijing_A"}, []string{"Centos_7.6_64", "t1"}},
		"image by name":          {"image", Filter{Name: "Centos_7.6_64", Region: "CN_Beijing_A"}, []string{"Centos_7.6_64"}},
		"mysql by name":          {"mysql", Filter{Name: "orders"}, []string{"m1"}},
		"redis in a VDC":         {"redis", Filter{Name: "orders", VDC: "v1"}, []string{"r1"}},
		"mongodb: none":          {"mongodb", Filter{Name: "orders"}, []string{}},
		"certificate by name":    {"certificate", Filter{Name: "www"}, []string{"c1"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			m, _, err := Lookup(l, tc.kind, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ids(m)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	m, _, _ := Lookup(l, "private_network", Filter{ID: "n1"})
	if diff := cmp.Diff(map[string]any{"id": "n1", "name": "lan", "vdc": "v1", "cidr": ""}, m[0].Attrs); diff != "" || m[0].VDC != "v1" {
		t.Errorf("a network's attributes (-want +got)\n%s", diff)
	}
	// Every kind a stack may read is answered here.
	for _, kind := range []string{"vdc", "public_network", "private_network", "security_group", "instance", "template", "image"} {
		if _, ok := DataKinds[kind]; !ok {
			t.Errorf("DataKinds has no %s", kind)
		}
	}
}
