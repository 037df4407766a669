package cloud

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRegionEndpoint(t *testing.T) {
	tests := map[string]string{
		"CN_Beijing_A":     EndpointMainland,
		"CN_Hongkong_A":    EndpointMainland,
		"APAC_Tokyo_A":     EndpointAsia,
		"APAC_Singapore_B": EndpointAsia,
		"US_Dallas_A":      EndpointUS,
		"EUR_Germany_A":    EndpointUS,
		"SR_SaintPaul_A":   EndpointMainland, // no entry point for South America
		"APAC_Newplace_Z":  EndpointAsia,     // not in the table: by prefix
		"":                 EndpointMainland,
	}
	for region, want := range tests {
		if got := RegionEndpoint(region); got != want {
			t.Errorf("RegionEndpoint(%q) = %s, want %s", region, got, want)
		}
	}
}

// TestRequestsGoToTheirRegionsEntryPoint: with regional entry points, a
// request goes to the entry point of the region of its context, else of
// its RegionId, else of the default region (the stack's); a plain client
// sends everything to its one endpoint.
func TestRequestsGoToTheirRegionsEntryPoint(t *testing.T) {
	answer := ok([]map[string]any{})
	asia, asiaURL := serve(t, answer)
	mainland, mainlandURL := serve(t, answer)
	us, usURL := serve(t, answer)
	resolve := func(region string) string {
		return map[string]string{EndpointAsia: asiaURL, EndpointMainland: mainlandURL, EndpointUS: usURL}[RegionEndpoint(region)]
	}
	c, _ := newTestClient(t, mainlandURL, WithEndpointResolver("APAC_Tokyo_A", resolve))
	ctx := context.Background()
	count := func() [3]int { return [3]int{asia.count(), mainland.count(), us.count()} }
	step := func(what string, call func() error, want [3]int) {
		t.Helper()
		before := count()
		if err := call(); err != nil {
			t.Fatal(err)
		}
		after := count()
		got := [3]int{after[0] - before[0], after[1] - before[1], after[2] - before[2]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: requests to asia, mainland, us (-want +got)\n%s", what, diff)
		}
	}
	step("the stack's region", func() error { _, err := c.DescribeVdc(ctx, DescribeVdcRequest{}); return err }, [3]int{1, 0, 0})
	step("RegionId", func() error { _, err := c.DescribeVdc(ctx, DescribeVdcRequest{RegionID: "CN_Beijing_A"}); return err }, [3]int{0, 1, 0})
	step("the context's region", func() error {
		_, err := c.DescribeVdc(WithRegion(ctx, "EUR_Germany_A"), DescribeVdcRequest{RegionID: "CN_Beijing_A"})
		return err
	}, [3]int{0, 0, 1})
	if got := c.EndpointRegions([]string{"CN_Beijing_A", "CN_Shanghai_A", "APAC_Tokyo_A"}); !cmp.Equal(got, []string{"APAC_Tokyo_A", "CN_Beijing_A"}) {
		t.Errorf("EndpointRegions = %v: want one region per entry point", got)
	}

	plain, _ := newTestClient(t, mainlandURL)
	step("an explicit endpoint", func() error {
		_, err := plain.DescribeVdc(WithRegion(ctx, "APAC_Tokyo_A"), DescribeVdcRequest{RegionID: "US_Dallas_A"})
		return err
	}, [3]int{0, 1, 0})
	if got := plain.EndpointRegions([]string{"CN_Beijing_A", "APAC_Tokyo_A"}); len(got) != 1 {
		t.Errorf("EndpointRegions without regional entry points = %v, want one", got)
	}
}
