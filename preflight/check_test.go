package preflight_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/preflight"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

const stackSrc = `version: 1
stack: pre
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: pre}}
  wan: {kind: public_network, properties: {vdc: "${net.id}", name: wan, bandwidth_type: Bandwidth_BGP, qos: 5, ip_count: 4}}
  web:
    kind: instance
    count: 2
    properties:
      vdc: "${net.id}"
      name: "web-${index}"
      instance_type: Standard
      cpu: 1
      ram: 2
      image: Centos_7.6_64
      public_ip: auto
      data_disks: [{size: 100, type: ssd_disk}]
  old:
    kind: instance
    properties: {vdc: v1, name: old, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64, public_ip: auto}
`

// world is a plan of the stack above, and what the cloud says about it.
type world struct {
	s     *spec.Stack
	p     *planner.Document
	snap  *state.Snapshot
	live  *resources.Live
	facts *preflight.Facts
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s, err := spec.Parse("stack.yaml", []byte(stackSrc))
	if err != nil {
		t.Fatal(err)
	}
	web := func(i string) *planner.Change {
		return &planner.Change{Addr: "web[" + i + "]", Resource: "web", Kind: "instance", Action: planner.Create, Deps: []string{"net", "wan"},
			After: map[string]any{"vdc": spec.Unknown{Ref: "${net.id}"}, "name": "web-" + i, "region": "CN_Beijing_A", "instance_type": "Standard",
				"cpu": int64(1), "ram": int64(2), "image": "Centos_7.6_64", "public_ip": "auto", "password": "(sensitive)",
				"data_disks": []any{map[string]any{"size": int64(100), "type": "ssd_disk"}}}}
	}
	p := &planner.Document{Changes: []*planner.Change{
		{Addr: "net", Resource: "net", Kind: "vdc", Action: planner.Create, After: map[string]any{"name": "pre", "region": "CN_Beijing_A"}},
		{Addr: "wan", Resource: "wan", Kind: "public_network", Action: planner.Create, Deps: []string{"net"},
			After: map[string]any{"vdc": spec.Unknown{Ref: "${net.id}"}, "name": "wan", "bandwidth_type": "Bandwidth_BGP", "billing_method": "Bandwidth", "qos": int64(5), "ip_count": int64(8)}},
		web("0"), web("1"),
	}}
	cat := &cloud.AvailableResource{RegionID: "CN_Beijing_A", RegionStatus: "1",
		WanGoods: []cloud.WanGood{{Type: "Bandwidth_BGP", BillingMethod: []cloud.WanBillingMethods{{Key: "BandwIdth", MaxQos: 500}, {Key: "Traffic", MaxQos: 200}}}},
		InstanceGoods: []cloud.InstanceGoods{{InstanceType: "Standard",
			ImageGoods:      cloud.ImageGoods{PublicImage: []cloud.Image{{ImageID: "Centos_7.6_64"}}},
			DiskGoods:       []cloud.DiskGoods{{Type: "ssd_disk", MinSize: 10, MaxSize: 4000, Step: 10}, {Type: "big_disk", MinSize: 50, MaxSize: 4000, Step: 50}},
			SystemDiskGoods: []cloud.DiskGoods{{Type: "system_disk", MinSize: 20, MaxSize: 500, Step: 10}}}}}
	facts := &preflight.Facts{Catalog: map[string]*cloud.AvailableResource{"CN_Beijing_A": cat},
		Sizes:   map[preflight.SizeKey][]cloud.InstanceSize{{Region: "CN_Beijing_A", Type: "Standard"}: {{CPU: 1, RAM: 1}, {CPU: 1, RAM: 2}, {CPU: 2, RAM: 4}}},
		Account: &cloud.AccountInfo{MasterTotalBalance: 100}}
	return &world{s: s, p: p, snap: &state.Snapshot{Resources: map[string]*state.Record{}}, live: resources.NewLive(), facts: facts}
}

// withOld puts an existing VDC v1 with a public network holding one free
// address, and an instance "old" in it, in the state and the cloud.
func (w *world) withOld() {
	w.live.VDCs["v1"] = &cloud.Vdc{VdcID: "v1", RegionID: "CN_Beijing_A"}
	w.live.Publics["p1"] = &resources.LivePublic{VdcID: "v1", PublicNetwork: cloud.PublicNetwork{PublicID: "p1", UnuseIPNum: 1}}
	w.snap.Resources["old"] = &state.Record{Addr: "old", Kind: "instance", ID: "i1", Inputs: map[string]any{"vdc": "v1", "public_ip": "auto"},
		Outputs: map[string]any{"public_ip": "198.18.0.2"}}
}

