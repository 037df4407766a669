package executor

import (
	"context"
	"errors"
	"maps"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// One CreateVdc for a VDC and its public network (CreateVdc's
// PublicNetwork, as the official provider sends it). The plan is not
// changed: it still has a create of each, with its own record. The
// executor pairs them when the walk starts (pairVdcPublics): a plain
// create of a VDC, and the first (by address) plain create of a public
// network whose only step dependency is that VDC's create, whose
// properties use the VDC only as their whole vdc (checked by evaluating
// them with two stand-ins for its id), and whose address count is one
// segment (resources.PublicInVdc). The VDC's step then:
//
//  1. journals an entry for each (the network's has APIAction CreateVdc
//     and no scope yet), in one transaction;
//  2. sends CreateVdc with PublicNetwork; the task id goes into both
//     entries, then the VDC's id (the task names the VDC only) into the
//     VDC's entry and, as its scope and vdc, into the network's;
//  3. reads the VDC once (DescribeVdc) and records each, the network found
//     by its name in the new VDC.
//
// The network's step, when its turn comes, finds its record made and does
// nothing; if the VDC's step left its entry unsettled (a lost answer, a
// network not yet listed), it settles it as Recover would, and creates the
// network with CreatePublicNetwork only when the cloud shows none was made.
// A CreateVdc the API refuses (a bad public network, say) is made again
// without the network, so each resource fails or succeeds on its own; a
// task that fails made neither, and the network's step is skipped as
// upstream failed. Recover settles a network's entry left by a killed run
// by its VDC (the task's resource, else the record of the VDC it depends
// on, settled first) and its name, never by the task's resource id.

// pairVdcPublics finds the public networks that are created inside their
// VDC's CreateVdc.
func (e *Executor) pairVdcPublics(steps []*planner.Step) {
	e.withVdc, e.madeWithVdc, e.pendingWithVdc = map[string]*planner.Change{}, map[string]bool{}, map[string]*state.JournalEntry{}
	vdcs := map[string]*planner.Step{}
	for _, s := range steps {
		if plainCreate(s, "vdc") {
			vdcs[s.ID] = s
		}
	}
	sorted := append([]*planner.Step(nil), steps...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, s := range sorted {
		if !plainCreate(s, "public_network") || len(s.Deps) != 1 {
			continue
		}
		v := vdcs[s.Deps[0]]
		if v == nil || e.withVdc[v.Change.Addr] != nil {
			continue
		}
		if _, _, ok := e.publicWithVdc(s.Change, v.Change.Addr); ok {
			e.withVdc[v.Change.Addr] = s.Change
		}
	}
}

// plainCreate reports whether s creates a new resource of kind (not a
// replacement's half).
func plainCreate(s *planner.Step, kind string) bool {
	return s.Op == planner.Create && s.Change.Action == planner.Create && s.Change.Kind == kind && !s.Change.CreateBeforeDestroy
}

// publicWithVdc evaluates the public network p of the VDC at vdcAddr
// before the VDC exists: its inputs but vdc, and whether they may go into
// the VDC's CreateVdc.
func (e *Executor) publicWithVdc(p *planner.Change, vdcAddr string) (resources.Inputs, *spec.Resource, bool) {
	eval := func(standIn string) (resources.Inputs, *spec.Resource, bool) {
		attr := planner.RecordResolver(e.stack, func(addr string) *state.Record {
			if addr == vdcAddr {
				return &state.Record{Addr: addr, Kind: "vdc", Outputs: map[string]any{"id": standIn}}
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.records[addr]
		})
		_, in, secrets, r, err := e.desiredWith(p, attr)
		if err != nil || len(secrets) > 0 || in.String("vdc") != standIn {
			return nil, nil, false
		}
		delete(in, "vdc")
		return in, r, true
	}
	a, r, okA := eval("\x00vdc-a")
	b, _, okB := eval("\x00vdc-b")
	if !okA || !okB || !resources.Equal(map[string]any(a), map[string]any(b)) || !resources.PublicInVdc(a) {
		return nil, nil, false // the VDC's id is used beyond vdc, or the network needs more than CreateVdc buys
	}
	return a, r, true
}

// createWithVdc carries out c when it is half of a pair: the VDC's create
// (with its network) or the network's (already made, or left to settle).
// done is false when c is not paired: the caller creates it alone.
func (e *Executor) createWithVdc(ctx context.Context, c *planner.Change, release func()) (done bool, err error) {
	e.mu.Lock()
	p := e.withVdc[c.Addr]
	delete(e.withVdc, c.Addr) // once: a second attempt creates the VDC alone
	made, left := e.madeWithVdc[c.Addr], e.pendingWithVdc[c.Addr]
	delete(e.pendingWithVdc, c.Addr)
	e.mu.Unlock()
	switch {
	case p != nil:
		return true, e.createVdcWithPublic(ctx, c, p, release)
	case made:
		return true, nil
	case left != nil:
		_, redo, err := e.recoverOne(ctx, left, map[string]*resources.Live{})
		if err != nil || !redo {
			return true, err
		}
		return false, nil // nothing was made with the VDC: create it now
	}
	return false, nil
}

// createVdcWithPublic creates the VDC of v and the public network of p in
// one CreateVdc and records both.
func (e *Executor) createVdcWithPublic(ctx context.Context, v, p *planner.Change, release func()) error {
	pin, pr, ok := e.publicWithVdc(p, v.Addr)
	if !ok {
		return e.createOne(ctx, v, release)
	}
	kind, in, secrets, r, err := e.desired(v)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	stored, secretHashes := e.storable(r, in, hashes(secrets))
	jv := &state.JournalEntry{OpID: uuid.NewString(), Addr: v.Addr, Kind: v.Kind, Action: "create", APIAction: "CreateVdc",
		Marker: in.String("name"), Scope: kind.Scope(in), StartedAt: now, Inputs: stored, SecretHashes: secretHashes,
		Deps: append([]string{}, v.Deps...), Protect: r.Protect}
	pstored, _ := e.storable(pr, pin, nil)
	jp := &state.JournalEntry{OpID: uuid.NewString(), Addr: p.Addr, Kind: p.Kind, Action: "create", APIAction: "CreateVdc",
		Marker: pin.String("name"), StartedAt: now, Inputs: pstored, Deps: append([]string{}, p.Deps...), Protect: pr.Protect}
	both := func() state.Change {
		a, b := *jv, *jp
		a.Inputs, b.Inputs = maps.Clone(jv.Inputs), maps.Clone(jp.Inputs)
		return state.Change{JournalPut: []*state.JournalEntry{&a, &b}}
	}
	if err := e.commit(ctx, both()); err != nil {
		return err
	}
	crashPoint("journaled")
	wait := func(ctx context.Context, taskID string) (*cloud.Task, error) {
		crashPoint("called")
		jv.TaskID, jp.TaskID = taskID, taskID
		if err := e.commit(ctx, both()); err != nil {
			return nil, err
		}
		crashPoint("journaled")
		watch := e.client.WatchVdcWithPublic(jv.Scope, jv.Marker, jp.Marker)
		t, err := e.client.WaitTask(ctx, taskID, append([]cloud.WaitOption{watch}, e.waitOpts...)...)
		crashPoint("waited")
		if err == nil && t.ResourceID != "" {
			jv.ResourceID, jp.Scope, jp.Inputs["vdc"] = t.ResourceID, t.ResourceID, t.ResourceID
			if jerr := e.commit(ctx, both()); jerr != nil {
				return t, jerr
			}
			crashPoint("journaled")
		}
		return t, err
	}
	id, cerr := resources.CreateVdcWithPublic(ctx, e.client, in, pin, wait)
	if id == "" {
		id = jv.ResourceID
	}
	var ae *cloud.APIError
	switch {
	case id == "" && jv.TaskID == "" && errors.As(cerr, &ae) && changedNothing(jv, cerr):
		// Refused before anything was made (the network's part, maybe):
		// each is created on its own, and fails on its own.
		if err := e.commit(ctx, state.Change{JournalDelete: []string{jv.OpID, jp.OpID}}); err != nil {
			return errors.Join(cerr, err)
		}
		return e.createOne(ctx, v, release)
	case id == "" && changedNothing(jv, cerr):
		release()
		return errors.Join(cerr, e.commit(ctx, state.Change{JournalDelete: []string{jv.OpID, jp.OpID}}))
	case id == "":
		release()
		e.leaveForPublic(p.Addr, jp)
		return unsettled(jv, cerr)
	}
	release()
	live, err := resources.ReadVdc(ctx, e.client, id)
	if err != nil {
		e.leaveForPublic(p.Addr, jp)
		return errors.Join(cerr, &UnsettledError{Entry: jv, Err: err})
	}
	if err := e.record(ctx, jv, id, kind.Observe(live, id, &resources.Recorded{Inputs: jv.Inputs, Outputs: map[string]any{}})); err != nil {
		e.leaveForPublic(p.Addr, jp)
		return err
	}
	pkind := resources.Registry[p.Kind]
	pid := pkind.FindByName(live, resources.Inputs(jp.Inputs))
	if pid == "" {
		e.leaveForPublic(p.Addr, jp) // not listed: its step settles it
		return cerr
	}
	if err := e.record(ctx, jp, pid, pkind.Observe(live, pid, &resources.Recorded{Inputs: jp.Inputs, Outputs: map[string]any{}})); err != nil {
		e.leaveForPublic(p.Addr, jp)
		return err
	}
	e.mu.Lock()
	e.madeWithVdc[p.Addr] = true
	e.mu.Unlock()
	return cerr
}

// leaveForPublic leaves the network's entry for its own step to settle.
func (e *Executor) leaveForPublic(addr string, j *state.JournalEntry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pendingWithVdc[addr] = j
}

// madeInVdc settles the scope of j, a public network's entry made by its
// VDC's CreateVdc: the VDC is the task's resource (task, when it finished)
// or the record of the VDC it depends on. "" when there is no VDC: nothing
// was made.
func (e *Executor) madeInVdc(j *state.JournalEntry, task *cloud.Task) string {
	if j.Scope != "" {
		return j.Scope
	}
	if task != nil && task.ResourceID != "" {
		return task.ResourceID
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range j.Deps {
		if rec := e.records[d]; rec != nil && rec.Kind == "vdc" && !rec.Missing {
			return rec.ID
		}
	}
	return ""
}

// vdcsFirst orders journal entries so that VDCs settle before the public
// networks made with them, which find their VDC by its record.
func vdcsFirst(entries []*state.JournalEntry) []*state.JournalEntry {
	out := append([]*state.JournalEntry(nil), entries...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind == "vdc" && out[j].Kind != "vdc" })
	return out
}
