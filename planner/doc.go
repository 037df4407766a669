// Package planner decides what must happen: from the stack (desired), the
// state (recorded) and a batched look at the cloud (live), Plan computes one
// Change per address with its Action, the Reason, field-level before/after
// values and the ordering edges. It is a pure function: no I/O.
//
// Decisions:
//   - Desired is compared with live (what the cloud has now), so a plan shows
//     what apply will really do; drift is recorded compared with live.
//   - A value that depends on a resource not yet created (or being replaced),
//     or on an output its update in place changes (an instance's addresses:
//     resources.OutputUpdater), is Unknown. An unknown value in a field that
//     cannot change in place forces a replacement.
//   - ignore_changes fields are never compared. Sensitive inputs (instance
//     passwords) are compared as salted hashes.
//   - protect refuses a replacement (an error of the plan) and keeps a
//     protected resource that left the stack (reported, not deleted).
//   - Ordering: a create or update waits for the creates and updates of what
//     it references; a delete waits for the deletes of what depended on it
//     (the state records each resource's dependencies); a replacement is a
//     delete then a create, so dependents are deleted before it and created
//     after it. Steps (order.go) turns this into the executor's DAG.
//   - Load balancers never send to a backend instance while it is deleted or
//     its address moves (backends.go): a replacement creates first or an
//     "(unwire)" step drops it from the listeners first (wireBackends), as
//     for an address changed in place (readdressBackends); --target brings
//     in those load balancer changes (keepBackendsSafe).
//   - Journal entries of an interrupted run appear as Read changes: they are
//     settled before anything else.
//   - A resource whose name is taken in its scope by something no record
//     owns is not created (NameTakenError names the import to run).
//   - What the stack reads and does not own (Input.Reads: data sources,
//     other stacks' outputs) is shown in the Document (Data, Stacks); a
//     value read that changed since the last apply is drift of class
//     read_changed, and the changes of the fields it feeds name it in
//     Because. Data sources are never changes: nothing creates, updates or
//     deletes them.
//   - A resource in the stack's VDCs that no record owns but a tenant's
//     state does (Input.Tenants, tenants.go) is in Document.TenantResources
//     (class tenant), never in Drift: it is managed, by that stack. A
//     tenant whose state was not read owns nothing, so what it made stays
//     unmanaged drift: nothing is hidden because a state could not be read.
//
// Naming: DESIGN calls both the function and the value "Plan"; Go cannot
// have both in one package, so the function is Plan and the value Document.
package planner
