package resources

import (
	"context"
	"fmt"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(dedicatedHostKind{}) }

// dedicatedHostKind is a dedicated host (专有宿主机) that instances are
// placed on (their dedicated_host). AllocateDedicatedHosts buys it and
// answers its id at once; DescribeDedicatedHosts lists it. Nothing about
// it changes in place, and the API has no action that releases one: a
// prepaid host is released in the console. So the kind never deletes:
// the planner refuses any plan that would delete or replace a host that
// still exists (see Undeletable), and `cdstack state rm ADDR` is how a
// stack lets one go.
type dedicatedHostKind struct{}

func (dedicatedHostKind) Name() string { return "dedicated_host" }

// Fields: the name is observed. The listing's HostType and Region are the
// service's own text, whose form the SDK does not give (a type's id or
// its name, a region's id or its name): a host's type and region never
// change, so they are kept from the state rather than compared with that
// text, which could otherwise read as a change no API can make. What was
// bought (goods id, size, overcommit ratio, term, renewal) is kept from
// the state too. prepaid_month only matters at purchase.
func (dedicatedHostKind) Fields() []Field {
	return []Field{
		{Name: "name"}, {Name: "type", Unobservable: true}, {Name: "region", Unobservable: true},
		{Name: "goods_id", Unobservable: true},
		{Name: "cpu", Unobservable: true}, {Name: "ram", Unobservable: true},
		{Name: "limit", Unobservable: true},
		{Name: "prepaid_month", Update: RecordOnly, Unobservable: true},
		{Name: "auto_renew", Unobservable: true},
	}
}

// DefaultHostLimit and DefaultHostPrepaidMonth are what a host the stack
// says nothing of gets, with auto_renew true: the official provider's
// defaults (overcommit 1, one month, renewed).
const (
	DefaultHostLimit        = 1
	DefaultHostPrepaidMonth = 1
)

func (dedicatedHostKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	set := func(k string, v any) {
		if !out.Has(k) {
			out[k] = v
		}
	}
	set("region", region)
	set("limit", int64(DefaultHostLimit))
	set("prepaid_month", int64(DefaultHostPrepaidMonth))
	set("auto_renew", true)
	return out
}

func (k dedicatedHostKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	h, ok := l.Hosts[id]
	if !ok {
		return nil
	}
	// Without a record (a data source), the listing's type and region are
	// the best there is.
	attrs := Inputs{"name": h.HostName}
	if h.HostType != "" {
		attrs["type"] = h.HostType
	}
	if h.Region != "" {
		attrs["region"] = h.Region
	}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Attrs: attrs, Raw: h, Outputs: map[string]any{"id": id, "status": h.Status,
		"vm_count": int64(h.VMNum), "cpu_rate": string(h.CPURate), "ram_rate": string(h.RAMRate),
		"end_bill_time": string(h.EndBillTime)}}
}

func (dedicatedHostKind) Differs(field string, desired, actual Inputs) bool {
	return defaultDiffers(field, desired, actual)
}

