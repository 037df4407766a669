package preflight

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
)

// A DBKey names a database product's catalogue in a region.
type DBKey struct{ Product, Region string }

// dbCatalogue is the product whose catalogue a kind is checked against.
func dbCatalogue(kind string) string {
	switch kind {
	case "mysql", "redis", "mongodb":
		return kind
	}
	return ""
}

// gatherDatabases reads each product's catalogue of each region once.
func gatherDatabases(ctx context.Context, c *cloud.Client, f *Facts, keys map[DBKey]bool) error {
	list := make([]DBKey, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Product+list[i].Region < list[j].Product+list[j].Region })
	for _, k := range list {
		var cfg *cloud.DBConfig
		var err error
		switch k.Product {
		case "mysql":
			cfg, err = c.MySQL().DescribeAvailableDBConfig(ctx, k.Region)
		case "redis":
			cfg, err = c.Redis().DescribeAvailableDBConfig(ctx, k.Region)
		case "mongodb":
			cfg, err = c.MongoDB().DescribeSpecInfo(ctx, k.Region)
		}
		f.Calls++
		if err != nil {
			return err
		}
		f.Databases[k] = cfg
	}
	return nil
}

// architectures are the catalogue's ArchitectureType of each product's
// architecture names; MongoDB has one, unnamed.
var architectures = map[string]map[string]int{
	"mysql": {"basic": 0, "ha": 1},
	"redis": {"ha": 1, "cluster": 2, "economy": 3},
}

// database checks a database against its product's catalogue: version,
// architecture, size, disk type, range and step; a read-only replica's
// source is an ha MySQL database of the stack.
func (c *checker) database(ch *planner.Change, region string) {
	if ch.Kind == "mysql_readonly" {
		c.replicaSource(ch)
		return
	}
	product := dbCatalogue(ch.Kind)
	cfg := c.f.Databases[DBKey{product, region}]
	if product == "" || cfg == nil {
		return
	}
	in := resources.Inputs(ch.Values())
	changed := changedFields(ch)
	if !spec.Known(in["version"]) {
		return
	}
	version := in.String("version")
	var prod *cloud.DBProduct
	var versions []string
	for i := range cfg.Products {
		versions = append(versions, string(cfg.Products[i].Version))
		if cloud.VersionMatches(string(cfg.Products[i].Version), version) {
			prod = &cfg.Products[i]
		}
	}
	if prod == nil {
		c.problem(ch, "%s %s is not on sale in %s; on sale there: %s", []string{"version"}, product, version, region, strings.Join(versions, ", "))
		return
	}
	var arch *cloud.DBArchitecture
	if names := architectures[product]; names != nil {
		if !spec.Known(in["architecture"]) {
			return
		}
		want, ok := names[in.String("architecture")]
		var sold []string
		for i := range prod.Architectures {
			for n, t := range names {
				if int(prod.Architectures[i].ArchitectureType) == t {
					sold = append(sold, n)
				}
			}
			if ok && int(prod.Architectures[i].ArchitectureType) == want {
				arch = &prod.Architectures[i]
			}
		}
		if arch == nil {
			sort.Strings(sold)
			c.problem(ch, "%s %s has no %s architecture in %s; on sale: %s", []string{"architecture"}, product, version, in.String("architecture"), region, strings.Join(sold, ", "))
			return
		}
	} else {
		all := cloud.DBArchitecture{}
		for _, a := range prod.Architectures {
			all.ComputeRoles = append(all.ComputeRoles, a.ComputeRoles...)
		}
		arch = &all
	}
	if product == "mysql" && in.String("architecture") == "basic" && in.Has("backup") && changed("backup") {
		c.problem(ch, "automatic backups are set on ha databases only (ModifyDbBackupPolicy); %s is basic", []string{"backup"}, in.String("name"))
	}
	if product == "mysql" && changed("accounts") {
		supers := 0
		for _, a := range in.Maps("accounts") {
			if a["type"] == "Super" {
				supers++
			}
		}
		if supers > 1 {
			c.problem(ch, "a MySQL database has at most one Super account; %d are listed", []string{"accounts"}, supers)
		}
	}
	if (changed("cpu") || changed("ram")) && spec.Known(in["ram"]) && (product == "redis" || spec.Known(in["cpu"])) {
		cpu, field := in.Int("cpu"), "ram"
		if product == "redis" {
			cpu = 0
		}
		if _, ok := cloud.FindSize(arch.Sizes(), cpu, in.Int("ram")); !ok {
			var names []string
			for _, s := range arch.Sizes() {
				if cpu == 0 {
					names = append(names, strconv.Itoa(int(s.RAM))+" GB")
				} else {
					names = append(names, s.Name)
				}
			}
			what := strconv.Itoa(in.Int("ram")) + " GB"
			if cpu != 0 {
				what = strconv.Itoa(cpu) + " vCPU with " + what
			}
			c.problem(ch, "%s is not a size of %s %s in %s; on sale: %s", []string{field}, what, product, version, region, strings.Join(names, ", "))
		}
	}
	if product == "redis" || !spec.Known(in["disk_type"]) {
		return
	}
	var disk *cloud.DBDisk
	var types []string
	for _, d := range arch.Disks() {
		if !slices.Contains(types, d.DiskValue) {
			types = append(types, d.DiskValue)
		}
		if d.DiskValue == in.String("disk_type") {
			disk = &d
		}
	}
	if changed("disk_type") && disk == nil {
		c.problem(ch, "disk type %s is not sold with %s %s in %s; on sale: %s", []string{"disk_type"}, in.String("disk_type"), product, version, region, strings.Join(types, ", "))
		return
	}
	if size := in.Int("disk_size"); disk != nil && changed("disk_size") && spec.Known(in["disk_size"]) {
		lo, hi, step := int(disk.DiskMin), int(disk.DiskMax), max(int(disk.DiskStep), 1)
		if size < lo || size > hi || (size-lo)%step != 0 {
			c.problem(ch, "%d GB is not a size of %s: %d–%d GB in steps of %d", []string{"disk_size"}, size, disk.DiskValue, lo, hi, step)
		}
	}
}

