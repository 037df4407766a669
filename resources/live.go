package resources

import (
	"context"
	"fmt"
	"sort"

	"github.com/cdstack/cdstack/cloud"
)

// pageSize is the page size of every listing: the emulator's cap.
const pageSize = 1000

// Live is one batched look at the cloud.
type Live struct {
	VDCs      map[string]*cloud.Vdc
	Publics   map[string]*LivePublic
	Privates  map[string]*LivePrivate
	Instances map[string]*cloud.Instance
	Groups    map[string]*LiveGroup
	Templates map[string]*cloud.Template
	Tags      map[string]*cloud.Tag
	// ListedInstances holds the VDCs whose instances were listed.
	ListedInstances map[string]bool
	ListedGroups    bool
	ListedTemplates bool
	ListedTags      bool
	// Catalogs are the regions' catalogues (DescribeAvailableResource),
	// listed for image data sources.
	Catalogs map[string]*cloud.AvailableResource
}

// LivePublic is a public network and its VDC.
type LivePublic struct {
	cloud.PublicNetwork
	VdcID string
}

// LivePrivate is a private network and its VDC.
type LivePrivate struct {
	cloud.PrivateNetwork
	VdcID string
}

// LiveGroup is a security group with its rules (when they were read).
type LiveGroup struct {
	cloud.SecurityGroup
	Attr *cloud.SecurityGroupAttribute
}

// Scope says what Refresh must list.
type Scope struct {
	// VDCs whose instances are listed.
	VDCs []string
	// Groups whose rules are read (those in the state).
	Groups []string
	// Groups, Templates, Tags: list them at all.
	ListGroups, ListTemplates, ListTags bool
	// Catalogs are the regions whose catalogue is read (image lookups).
	Catalogs []string
}

// NewLive returns an empty view.
func NewLive() *Live {
	return &Live{VDCs: map[string]*cloud.Vdc{}, Publics: map[string]*LivePublic{}, Privates: map[string]*LivePrivate{},
		Instances: map[string]*cloud.Instance{}, Groups: map[string]*LiveGroup{}, Templates: map[string]*cloud.Template{},
		Tags: map[string]*cloud.Tag{}, ListedInstances: map[string]bool{}, Catalogs: map[string]*cloud.AvailableResource{}}
}

// Refresh makes the batched calls for sc.
func Refresh(ctx context.Context, c *cloud.Client, sc Scope) (*Live, error) {
	l := NewLive()
	vdcs, err := c.ListVdcs(ctx, cloud.DescribeVdcRequest{}, pageSize)
	if err != nil {
		return nil, fmt.Errorf("refresh VDCs: %w", err)
	}
	l.addVDCs(vdcs)
	if err := l.extend(ctx, c, sc); err != nil {
		return nil, err
	}
	return l, nil
}

// extend makes the batched calls sc asks for that l has not made yet.
func (l *Live) extend(ctx context.Context, c *cloud.Client, sc Scope) error {
	for _, vdc := range sortedStrings(sc.VDCs) {
		if _, ok := l.VDCs[vdc]; !ok || l.ListedInstances[vdc] {
			continue
		}
		ins, err := c.ListInstances(ctx, cloud.DescribeInstancesRequest{VdcID: vdc}, pageSize)
		if err != nil {
			return fmt.Errorf("refresh instances of VDC %s: %w", vdc, err)
		}
		for i := range ins {
			l.Instances[ins[i].InstanceID] = &ins[i]
		}
		l.ListedInstances[vdc] = true
	}
	if (sc.ListGroups || len(sc.Groups) > 0) && !l.ListedGroups {
		list, err := c.DescribeSecurityGroups(ctx, cloud.DescribeSecurityGroupsRequest{PageSize: pageSize, PageNumber: 1})
		if err != nil {
			return fmt.Errorf("refresh security groups: %w", err)
		}
		for _, g := range list.SecurityGroup {
			l.Groups[g.SecurityGroupID] = &LiveGroup{SecurityGroup: g}
		}
		l.ListedGroups = true
	}
	for _, id := range sortedStrings(sc.Groups) {
		g, ok := l.Groups[id]
		if !ok || g.Attr != nil {
			continue
		}
		attr, err := c.DescribeSecurityGroupAttribute(ctx, cloud.DescribeSecurityGroupAttributeRequest{SecurityGroupID: id})
		if err != nil {
			return fmt.Errorf("refresh rules of security group %s: %w", id, err)
		}
		g.Attr = attr
	}
	if sc.ListTags && !l.ListedTags {
		if err := l.addTags(ctx, c); err != nil {
			return err
		}
	}
	if sc.ListTemplates && !l.ListedTemplates {
		for page := 1; ; page++ {
			tl, err := c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: page, PageSize: pageSize})
			if err != nil {
				return fmt.Errorf("refresh templates: %w", err)
			}
			for i := range tl.TemplateList {
				t := &tl.TemplateList[i]
				l.Templates[t.TemplateID] = t
			}
			if int(tl.TotalPage) <= page {
				break
			}
		}
		l.ListedTemplates = true
	}
	for _, region := range sortedStrings(sc.Catalogs) {
		if _, ok := l.Catalogs[region]; ok || region == "" {
			continue
		}
		cat, err := c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: region})
		if err != nil {
			return fmt.Errorf("refresh the catalogue of %s: %w", region, err)
		}
		l.Catalogs[region] = cat
	}
	return nil
}

