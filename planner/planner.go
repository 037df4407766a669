package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/r3labs/diff/v3"

	"github.com/cdstack/cdstack/internal/suggest"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// Input is everything Plan looks at.
type Input struct {
	Stack    *spec.Stack
	Snapshot *state.Snapshot
	// Live is the batched look at the cloud; nil plans from the state alone
	// (--refresh=false).
	Live *resources.Live
	// Targets limit the plan to these addresses (and what they depend on).
	Targets []string
	// Destroy plans the deletion of everything in the state.
	Destroy bool
	// Replace forces the replacement of these addresses (a counted
	// resource's name stands for all its copies), as --replace.
	Replace []string
	// Pending says, by address, what settling a leftover journal entry is
	// likely to do (executor.Outlook): a read-only command shows such an
	// address as pending with it, instead of as drift or a name conflict,
	// and, where the cloud already shows the outcome, plans what follows.
	Pending map[string]Outlook
	// Reads are the stack's data sources and other stacks' outputs as read
	// now (nil: the stack reads none).
	Reads *Reads
	// Report (drift) plans only to report: nothing will apply the plan, so
	// the refusals that guard an apply (a dedicated host's delete:
	// UndeletableError; protect; deletion_protection) are left out, and a
	// resource changed outside shows as drift instead of failing the
	// command. A resource no record owns that has the name of one the
	// stack would create (removed from the state with state rm) is
	// reported as unmanaged drift instead of refused with a NameTakenError.
	Report bool
	// Tenants are the stacks that put resources in this stack's VDCs
	// (tenants:), with their states as read: what those record there is
	// reported in Document.TenantResources, not as unmanaged drift.
	Tenants []*Tenant

	// settled are the pending entries planned as settled (settleAhead).
	settled map[string]*state.JournalEntry
}

// A ProtectError lists protected resources the plan would replace or delete.
type ProtectError struct{ Addrs []string }

func (e *ProtectError) Error() string {
	return fmt.Sprintf("%s protected (protect: true) and would be replaced; change the stack, add the field to ignore_changes, or remove protect", strings.Join(e.Addrs, ", ")+map[bool]string{true: " is", false: " are"}[len(e.Addrs) == 1])
}

// planned is the planner's working view of one spec address.
type planned struct {
	change   *Change
	desired  resources.Inputs
	secrets  map[string]string
	outputs  map[string]any // known outputs (live or recorded)
	resource *spec.Resource
	obs      *resources.Observation // what the cloud (or the record) has now; nil for a create
	// taken is the resource no record owns that has this one's name
	// (Report).
	taken *NameTakenError
}

