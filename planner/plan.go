package planner

import (
	"fmt"
	"math"
	"sort"

	"github.com/cdstack/cdstack/state"
)

// An Action is what happens to one address.
type Action string

// Actions.
const (
	NoOp    Action = "no-op"
	Create  Action = "create"
	Update  Action = "update"
	Replace Action = "replace"
	Delete  Action = "delete"
	Read    Action = "read"
)

// Symbol is the action's mark in human output.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Replace:
		return "-/+"
	case Delete:
		return "-"
	case Read:
		return "<="
	}
	return " "
}

// Reasons say why a change is planned.
const (
	ReasonNew                = "create_new"
	ReasonDeletedOutside     = "create_because_deleted_outside"
	ReasonUpdate             = "update_in_place"
	ReasonReplaceImmutable   = "replace_because_immutable"
	ReasonRemovedFromSpec    = "delete_because_removed_from_spec"
	ReasonCountReduced       = "delete_because_count_reduced"
	ReasonKeyRemoved         = "delete_because_key_removed"
	ReasonPendingJournal     = "read_pending_journal"
	ReasonProtectedKept      = "kept_because_protected"
	ReasonDestroy            = "delete_because_destroy"
	ReasonDependencyReplaced = "replace_because_dependency_replaced"
	ReasonTagUnused          = "delete_because_no_instance_names_it"
	ReasonMissing            = "create_because_missing_after_replace"
	ReasonReplacedOld        = "delete_old_of_replacement"
	ReasonReplaceRequested   = "replace_because_requested"
	ReasonFailed             = "replace_because_failed"
	ReasonRewire             = "update_because_backend_replaced"
	ReasonReaddress          = "update_because_backend_address_changes"
	ReasonBackendDestroyed   = "update_because_backend_destroyed"
	ReasonIncomplete         = "update_because_create_incomplete"
)

// A FieldChange is one property's before and after.
type FieldChange struct {
	Path        string `json:"path"`
	Before      any    `json:"before"`
	After       any    `json:"after"`
	Update      string `json:"update,omitempty"` // the API action, or "" when the field replaces
	Replace     bool   `json:"replace,omitempty"`
	Sensitive   bool   `json:"sensitive,omitempty"`
	Destructive bool   `json:"destructive,omitempty"`
	// Details break a list or map change down to its elements (r3labs/diff).
	Details []Detail `json:"details,omitempty"`
}

// A Detail is one element of a list or map that changed.
type Detail struct {
	Path string `json:"path"` // data_disks.0.size
	Type string `json:"type"` // create, update, delete
	From any    `json:"from"`
	To   any    `json:"to"`
}

// A Change is what happens to one address.
type Change struct {
	Addr     string              `json:"address"`
	Resource string              `json:"resource"`
	Kind     string              `json:"kind"`
	Action   Action              `json:"action"`
	Reason   string              `json:"reason"`
	Detail   string              `json:"reason_detail,omitempty"`
	ID       string              `json:"id,omitempty"`
	Fields   []FieldChange       `json:"fields,omitempty"`
	After    map[string]any      `json:"after,omitempty"`
	Deps     []string            `json:"depends_on,omitempty"`   // creates/updates this waits for
	DelAfter []string            `json:"delete_after,omitempty"` // deletes this delete waits for
	Protect  bool                `json:"protect,omitempty"`
	Journal  *state.JournalEntry `json:"journal,omitempty"`
	// Implicit changes are of resources the planner derives, not declared
	// in the stack (the tags instances name); After holds their inputs.
	Implicit bool `json:"implicit,omitempty"`
	// Hidden holds the values of the properties After shows as
	// "(sensitive)" because they come from sensitive variables (a cpu, a
	// count of disks): preflight and pricing read them through Values. It
	// is never written out.
	Hidden map[string]any `json:"-"`
	// CreateBeforeDestroy replacements create the new resource first (named
	// TempName while the old one holds the name) and delete the old one,
	// recorded meanwhile at Addr+state.ReplacedSuffix, after.
	CreateBeforeDestroy bool   `json:"create_before_destroy,omitempty"`
	TempName            string `json:"temp_name,omitempty"`
	// WaitsFor are steps this change's create or update waits for beyond
	// its references, with why: preflight adds them where the cloud's
	// capacity needs an order (an address freed by a delete, a network
	// created first).
	WaitsFor []Wait `json:"waits_for,omitempty"`
	// Cost is the change's estimated monthly price, when priced.
	Cost *Cost `json:"cost,omitempty"`
	// Because names the values read from outside the stack (a data
	// source, another stack's output) that changed since the last apply
	// and feed the fields that change.
	Because []string `json:"because,omitempty"`
	// Unwire, on a load balancer's change, names the instances the plan
	// deletes (for a replacement that cannot create first) or whose
	// addresses it moves in place that its listeners send to: a step
	// "ADDR (unwire)" drops them from the listeners before their deletes
	// or updates, and the update sends to the new ones, or the new
	// addresses, after (wireBackends, readdressBackends). In a destroy
	// limited by --target the step is the whole change: the load balancer
	// is kept without the instances (unwireDestroyed).
	Unwire []string `json:"unwire_first,omitempty"`
	// IncludedBy says why a plan limited by --target has this change
	// although no target names it or depends on it: it keeps a load
	// balancer's listeners off a backend instance a target replaces,
	// deletes, destroys or moves to another address (keepBackendsSafe,
	// unwireDestroyed).
	IncludedBy string `json:"included_by,omitempty"`
}

