package planner

import "slices"

// A Step is one node of the execution DAG: the create or update of an
// address, or a delete (the delete half of a replacement is its own step).
type Step struct {
	ID     string // the address, or "addr (delete)"
	Change *Change
	Op     Action // Create, Update or Delete
	Deps   []string
	// Unwire, on a load balancer's "addr (unwire)" step, names the
	// instances its listeners stop sending to before they are deleted.
	Unwire []string
	// Alone marks an unwire step no update follows (a destroy limited by
	// --target keeps the load balancer): it is the change.
	Alone bool
}

// Steps turns the plan into the DAG the executor walks:
//
//   - a delete step of X waits for the delete steps of the records that
//     depended on X (they must go first: a VDC cannot be deleted while it
//     holds networks), and a plain delete also for their updates (an
//     instance drops a tag before the tag is deleted);
//   - a replacement of X is "X (delete)" then "X": the create waits for its
//     own delete, so the name and addresses are free again;
//   - a create or update of X waits for the create/update steps of what X
//     references, and for the steps of its WaitsFor;
//   - a replacement of X with create_before_destroy is the other way round:
//     "X" creates the new one (under a temporary name while the old one
//     holds the name), then "X (delete)" deletes the old one, then, with a
//     temporary name, "X (rename)" gives the new one its name;
//   - a load balancer L whose change unwires instances (wireBackends,
//     readdressBackends) has a step "L (unwire)" first, which drops them
//     from its listeners: their deletes, or their updates that move their
//     addresses, wait for it, and so does L's update, which sends to the
//     new ones once they are created or readdressed. In a destroy (limited
//     by --target) the unwire step is the load balancer's only step.
//
// Read and no-op changes make no steps: reads are settled before the walk.
func (p *Document) Steps() []*Step {
	var steps []*Step
	createStep := map[string]bool{}
	deleteStep := map[string]bool{}
	unwiredBy := map[string][]string{} // instance → the unwire steps its delete waits for
	for _, c := range p.Changes {
		alone := p.Destroy && len(c.Unwire) > 0 && c.Action == Update
		switch c.Action {
		case Create, Update, Replace:
			createStep[c.Addr] = !alone
		}
		if c.Action == Delete || c.Action == Replace {
			deleteStep[c.Addr] = true
		}
		if len(c.Unwire) > 0 && c.Action == Update {
			steps = append(steps, &Step{ID: c.Addr + " (unwire)", Change: c, Op: Update, Unwire: c.Unwire, Alone: alone})
			for _, in := range c.Unwire {
				unwiredBy[in] = append(unwiredBy[in], c.Addr+" (unwire)")
			}
		}
	}
	for _, c := range p.Changes {
		if c.Action == Replace && c.CreateBeforeDestroy {
			steps = append(steps, createFirstSteps(c, createStep, deleteStep)...)
			continue
		}
		if deleteStep[c.Addr] {
			s := &Step{ID: c.Addr + " (delete)", Change: c, Op: Delete, Deps: slices.Clone(unwiredBy[c.Addr])}
			for _, d := range c.DelAfter {
				switch {
				case deleteStep[d]:
					s.Deps = append(s.Deps, d+" (delete)")
				case createStep[d]:
					s.Deps = append(s.Deps, d) // an update of a record that depended on it
				}
			}
			steps = append(steps, s)
		}
		if createStep[c.Addr] {
			op := c.Action
			if op == Replace {
				op = Create
			}
			s := &Step{ID: c.Addr, Change: c, Op: op}
			if c.Action == Replace {
				s.Deps = append(s.Deps, c.Addr+" (delete)")
			}
			if len(c.Unwire) > 0 && c.Action == Update {
				s.Deps = append(s.Deps, c.Addr+" (unwire)")
			}
			if c.Action == Update {
				s.Deps = append(s.Deps, unwiredBy[c.Addr]...) // an instance whose address moves
			}
			for _, d := range c.Deps {
				if createStep[d] {
					s.Deps = append(s.Deps, d)
				}
			}
			for _, w := range c.WaitsFor {
				s.Deps = append(s.Deps, w.Step)
			}
			steps = append(steps, s)
		}
	}
	return dropMissing(steps)
}

// dropMissing removes dependencies on steps the plan does not have (a
// WaitsFor edge to a step --target left out).
func dropMissing(steps []*Step) []*Step {
	ids := map[string]bool{}
	for _, s := range steps {
		ids[s.ID] = true
	}
	for _, s := range steps {
		s.Deps = slices.DeleteFunc(s.Deps, func(d string) bool { return !ids[d] })
	}
	return steps
}

// createFirstSteps are the steps of a create-before-destroy replacement:
// create, then delete the old one (after what depended on it went), then
// rename the new one when it was made under a temporary name.
func createFirstSteps(c *Change, createStep, deleteStep map[string]bool) []*Step {
	create := &Step{ID: c.Addr, Change: c, Op: Create}
	for _, d := range c.Deps {
		if createStep[d] {
			create.Deps = append(create.Deps, d)
		}
	}
	for _, w := range c.WaitsFor {
		create.Deps = append(create.Deps, w.Step)
	}
	del := &Step{ID: c.Addr + " (delete)", Change: c, Op: Delete, Deps: []string{c.Addr}}
	for _, d := range c.DelAfter {
		switch {
		case deleteStep[d]:
			del.Deps = append(del.Deps, d+" (delete)")
		case createStep[d] && d != c.Addr:
			del.Deps = append(del.Deps, d) // an update that stops using the old one
		}
	}
	steps := []*Step{create, del}
	if c.TempName != "" {
		steps = append(steps, &Step{ID: c.Addr + " (rename)", Change: c, Op: Update, Deps: []string{del.ID}})
	}
	return steps
}