// Plan decides what must happen. It does no I/O.
func Plan(in Input) (*Document, error) {
	s, snap := in.Stack, in.Snapshot
	p := &Document{FormatVersion: FormatVersion, Stack: s.Name, StackFile: s.File, StackHash: s.Hash,
		Lineage: snap.Meta.Lineage, Serial: snap.Meta.Serial, Refreshed: in.Live != nil, Destroy: in.Destroy,
		Targets: in.Targets, Replace: in.Replace, Workspace: s.Workspace, Changes: []*Change{}, Drift: []*DriftItem{}}
	if in.Reads != nil {
		p.Data, p.Stacks = in.Reads.Data, in.Reads.Stacks
	}
	if len(s.Sources) > 0 {
		p.Sources = s.Sources
	}
	p.Variables = VariableDigests(s)
	if err := checkReplace(in); err != nil {
		return nil, err
	}
	snap, in.settled = settleAhead(snap, in.Pending)
	in.Snapshot = snap
	if !in.Destroy {
		moves, moved, err := planMoves(s, snap)
		if err != nil {
			return nil, err
		}
		p.Moves, snap, in.Snapshot = moves, moved, moved
	}
	pending := map[string]*state.JournalEntry{}
	for _, j := range snap.Journal {
		pending[j.Addr] = j
	}
	work := map[string]*planned{}
	var protectErrs []string

	if !in.Destroy {
		order, err := topoOrder(s)
		if err != nil {
			return nil, err
		}
		for _, name := range order {
			r := s.Resources[name]
			kind, ok := resources.Registry[r.Kind]
			if !ok {
				return nil, fmt.Errorf("%s: unknown kind %q", name, r.Kind)
			}
			for _, inst := range r.Instances() {
				addr := inst.Addr
				pl, err := planAddress(in, kind, r, inst, work, pending[addr])
				if err != nil {
					return nil, err
				}
				if err := checkNeeds(kind, addr, pl); err != nil {
					return nil, err
				}
				work[addr] = pl
				if pl.change.Action == Replace && r.Protect {
					protectErrs = append(protectErrs, addr)
				}
				p.Changes = append(p.Changes, pl.change)
			}
		}
	}
	if len(protectErrs) > 0 && !in.Report {
		sort.Strings(protectErrs)
		return nil, &ProtectError{Addrs: protectErrs}
	}
	if !in.Destroy {
		wireBackends(in, work)
		readdressBackends(in, work)
		if err := templatesFirst(in, work); err != nil {
			return nil, err
		}
		for _, c := range planTags(in, work) {
			work[c.Addr] = &planned{change: c}
			p.Changes = append(p.Changes, c)
		}
	}

	// Records that left the stack.
	for _, addr := range snap.Addresses() {
		if _, inSpec := work[addr]; inSpec {
			continue
		}
		rec := snap.Resources[addr]
		c := &Change{Addr: addr, Resource: resourceName(addr), Kind: rec.Kind, ID: rec.ID, Action: Delete, Reason: ReasonRemovedFromSpec, Protect: rec.Protect}
		switch {
		case in.Destroy:
			c.Reason = ReasonDestroy
		case rec.Kind == "tag":
			c.Reason, c.Implicit = ReasonTagUnused, true
		case strings.HasSuffix(addr, state.ReplacedSuffix):
			c.Reason, c.Protect = ReasonReplacedOld, false
		default:
			c.Reason = removedReason(s, addr)
		}
		// A resource the stack still has (destroy, fewer copies) is as
		// protected as the stack says now; one it no longer has, as its
		// record says (apply keeps the records' flags in step: SyncProtect).
		protect := rec.Protect
		if r := s.Resources[resourceName(addr)]; r != nil && !strings.HasSuffix(addr, state.ReplacedSuffix) {
			protect = r.Protect
		}
		c.Protect = c.Protect && protect
		if protect {
			c.Action, c.Reason = NoOp, ReasonProtectedKept
			c.Detail = "protected: kept in the cloud and in the state"
		}
		switch {
		case rec.Missing && c.Action == Delete:
			c.Detail = "missing since a replacement; only the record is removed"
		case in.Live != nil && observe(in.Live, rec) == nil && c.Action == Delete:
			// Already gone: deleting is only forgetting.
			c.Detail = "already deleted outside cdstack; only the record is removed"
		}
		if j := pending[addr]; j != nil {
			settleFirst(c, j, in.Pending[addr].Text)
		}
		p.Changes = append(p.Changes, c)
	}

	if !in.Destroy {
		warnTextBackends(in, work, p)
	}

	// Pending operations on addresses without another change are settled
	// first, too.
	for addr, j := range pending {
		if p.Change(addr) == nil {
			c := &Change{Addr: addr, Resource: resourceName(addr), Kind: j.Kind}
			settleFirst(c, j, in.Pending[addr].Text)
			p.Changes = append(p.Changes, c)
		}
	}
	showSettled(p, in.settled, in.Pending)

	keepDependencies(p, snap)
	linkDeletes(p, snap)
	if len(in.Targets) > 0 {
		if err := applyTargets(p, snap, in.Targets); err != nil {
			return nil, err
		}
	}
	if !in.Report {
		if err := checkDeletionProtection(p, snap); err != nil {
			return nil, err
		}
		if err := checkUndeletable(p, snap, in.Live); err != nil {
			return nil, err
		}
	}
	sortChanges(p.Changes)
	if in.Live != nil {
		p.Drift, p.TenantResources = detectDrift(in, work)
		p.Tenants = in.Tenants
		p.Drift = append(p.Drift, takenDrift(p.Drift, work)...)
		if in.Reads != nil {
			p.Drift = append(p.Drift, readDrift(in.Reads.Changed)...)
		}
	}
	return p, nil
}

// Desired evaluates the properties of one instance of r (what ${index} and
// ${each.…} stand for in it) with attr resolving resource references, and
// returns them normalised, with the kind's sensitive fields (passwords)
// split off as secrets. Plan and the executor both use it.
func Desired(s *spec.Stack, kind resources.Kind, r *spec.Resource, inst spec.Instance, attr func(*spec.Ref) (any, error)) (resources.Inputs, map[string]string, error) {
	raw, err := r.Properties.Eval(s.InstanceContext(inst, attr))
	if err != nil {
		return nil, nil, err
	}
	props, _ := raw.(map[string]any)
	in, secrets := resources.Inputs{}, map[string]string{}
	splitter, _ := kind.(resources.SecretSplitter)
	for k, v := range props {
		if splitter != nil {
			clean, sec := splitter.SplitSecrets(k, v)
			for name, secret := range sec {
				secrets[name] = secret
			}
			v = clean
		}
		if f, ok := resources.FieldOf(kind, k); ok && f.Sensitive {
			if str, ok := v.(string); ok {
				secrets[k] = str
			}
			continue
		}
		in[k] = v
	}
	return kind.Normalize(in, s.Region), secrets, nil
}