func (w *world) change(addr string) *planner.Change { return w.p.Change(addr) }

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(w *world)
		want  []string
		waits map[string][]string
	}{
		{name: "a plan the cloud can carry out", edit: func(w *world) {}},
		{name: "an instance type not on sale", edit: func(w *world) {
			for _, a := range []string{"web[0]", "web[1]"} {
				w.change(a).After["instance_type"] = "G2_General"
			}
		}, want: []string{"stack.yaml:13:22: resources.web.properties.instance_type: instance type G2_General is not on sale in CN_Beijing_A; on sale there: Standard"}},
		{name: "a size not on sale", edit: func(w *world) {
			w.change("web[0]").After["ram"] = int64(8)
		}, want: []string{"stack.yaml:15:12: resources.web.properties.ram: 1 vCPU with 8 GB is not a size of Standard on sale in CN_Beijing_A; with 1 vCPU: 1, 2 GB"}},
		{name: "an image not among the type's", edit: func(w *world) {
			w.change("web[1]").After["image"] = "Plan9_4"
		}, want: []string{"stack.yaml:16:14: resources.web.properties.image: image Plan9_4 is not among the images of Standard in CN_Beijing_A"}},
		// The catalogue may be cached from before a template existed: the
		// refresh's own listing of templates, always fresh, counts too.
		{name: "a custom template the refresh lists, ready in the region", edit: func(w *world) {
			w.live.ListedTemplates = true
			w.live.Templates["tpl-1"] = &cloud.Template{TemplateID: "tpl-1", Status: "normal",
				Region: []cloud.TemplateRegion{{RegionID: "CN_Shanghai_A", Status: "normal"}, {RegionID: "CN_Beijing_A", Status: "normal"}}}
			w.change("web[1]").After["image"] = "tpl-1"
		}},
		{name: "a custom template not yet in the region", edit: func(w *world) {
			w.live.ListedTemplates = true
			w.live.Templates["tpl-1"] = &cloud.Template{TemplateID: "tpl-1", Status: "normal",
				Region: []cloud.TemplateRegion{{RegionID: "CN_Shanghai_A", Status: "normal"}, {RegionID: "CN_Beijing_A", Status: "syncing"}}}
			w.change("web[1]").After["image"] = "tpl-1"
		}, want: []string{"stack.yaml:16:14: resources.web.properties.image: image tpl-1 is not among the images of Standard in CN_Beijing_A"}},
		{name: "an image known after apply is not checked", edit: func(w *world) {
			w.change("web[1]").After["image"] = spec.Unknown{Ref: "${golden.id}"}
		}},
		{name: "a disk off its step, another of a type not sold", edit: func(w *world) {
			w.change("web[0]").After["data_disks"] = []any{map[string]any{"size": int64(105), "type": "ssd_disk"}, map[string]any{"size": int64(50), "type": "tape"}}
		}, want: []string{
			"stack.yaml:18:19: resources.web.properties.data_disks[1].type: disk type tape is not sold with Standard in CN_Beijing_A; sold: ssd_disk, big_disk",
			"stack.yaml:18:27: resources.web.properties.data_disks[0].size: 105 GB is not a size of ssd_disk: 10–4000 GB in steps of 10; the nearest are 100 and 110",
		}},
		{name: "bandwidth over the method's largest Qos", edit: func(w *world) {
			w.change("wan").After["billing_method"], w.change("wan").After["qos"] = "Traffic", int64(300)
		}, want: []string{"stack.yaml:6:109: resources.wan.properties.qos: 300 is more than Bandwidth_BGP billed by Traffic allows in CN_Beijing_A (200)"}},
		{name: "a billing method not sold", edit: func(w *world) {
			w.change("wan").After["billing_method"] = "DataPackage"
		}, want: []string{"stack.yaml:6:43: resources.wan.properties.billing_method: Bandwidth_BGP is not sold billed by DataPackage in CN_Beijing_A; billing methods: BandwIdth, Traffic"}},
		{name: "a region not on sale", edit: func(w *world) {
			w.facts.Catalog["CN_Beijing_A"].RegionStatus = "0"
		}, want: []string{
			"stack.yaml:5:32: resources.net.properties.region: region CN_Beijing_A is not on sale (status 0)",
			"stack.yaml:11:7: resources.web.properties.region: region CN_Beijing_A is not on sale (status 0)",
		}},
		{name: "more instances than addresses", edit: func(w *world) {
			w.change("wan").After["ip_count"] = int64(4)
		}, want: []string{"stack.yaml:17:18: resources.web.properties.public_ip: 2 instances need a public address but wan has 1 free (ip_count 4 is a /30 with 1 usable address); raise ip_count to 8"}},
		{name: "instances and a load balancer than addresses", edit: func(w *world) {
			w.change("wan").After["ip_count"] = int64(4)
			w.p.Changes = append(w.p.Changes, &planner.Change{Addr: "front", Kind: "load_balancer", Action: planner.Create,
				After: map[string]any{"vdc": spec.Unknown{Ref: "${net.id}"}, "region": "CN_Beijing_A", "public_network": spec.Unknown{Ref: "${wan.id}"}, "listeners": []any{}}})
		}, want: []string{"stack.yaml:17:18: resources.web.properties.public_ip: 5 public addresses are needed (load balancer front: 3, from one segment of its public network; instances web[0], web[1]: 1 each) but public network wan has 1 free (ip_count 4 is a /30 with 1 usable address); raise ip_count to 8"}},
		{name: "an address a delete frees makes the create wait for it", edit: func(w *world) {
			w.withOld()
			w.p.Changes = append(w.p.Changes, &planner.Change{Addr: "old", Kind: "instance", Action: planner.Delete},
				&planner.Change{Addr: "new", Resource: "old", Kind: "instance", Action: planner.Create,
					After: map[string]any{"vdc": "v1", "region": "CN_Beijing_A", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1), "image": "Centos_7.6_64", "public_ip": "auto", "password": "(sensitive)"}},
				&planner.Change{Addr: "new2", Resource: "old", Kind: "instance", Action: planner.Create,
					After: map[string]any{"vdc": "v1", "region": "CN_Beijing_A", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1), "image": "Centos_7.6_64", "public_ip": "auto", "password": "(sensitive)"}})
		}, waits: map[string][]string{"new": {"old (delete)"}, "new2": {"old (delete)"}}},
		{name: "not even with what deletes free", edit: func(w *world) {
			w.withOld()
			for _, a := range []string{"new", "new2", "new3"} {
				w.p.Changes = append(w.p.Changes, &planner.Change{Addr: a, Resource: "old", Kind: "instance", Action: planner.Create,
					After: map[string]any{"vdc": "v1", "region": "CN_Beijing_A", "instance_type": "Standard", "cpu": int64(1), "ram": int64(1), "image": "Centos_7.6_64", "public_ip": "auto", "password": "(sensitive)"}})
			}
		}, want: []string{"stack.yaml:21:112: resources.old.properties.public_ip: 3 instances need a public address but the public networks of VDC v1 have 1 free"}},
		{name: "a new instance without a password", edit: func(w *world) {
			delete(w.change("web[0]").After, "password")
		}, want: []string{"stack.yaml:11:7: resources.web.properties.password: CreateInstance needs a password (at least 8 characters, letters and digits); use a sensitive variable"}},
		{name: "an account in arrears", edit: func(w *world) {
			w.facts.Account = &cloud.AccountInfo{MasterTotalBalance: 10, CreditLine: 5, ToDeduct: 40}
		}, want: []string{"stack.yaml: account: the account is in arrears (balance 10.00 + credit line 5.00 − to deduct 40.00 = -25.00): the cloud refuses every purchase; recharge it first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			tt.edit(w)
			var got []string
			for _, e := range preflight.Check(w.s, w.p, w.snap, w.live, w.facts) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got)\n%s\ngot:\n%s", diff, strings.Join(got, "\n"))
			}
			waits := map[string][]string{}
			for _, c := range w.p.Changes {
				for _, wt := range c.WaitsFor {
					waits[c.Addr] = append(waits[c.Addr], wt.Step)
				}
			}
			if tt.waits == nil {
				tt.waits = map[string][]string{}
			}
			if diff := cmp.Diff(tt.waits, waits); diff != "" {
				t.Errorf("ordering edges (-want +got)\n%s", diff)
			}
		})
	}
}

func TestLowBalance(t *testing.T) {
	w := newWorld(t)
	w.p.Cost = &planner.CostSummary{Currency: "¥", After: 250}
	if e := preflight.LowBalance(w.s, w.p, w.facts); e == nil || !e.Warning || !strings.Contains(e.Msg, "the account can spend 100.00, less than the stack's estimated first month after this plan (¥250.00)") {
		t.Errorf("LowBalance = %v", e)
	}
	w.p.Cost.After = 50
	if e := preflight.LowBalance(w.s, w.p, w.facts); e != nil {
		t.Errorf("LowBalance with enough = %v", e)
	}
}
