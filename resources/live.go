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
	// Databases are the MySQL, Redis and MongoDB databases of the listed
	// products; Replicas the MySQL read-only replicas their sources list.
	Databases map[string]*LiveDatabase
	Replicas  map[string]*LiveReplica
	// ListedProducts holds the database products that were listed.
	ListedProducts map[string]bool
	// ListedInstances holds the VDCs whose instances were listed.
	ListedInstances map[string]bool
	ListedGroups    bool
	ListedTemplates bool
	ListedTags      bool
	// Load balancers and certificates (load_balancer.go, certificate.go).
	LBs         map[string]*LiveLB
	Certs       map[string]*cloud.Certificate
	ListedLBs   bool
	ListedCerts bool
	// Catalogs are the regions' catalogues (DescribeAvailableResource),
	// listed for image data sources.
	Catalogs map[string]*cloud.AvailableResource
	// Hosts are the dedicated hosts (dedicated_host.go).
	Hosts       map[string]*cloud.DedicatedHost
	ListedHosts bool
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

// LiveGroup is a security group with its rules and members (when they
// were read: groups in the state).
type LiveGroup struct {
	cloud.NSG
	Attr    *cloud.NSGAttribute
	Members *cloud.NSGMembers
}

// Scope says what Refresh must list.
type Scope struct {
	// VDCs whose instances are listed.
	VDCs []string
	// Groups whose rules are read (those in the state).
	Groups []string
	// Groups, Templates, Tags: list them at all.
	ListGroups, ListTemplates, ListTags bool
	// LBs whose listeners and configuration are read (those in the state);
	// ListLBs and ListCerts: list them at all.
	LBs                []string
	ListLBs, ListCerts bool
	// Regions are the regions the stack and its records use: VDCs are
	// listed at each entry point they need.
	Regions []string
	// Products are the database products to list (mysql, redis, mongodb):
	// one DescribeDBInstances each.
	Products []string
	// DBAccounts and DBParameters are the MySQL databases whose accounts
	// and parameters the state manages: one DescribeDBAccount or
	// DescribeDBParameter each.
	DBAccounts, DBParameters []string
	// Catalogs are the regions whose catalogue is read (image lookups).
	Catalogs []string
	// ListHosts lists the dedicated hosts (one paged
	// DescribeDedicatedHosts per entry point of Regions).
	ListHosts bool
}

// NewLive returns an empty view.
func NewLive() *Live {
	return &Live{VDCs: map[string]*cloud.Vdc{}, Publics: map[string]*LivePublic{}, Privates: map[string]*LivePrivate{},
		Instances: map[string]*cloud.Instance{}, Groups: map[string]*LiveGroup{}, Templates: map[string]*cloud.Template{},
		Tags: map[string]*cloud.Tag{}, ListedInstances: map[string]bool{},
		LBs: map[string]*LiveLB{}, Certs: map[string]*cloud.Certificate{},
		Databases: map[string]*LiveDatabase{}, Replicas: map[string]*LiveReplica{}, ListedProducts: map[string]bool{},
		Catalogs: map[string]*cloud.AvailableResource{}, Hosts: map[string]*cloud.DedicatedHost{}}
}

// Refresh makes the batched calls for sc.
func Refresh(ctx context.Context, c *cloud.Client, sc Scope) (*Live, error) {
	l := NewLive()
	// The VDCs are listed once per entry point the stack's regions use.
	regions := c.EndpointRegions(sc.Regions)
	if len(regions) == 0 {
		regions = []string{""}
	}
	for _, region := range regions {
		vdcs, err := c.ListVdcs(cloud.WithRegion(ctx, region), cloud.DescribeVdcRequest{}, pageSize)
		if err != nil {
			return nil, fmt.Errorf("refresh VDCs: %w", err)
		}
		l.addVDCs(vdcs)
	}
	if err := l.extend(ctx, c, sc); err != nil {
		return nil, err
	}
	return l, nil
}