// planAddress computes the change of one spec address.
func planAddress(in Input, kind resources.Kind, r *spec.Resource, inst spec.Instance, work map[string]*planned, journal *state.JournalEntry) (*planned, error) {
	s, addr := in.Stack, inst.Addr
	desired, secrets, err := Desired(s, kind, r, inst, resolver(s, work))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	pl := &planned{desired: desired, secrets: secrets, resource: r}
	c := &Change{Addr: addr, Resource: r.Name, Kind: r.Kind, Protect: r.Protect, Journal: journal, Deps: depAddresses(s, r)}
	pl.change = c

	rec := in.Snapshot.Resources[addr]
	if rec != nil {
		c.ID = rec.ID
	}
	if journal != nil {
		// An operation of this address is pending (in flight in another
		// process, or interrupted): it is settled before anything else is
		// planned for it, so nothing else is shown, and it is not a name
		// conflict or drift.
		settleFirst(c, journal, in.Pending[addr].Text)
		return pl, nil
	}
	if rec == nil || rec.Missing {
		c.Action, c.Reason = Create, ReasonNew
		if rec != nil {
			c.Reason, c.ID = ReasonMissing, ""
		}
		c.After, c.Hidden = redact(desired, secrets, s.SensitiveProperties(r))
		if err := nameTaken(in, kind, addr, desired); err != nil {
			if !in.Report {
				return nil, err
			}
			pl.taken = err
		}
		return pl, nil
	}
	c.ID = rec.ID
	var obs *resources.Observation
	if in.Live != nil {
		obs = kind.Observe(in.Live, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
	} else {
		obs = &resources.Observation{ID: rec.ID, Attrs: resources.Inputs(resources.Canon(rec.Inputs).(map[string]any)), Outputs: rec.Outputs}
	}
	if obs == nil {
		c.Action, c.Reason = Create, ReasonDeletedOutside
		c.Detail = fmt.Sprintf("%s %s no longer exists in the cloud", r.Kind, rec.ID)
		c.After, c.Hidden = redact(desired, secrets, s.SensitiveProperties(r))
		return pl, nil
	}
	pl.outputs, pl.obs = obs.Outputs, obs
	sens := s.SensitiveProperties(r)
	ignored := map[string]bool{}
	for _, f := range r.IgnoreChanges {
		ignored[f] = true
	}
	var immutable []string
	for _, f := range kind.Fields() {
		if ignored[f.Name] {
			continue
		}
		fc := FieldChange{Path: f.Name, Update: f.Update, Sensitive: f.Sensitive, Destructive: f.Destructive}
		differs := false
		if f.Sensitive {
			if v, ok := secrets[f.Name]; ok {
				if h, had := rec.SecretHashes[f.Name]; had && !state.SecretMatches(h, v) {
					differs = true
					fc.Before, fc.After = "(sensitive)", "(sensitive)"
				}
			}
		} else if sens[f.Name] {
			fc.Sensitive, fc.Before, fc.After = true, "(sensitive)", "(sensitive)"
			if h, hashed := rec.SecretHashes[f.Name]; hashed && !obs.Attrs.Has(f.Name) {
				differs = !state.SecretMatches(h, SecretText(desired[f.Name])) // planned from the state alone
			} else {
				differs = kind.Differs(f.Name, desired, obs.Attrs)
			}
		} else if kind.Differs(f.Name, desired, obs.Attrs) {
			differs = true
			fc.Before, fc.After = obs.Attrs[f.Name], desired[f.Name]
		}
		if !differs {
			continue
		}
		if !fc.Sensitive {
			fc.Details = details(f.Name, fc.Before, fc.After)
		}
		fc.Replace = spec.HasUnknown(desired[f.Name]) && f.Update == "" || kind.Replaces(f.Name, desired, obs.Attrs)
		if fc.Replace {
			fc.Update = ""
			immutable = append(immutable, f.Name)
		}
		c.Fields = append(c.Fields, fc)
	}
	c.Fields = append(c.Fields, nestedSecretChanges(kind, secrets, rec.SecretHashes, ignored, c.Fields)...)
	requested := replaceRequested(in.Replace, addr)
	if in.Reads != nil {
		c.Because = because(r, c, in.Reads.Changed)
	}
	failed := rec.Failed || obs.Failed
	switch {
	case failed:
		c.Action, c.Reason, c.Fields = Replace, ReasonFailed, nil
		c.Detail = fmt.Sprintf("%s %s failed in the cloud (its create task ended in error): deleted and created again", r.Kind, rec.ID)
		c.After, c.Hidden = redact(desired, secrets, sens)
	case len(immutable) > 0 || requested:
		c.Action, c.Reason = Replace, ReasonReplaceImmutable
		c.Detail = replaceDetail(kind, immutable, desired, obs.Attrs)
		for _, f := range immutable {
			if spec.HasUnknown(desired[f]) {
				c.Reason = ReasonDependencyReplaced
			}
		}
		if requested {
			c.Reason, c.Detail = ReasonReplaceRequested, "--replace "+addr
		}
		c.After, c.Hidden = redact(desired, secrets, sens)
		if r.CreateBeforeDestroy || resources.CreatesFirst(kind) {
			if err := createFirst(c, kind, desired, obs); err != nil {
				return nil, fmt.Errorf("%s: create_before_destroy: %w", addr, err)
			}
		}
	case len(c.Fields) > 0:
		c.Action, c.Reason = Update, ReasonUpdate
		if rec.Incomplete {
			c.Reason = ReasonIncomplete
		}
		var actions []string
		for _, fc := range c.Fields {
			if fc.Update != resources.RecordOnly && !slices.Contains(actions, fc.Update) {
				actions = append(actions, fc.Update)
			}
		}
		c.Detail = "in place: " + strings.Join(actions, ", ")
		if len(actions) == 0 {
			c.Detail = "only the record changes: nothing is sent to the cloud"
		}
		c.After, c.Hidden = redact(desired, secrets, sens) // what preflight and pricing look at
	default:
		c.Action = NoOp
	}
	return pl, nil
}

// checkReplace refuses --replace addresses the stack does not have.
func checkReplace(in Input) error {
	for i, a := range in.Replace {
		addr, err := spec.ParseAddress(a)
		if err != nil {
			return fmt.Errorf("--replace %s: %w", a, err)
		}
		name, idx := addr.Name, addr.Index
		a = addr.String()
		in.Replace[i] = a
		r := in.Stack.Resources[name]
		if r == nil {
			return fmt.Errorf("--replace %s: the stack has no resource %q%s", a, name, suggest.DidYouMean(name, in.Stack.Names()))
		}
		if idx >= 0 && !r.HasCount() && !r.HasForEach() {
			return fmt.Errorf("--replace %s: %s has no count; name it %s", a, name, name)
		}
		if addr.Keyed && !r.HasForEach() {
			return fmt.Errorf("--replace %s: %s has no for_each; name it %s", a, name, strings.Join(r.Addresses(), ", "))
		}
		if addr.Instanced() && !slices.Contains(r.Addresses(), a) {
			return fmt.Errorf("--replace %s: the stack has no such address; %s has %s", a, name, strings.Join(r.Addresses(), ", "))
		}
		if r.Protect {
			return fmt.Errorf("--replace %s: %s is protected (protect: true); remove protect to replace it", a, name)
		}
	}
	return nil
}

// replaceRequested reports whether --replace names addr, or its resource.
func replaceRequested(replace []string, addr string) bool {
	name, _ := spec.SplitAddress(addr)
	return slices.Contains(replace, addr) || slices.Contains(replace, name)
}

// settleFirst makes c the settling of the pending journal entry j, with
// what that is likely to do when a read-only command found it out.
func settleFirst(c *Change, j *state.JournalEntry, outlook string) {
	c.Action, c.Reason, c.Journal = Read, ReasonPendingJournal, j
	c.Detail = pendingText(c.Addr, j, outlook)
}

// pendingText says that j, pending on addr, is settled first, and what
// that is likely to do.
func pendingText(addr string, j *state.JournalEntry, outlook string) string {
	if j.OpID == "" { // state.InFlight: begun and ended while the cloud was read
		return fmt.Sprintf("another cdstack process changed %s (%s) while the cloud was read; plan again to see it as it is now", addr, j.Action)
	}
	task := ""
	if j.TaskID != "" {
		task = fmt.Sprintf(" (task %s)", j.TaskID)
	}
	text := fmt.Sprintf("%s of %s is pending%s; the next apply settles it before anything else", j.APIAction, addr, task)
	if outlook != "" {
		text += ": " + outlook
	}
	return text
}

// createFirst makes the replacement c create before it destroys, with a
// temporary name while the old resource holds a name that must be unique
// in its scope, or says why it cannot be done: the kind cannot rename what
// it made under a temporary name, or the new resource would need an address
// the old one holds.
func createFirst(c *Change, kind resources.Kind, desired resources.Inputs, old *resources.Observation) error {
	c.CreateBeforeDestroy = true
	held := resources.Inputs(old.Outputs)
	if ip := desired.String("public_ip"); ip != "" && ip != "auto" && (ip == held.String("public_ip") || ip == old.Attrs.String("public_ip")) {
		return fmt.Errorf("the new %s would need public address %s, which the one it replaces holds until it is deleted; let it be auto, or remove create_before_destroy", kind.Name(), ip)
	}
	for _, want := range desired.Maps("private_ips") {
		for _, have := range append(held.Maps("interfaces"), old.Attrs.Maps("private_ips")...) {
			if ip := want["ip"]; ip != "auto" && ip == have["ip"] && want["network"] == have["network"] {
				return fmt.Errorf("the new %s would need private address %v, which the one it replaces holds until it is deleted; let it be auto, or remove create_before_destroy", kind.Name(), ip)
			}
		}
	}
	name := desired.String("name")
	sameScope := !spec.HasUnknown(map[string]any(desired)) && kind.Scope(desired) == kind.Scope(old.Attrs)
	if name == "" || name != old.Attrs.String("name") || !sameScope {
		return nil // the new one's name is free
	}
	if f, ok := resources.FieldOf(kind, "name"); !ok || f.Update == "" {
		where := " in its VDC"
		if kind.Scope(old.Attrs) == "" {
			where = "" // a template's: the account's
		}
		return fmt.Errorf("a %s's name must be unique%s and the API cannot rename one made under a temporary name; give the new one another name, or remove create_before_destroy", kind.Name(), where)
	}
	c.TempName = tempName(name)
	return nil
}

// tempName is a name for a resource that will be renamed to name: name
// with a short random suffix, within the 64 characters names may have.
func tempName(name string) string {
	suffix := "-new-" + uuid.NewString()[:6]
	if r := []rune(name); len(r)+len(suffix) > 64 {
		name = string(r[:64-len(suffix)])
	}
	return name + suffix
}

// replaceDetail names the fields that force a replacement, with the kind's
// reason where it has one ("system_disk: a system disk only grows").
func replaceDetail(kind resources.Kind, fields []string, desired, actual resources.Inputs) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f
		if ex, ok := kind.(resources.ReplaceExplainer); ok {
			if why := ex.ReplaceReason(f, desired, actual); why != "" {
				out[i] = why
			}
		}
	}
	return strings.Join(out, ", ")
}

