package preflight

import (
	"context"
	"errors"
	"sort"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// Facts are what the cloud says about what a plan needs.
type Facts struct {
	// Catalog is DescribeAvailableResource by region.
	Catalog map[string]*cloud.AvailableResource
	// Sizes is DescribeInstanceType by region and instance type.
	Sizes map[SizeKey][]cloud.InstanceSize
	// Account is DescribeAccountInfo; nil when the plan buys nothing.
	Account *cloud.AccountInfo
	// Databases is each database product's catalogue by region
	// (DescribeAvailableDBConfig, DescribeSpecInfo).
	Databases map[DBKey]*cloud.DBConfig
	// Calls counts the requests Gather made.
	Calls int
	// LBZones and LBSizes: where load balancers are sold, and the sizes
	// of each region (load_balancer.go).
	LBZones []cloud.LBZone
	LBSizes map[string][]cloud.LBCpuRam
	// Unchecked are the reads the cloud refused (a sub-account without the
	// permission): their checks are skipped, and reported as warnings.
	Unchecked []Unchecked
	// HostTypes are the dedicated host types on sale, by region
	// (DescribeDedicatedHostTypes; dedicated_host.go).
	HostTypes map[string][]cloud.DedicatedHostType
}

// An Unchecked is a read the cloud refused: Action, the permission it
// needs, and the refusal.
type Unchecked struct {
	Action, Permission, What string
	Err                      error
}

// refused reports whether err is the cloud refusing a read (a 4xx API
// error: no permission, not allowed for this account), which degrades one
// check, rather than the API failing, which ends the plan.
func refused(err error) bool {
	var ae *cloud.APIError
	return errors.As(err, &ae) && ae.HTTPStatus >= 400 && ae.HTTPStatus < 500 && !ae.Throttled()
}

// degrade records a refused read as unchecked and returns nil, or returns
// any other error.
func (f *Facts) degrade(err error, action, permission, what string) error {
	if !refused(err) {
		return err
	}
	f.Unchecked = append(f.Unchecked, Unchecked{Action: action, Permission: permission, What: what, Err: err})
	return nil
}

// A SizeKey names the sizes of an instance type in a region.
type SizeKey struct{ Region, Type string }

// builds reports whether c creates or changes a resource.
func builds(c *planner.Change) bool {
	switch c.Action {
	case planner.Create, planner.Update, planner.Replace:
		return !c.Implicit
	}
	return false
}

// Gather asks the cloud what p needs: the catalogue of each region p
// builds in, the sizes of each instance type it builds or resizes, and the
// account, once each.
func Gather(ctx context.Context, c *cloud.Client, p *planner.Document, snap *state.Snapshot, live *resources.Live) (*Facts, error) {
	f := &Facts{Catalog: map[string]*cloud.AvailableResource{}, Sizes: map[SizeKey][]cloud.InstanceSize{}, Databases: map[DBKey]*cloud.DBConfig{}}
	dbs := map[DBKey]bool{}
	regions := map[string]bool{}
	sizes := map[SizeKey]bool{}
	buys := false
	for _, ch := range p.Changes {
		if !builds(ch) {
			continue
		}
		buys = true
		in := resources.Inputs(ch.Values())
		region := regionOf(p, ch, snap, live)
		if region != "" {
			regions[region] = true
		}
		if ch.Kind == "instance" && region != "" && spec.Known(in["instance_type"]) {
			sizes[SizeKey{region, in.String("instance_type")}] = true
		}
		if p := dbCatalogue(ch.Kind); p != "" && region != "" {
			dbs[DBKey{p, region}] = true
		}
	}
	if err := gatherDatabases(ctx, c, f, dbs); err != nil {
		return nil, err
	}
	for _, region := range sortedKeys(regions) {
		cat, err := c.DescribeAvailableResource(ctx, cloud.AvailableResourceRequest{RegionID: region})
		f.Calls++
		if err != nil {
			if err := f.degrade(err, "DescribeAvailableResource", "the cloud server catalogue", "what "+region+" sells"); err != nil {
				return nil, err
			}
			continue
		}
		f.Catalog[region] = cat
	}
	keys := make([]SizeKey, 0, len(sizes))
	for k := range sizes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Region+keys[i].Type < keys[j].Region+keys[j].Type })
	for _, k := range keys {
		list, err := c.DescribeInstanceType(ctx, cloud.InstanceTypeRequest{RegionID: k.Region, InstanceType: k.Type})
		f.Calls++
		if err != nil {
			if err := f.degrade(err, "DescribeInstanceType", "the cloud server catalogue", "the sizes of "+k.Type+" in "+k.Region); err != nil {
				return nil, err
			}
			continue
		}
		f.Sizes[k] = list
	}
	if err := gatherLBs(ctx, c, p, snap, live, f); err != nil {
		return nil, err
	}
	if err := gatherHosts(ctx, c, p, snap, live, f); err != nil {
		return nil, err
	}
	if buys {
		acct, err := c.DescribeAccountInfo(ctx)
		f.Calls++
		if err != nil {
			if err := f.degrade(err, "DescribeAccountInfo", "the account's billing information", "the account's balance"); err != nil {
				return nil, err
			}
		} else {
			f.Account = acct
		}
	}
	return f, nil
}

// regionOf is the region a change builds in: its own region property, or
// its VDC's.
func regionOf(p *planner.Document, ch *planner.Change, snap *state.Snapshot, live *resources.Live) string {
	in := resources.Inputs(ch.Values())
	if r := in["region"]; spec.Known(r) && in.String("region") != "" {
		return in.String("region")
	}
	if v, ok := in["vdc"]; ok {
		return p.RegionOfVDC(v, snap, live)
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
