package resources

import (
	"context"
	"errors"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(tagKind{}) }

// tagKind is an account-wide tag that cdstack created because an instance
// of the stack names it in its tags. The planner makes these resources
// itself (address "tag:NAME"); a stack never declares one. A tag that
// existed before is used, never recorded, so it is never deleted.
type tagKind struct{}

// TagAddress is the address of the tag resource called name.
func TagAddress(name string) string { return TagPrefix + name }

// TagPrefix starts the address of every tag resource.
const TagPrefix = "tag:"

// ErrInUse says a delete was refused because something outside the stack
// still uses the resource; it is kept in the state and deleted once unused.
var ErrInUse = errors.New("still in use outside the stack")

func (tagKind) Name() string { return "tag" }

func (tagKind) Fields() []Field { return []Field{{Name: "name"}} }

func (tagKind) Normalize(in Inputs, _ string) Inputs { return copyInputs(in) }

func (tagKind) Observe(l *Live, id string, _ *Recorded) *Observation {
	t, ok := l.Tags[id]
	if !ok {
		return nil
	}
	return &Observation{ID: id, Attrs: Inputs{"name": t.TagName}, Outputs: map[string]any{"id": id}}
}

func (k tagKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

func (tagKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

func (tagKind) Scope(Inputs) string { return "" }

func (tagKind) FindByName(l *Live, in Inputs) string {
	for id, t := range l.Tags {
		if t.TagName == in.String("name") {
			return id
		}
	}
	return ""
}

// Create creates the tag and finds its number with DescribeTags: the
// answer does not say it.
func (tagKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, _ Waiter) (string, error) {
	name := in.String("name")
	if err := c.CreateTag(ctx, cloud.CreateTagRequest{TagName: name}); err != nil {
		return "", err
	}
	id, err := tagID(ctx, c, name)
	if err == nil && id == "" {
		err = fmt.Errorf("tag %q was created but DescribeTags does not list it", name)
	}
	return id, err
}

// tagID returns the id of the tag called name, "" when there is none.
func tagID(ctx context.Context, c *cloud.Client, name string) (string, error) {
	ids, err := tagIDs(ctx, c)
	return ids[name], err
}

// tagIDs maps the account's tag names to their ids.
func tagIDs(ctx context.Context, c *cloud.Client) (map[string]string, error) {
	tags, err := c.DescribeTags(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[t.TagName] = string(t.TagID)
	}
	return out, nil
}

func (tagKind) Update(context.Context, *cloud.Client, string, *Observation, Inputs, []string, map[string]string, Waiter) error {
	return nil // a new name is a new tag
}

// Delete deletes the tag; while an instance outside the stack carries it
// the service refuses, and the tag is kept (ErrInUse).
func (tagKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, _ Waiter) error {
	err := c.DeleteTag(ctx, cloud.DeleteTagRequest{TagID: id})
	if cloud.IsCode(err, cloud.TagInUse) {
		return fmt.Errorf("tag %s: %w", id, ErrInUse)
	}
	return err
}
