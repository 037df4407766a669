package emulator

import (
	"slices"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestContractCurrentCatalogue: the emulator sells what the current
// documents list beside the 2019 catalogue: images such as Centos_7.9_64,
// the G2L_* and CCS.* instance types, and the regions of their table.
func TestContractCurrentCatalogue(t *testing.T) {
	if len(InstanceTypes) < 75 {
		t.Errorf("%d instance types, want the documents' 75", len(InstanceTypes))
	}
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	for _, tc := range []struct{ itype, image string }{
		{"G2L_General", "Centos_7.9_64"}, {"CCS.C3", "Ubuntu_22.04_64"}, {"CCS.G2NE", "RockyLinux_9.3_64"}, {"Standard", "Centos_7.6_64"},
	} {
		id := e.wait(c.CreateInstance(ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, Password: "Passw0rd!",
			InstanceName: "cat", CPU: 2, RAM: 4, InstanceType: tc.itype, ImageID: tc.image}))
		if id == "" {
			t.Errorf("%s from %s: no instance", tc.itype, tc.image)
		}
	}
	cat := must(c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: "CN_Beijing_A"}))
	var sold []string
	for _, g := range cat.InstanceGoods {
		sold = append(sold, g.InstanceType)
	}
	for _, want := range []string{"G2L_Dense", "CCS.R3V2", "Standard"} {
		if !slices.Contains(sold, want) {
			t.Errorf("DescribeAvailableResource does not sell %s: %v", want, sold)
		}
	}
	if _, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "APAC_Jakarta_A", VdcName: "jkt"}); err != nil {
		t.Errorf("a region of the current table is refused: %v", err)
	}
}