// planTags plans the tags the stack's instances name, as implicit
// resources at "tag:NAME": a tag nobody has is created and recorded (cdstack
// owns it); one that exists without a record is someone else's and only
// used, so it is never deleted. An instance's change waits for the tags it
// names. A recorded tag no instance names any more falls to the records
// loop of Plan, which deletes it once the instances have dropped it.
func planTags(in Input, work map[string]*planned) []*Change {
	users := map[string][]string{}
	for addr, pl := range work {
		if pl.resource != nil && pl.resource.Kind == "instance" {
			for _, t := range pl.desired.Strings("tags") {
				users[t] = append(users[t], addr)
			}
		}
	}
	kind := resources.Registry["tag"]
	var out []*Change
	for _, name := range slices.Sorted(maps.Keys(users)) {
		addr := resources.TagAddress(name)
		desired := resources.Inputs{"name": name}
		sort.Strings(users[name])
		c := &Change{Addr: addr, Resource: addr, Kind: "tag", Implicit: true, After: desired, Action: NoOp,
			Detail: "named by " + strings.Join(users[name], ", ")}
		switch rec := in.Snapshot.Resources[addr]; {
		case rec != nil:
			c.ID = rec.ID
			if in.Live != nil && kind.Observe(in.Live, rec.ID, nil) == nil {
				c.Action, c.Reason = Create, ReasonDeletedOutside
			}
		case in.Live != nil && kind.FindByName(in.Live, desired) != "":
			continue // someone else's tag
		default:
			c.Action, c.Reason = Create, ReasonNew
		}
		out = append(out, c)
		for _, u := range users[name] {
			work[u].change.Deps = append(work[u].change.Deps, addr)
		}
	}
	return out
}

