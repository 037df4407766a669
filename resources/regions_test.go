package resources

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

// TestRefreshListsEachEntryPoint: a stack whose regions span two areas has
// its VDCs listed at both entry points, and each VDC's instances at its own.
func TestRefreshListsEachEntryPoint(t *testing.T) {
	area := func(vdc, region string, calls *[]string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			action := r.URL.Query().Get("Action")
			*calls = append(*calls, action)
			var data any
			switch action {
			case "DescribeVdc":
				data = []map[string]any{{"VdcId": vdc, "VdcName": vdc, "RegionId": region, "PageCount": 0}}
			case "DescribeInstances":
				data = map[string]any{"Instances": []map[string]any{{"InstanceId": "i-" + vdc, "VdcId": vdc, "InstanceStatus": "running"}}, "Total": 1}
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"Code": "Success", "Data": data, "PageNumber": 1, "PageCount": 1})
		}))
	}
	var asiaCalls, mainCalls []string
	asia, mainland := area("v-tokyo", "APAC_Tokyo_A", &asiaCalls), area("v-beijing", "CN_Beijing_A", &mainCalls)
	defer asia.Close()
	defer mainland.Close()
	resolve := func(region string) string {
		if cloud.RegionEndpoint(region) == cloud.EndpointAsia {
			return asia.URL
		}
		return mainland.URL
	}
	c, err := cloud.New(mainland.URL, cloud.Credentials{AccessKeyID: "k", AccessKeySecret: "s"}, cloud.WithEndpointResolver("CN_Beijing_A", resolve))
	if err != nil {
		t.Fatal(err)
	}
	l, err := Refresh(context.Background(), c, Scope{VDCs: []string{"v-tokyo", "v-beijing"}, Regions: []string{"APAC_Tokyo_A", "CN_Beijing_A", "CN_Shanghai_A"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.VDCs) != 2 || l.Instances["i-v-tokyo"] == nil || l.Instances["i-v-beijing"] == nil {
		t.Fatalf("live view: %d VDCs, instances %v", len(l.VDCs), l.Instances)
	}
	want := "[DescribeVdc DescribeInstances]"
	for name, calls := range map[string][]string{"asia": asiaCalls, "mainland": mainCalls} {
		if got := fmt.Sprint(calls); got != want {
			t.Errorf("%s entry point got %s, want %s", name, got, want)
		}
	}
}
