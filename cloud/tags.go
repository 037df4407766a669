package cloud

import (
	"context"
	"encoding/json"
	"strings"
)

// Tags are account-wide labels instances carry (云主机概览.md §18–22; not in
// the 2019 reference or the SDK). Every tag action answers at once, with an
// empty TaskId.

// TagInUse is the code DeleteTag answers while an instance carries the tag.
const TagInUse = "20101"

// DescribeTags lists the account's tags; DescribeTags sends TagId as a
// number (DescribeInstances as text).
func (c *Client) DescribeTags(ctx context.Context) ([]Tag, error) {
	var d []Tag
	if _, err := c.Call(ctx, "DescribeTags", nil, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// CreateTagRequest names a new tag.
type CreateTagRequest struct {
	TagName string `json:"TagName"`
}

// CreateTag creates a tag. The answer does not say its id: DescribeTags
// does.
func (c *Client) CreateTag(ctx context.Context, r CreateTagRequest) error {
	_, err := c.Call(ctx, "CreateTag", r, nil)
	return err
}

// DeleteTagRequest names a tag by id.
type DeleteTagRequest struct {
	TagID string `json:"TagId"`
}

// DeleteTag deletes a tag; it fails with TagInUse while an instance has it.
func (c *Client) DeleteTag(ctx context.Context, r DeleteTagRequest) error {
	_, err := c.Call(ctx, "DeleteTag", r, nil)
	return err
}

// InstancesTagsRequest adds tags to instances or removes them; the service
// takes both lists as comma-joined text.
type InstancesTagsRequest struct {
	InstanceIDs []string
	TagIDs      []string
}

// body spells a request as the documents do, with key naming the tag ids.
func (r InstancesTagsRequest) body(key string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"InstanceIds": strings.Join(r.InstanceIDs, ","), key: strings.Join(r.TagIDs, ",")})
	return b
}

// AddInstancesTags puts tags on instances.
func (c *Client) AddInstancesTags(ctx context.Context, r InstancesTagsRequest) (string, error) {
	return c.task(ctx, "AddInstancesTags", r.body("AddTagIds"))
}

// DeleteInstancesTags takes tags off instances.
func (c *Client) DeleteInstancesTags(ctx context.Context, r InstancesTagsRequest) (string, error) {
	return c.task(ctx, "DeleteInstancesTags", r.body("DelTagIds"))
}