// A NameTakenError refuses to create a resource whose name is already used
// in its scope by a resource no record owns: creating it would make a twin.
type NameTakenError struct {
	Addr, Kind, Name, Scope, ID string
	// Tenant is the tenant (tenants:) whose state holds it, at TenantAddr.
	Tenant, TenantAddr string
	// Owner, when set, is the record of another workspace of the stack
	// that owns the resource ("net of workspace default (.cdstack/s.db)"):
	// importing it would give it two states.
	Owner string
}

func (e *NameTakenError) Error() string {
	where := ""
	if e.Scope != "" {
		where = " in " + e.Scope
	}
	if e.Tenant != "" {
		return fmt.Sprintf("%s: a %s named %q already exists%s (%s), managed by stack %s as %s; give this one another name", e.Addr, e.Kind, e.Name, where, e.ID, e.Tenant, e.TenantAddr)
	}
	if e.Owner != "" {
		return fmt.Sprintf("%s: a %s named %q already exists%s (%s) and is %s; make its name differ per workspace with ${workspace} rather than import it", e.Addr, e.Kind, e.Name, where, e.ID, e.Owner)
	}
	return fmt.Sprintf("%s: a %s named %q already exists%s (%s) and no state record owns it; adopt it with: cdstack import %s %s", e.Addr, e.Kind, e.Name, where, e.ID, e.Addr, e.ID)
}