// extend makes the batched calls sc asks for that l has not made yet.
func (l *Live) extend(ctx context.Context, c *cloud.Client, sc Scope) error {
	for _, vdc := range sortedStrings(sc.VDCs) {
		v, ok := l.VDCs[vdc]
		if !ok || l.ListedInstances[vdc] {
			continue
		}
		ins, err := c.ListInstances(cloud.WithRegion(ctx, v.RegionID), cloud.DescribeInstancesRequest{VdcID: vdc}, pageSize)
		if err != nil {
			return fmt.Errorf("refresh instances of VDC %s: %w", vdc, err)
		}
		for i := range ins {
			l.Instances[ins[i].InstanceID] = &ins[i]
		}
		l.ListedInstances[vdc] = true
	}
	if (sc.ListGroups || len(sc.Groups) > 0) && !l.ListedGroups {
		list, err := c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{})
		if err != nil {
			return fmt.Errorf("refresh security groups: %w", err)
		}
		for _, g := range list.SecurityGroups {
			l.Groups[g.SecurityGroupID] = &LiveGroup{NSG: g}
		}
		l.ListedGroups = true
	}
	for _, id := range sortedStrings(sc.Groups) {
		g, ok := l.Groups[id]
		if !ok || g.Attr != nil {
			continue
		}
		if err := readGroup(ctx, c, g); err != nil {
			return err
		}
	}
	if sc.ListTags && !l.ListedTags {
		if err := l.addTags(ctx, c); err != nil {
			return err
		}
	}
	if err := l.addDatabases(ctx, c, sc); err != nil {
		return err
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
	if err := l.addLBs(ctx, c, sc); err != nil {
		return err
	}
	if sc.ListHosts && !l.ListedHosts {
		if err := l.addHosts(ctx, c, sc.Regions); err != nil {
			return err
		}
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

// readGroup reads a group's rules and members: one DescribeNSGAttribute
// and one DescribeNSGMembers (the API has no batched form).
func readGroup(ctx context.Context, c *cloud.Client, g *LiveGroup) error {
	id := g.SecurityGroupID
	attr, err := c.DescribeNSGAttribute(ctx, cloud.NSGRequest{SecurityGroupID: id})
	if err != nil {
		return fmt.Errorf("refresh rules of security group %s: %w", id, err)
	}
	members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: id})
	if err != nil {
		return fmt.Errorf("refresh members of security group %s: %w", id, err)
	}
	g.Attr, g.Members = attr, members
	return nil
}

// addMembers reads the members of groups (instance's, after a change to
// it), so its membership is observed; a group gone is left out. What the
// create's check of its bindings just read answers without a request.
func (l *Live) addMembers(ctx context.Context, c *cloud.Client, instance string, groups []string) error {
	for _, g := range sortedStrings(groups) {
		if m, ok := c.Primed(primedMembers(g, instance)); ok {
			l.Groups[g] = &LiveGroup{NSG: cloud.NSG{SecurityGroupID: g}, Members: m.(*cloud.NSGMembers)}
			continue
		}
		members, err := c.DescribeNSGMembers(ctx, cloud.NSGRequest{SecurityGroupID: g}) // shared: one request for a wave's read-backs
		if cloud.IsCode(err, "InvalidSecurityGroupId.NotFound") {
			continue
		}
		if err != nil {
			return fmt.Errorf("read members of security group %s: %w", g, err)
		}
		l.Groups[g] = &LiveGroup{NSG: cloud.NSG{SecurityGroupID: g}, Members: members}
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
// (the VDC's DescribeInstances listing, shared with concurrent readbacks
// in that VDC; DescribeVdc,
// DescribeSecurityGroupAttribute, DescribeTemplateInfo by name) instead of a
// full refresh.
func ReadBack(ctx context.Context, c *cloud.Client, kind Kind, id string, recorded *Recorded) (*Observation, error) {
	l := NewLive()
	switch kind.Name() {
	case "instance":
		vdc := ""
		if recorded != nil {
			vdc = recorded.Inputs.String("vdc")
		}
		in, err := c.InstanceIn(ctx, vdc, id)
		if err != nil {
			return nil, err
		}
		if in != nil {
			l.Instances[id] = in
			if recorded != nil {
				if err := l.addMembers(ctx, c, id, recorded.Inputs.Strings("security_groups")); err != nil {
					return nil, err
				}
			}
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
		if g, ok := c.Primed(primedGroup(id)); ok {
			l.Groups[id] = g.(*LiveGroup) // the create's last read
			break
		}
		// DescribeNSGs filters by name only: the listing, then the group.
		list, err := c.DescribeNSGs(ctx, cloud.DescribeNSGsRequest{})
		if err != nil {
			return nil, err
		}
		for _, g := range list.SecurityGroups {
			if g.SecurityGroupID == id {
				lg := &LiveGroup{NSG: g}
				if err := readGroup(ctx, c, lg); err != nil {
					return nil, err
				}
				l.Groups[id] = lg
			}
		}
	case "tag":
		if err := l.addTags(ctx, c); err != nil {
			return nil, err
		}
	case "load_balancer", "certificate":
		if err := l.readBackLB(ctx, c, kind.Name(), id, recorded); err != nil {
			return nil, err
		}
	case "mysql", "mysql_readonly", "redis", "mongodb":
		if err := l.readBackDatabase(ctx, c, kind.Name(), id, recorded); err != nil {
			return nil, err
		}
	case "dedicated_host":
		h, err := c.DedicatedHostByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if h != nil {
			l.Hosts[id] = h
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
