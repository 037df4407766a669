package resources

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

// A Filter is a data source's filter with its references resolved: every
// field that is set must hold for the one resource it finds.
type Filter struct {
	ID, Name, NamePrefix, VDC, Region string
	Tags                              []string
}

// A Candidate is a resource a data source could match: what the filter
// looks at, and the attributes ${data.NAME.attr} reads.
type Candidate struct {
	ID, Name, VDC, Region string
	Regions               []string // where a template or image is (any of them matches region)
	Tags                  []string
	Attrs                 map[string]any
}

// A DataKind answers lookups of one kind from a Live view, so a data source
// costs no call the refresh does not make already: Need says what must be
// listed (usually nothing more), List reads the candidates out of it.
type DataKind struct {
	// Need is what must be listed to answer f (l holds the VDCs already).
	Need func(l *Live, f Filter) Scope
	// List returns every resource of the kind in l.
	List func(l *Live, f Filter) []Candidate
}

// DataKinds are the kinds a data source reads, by name: every managed kind
// plus image. A new kind plugs in with one entry here,
// managedData(kind, what its lookups need listed, its ids in a Live view),
// and its filters in spec.DataFilters.
var DataKinds = map[string]DataKind{
	"vdc":             managedData("vdc", nothingMore, func(l *Live) []string { return keysOf(l.VDCs) }),
	"public_network":  managedData("public_network", nothingMore, func(l *Live) []string { return keysOf(l.Publics) }),
	"private_network": managedData("private_network", nothingMore, func(l *Live) []string { return keysOf(l.Privates) }),
	"security_group":  managedData("security_group", func(*Live, Filter) Scope { return Scope{ListGroups: true} }, func(l *Live) []string { return keysOf(l.Groups) }),
	"template":        managedData("template", func(*Live, Filter) Scope { return Scope{ListTemplates: true} }, func(l *Live) []string { return keysOf(l.Templates) }),
	"instance":        managedData("instance", instancesNeeded, func(l *Live) []string { return keysOf(l.Instances) }),
	"image":           {Need: imagesNeeded, List: images},
	"load_balancer":   managedData("load_balancer", func(*Live, Filter) Scope { return Scope{ListLBs: true} }, func(l *Live) []string { return keysOf(l.LBs) }),
	"certificate":     managedData("certificate", func(*Live, Filter) Scope { return Scope{ListCerts: true} }, func(l *Live) []string { return keysOf(l.Certs) }),
	"mysql":           managedData("mysql", productNeeded("mysql"), databasesOf("mysql")),
	"mysql_readonly":  managedData("mysql_readonly", productNeeded("mysql"), func(l *Live) []string { return keysOf(l.Replicas) }),
	"redis":           managedData("redis", productNeeded("redis"), databasesOf("redis")),
	"mongodb":         managedData("mongodb", productNeeded("mongodb"), databasesOf("mongodb")),
	"dedicated_host":  managedData("dedicated_host", hostsNeeded, func(l *Live) []string { return keysOf(l.Hosts) }),
}

// productNeeded lists a database product: one DescribeDBInstances, shared
// with the refresh when the stack has databases of it.
func productNeeded(product string) func(*Live, Filter) Scope {
	return func(*Live, Filter) Scope { return Scope{Products: []string{product}} }
}

// databasesOf returns the ids of a product's databases in a Live view.
func databasesOf(product string) func(l *Live) []string {
	return func(l *Live) []string {
		var out []string
		for _, id := range keysOf(l.Databases) {
			if l.Databases[id].Product == product {
				out = append(out, id)
			}
		}
		return out
	}
}

// keysOf returns a Live map's ids, sorted.
func keysOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func nothingMore(*Live, Filter) Scope { return Scope{} }

// instancesNeeded lists the instances of the filter's VDC, or of every VDC
// without one: the listing is per VDC, and a VDC the refresh lists for the
// stack is not listed twice.
func instancesNeeded(l *Live, f Filter) Scope {
	if f.VDC != "" {
		return Scope{VDCs: []string{f.VDC}}
	}
	var all []string
	for id := range l.VDCs {
		all = append(all, id)
	}
	return Scope{VDCs: all} // an instance's tags come with it
}

