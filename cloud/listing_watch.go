package cloud

import (
	"context"
	"slices"
	"strings"
	"time"
)

// One look answers many waits, and a listing answers for the task: while
// many tasks are in flight, their waits look at the listing their
// resources are in (one request per VDC, shared by every wait looking at
// that moment: see coalescer) before asking their task.
//   - A resource listed in a transitional status (creating, deleting, …):
//     the task is not asked.
//   - A created resource listed in a steady status (an instance running or
//     stopped, a VDC or network "ok"), or a deleted one no longer listed:
//     only a task that succeeded leaves that, so the wait ends without
//     asking it. A create's id comes from the listing; the name is the
//     resource's own in its scope (the plan refuses a twin), and a name
//     listed twice leaves the question to the task.
//   - Anything else (not listed yet, a failure status, a delete that
//     settled back): the listing cannot tell, and the task is asked.
// Only the task of the action the watch is for is settled by the listing
// (CreateInstance, not a StopInstance after it): for any other the
// listing only says when to ask.

// listedState is how a watch reads a listed resource's status.
type listedState int

const (
	listedBusy   listedState = iota // transitional: its task is still running
	listedSteady                    // what a successful task leaves
	listedOther                     // a failure status, or one a watch does not know
)

// A listedItem is a resource as a watch reads it from a listing.
type listedItem struct {
	ID, Name string
	State    listedState
}

// sight says what items (a listing) show of a create of the resource
// named name, or of a delete of id.
func sight(items []listedItem, name, id string, deleting bool) Sighting {
	if deleting {
		for _, it := range items {
			if it.ID == id {
				return Sighting{Busy: it.State == listedBusy}
			}
		}
		return Sighting{Done: true, ResourceID: id}
	}
	var found []listedItem
	for _, it := range items {
		if it.Name == name {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		return Sighting{} // not listed (yet, or nothing was left), or a twin
	}
	switch found[0].State {
	case listedBusy:
		return Sighting{Busy: true}
	case listedSteady:
		return Sighting{Done: true, ResourceID: found[0].ID}
	}
	return Sighting{}
}

// watch makes a wait on a task of action look at a listing (see) first,
// on a grid fine enough to cost little time (a fortieth of the first look,
// 25 ms to 1 s) so that the looks of waits begun at different moments
// share one listing.
func watch(action string, see func(context.Context) (Sighting, error)) WaitOption {
	return func(cfg *WaitConfig) {
		cfg.Align = min(max(cfg.FirstPoll/40, 25*time.Millisecond), time.Second)
		cfg.Sight = func(ctx context.Context) (Sighting, error) {
			s, err := see(ctx)
			if s.Done && !sameAction(cfg.action, action) {
				s = Sighting{} // another action's task: ask it
			}
			return s, err
		}
	}
}

// sameAction reports whether the action that started a task (a product's
// as "mysql/CreateDBInstance") is action.
func sameAction(started, action string) bool {
	if i := strings.LastIndex(started, "/"); i >= 0 {
		started = started[i+1:]
	}
	return started == action
}

// steadyStatus reports whether a VDC's or a network's status is the one
// the documents show for a usable one ("ok").
func steadyStatus(status string) bool {
	return strings.EqualFold(strings.TrimSpace(status), "ok")
}

// busyStatus reports whether a status is a change in progress.
func busyStatus(status string) bool {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "creating", "deleting", "updating", "building", "pending", "changing":
		return true
	}
	return false
}

// networkState reads the status of a VDC or one of its networks.
func networkState(status string) listedState {
	switch {
	case busyStatus(status):
		return listedBusy
	case steadyStatus(status):
		return listedSteady
	}
	return listedOther
}

// vdcState reads a VDC's status and those of the networks bought with it:
// a VDC whose network is still being made is still busy.
func vdcState(v Vdc) listedState {
	for _, p := range v.PublicNetwork {
		if busyStatus(p.Status) {
			return listedBusy
		}
	}
	for _, p := range v.PrivateNetwork {
		if busyStatus(p.Status) {
			return listedBusy
		}
	}
	return networkState(v.VdcStatus)
}