// A Wait is an ordering edge a plan adds: the step it waits for and why.
type Wait struct {
	Step   string `json:"step"`
	Reason string `json:"reason"`
}

// A Cost is a resource's estimated price per month of 730 hours, before
// and after the change, in the plan's currency. Usage-based prices
// (traffic, data packages, 95th percentile bandwidth) are outside the
// figures and listed in Usage.
type Cost struct {
	Before float64  `json:"monthly_before"`
	After  float64  `json:"monthly_after"`
	Usage  []string `json:"usage_based,omitempty"`
	// NotPriced says why the resource has no price (no quote action for
	// its product): it is left out of the figures, not counted as free.
	NotPriced string `json:"not_priced,omitempty"`
}

// Delta is what the change adds to the monthly cost.
func (c *Cost) Delta() float64 { return c.After - c.Before }

// Money writes an amount in currency: ¥12.34, -¥3.00.
func Money(currency string, amount float64) string {
	if math.Round(amount*100) == 0 {
		amount = 0 // never "-¥0.00" for what rounds to nothing
	}
	if amount < 0 {
		return "-" + Money(currency, -amount)
	}
	return fmt.Sprintf("%s%.2f", currency, amount)
}

// A CostSummary is the plan's monthly estimate, before and after.
type CostSummary struct {
	Currency string  `json:"currency"`
	Before   float64 `json:"monthly_before"`
	After    float64 `json:"monthly_after"`
	// Budget is the stack's monthly budget, when it has one.
	Budget float64 `json:"budget,omitempty"`
	// NotPriced are the addresses the figures leave out: resources whose
	// product has no quote action (the databases).
	NotPriced []string `json:"not_priced,omitempty"`
}

// A DriftItem is one way the cloud moved away from the state.
type DriftItem struct {
	Addr  string `json:"address,omitempty"`
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Class string `json:"class"` // modified, deleted, unmanaged, read_changed, tenant
	Name  string `json:"name,omitempty"`
	// VDC is the VDC an unmanaged resource was found in.
	VDC string `json:"vdc,omitempty"`
	// Tenant is the stack whose state holds a resource of class tenant,
	// TenantAddr its address there.
	Tenant     string        `json:"tenant,omitempty"`
	TenantAddr string        `json:"tenant_address,omitempty"`
	Fields     []FieldChange `json:"fields,omitempty"`
}

// Drift classes.
const (
	DriftModified  = "modified"
	DriftDeleted   = "deleted"
	DriftUnmanaged = "unmanaged"
)

