package resources

import (
	"context"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(templateKind{}) }

type templateKind struct{}

func (templateKind) Name() string { return "template" }

func (templateKind) Fields() []Field {
	return []Field{{Name: "instance", Unobservable: true}, {Name: "name"},
		{Name: "power_on", Update: RecordOnly, Unobservable: true}, {Name: "sync_regions", Update: "SyncTemplate/DeleteTemplate"}}
}

func (templateKind) Normalize(in Inputs, _ string) Inputs {
	out := copyInputs(in)
	if !out.Has("power_on") {
		out["power_on"] = true
	}
	out["sync_regions"] = toAny(sortedStrings(out.Strings("sync_regions")))
	return out
}

// Observe reports every region but the one the template was made in (kept
// in the record's source_region output) as sync_regions.
func (k templateKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	t, ok := l.Templates[id]
	if !ok {
		return nil
	}
	source := ""
	if recorded != nil {
		source, _ = recorded.Outputs["source_region"].(string)
	}
	var regions []string
	busy := false
	for _, r := range t.Region {
		if r.Status != "normal" {
			busy = true
		}
		if r.RegionID != source {
			regions = append(regions, r.RegionID)
		}
	}
	attrs := Inputs{"name": t.Name, "sync_regions": toAny(sortedStrings(regions))}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: busy, Attrs: attrs, Outputs: map[string]any{"id": id, "status": t.Status, "source_region": source}}
}

func (templateKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

func (k templateKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (templateKind) Scope(Inputs) string { return "" }

func (templateKind) FindByName(l *Live, in Inputs) string {
	for id, t := range l.Templates {
		if t.Name == in.String("name") {
			return id
		}
	}
	return ""
}

func (templateKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	src, err := c.Instance(ctx, in.String("instance"))
	if err != nil {
		return "", fmt.Errorf("template source instance %s: %w", in.String("instance"), err)
	}
	if src == nil {
		return "", fmt.Errorf("template source instance %s does not exist", in.String("instance"))
	}
	task, err := c.CreateTemplate(ctx, cloud.CreateTemplateRequest{InstanceID: in.String("instance"), DisplayName: in.String("name"), PowerOn: in.Bool("power_on", true)})
	if err != nil {
		return "", err
	}
	id, err := waitID(ctx, wait, task, "")
	if err != nil {
		return "", err
	}
	step := stepper(ctx, wait)
	for _, r := range in.Strings("sync_regions") {
		if r == src.RegionID {
			continue
		}
		if err := step(c.SyncTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: id, RegionID: r})); err != nil {
			return id, err
		}
	}
	return id, nil
}

func (templateKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, _ map[string]string, wait Waiter) error {
	step := stepper(ctx, wait)
	have, want := map[string]bool{}, map[string]bool{}
	for _, r := range live.Attrs.Strings("sync_regions") {
		have[r] = true
	}
	for _, r := range to.Strings("sync_regions") {
		want[r] = true
	}
	for _, r := range sortedKeys(want) {
		if !have[r] {
			if err := step(c.SyncTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: id, RegionID: r})); err != nil {
				return err
			}
		}
	}
	for _, r := range sortedKeys(have) {
		if !want[r] {
			if err := step(c.DeleteTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: id, RegionID: r})); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete removes every copy of the template, the source region last.
func (templateKind) Delete(ctx context.Context, c *cloud.Client, id string, in Inputs, wait Waiter) error {
	tl, err := c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: 1, PageSize: pageSize, Keyword: in.String("name")})
	if err != nil {
		return err
	}
	step := stepper(ctx, wait)
	for _, t := range tl.TemplateList {
		if t.TemplateID != id {
			continue
		}
		for i := len(t.Region) - 1; i >= 0; i-- {
			if err := step(c.DeleteTemplate(ctx, cloud.TemplateRegionRequest{TemplateID: id, RegionID: t.Region[i].RegionID})); err != nil {
				return err
			}
		}
	}
	return nil
}