// Replaces: every field but prepaid_month would need a new host (the API
// changes nothing of one); the planner refuses such a plan.
func (k dedicatedHostKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

// ReplaceReason says why a change needs a new host.
func (dedicatedHostKind) ReplaceReason(field string, _, _ Inputs) string {
	return "the API cannot change a dedicated host's " + field
}

func (dedicatedHostKind) Scope(Inputs) string { return "" }

// FindByName finds a host by name in its region.
func (dedicatedHostKind) FindByName(l *Live, in Inputs) string {
	for _, id := range keysOf(l.Hosts) {
		h := l.Hosts[id]
		if h.HostName == in.String("name") && sameRegion(h.Region, in.String("region")) {
			return id
		}
	}
	return ""
}

// sameRegion reports whether a listing's Region may be region: equal, or
// not a region id at all (a display name, or nothing), which cannot tell.
func sameRegion(listed, region string) bool {
	return listed == region || region == "" || !strings.Contains(listed, "_")
}

// Create allocates one host (Amount 1, as the official provider asks);
// the answer holds its id, so there is no task to wait on.
func (dedicatedHostKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, _ Waiter) (string, error) {
	months, renew := in.Int("prepaid_month"), 0
	if in.Bool("auto_renew", true) {
		renew = 1
	}
	name := in.String("name")
	ids, err := c.AllocateDedicatedHosts(cloud.WithRegion(ctx, in.String("region")), cloud.AllocateDedicatedHostsRequest{
		RegionID: in.String("region"), DedicatedHostType: in.String("type"), DedicatedHostGoodID: in.Int("goods_id"),
		DedicatedHostName: name, DedicatedHostCPU: in.Int("cpu"), DedicatedHostRAM: in.Int("ram"),
		DedicatedHostLimit: in.Int("limit"), PrepaidMonth: &months, AutoRenew: &renew, Amount: 1})
	if err != nil {
		return "", err
	}
	if len(ids) != 1 || ids[0] == "" {
		// The journal's marker (the name) finds what was bought.
		return "", fmt.Errorf("dedicated host %s: AllocateDedicatedHosts answered %d ids for one host", name, len(ids))
	}
	return ids[0], nil
}

// Update changes nothing: prepaid_month, the only field that is not a
// replacement, only matters at purchase.
func (dedicatedHostKind) Update(context.Context, *cloud.Client, string, *Observation, Inputs, []string, map[string]string, Waiter) error {
	return nil
}

// ErrCannotRelease is what Delete answers: the API has no release action.
var ErrCannotRelease = fmt.Errorf("the API cannot release a dedicated host (it has no release action); release it in the console, then run cdstack state rm with its address")

// Delete sends no delete (there is no action to send): it reads the host,
// and one released in the console (gone from the listing) is only
// forgotten. One that still exists is refused with ErrCannotRelease, a
// guard: the planner refuses such a plan before anything runs.
func (dedicatedHostKind) Delete(ctx context.Context, c *cloud.Client, id string, in Inputs, _ Waiter) error {
	h, err := c.DedicatedHostByID(cloud.WithRegion(ctx, in.String("region")), id)
	if err != nil {
		return fmt.Errorf("dedicated host %s: %w", id, err)
	}
	if h == nil {
		return nil
	}
	return fmt.Errorf("dedicated host %s: %w", id, ErrCannotRelease)
}

// Undeletable says why a plan must not delete or replace a live resource
// of the kind: a dedicated host cannot be released through the API.
func (dedicatedHostKind) Undeletable() string {
	return "the API cannot release a dedicated host (it has no release action; a prepaid host is released in the console)"
}

// An UndeletableKind is a Kind the API cannot delete: the planner refuses
// a plan that would delete or replace one that still exists, with
// Undeletable's reason, and `cdstack state rm` is how a stack lets one go.
type UndeletableKind interface {
	Undeletable() string
}

// UndeletableReason returns why k cannot be deleted, or "".
func UndeletableReason(k Kind) string {
	if u, ok := k.(UndeletableKind); ok {
		return u.Undeletable()
	}
	return ""
}

// addHosts lists the dedicated hosts: one paged DescribeDedicatedHosts per
// entry point the regions use (the action takes no region; each entry
// point answers for its own).
func (l *Live) addHosts(ctx context.Context, c *cloud.Client, regions []string) error {
	points := c.EndpointRegions(regions)
	if len(points) == 0 {
		points = []string{""}
	}
	for _, region := range points {
		hosts, err := c.ListDedicatedHosts(cloud.WithRegion(ctx, region), cloud.DescribeDedicatedHostsRequest{}, pageSize)
		if err != nil {
			return fmt.Errorf("refresh dedicated hosts: %w", err)
		}
		for i := range hosts {
			l.Hosts[hosts[i].HostID] = &hosts[i]
		}
	}
	l.ListedHosts = true
	return nil
}

// hostsNeeded lists the dedicated hosts at the entry point of the filter's
// region (the stack's when it names none), unless the refresh did.
func hostsNeeded(_ *Live, f Filter) Scope {
	sc := Scope{ListHosts: true}
	if f.Region != "" {
		sc.Regions = []string{f.Region}
	}
	return sc
}
