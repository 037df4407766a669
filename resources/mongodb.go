package resources

import (
	"context"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(mongoKind{}) }

// mongoKind is a MongoDB replica set, through the newer /mongodb/v1/
// service: its listing shows memory but neither CPU nor disk, which are
// kept from the state.
type mongoKind struct{}

func (mongoKind) Name() string { return "mongodb" }

func (mongoKind) Fields() []Field {
	return []Field{
		{Name: "vdc"}, {Name: "network", Unobservable: true}, {Name: "name"}, {Name: "region"}, {Name: "version"},
		{Name: "cpu", Update: "ModifyDBInstanceSpec", Unobservable: true}, {Name: "ram", Update: "ModifyDBInstanceSpec"},
		{Name: "disk_type", Unobservable: true}, {Name: "disk_size", Update: "ModifyDBInstanceSpec", Unobservable: true},
		{Name: "password", Sensitive: true, Unobservable: true},
	}
}

func (mongoKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	if !out.Has("region") {
		out["region"] = region
	}
	return out
}

func (k mongoKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	d, ok := l.Databases[id]
	if !ok || d.Product != "mongodb" {
		return nil
	}
	attrs := Inputs{"vdc": d.VdcID, "name": d.InstanceName, "region": d.RegionID, "version": string(d.Version), "ram": int64(d.RAMGB())}
	if d.CPU > 0 {
		attrs["cpu"] = int64(d.CPU)
	}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: dbBusy(d.Status), Attrs: attrs, Raw: d, Outputs: dbOutputs(id, d.IP, int(d.Port), d.Status)}
}

func (mongoKind) Differs(field string, desired, actual Inputs) bool {
	switch field {
	case "version":
		return dbVersionDiffers(desired, actual)
	case "password":
		return false // compared as a hash by the planner
	}
	return defaultDiffers(field, desired, actual)
}

func (k mongoKind) Replaces(field string, desired, actual Inputs) bool {
	if field == "disk_size" {
		return desired.Int(field) < actual.Int(field)
	}
	return defaultReplaces(k, field)
}

// ReplaceReason says why a change replaces the database.
func (mongoKind) ReplaceReason(field string, desired, actual Inputs) string {
	switch field {
	case "name":
		return fmt.Sprintf("name: MongoDB has no rename action (%s → %s)", actual.String("name"), desired.String("name"))
	case "password":
		return "password: the MongoDB API has no action that changes a password"
	case "disk_size":
		return fmt.Sprintf("disk_size: a MongoDB disk only grows (%d GB → %d GB)", actual.Int(field), desired.Int(field))
	}
	return ""
}

func (mongoKind) Scope(in Inputs) string { return in.String("vdc") }

func (mongoKind) FindByName(l *Live, in Inputs) string { return findDatabase(l, "mongodb", in) }

// mongoGoods resolves cpu and ram of version to a PaasGoodsId.
func mongoGoods(ctx context.Context, c *cloud.Client, in Inputs) (int, error) {
	cfg, err := c.MongoDB().DescribeSpecInfo(ctx, in.String("region"))
	if err != nil {
		return 0, err
	}
	for _, p := range cfg.Products {
		if cloud.VersionMatches(string(p.Version), in.String("version")) {
			var sizes []cloud.DBSize
			for _, a := range p.Architectures {
				sizes = append(sizes, a.Sizes()...)
			}
			return pickSize("mongodb", sizes, in.Int("cpu"), in.Int("ram"))
		}
	}
	return 0, fmt.Errorf("mongodb: version %s is not on sale in %s", in.String("version"), in.String("region"))
}

func (mongoKind) Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, wait Waiter) (string, error) {
	goods, err := mongoGoods(ctx, c, in)
	if err != nil {
		return "", err
	}
	task, ids, err := c.MongoDB().CreateDBInstance(ctx, cloud.CreateMongoDBRequest{RegionID: in.String("region"), VdcID: in.String("vdc"),
		BasePipeID: in.String("network"), InstanceName: in.String("name"), PaasGoodsID: goods, DiskType: in.String("disk_type"),
		DiskValue: in.Int("disk_size"), Password: secrets["password"]})
	if err != nil {
		return "", err
	}
	return createdID(ctx, wait, task, ids)
}

// Update resizes in one ModifyDBInstanceSpec: the size's PaasGoodsId and
// the new disk size (MongoDB's DiskValue is the size, not an increment).
func (mongoKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, _ []string, _ map[string]string, wait Waiter) error {
	req := cloud.ModifyMongoDBSpecRequest{InstanceUUID: id}
	if to.Int("cpu") != live.Attrs.Int("cpu") || to.Int("ram") != live.Attrs.Int("ram") {
		goods, err := mongoGoods(ctx, c, to)
		if err != nil {
			return err
		}
		req.PaasGoodsID = goods
	}
	if to.Int("disk_size") > live.Attrs.Int("disk_size") {
		req.DiskValue = to.Int("disk_size")
	}
	if req.PaasGoodsID == 0 && req.DiskValue == 0 {
		return nil
	}
	return stepper(ctx, wait)(c.MongoDB().ModifyDBInstanceSpec(ctx, req))
}

func (mongoKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.MongoDB().DeleteDBInstance(ctx, id))
}
