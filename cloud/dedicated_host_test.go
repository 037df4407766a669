package cloud

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHostIDsForms: AllocateDedicatedHosts' Data is read in the SDK's form
// (a list of ids) and in the others a service may send.
func TestHostIDsForms(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		want HostIDs
	}{
		"SDK: list of ids":         {`["h-1","h-2"]`, HostIDs{"h-1", "h-2"}},
		"one id":                   {`"h-1"`, HostIDs{"h-1"}},
		"list of objects":          {`[{"HostId":"h-1"},{"DedicatedHostId":"h-2"}]`, HostIDs{"h-1", "h-2"}},
		"object with HostIds":      {`{"HostIds":["h-1"]}`, HostIDs{"h-1"}},
		"object with a HostId":     {`{"HostId":"h-1"}`, HostIDs{"h-1"}},
		"null":                     {`null`, nil},
		"empty text":               {`""`, nil},
		"nulls in the list":        {`["h-1",null]`, HostIDs{"h-1"}},
		"object with HostIdList":   {`{"HostIdList":[{"HostId":"h-3"}]}`, HostIDs{"h-3"}},
		"numbers are text as well": {`[12]`, HostIDs{"12"}},
	} {
		t.Run(name, func(t *testing.T) {
			var got HostIDs
			if err := json.Unmarshal([]byte(tc.data), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	var bad HostIDs
	if err := json.Unmarshal([]byte(`true`), &bad); err == nil {
		t.Error("true decoded as host ids")
	}
}

// TestDedicatedHostPageForms: DescribeDedicatedHosts' Data is the SDK's
// {HostList, Total} with pointer fields that may be null, numbers as text,
// or a bare list; DescribeDedicatedHostTypes' is a list or one object.
func TestDedicatedHostPageForms(t *testing.T) {
	host := DedicatedHost{HostID: "h-1", HostName: "dh", HostType: "ded_standard", Region: "CN_Beijing_A", Status: "running",
		BillMethod: "PrePaid", CPURate: "25%", RAMRate: "10%", Duration: 3, VMNum: 2, StartBillTime: "2026-11-26 18:00:00",
		EndBillTime: "2027-03-01 00:00:00"}
	sdk := `{"HostList":[{"BillMethod":"PrePaid","CpuRate":"25%","Duration":3,"EndBillTime":"2027-03-01 00:00:00","HostId":"h-1",
		"HostName":"dh","HostType":"ded_standard","RamRate":"10%","Region":"CN_Beijing_A","StartBillTime":"2026-11-26 18:00:00",
		"Status":"running","VmNum":2}],"Total":1}`
	text := `{"HostList":[{"BillMethod":"PrePaid","CpuRate":25,"Duration":"3","EndBillTime":"2027-03-01 00:00:00","HostId":"h-1",
		"HostName":"dh","HostType":"ded_standard","RamRate":"10%","RegionId":"CN_Beijing_A","StartBillTime":"2026-11-26 18:00:00",
		"Status":"running","VmNum":"2"}],"Total":"1"}`
	nulls := `{"HostList":[{"HostId":"h-2","HostName":null,"HostType":null,"Region":null,"Status":null,"VmNum":null,"Duration":null,
		"CpuRate":null}],"Total":null}`
	list := `[{"HostId":"h-1","HostName":"dh"}]`
	for name, tc := range map[string]struct {
		data string
		want DedicatedHostPage
	}{
		"SDK":              {sdk, DedicatedHostPage{HostList: List[DedicatedHost]{host}, Total: 1}},
		"numbers as text":  {text, DedicatedHostPage{HostList: List[DedicatedHost]{func() DedicatedHost { h := host; h.CPURate = "25"; return h }()}, Total: 1}},
		"null fields":      {nulls, DedicatedHostPage{HostList: List[DedicatedHost]{{HostID: "h-2"}}}},
		"a bare list":      {list, DedicatedHostPage{HostList: List[DedicatedHost]{{HostID: "h-1", HostName: "dh"}}}},
		"no hosts at all":  {`{"HostList":null,"Total":0}`, DedicatedHostPage{}},
		"an empty listing": {`{}`, DedicatedHostPage{}},
	} {
		t.Run(name, func(t *testing.T) {
			var got DedicatedHostPage
			if err := json.Unmarshal([]byte(tc.data), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	var types List[DedicatedHostType]
	if err := json.Unmarshal([]byte(`{"VmTypeId":"ded_standard","GoodsId":"6195","Cpu":48,"Ram":"192","BillSchemeId":null}`), &types); err != nil {
		t.Fatal(err)
	}
	if len(types) != 1 || types[0].GoodsID != 6195 || types[0].RAM != 192 || HostTypeOf(types, "ded_standard") == nil {
		t.Errorf("one type as an object = %+v", types)
	}
	if HostTypeOf(types, "ded_memory") != nil {
		t.Error("HostTypeOf found a type that is not listed")
	}
}

// TestDedicatedHostTypesCached: a region's host types are asked once and
// then answered from the catalogue cache; another region is asked.
func TestDedicatedHostTypesCached(t *testing.T) {
	rc, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"Code": "Success", "Data": []map[string]any{{"VmTypeId": "ded_standard", "GoodsId": 6195, "Cpu": 48, "Ram": 192}}})
	})
	c, _ := newTestClient(t, url, WithCatalogCache(filepath.Join(t.TempDir(), "catalog.json"), time.Hour, false))
	ctx := context.Background()
	for _, region := range []string{"CN_Beijing_A", "CN_Beijing_A", "CN_Shanghai_A"} {
		types, err := c.DescribeDedicatedHostTypes(ctx, DedicatedHostTypesRequest{RegionID: region})
		if err != nil || len(types) != 1 || types[0].GoodsID != 6195 {
			t.Fatalf("%s: %+v, %v", region, types, err)
		}
	}
	if rc.count() != 2 {
		t.Errorf("%d requests for two regions' types, one of them twice; want 2", rc.count())
	}
}