// listVDCViews answers the VDC watches: a key "vdc:<id>" lists one VDC
// (an empty listing when it is gone), "name:<region>/<name>" the VDCs of a
// region whose name holds name (DescribeVdc's Keyword).
func (c *Client) listVDCViews(ctx context.Context, keys []string) (map[string][]Vdc, error) {
	out := map[string][]Vdc{}
	for _, key := range keys {
		rctx, what := unkeyed(ctx, key)
		var list []Vdc
		var err error
		if id, ok := strings.CutPrefix(what, "vdc:"); ok {
			list, err = c.DescribeVdc(rctx, DescribeVdcRequest{VdcID: id})
			if VdcGone(err) {
				list, err = nil, nil
			}
		} else {
			region, name, _ := strings.Cut(strings.TrimPrefix(what, "name:"), "/")
			list, err = c.ListVdcs(rctx, DescribeVdcRequest{RegionID: region, Keyword: name}, 100)
		}
		if err != nil {
			return out, err
		}
		out[key] = list
	}
	return out, nil
}

// vdcView returns VDC id as a listing shared with the concurrent looks at
// it shows it; nil when it is gone.
func (c *Client) vdcView(ctx context.Context, id string) (*Vdc, error) {
	list, _, err := c.vdcViews.get(ctx, keyed(ctx, "vdc:"+id))
	if err != nil {
		return nil, err
	}
	return findVdc(list, id), nil
}

// WatchVdc makes a wait on a CreateVdc of the VDC named name in region
// (or, with deleting, a DeleteVdc of id) look at the VDCs' listing first
// (see the top of this file): the region's VDCs of that name for a create,
// the VDC's own listing for a delete.
func (c *Client) WatchVdc(region, name, id string, deleting bool) WaitOption {
	if deleting {
		return watch("DeleteVdc", func(ctx context.Context) (Sighting, error) {
			v, err := c.vdcView(ctx, id)
			if err != nil {
				return Sighting{}, err
			}
			var items []listedItem
			if v != nil {
				items = append(items, listedItem{ID: v.VdcID, Name: v.VdcName, State: networkState(v.VdcStatus)})
			}
			return sight(items, "", id, true), nil
		})
	}
	return watch("CreateVdc", func(ctx context.Context) (Sighting, error) {
		return c.sightVdcCreate(ctx, region, name, "")
	})
}

// WatchVdcWithPublic is WatchVdc for a CreateVdc that makes the public
// network named public with the VDC (its PublicNetwork): the VDC listed
// settled without that network listed settled too cannot tell, and the
// task is asked.
func (c *Client) WatchVdcWithPublic(region, name, public string) WaitOption {
	return watch("CreateVdc", func(ctx context.Context) (Sighting, error) {
		return c.sightVdcCreate(ctx, region, name, public)
	})
}

// sightVdcCreate is what the region's VDCs named name show of their
// create (and of its public network's, when public is not ""). The VDC a
// listing shows created is kept as the view SharedVdc answers with, so
// the read-back after the wait costs no request: nothing of this client
// can have changed the public networks of a VDC whose id it learns only
// now.
func (c *Client) sightVdcCreate(ctx context.Context, region, name, public string) (Sighting, error) {
	asked := c.clock.Now()
	list, _, err := c.vdcViews.get(ctx, keyed(ctx, "name:"+region+"/"+name))
	if err != nil {
		return Sighting{}, err
	}
	var items []listedItem
	for _, v := range list {
		if v.RegionID != "" && v.RegionID != region {
			continue
		}
		st := vdcState(v)
		if st == listedSteady && public != "" && !slices.ContainsFunc(v.PublicNetwork, func(p PublicNetwork) bool {
			return p.Name == public && networkState(p.Status) == listedSteady
		}) {
			st = listedOther
		}
		items = append(items, listedItem{ID: v.VdcID, Name: v.VdcName, State: st})
	}
	s := sight(items, name, "", false)
	if s.Done {
		c.views.keep(keyed(ctx, s.ResourceID), *findVdc(list, s.ResourceID), asked)
	}
	return s, nil
}