// managedData reads a managed kind's candidates through its Observe, so a
// data source exports exactly what the resource would.
func managedData(kind string, need func(*Live, Filter) Scope, ids func(*Live) []string) DataKind {
	return DataKind{Need: need, List: func(l *Live, _ Filter) []Candidate {
		k := Registry[kind]
		var out []Candidate
		for _, id := range ids(l) {
			obs := k.Observe(l, id, nil)
			if obs == nil {
				continue
			}
			attrs := map[string]any{}
			for a, v := range obs.Attrs {
				if f, ok := FieldOf(k, a); !ok || !f.Sensitive {
					attrs[a] = v
				}
			}
			for a, v := range obs.Outputs {
				attrs[a] = v
			}
			attrs["id"] = id
			c := Candidate{ID: id, Name: obs.Attrs.String("name"), VDC: obs.Attrs.String("vdc"), Region: obs.Attrs.String("region"), Tags: obs.Attrs.Strings("tags"), Attrs: attrs}
			if kind == "vdc" {
				c.VDC = id
			}
			if t := l.Templates[id]; kind == "template" && t != nil {
				for _, r := range t.Region {
					c.Regions = append(c.Regions, r.RegionID)
				}
			}
			out = append(out, c)
		}
		return out
	}}
}

// imagesNeeded: the region's catalogue (public and private images) and the
// account's templates.
func imagesNeeded(_ *Live, f Filter) Scope {
	return Scope{Catalogs: []string{f.Region}, ListTemplates: true}
}

// images are the catalogue's images of the filter's region and the
// account's templates (private images), each id once.
func images(l *Live, f Filter) []Candidate {
	seen := map[string]bool{}
	var out []Candidate
	add := func(c Candidate) {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	if cat := l.Catalogs[f.Region]; cat != nil {
		for _, g := range cat.InstanceGoods {
			for _, set := range []struct {
				typ  string
				list []cloud.Image
			}{{"public", g.ImageGoods.PublicImage}, {"private", g.ImageGoods.PrivateImages}} {
				for _, img := range set.list {
					add(Candidate{ID: img.ImageID, Name: img.GicDisplayName, Region: f.Region, Regions: []string{f.Region},
						Attrs: map[string]any{"id": img.ImageID, "name": img.GicDisplayName, "type": set.typ, "os_type": img.ImageType, "region": f.Region}})
				}
			}
		}
	}
	for _, id := range keysOf(l.Templates) {
		t := l.Templates[id]
		c := Candidate{ID: id, Name: t.Name, Region: f.Region, Attrs: map[string]any{"id": id, "name": t.Name, "type": "private", "os_type": t.OSType, "region": f.Region}}
		for _, r := range t.Region {
			c.Regions = append(c.Regions, r.RegionID)
		}
		add(c)
	}
	return out
}

// Matches reports whether c holds every filter that is set.
func (f Filter) Matches(c Candidate) bool {
	switch {
	case f.ID != "" && c.ID != f.ID,
		f.Name != "" && c.Name != f.Name,
		f.NamePrefix != "" && !strings.HasPrefix(c.Name, f.NamePrefix),
		f.VDC != "" && c.VDC != f.VDC:
		return false
	case f.Region != "" && c.Region != f.Region && !slices.Contains(c.Regions, f.Region):
		return false
	}
	for _, t := range f.Tags {
		if !slices.Contains(c.Tags, t) {
			return false
		}
	}
	return true
}

// Lookup returns the candidates of kind in l that match f, and all the
// candidates of the kind (for the nearest names when none matches), both
// sorted by name, then id.
func Lookup(l *Live, kind string, f Filter) (matches, all []Candidate, err error) {
	dk, ok := DataKinds[kind]
	if !ok {
		return nil, nil, fmt.Errorf("data source: kind %q cannot be read", kind)
	}
	all = dk.List(l, f)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Name != all[j].Name {
			return all[i].Name < all[j].Name
		}
		return all[i].ID < all[j].ID
	})
	for _, c := range all {
		if f.Matches(c) {
			matches = append(matches, c)
		}
	}
	return matches, all, nil
}

// Extend lists what sc asks for that l has not listed yet, with the same
// batched calls as Refresh: a VDC whose instances are listed already, or a
// listing made already, costs nothing.
func Extend(ctx context.Context, c *cloud.Client, l *Live, sc Scope) error {
	return l.extend(ctx, c, sc)
}
