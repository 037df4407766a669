package resources

import (
	"context"
	"slices"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(vdcKind{}) }

type vdcKind struct{}

func (vdcKind) Name() string { return "vdc" }

func (vdcKind) Fields() []Field {
	return []Field{{Name: "name", Update: "ModifyVdcName"}, {Name: "region"}}
}

func (vdcKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	if !out.Has("region") {
		out["region"] = region
	}
	return out
}

func (k vdcKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	v, ok := l.VDCs[id]
	if !ok {
		return nil
	}
	attrs := Inputs{"name": v.VdcName, "region": v.RegionID}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: v.VdcStatus != "" && v.VdcStatus != "ok",
		Attrs:   attrs,
		Outputs: map[string]any{"id": id, "status": v.VdcStatus}}
}

func (k vdcKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (vdcKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

func (vdcKind) Scope(in Inputs) string { return in.String("region") }

func (vdcKind) FindByName(l *Live, in Inputs) string {
	for id, v := range l.VDCs {
		if v.VdcName == in.String("name") && v.RegionID == in.String("region") {
			return id
		}
	}
	return ""
}

func (vdcKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	task, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: in.String("region"), VdcName: in.String("name")})
	if err != nil {
		return "", err
	}
	return waitID(ctx, wait, task, "")
}

func (vdcKind) Update(ctx context.Context, c *cloud.Client, id string, _ *Observation, to Inputs, fields []string, _ map[string]string, wait Waiter) error {
	if !slices.Contains(fields, "name") {
		return nil // the region replaces
	}
	return stepper(ctx, wait)(c.ModifyVdcName(ctx, cloud.ModifyVdcNameRequest{VdcID: id, VdcName: to.String("name")}))
}

func (vdcKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	task, err := c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: id})
	return waitAll(ctx, wait, task, err)
}

func copyInputs(in Inputs) Inputs {
	out := Inputs{}
	for k, v := range in {
		out[k] = Canon(v)
	}
	return out
}
