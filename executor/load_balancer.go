package executor

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/google/uuid"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/state"
)

// lbActions are the create and delete actions of the load balancer kinds,
// as the journal names them.
var lbActions = map[string]struct{ create, delete string }{
	"load_balancer": {"CreateLoadBalancer", "DeleteLoadBalancer"},
	"certificate":   {"UploadCACertificate", "DeleteCACertificate"},
}

// unwire carries out a load balancer's "(unwire)" step: its listeners, as
// the cloud has them, stop sending to the instances the step names, which
// the plan is about to delete (their records still hold their ids and
// addresses: the deletes wait for this step). The record keeps what was
// sent, so a run that stops here shows the rest as a change in the next
// plan. Nothing is sent when the listeners do not use them.
func (e *Executor) unwire(ctx context.Context, s *planner.Step, release func()) error {
	c := s.Change
	kind := resources.Registry[c.Kind]
	e.mu.Lock()
	rec := e.records[c.Addr]
	var ids, ips []string
	for _, addr := range s.Unwire {
		if in := e.records[addr]; in != nil && !in.Missing {
			ids = append(ids, in.ID)
			ips = append(ips, resources.InstanceAddresses(in.Outputs)...)
		}
	}
	e.mu.Unlock()
	before, err := e.readRecorded(ctx, c.Addr, kind, rec)
	if err != nil {
		return err
	}
	listeners := before.Attrs["listeners"]
	if listeners == nil {
		listeners = rec.Inputs["listeners"]
	}
	kept := resources.DropBackends(listeners, ids, ips)
	if resources.Equal(kept, resources.Canon(listeners)) {
		return nil
	}
	to := resources.Inputs(maps.Clone(rec.Inputs))
	to["listeners"] = kept
	j := &state.JournalEntry{OpID: uuid.NewString(), Addr: c.Addr, Kind: c.Kind, Action: "update", APIAction: "ModifyLoadBalancerStrategys",
		Marker: to.String("name"), Scope: kind.Scope(to), ResourceID: rec.ID, StartedAt: time.Now().UTC(), Inputs: to,
		SecretHashes: rec.SecretHashes, Deps: rec.Deps, Protect: rec.Protect}
	if err := e.journal(ctx, j); err != nil {
		return err
	}
	uerr := kind.Update(ctx, e.client, rec.ID, before, to, []string{"listeners"}, nil, e.waiter(j))
	release()
	if uerr != nil && cloud.OutcomeUnknown(uerr) {
		return unsettled(j, uerr)
	}
	if uerr != nil {
		j.Inputs = rec.Inputs
		return errors.Join(uerr, e.settle(ctx, j, kind, rec.ID))
	}
	return e.settle(ctx, j, kind, rec.ID)
}