// WatchNetwork makes a wait on the create of the network named name in
// VDC vdc (or, with deleting, the delete of network id) look at the VDC's
// listing first (see the top of this file); public says which of its
// networks: public or private.
func (c *Client) WatchNetwork(vdc string, public bool, name, id string, deleting bool) WaitOption {
	action := map[bool]string{false: "CreatePrivateNetwork", true: "CreatePublicNetwork"}[public]
	if deleting {
		action = map[bool]string{false: "DeletePrivateNetwork", true: "DeletePublicNetwork"}[public]
	}
	return watch(action, func(ctx context.Context) (Sighting, error) {
		v, err := c.vdcView(ctx, vdc)
		if err != nil {
			return Sighting{}, err
		}
		if v == nil { // the VDC is gone: so is a deleted network; a create only the task can tell of
			return Sighting{Done: deleting, ResourceID: id}, nil
		}
		var items []listedItem
		if public {
			for _, p := range v.PublicNetwork {
				items = append(items, listedItem{ID: p.PublicID, Name: p.Name, State: networkState(p.Status)})
			}
		} else {
			for _, p := range v.PrivateNetwork {
				items = append(items, listedItem{ID: p.PrivateID, Name: p.Name, State: networkState(p.Status)})
			}
		}
		return sight(items, name, id, deleting), nil
	})
}

// dbState reads a database's status: RUNNING is steady.
func dbState(d DBInstance) listedState { return dbStatusState(d.Status) }

// dbStatusState reads the status of a database or of a read-only replica
// (as its source lists it).
func dbStatusState(status string) listedState {
	switch {
	case strings.EqualFold(status, "RUNNING"):
		return listedSteady
	case busyStatus(status) || strings.EqualFold(status, "MODIFYING"):
		return listedBusy
	}
	return listedOther
}

// listProducts answers the database watches: one listing per product
// (DescribeDBInstances lists every region).
func (c *Client) listProducts(ctx context.Context, keys []string) (map[string][]DBInstance, error) {
	out := map[string][]DBInstance{}
	for _, key := range keys {
		rctx, product := unkeyed(ctx, key)
		var list []DBInstance
		var err error
		switch product {
		case "mysql":
			list, err = c.MySQL().DescribeDBInstances(rctx, DescribeDBInstancesRequest{})
		case "redis":
			list, err = c.Redis().DescribeDBInstances(rctx, DescribeDBInstancesRequest{})
		case "mongodb":
			list, err = c.MongoDB().DescribeDBInstances(rctx, DescribeDBInstancesRequest{})
		}
		if err != nil {
			return out, err
		}
		out[key] = list
	}
	return out, nil
}

// WatchDatabase makes a wait on the create of the database named name of
// product (mysql, redis or mongodb), or with deleting the delete of
// database id, look at the product's listing first (see the top of this
// file): a database listed RUNNING says its create succeeded, one no
// longer listed that its delete did.
func (c *Client) WatchDatabase(product, name, id string, deleting bool) WaitOption {
	return watchList([2]string{"CreateDBInstance", "DeleteDBInstance"}, &c.dbListings, product, name, id, deleting,
		func(d DBInstance) listedItem {
			return listedItem{ID: d.InstanceUUID, Name: d.InstanceName, State: dbState(d)}
		})
}

// watchList makes a wait on the create of the resource named name (or,
// with deleting, the delete of id) look first at the listing list answers
// for key, each listed resource read by item; actions are the create's and
// the delete's.
func watchList[T any](actions [2]string, list *coalescer[[]T], key, name, id string, deleting bool, item func(T) listedItem) WaitOption {
	action := actions[0]
	if deleting {
		action = actions[1]
	}
	return watch(action, func(ctx context.Context) (Sighting, error) {
		listed, _, err := list.get(ctx, keyed(ctx, key))
		if err != nil {
			return Sighting{}, err
		}
		items := make([]listedItem, 0, len(listed))
		for _, v := range listed {
			items = append(items, item(v))
		}
		return sight(items, name, id, deleting), nil
	})
}

// listLoadBalancers answers the load balancer watches: the account's
// listing (one key per region).
func (c *Client) listLoadBalancers(ctx context.Context, keys []string) (map[string][]LoadBalancer, error) {
	out := map[string][]LoadBalancer{}
	for _, key := range keys {
		rctx, _ := unkeyed(ctx, key)
		list, err := c.DescribeLoadBalancers(rctx, DescribeLoadBalancersRequest{})
		if err != nil {
			return out, err
		}
		out[key] = list
	}
	return out, nil
}