func nameTaken(in Input, kind resources.Kind, addr string, desired resources.Inputs) *NameTakenError {
	if in.Live == nil || spec.HasUnknown(map[string]any(desired)) {
		return nil
	}
	id := kind.FindByName(in.Live, desired)
	if id == "" {
		return nil
	}
	for _, r := range in.Snapshot.Resources {
		if r.ID == id {
			return nil
		}
	}
	e := &NameTakenError{Addr: addr, Kind: kind.Name(), Name: desired.String("name"), Scope: kind.Scope(desired), ID: id}
	e.Tenant, e.TenantAddr = TenantOwning(in.Tenants, in.Live, id)
	return e
}

// details lists what changed inside a list or map value, element by
// element, with r3labs/diff; scalars and values known only after apply get
// none.
func details(field string, before, after any) []Detail {
	_, isList := before.([]any)
	_, isMap := before.(map[string]any)
	if !isList && !isMap || spec.HasUnknown(after) {
		return nil
	}
	log, err := diff.Diff(resources.Canon(before), resources.Canon(after))
	if err != nil {
		return nil
	}
	out := make([]Detail, 0, len(log))
	for _, ch := range log {
		out = append(out, Detail{Path: field + "." + strings.Join(ch.Path, "."), Type: ch.Type, From: ch.From, To: ch.To})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// redact returns desired with sensitive fields, and the properties that
// come from sensitive variables, shown as (sensitive); and the values of
// the latter that are not secrets (a cpu from a sensitive variable), which
// preflight and pricing need (Change.Hidden).
func redact(desired resources.Inputs, secrets map[string]string, sens map[string]bool) (after, hidden map[string]any) {
	out := map[string]any{}
	for k, v := range desired {
		out[k] = v
		if sens[k] {
			out[k] = "(sensitive)"
			if _, secret := secrets[k]; !secret && v != nil {
				if hidden == nil {
					hidden = map[string]any{}
				}
				hidden[k] = v // a number, a list: checked, never shown
			}
		}
	}
	for k := range secrets {
		out[k] = "(sensitive)"
	}
	return out, hidden
}

// SecretText is the text a sensitive value is hashed as.
func SecretText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(resources.Canon(v))
	return string(b)
}

// resolver answers ${addr.attr} from what the plan knows so far.
func resolver(s *spec.Stack, work map[string]*planned) func(*spec.Ref) (any, error) {
	one := func(addr, attr string) any {
		pl, ok := work[addr]
		if !ok {
			return spec.Unknown{Ref: "${" + addr + "." + attr + "}"}
		}
		if _, exported := spec.Exports[pl.resource.Kind][attr]; exported {
			if pl.change.Action == Create || pl.change.Action == Replace || pl.outputs == nil || updatesOutput(pl.change, attr) {
				return spec.Unknown{Ref: "${" + addr + "." + attr + "}"}
			}
			if v, ok := pl.outputs[attr]; ok {
				return v
			}
			return spec.Unknown{Ref: "${" + addr + "." + attr + "}"}
		}
		if v, ok := pl.desired[attr]; ok {
			return v
		}
		return nil
	}
	return addressed(s, one)
}

// updatesOutput reports whether c is an update in place that changes the
// exported attribute attr (resources.OutputUpdater: an instance's
// addresses moved by ModifyIpAddress): its value is known once the update
// is applied, so what refers to it follows in the same apply.
func updatesOutput(c *Change, attr string) bool {
	u, ok := resources.Registry[c.Kind].(resources.OutputUpdater)
	if !ok || c.Action != Update {
		return false
	}
	var fields []string
	for _, f := range c.Fields {
		fields = append(fields, f.Path)
	}
	return slices.Contains(u.UpdatedOutputs(fields), attr)
}

// addressed resolves a reference by asking one for each address it names:
// one address, one copy of a counted resource, or all copies ([*], a list).
func addressed(s *spec.Stack, one func(addr, attr string) any) func(*spec.Ref) (any, error) {
	return func(ref *spec.Ref) (any, error) {
		target, ok := s.Resources[ref.Addr]
		if !ok {
			return nil, fmt.Errorf("%s: unknown resource %q", ref.Pos, ref.Addr)
		}
		switch {
		case ref.Splat:
			out := []any{}
			for _, a := range target.Addresses() {
				out = append(out, one(a, ref.Attr))
			}
			return out, nil
		case ref.Keyed:
			return one(spec.KeyAddress(ref.Addr, ref.Key), ref.Attr), nil
		case ref.Idx >= 0:
			return one(fmt.Sprintf("%s[%d]", ref.Addr, ref.Idx), ref.Attr), nil
		default:
			return one(ref.Addr, ref.Attr), nil
		}
	}
}

// RecordResolver answers ${addr.attr} from records: an exported attribute
// from the record's outputs, a property from its inputs, Unknown when the
// record does not exist yet. record is called under whatever lock the caller
// needs.
func RecordResolver(s *spec.Stack, record func(addr string) *state.Record) func(*spec.Ref) (any, error) {
	return addressed(s, func(addr, attr string) any {
		rec := record(addr)
		if rec == nil || rec.Missing {
			return spec.Unknown{Ref: "${" + addr + "." + attr + "}"}
		}
		if v, ok := rec.Outputs[attr]; ok {
			return resources.Canon(v)
		}
		if v, ok := rec.Inputs[attr]; ok {
			return resources.Canon(v)
		}
		return spec.Unknown{Ref: "${" + addr + "." + attr + "}"}
	})
}

// depAddresses expands a resource's dependencies to addresses.
func depAddresses(s *spec.Stack, r *spec.Resource) []string {
	var out []string
	for _, d := range s.Dependencies(r.Name) {
		out = append(out, s.Resources[d].Addresses()...)
	}
	return out
}

// topoOrder returns resource names dependencies first.
func topoOrder(s *spec.Stack) ([]string, error) {
	g := s.Graph()
	if cyc := spec.FindCycles(g); len(cyc) > 0 {
		return nil, fmt.Errorf("dependency cycle: %s", strings.Join(cyc[0], " → "))
	}
	var order []string
	done := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, d := range g[n] {
			visit(d)
		}
		order = append(order, n)
	}
	for _, n := range s.Names() {
		visit(n)
	}
	return order, nil
}