// addTags lists the account's tags.
func (l *Live) addTags(ctx context.Context, c *cloud.Client) error {
	tags, err := c.DescribeTags(ctx)
	if err != nil {
		return fmt.Errorf("refresh tags: %w", err)
	}
	for i := range tags {
		l.Tags[string(tags[i].TagID)] = &tags[i]
	}
	l.ListedTags = true
	return nil
}

// addVDCs indexes VDCs and their networks.
func (l *Live) addVDCs(vdcs []cloud.Vdc) {
	for i := range vdcs {
		v := &vdcs[i]
		l.VDCs[v.VdcID] = v
		for _, p := range v.PublicNetwork {
			l.Publics[p.PublicID] = &LivePublic{PublicNetwork: p, VdcID: v.VdcID}
		}
		for _, p := range v.PrivateNetwork {
			l.Privates[p.PrivateID] = &LivePrivate{PrivateNetwork: p, VdcID: v.VdcID}
		}
	}
}

// InVDC returns the ids of every live resource of kind inside vdc, sorted.
func (l *Live) InVDC(kind, vdc string) []string {
	var out []string
	switch kind {
	case "public_network":
		for id, p := range l.Publics {
			if p.VdcID == vdc {
				out = append(out, id)
			}
		}
	case "private_network":
		for id, p := range l.Privates {
			if p.VdcID == vdc {
				out = append(out, id)
			}
		}
	case "instance":
		for id, in := range l.Instances {
			if in.VdcID == vdc {
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// ReadBack reads one resource of kind after a change: one narrow call
// (DescribeInstances by id, shared with concurrent readbacks; DescribeVdc,
// DescribeSecurityGroupAttribute, DescribeTemplateInfo by name) instead of a
// full refresh.
func ReadBack(ctx context.Context, c *cloud.Client, kind Kind, id string, recorded *Recorded) (*Observation, error) {
	l := NewLive()
	switch kind.Name() {
	case "instance":
		in, err := c.Instance(ctx, id)
		if err != nil {
			return nil, err
		}
		if in != nil {
			l.Instances[id] = in
		}
	case "vdc", "public_network", "private_network":
		vdc := id
		if kind.Name() != "vdc" && recorded != nil {
			vdc = recorded.Inputs.String("vdc")
		}
		var vdcs []cloud.Vdc
		var err error
		if vdc == "" {
			vdcs, err = c.ListVdcs(ctx, cloud.DescribeVdcRequest{}, pageSize)
		} else {
			vdcs, err = c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: vdc})
		}
		if err != nil && !cloud.VdcGone(err) {
			return nil, err
		}
		l.addVDCs(vdcs)
	case "security_group":
		list, err := c.DescribeSecurityGroups(ctx, cloud.DescribeSecurityGroupsRequest{SecurityGroupID: id})
		if err != nil {
			return nil, err
		}
		for _, g := range list.SecurityGroup {
			lg := &LiveGroup{SecurityGroup: g}
			if lg.Attr, err = c.DescribeSecurityGroupAttribute(ctx, cloud.DescribeSecurityGroupAttributeRequest{SecurityGroupID: id}); err != nil {
				return nil, err
			}
			l.Groups[g.SecurityGroupID] = lg
		}
	case "tag":
		if err := l.addTags(ctx, c); err != nil {
			return nil, err
		}
	case "template":
		name := ""
		if recorded != nil {
			name = recorded.Inputs.String("name")
			if src := recorded.Inputs.String("instance"); src != "" && recorded.Outputs["source_region"] == nil {
				if in, err := c.Instance(ctx, src); err == nil && in != nil {
					recorded.Outputs = map[string]any{"source_region": in.RegionID}
				}
			}
		}
		tl, err := c.DescribeTemplateInfo(ctx, cloud.DescribeTemplateInfoRequest{PageNumber: 1, PageSize: pageSize, Keyword: name})
		if err != nil {
			return nil, err
		}
		for i := range tl.TemplateList {
			l.Templates[tl.TemplateList[i].TemplateID] = &tl.TemplateList[i]
		}
	}
	return kind.Observe(l, id, recorded), nil
}