// WatchLoadBalancer makes a wait on the create of the load balancer named
// name (or, with deleting, the delete of id) look at the load balancers'
// listing first (see the top of this file): one listed RUNNING says its
// create succeeded, one no longer listed that its delete did.
func (c *Client) WatchLoadBalancer(name, id string, deleting bool) WaitOption {
	return watchList([2]string{"CreateLoadBalancer", "DeleteLoadBalancer"}, &c.lbListings, "lb", name, id, deleting,
		func(lb LoadBalancer) listedItem {
			st := listedOther
			switch {
			case lb.Running():
				st = listedSteady
			case busyStatus(lb.Status):
				st = listedBusy
			}
			return listedItem{ID: lb.InstanceUUID, Name: lb.InstanceName, State: st}
		})
}

// WatchReplica makes a wait on the create of the MySQL read-only replica
// named name of database source (or, with deleting, the delete of replica
// id) look at the MySQL listing first (see the top of this file), the one
// the database watches share: a replica is listed only in its source's
// RoGroups. A source no longer listed has no replicas left.
func (c *Client) WatchReplica(source, name, id string, deleting bool) WaitOption {
	action := "CreateReadOnlyDBInstance"
	if deleting {
		action = "DeleteDBInstance"
	}
	return watch(action, func(ctx context.Context) (Sighting, error) {
		list, _, err := c.dbListings.get(ctx, keyed(ctx, "mysql"))
		if err != nil {
			return Sighting{}, err
		}
		i := slices.IndexFunc(list, func(d DBInstance) bool { return d.InstanceUUID == source })
		if i < 0 {
			return Sighting{Done: deleting, ResourceID: id}, nil
		}
		items := make([]listedItem, 0, len(list[i].RoGroups))
		for _, r := range list[i].RoGroups {
			items = append(items, listedItem{ID: r.ServiceID, Name: r.ServiceName, State: dbStatusState(r.Status)})
		}
		return sight(items, name, id, deleting), nil
	})
}

// listTemplatesNamed answers the template watches: a key is a template's
// name, listed with DescribeTemplateInfo's Keyword (every page).
func (c *Client) listTemplatesNamed(ctx context.Context, keys []string) (map[string][]Template, error) {
	out := map[string][]Template{}
	for _, key := range keys {
		rctx, name := unkeyed(ctx, key)
		list, err := listPages(rctx, func(ctx context.Context, n int) ([]Template, Pages, error) {
			page, err := c.DescribeTemplateInfo(ctx, DescribeTemplateInfoRequest{PageNumber: n, PageSize: templatePage, Keyword: name})
			if err != nil {
				return nil, Pages{}, err
			}
			return page.TemplateList, Pages{Number: n, Count: int(page.TotalPage)}, nil
		}, func(t Template) string { return t.TemplateID })
		if err != nil {
			return out, err
		}
		out[key] = list
	}
	return out, nil
}

// templatePage is the page size of the template watches' listings.
const templatePage = 100

// templateState reads a template from its copies: settled when every
// region's is "normal" (the one status the documents show), busy while
// one is being made, synced or deleted.
func templateState(t Template) listedState {
	st := listedSteady
	for _, status := range append([]string{t.Status}, regionStatuses(t)...) {
		switch s := strings.ToLower(strings.TrimSpace(status)); {
		case busyStatus(s) || s == "syncing":
			return listedBusy
		case s != "normal":
			st = listedOther
		}
	}
	return st
}

func regionStatuses(t Template) []string {
	out := make([]string, len(t.Region))
	for i, r := range t.Region {
		out[i] = r.Status
	}
	return out
}

// WatchTemplate makes a wait on the create of the template named name (or,
// with deleting, the delete of template id's last copy) look at the
// templates of that name first (see the top of this file). The delete of a
// copy in one region of several leaves the template listed: only its task
// can tell, and the listing says when to ask it.
func (c *Client) WatchTemplate(name, id string, deleting bool) WaitOption {
	return watchList([2]string{"CreateTemplate", "DeleteTemplate"}, &c.tplListings, name, name, id, deleting,
		func(t Template) listedItem {
			return listedItem{ID: t.TemplateID, Name: t.Name, State: templateState(t)}
		})
}