// A Document is the whole decision (the plan), serialisable as a versioned document.
type Document struct {
	FormatVersion string   `json:"format_version"`
	Stack         string   `json:"stack"`
	StackFile     string   `json:"stack_file"`
	StackHash     string   `json:"stack_hash"`
	Lineage       string   `json:"state_lineage"`
	Serial        uint64   `json:"state_serial"`
	Refreshed     bool     `json:"refreshed"`
	Destroy       bool     `json:"destroy,omitempty"`
	Targets       []string `json:"targets,omitempty"`
	Replace       []string `json:"replace,omitempty"`
	// Workspace is the workspace the plan was made in; apply of a saved
	// plan refuses another.
	Workspace string `json:"workspace,omitempty"`
	// Cost is the plan's monthly estimate, when it was priced.
	Cost    *CostSummary `json:"cost,omitempty"`
	Changes []*Change    `json:"changes"`
	Drift   []*DriftItem `json:"drift"`
	// Tenants are the stacks named under tenants: as their states were
	// read (or why they could not be); TenantResources what those record
	// in this stack's VDCs (class tenant): theirs, not drift.
	Tenants         []*Tenant    `json:"tenants,omitempty"`
	TenantResources []*DriftItem `json:"tenant_resources,omitempty"`
	// Data is what each data source resolved to; Stacks what was read of
	// each other stack (its state and serial).
	Data   map[string]*state.DataRead  `json:"data,omitempty"`
	Stacks map[string]*state.StackRead `json:"stacks,omitempty"`
	// Sources are the content hashes of the component files the stack
	// used, by path; apply of a saved plan refuses a changed one.
	Sources map[string]string `json:"sources,omitempty"`
	// Moves are the records moved: takes to new addresses, in the order
	// apply makes them (in the state only, before any change).
	Moves []*Move `json:"moves,omitempty"`
	// Variables are digests of the values of the non-sensitive variables
	// the plan was made with, by name (VariableDigests); apply of a saved
	// plan refuses other values.
	Variables map[string]string `json:"variables,omitempty"`
}

// FormatVersion of saved plans and --json output.
const FormatVersion = "1"

// Counts returns how many addresses are added, changed, replaced, destroyed.
func (p *Document) Counts() (add, change, replace, destroy int) {
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			add++
		case Update:
			change++
		case Replace:
			replace++
		case Delete:
			destroy++
		}
	}
	return
}

// HasChanges reports whether applying the plan would do anything.
func (p *Document) HasChanges() bool {
	if len(p.Moves) > 0 {
		return true
	}
	for _, c := range p.Changes {
		if c.Action != NoOp {
			return true
		}
	}
	return false
}

// Change returns the change of addr, or nil.
func (p *Document) Change(addr string) *Change {
	for _, c := range p.Changes {
		if c.Addr == addr {
			return c
		}
	}
	return nil
}

func sortChanges(cs []*Change) {
	sort.Slice(cs, func(i, j int) bool { return addrLess(cs[i].Addr, cs[j].Addr) })
}

// addrLess orders web[2] before web[10].
func addrLess(a, b string) bool {
	ra, ia := splitAddr(a)
	rb, ib := splitAddr(b)
	if ra != rb {
		return ra < rb
	}
	if ia != ib {
		return ia < ib
	}
	return a < b // for_each copies, by key
}

// CheckFresh refuses a saved plan p whose state moved since it was made. A
// plan made before the state existed (no lineage, serial 0) applies to a
// state that is still empty.
func CheckFresh(p *Document, snap *state.Snapshot) error {
	if p.Lineage == "" && p.Serial == 0 {
		if snap.Meta.Serial == 0 && len(snap.Resources) == 0 && len(snap.Journal) == 0 {
			return nil
		}
		return fmt.Errorf("%w: the plan was made before the state existed, and the state now holds serial %d; plan again", ErrStalePlan, snap.Meta.Serial)
	}
	if snap.Meta.Lineage != p.Lineage {
		return fmt.Errorf("%w: the plan was made for another state (lineage %s, not %s); plan again", ErrStalePlan, p.Lineage, snap.Meta.Lineage)
	}
	if snap.Meta.Serial != p.Serial {
		return fmt.Errorf("%w: the state moved from serial %d to %d since the plan was made; plan again", ErrStalePlan, p.Serial, snap.Meta.Serial)
	}
	return nil
}

// Values returns After with the sensitive values it hides: what preflight
// and pricing check. Nothing derived from it may show a hidden value.
func (c *Change) Values() map[string]any {
	if len(c.Hidden) == 0 {
		return c.After
	}
	out := make(map[string]any, len(c.After))
	for k, v := range c.After {
		out[k] = v
	}
	for k, v := range c.Hidden {
		out[k] = v
	}
	return out
}