// replicaSource checks that a replica's source, when the stack names it,
// is an ha MySQL database: only those have read-only replicas.
func (c *checker) replicaSource(ch *planner.Change) {
	name := ch.Resource
	if name == "" {
		name, _ = spec.SplitAddress(ch.Addr)
	}
	r := c.s.Resources[name]
	if r == nil || r.Properties == nil {
		return
	}
	src := r.Properties.Get("source")
	if src == nil {
		return
	}
	for _, ref := range src.Refs() {
		srcName, _ := spec.SplitAddress(ref.Addr)
		sr := c.s.Resources[srcName]
		if sr == nil || sr.Properties == nil {
			continue
		}
		if sr.Kind != "mysql" {
			c.problem(ch, "a read-only replica's source is a mysql database; %s is a %s", []string{"source"}, srcName, sr.Kind)
			continue
		}
		if a := sr.Properties.Get("architecture"); a != nil && a.Plain() != nil && a.Plain() != "ha" {
			c.problem(ch, "a read-only replica needs an ha source; %s is %v", []string{"source"}, srcName, a.Plain())
		}
	}
}

// dbPrivateTakers adds the databases the plan creates to the pools of the
// private networks they take an address on (one each, as the load
// balancers': lbPrivateTakers): a database its network, a read-only
// replica its source's.
func (c *checker) dbPrivateTakers(pools map[string]*pool) {
	for _, ch := range c.p.Changes {
		if ch.Action != planner.Create && ch.Action != planner.Replace || ch.Implicit {
			continue
		}
		in := resources.Inputs(ch.Values())
		var network any
		switch ch.Kind {
		case "mysql", "redis", "mongodb":
			network = in["network"]
		case "mysql_readonly":
			network = c.sourceNetwork(in["source"])
		default:
			continue
		}
		if p := pools[key(network)]; p != nil {
			p.takers = append(p.takers, ch)
		}
	}
}

// sourceNetwork is the network of the database a replica's source names:
// one the plan builds ("${db.id}") or one in the state (its id).
func (c *checker) sourceNetwork(source any) any {
	addr := c.nameOf(key(source))
	if ch := c.p.Change(addr); ch != nil {
		return ch.Values()["network"]
	}
	if rec := c.snap.Resources[addr]; rec != nil {
		return rec.Inputs["network"]
	}
	return nil
}