func observe(l *resources.Live, rec *state.Record) *resources.Observation {
	k, ok := resources.Registry[rec.Kind]
	if !ok {
		return nil
	}
	return k.Observe(l, rec.ID, &resources.Recorded{Inputs: rec.Inputs, Outputs: rec.Outputs})
}

// keepDependencies keeps what a kept protected resource depends on: its VDC
// and networks cannot be deleted while it is there.
func keepDependencies(p *Document, snap *state.Snapshot) {
	var keep func(addr, because string)
	keep = func(addr, because string) {
		rec := snap.Resources[addr]
		if rec == nil {
			return
		}
		for _, dep := range rec.Deps {
			if c := p.Change(dep); c != nil && c.Action == Delete {
				c.Action, c.Reason = NoOp, ReasonProtectedKept
				c.Detail = "protected " + because + " depends on it"
				keep(dep, because)
			}
		}
	}
	for _, c := range p.Changes {
		if c.Reason == ReasonProtectedKept && c.Protect {
			keep(c.Addr, c.Addr)
		}
	}
}

// linkDeletes sets DelAfter: a delete (or the delete half of a replacement)
// waits for the deletes of the records that depend on it; a plain delete
// also waits for their updates (an instance drops a tag before the tag is
// deleted). The delete half of a replacement does not wait for updates:
// those may wait for the replacement's create.
func linkDeletes(p *Document, snap *state.Snapshot) {
	action := map[string]Action{}
	for _, c := range p.Changes {
		action[c.Addr] = c.Action
	}
	for _, c := range p.Changes {
		if c.Action != Delete && c.Action != Replace {
			continue
		}
		for _, addr := range snap.Addresses() {
			rec := snap.Resources[addr]
			a := action[addr]
			// A create-first replacement's old one also waits for the
			// updates that switch away from it (listeners to a new
			// certificate): they wait for its create, not its delete.
			if slices.Contains(rec.Deps, c.Addr) && (a == Delete || a == Replace || a == Update && (c.Action == Delete || c.CreateBeforeDestroy)) {
				c.DelAfter = append(c.DelAfter, addr)
			}
		}
	}
}

