package cloud

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// vdcPages answers DescribeVdc with three VDCs a page in the documents'
// shape: counters beside Data (top), items with PageCount 0.
func vdcPages(top map[string]any, ignorePage bool) func(int, http.ResponseWriter, *http.Request) {
	all := [][]string{{"v1", "v2", "v3"}, {"v4", "v5", "v6"}, {"v7"}}
	return func(_ int, w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("PageNumber"))
		if ignorePage {
			n = 1
		}
		var data []map[string]any
		if n >= 1 && n <= len(all) {
			for _, id := range all[n-1] {
				data = append(data, map[string]any{"VdcId": id, "VdcName": id, "RegionId": "CN_Beijing_A", "PageNumber": 0, "PageCount": 0})
			}
		}
		answer := map[string]any{"Code": "Success", "Message": "Success.", "Data": data}
		for k, v := range top {
			answer[k] = v
		}
		answer["PageNumber"] = n
		writeJSON(w, 200, answer)
	}
}

// TestListVdcsReadsTheAnswersCounters: every page is read whatever the items
// say; no counters, or a service that ignores PageNumber, end at the first
// page that adds nothing.
func TestListVdcsReadsTheAnswersCounters(t *testing.T) {
	all := []string{"v1", "v2", "v3", "v4", "v5", "v6", "v7"}
	tests := map[string]struct {
		top        map[string]any
		ignorePage bool
		want       []string
		requests   int
	}{
		"page count beside Data": {map[string]any{"PageCount": 3}, false, all, 3},
		"total beside Data":      {map[string]any{"Total": 7}, false, all, 3},
		"no counters":            {nil, false, all, 4},
		"page number ignored":    {nil, true, all[:3], 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rc, url := serve(t, vdcPages(tc.top, tc.ignorePage))
			c, _ := newTestClient(t, url)
			list, err := c.ListVdcs(context.Background(), DescribeVdcRequest{}, 3)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range list {
				got = append(got, v.VdcID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("VDCs (-want +got)\n%s", diff)
			}
			if rc.count() != tc.requests {
				t.Errorf("%d requests, want %d", rc.count(), tc.requests)
			}
		})
	}
}