// applyTargets keeps the targeted changes and what they depend on; for a
// targeted delete, the deletes of what depends on it; and the load
// balancer changes that keep listeners off a kept instance while it is
// deleted (keepBackendsSafe).
func applyTargets(p *Document, snap *state.Snapshot, targets []string) error {
	keep := map[string]string{} // address → the target that keeps it
	var visit func(addr, target string)
	visit = func(addr, target string) {
		if keep[addr] != "" {
			return
		}
		keep[addr] = target
		if c := p.Change(addr); c != nil {
			for _, d := range c.Deps {
				visit(d, target)
			}
		}
	}
	for _, t := range targets {
		a, err := spec.ParseAddress(t)
		if err != nil && !strings.HasPrefix(t, resources.TagPrefix) {
			return fmt.Errorf("--target %s: %w", t, err)
		}
		if err == nil {
			t = a.String()
		}
		matched := false
		for _, c := range p.Changes {
			// A component use (api, api[1]) targets every resource of it.
			if c.Addr == t || c.Resource == t || strings.HasPrefix(c.Addr, t+".") {
				visit(c.Addr, t)
				keepDependentDeletes(p, c, keep, t)
				matched = true
			}
		}
		if !matched {
			return fmt.Errorf("--target %s: no such address in the stack or the state", t)
		}
	}
	keepBackendsSafe(p, keep, visit)
	if p.Destroy {
		unwireDestroyed(p, snap, keep)
	}
	var kept []*Change
	for _, c := range p.Changes {
		if keep[c.Addr] != "" || c.Action == Read {
			// An edge to a change left out is no edge (a load balancer's
			// wait for a replacement the targets leave for later).
			c.WaitsFor = slices.DeleteFunc(c.WaitsFor, func(w Wait) bool { return keep[strings.TrimSuffix(w.Step, " (delete)")] == "" })
			kept = append(kept, c)
		}
	}
	p.Changes = kept
	return nil
}

// keepDependentDeletes keeps, for a targeted delete, the deletes of what
// depends on it (DelAfter, transitively): the cloud refuses to delete a
// network with instances on it, a VDC with networks. What those depend on
// is not kept: it is not targeted. A load balancer that only sends to a
// deleted instance is not deleted with it: it is kept, and the instance
// unwired from it (unwireDestroyed).
func keepDependentDeletes(p *Document, c *Change, keep map[string]string, target string) {
	if c.Action != Delete {
		return
	}
	for _, d := range c.DelAfter {
		dc := p.Change(d)
		if dc == nil || dc.Action != Delete || keep[d] != "" || dc.Kind == "load_balancer" && c.Kind == "instance" {
			continue
		}
		keep[d] = target
		keepDependentDeletes(p, dc, keep, target)
	}
}

// removedReason says why the record at addr left the stack: its key left
// for_each, count went down, or the resource itself is gone.
func removedReason(s *spec.Stack, addr string) string {
	a, err := spec.ParseAddress(addr)
	r := s.Resources[a.Name]
	switch {
	case err != nil || r == nil:
	case a.Keyed && r.HasForEach():
		return ReasonKeyRemoved
	case a.Index >= 0 && r.HasCount():
		return ReasonCountReduced
	}
	return ReasonRemovedFromSpec
}

func resourceName(addr string) string { n, _ := spec.SplitAddress(addr); return n }

func splitAddr(addr string) (string, int) { return spec.SplitAddress(addr) }

// ErrStalePlan says a saved plan no longer matches the stack or the state.
var ErrStalePlan = errors.New("the saved plan is stale")

// nestedSecretChanges are the changes of secrets a kind keeps inside a
// field (a MySQL account's password, "accounts.app.password"): one whose
// hash no longer matches, and one not hashed yet while its field changes
// (a new account), so the update sets it and the record keeps its hash.
func nestedSecretChanges(kind resources.Kind, secrets, hashes map[string]string, ignored map[string]bool, fields []FieldChange) []FieldChange {
	var out []FieldChange
	for _, name := range slices.Sorted(maps.Keys(secrets)) {
		field, _, nested := strings.Cut(name, ".")
		f, ok := resources.FieldOf(kind, field)
		if !nested || !ok || ignored[field] {
			continue
		}
		h, had := hashes[name]
		changing := slices.ContainsFunc(fields, func(fc FieldChange) bool { return fc.Path == field })
		if had && state.SecretMatches(h, secrets[name]) || !had && !changing {
			continue
		}
		out = append(out, FieldChange{Path: name, Update: f.Update, Sensitive: true, Before: "(sensitive)", After: "(sensitive)"})
	}
	return out
}
