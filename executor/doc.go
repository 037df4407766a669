// Package executor carries out a plan: a ready queue over the plan's DAG
// (planner.Steps) with a bounded number of steps changing the cloud at once,
// every mutation journaled, every task waited on through cloud.WaitTask,
// every settled step committed to the state in one transaction.
//
// Departure from DESIGN §6 ("--parallelism workers"): a step holds one of
// the --parallelism slots from its first call until its last task settles,
// and gives it back before reading the resource back and committing it. So
// at most --parallelism changes are ever in flight in the cloud, as with
// workers, but the read-backs of many steps can share one request (see
// cloud.Client.Instance) without fifty slots waiting for it. At 200
// requests/s this, with the 25 ms that coalesced reads wait for company,
// took BenchmarkApply200 from 1.21-1.24x to 1.16-1.19x its bound.
//
// The write-ahead protocol of each step (DESIGN §6):
//  1. commit a journal entry (address, action, the name that finds the
//     resource again, the inputs the record will hold);
//  2. call the API; the moment a TaskId comes back, commit it to the entry,
//     and the moment a create's first task names the new resource, commit
//     its id too;
//  3. wait for the task; read the resource back;
//  4. commit the record (or its removal) and delete the entry, together.
//
// A process killed anywhere leaves either nothing (before 1), or an entry
// that Recover settles on the next run: a task that finished is adopted, one
// still running is waited for, one that failed is discarded, and an entry
// without a task id is resolved by looking the name up in its VDC. So no
// resource is ever orphaned and none is created twice.
//
// An entry lives until its outcome is known. It goes only when the task
// ended in ERROR, or when the call itself was refused (an API error, or a
// connection that was never made) before any task was journaled; a call
// the API accepted and then stopped answering about (the wait failed, the
// answer was lost) keeps its entry for the next run.
//
// A write whose outcome is unknown (cloud.OutcomeUnknown: a 5xx, a dropped
// connection or timeout after the request went out, SignatureNonceUsed, a
// failed wait) is settled at once, by the same reading Recover does: a
// create is looked up (by its task, else by name, then waited on until the
// cloud shows it made), an update read back, a delete looked for. What the
// cloud shows is recorded; only a write that did not happen is made again,
// journaled and signed afresh, up to MaxAttempts times. So one lost answer
// neither aborts the apply nor leaves a stale record; only when the cloud
// cannot be read either does the entry wait for the next run.
//
// One call for two creates (vdc_public.go): when the plan creates a VDC
// and a public network of it together, the VDC's step sends one CreateVdc
// with PublicNetwork, journaling an entry for each first, and records each
// on its own (the network's id read from the VDC's listing); the network's
// step then has nothing left to do. The plan still shows two creates. A
// CreateVdc refused is made again without the network, so each fails on
// its own; a network's entry (APIAction CreateVdc) is settled by its VDC
// and its name, never by the task's resource, which is the VDC.
//
// Who settles, who shows (DESIGN §6): every command that takes the lock
// (apply, destroy, refresh, import, state rm/mv) settles leftover entries
// first, for every step kind: a create is adopted or discarded; an update,
// a rename among them, is read back by id and recorded as the cloud shows it
// (ObservedInputs: what the cloud cannot show, a password or a group
// membership, stays as recorded and is set again by the next plan); a
// delete removes the record if the resource is gone. Read-only commands
// (plan, drift, output, state list) never take the lock: they show each
// pending entry as pending, with Outlook's likely outcome, never as drift
// or as a name conflict.
//
// Outages are errors, never hangs: a request to an API that does not answer
// gives up after --outage-timeout (cloud.UnreachableError), and the state
// store's requests are bounded the same way. The first step that fails
// because the API or the state store is gone stops the walk: no further
// step starts, steps in flight end, and Result.Err is an *OutageError that
// names what was unreachable; the journal keeps what was in flight.
//
// A failed step skips everything that depends on it ("upstream failed");
// independent branches go on. On cancellation (the first Ctrl-C or
// SIGTERM) no new step starts and steps in flight stop waiting: their calls
// and task waits end at once, what they learnt (a task id) is committed, and
// their journal entries stay for the next command that takes the lock to
// settle. So a command exits within moments of the signal, whatever it was
// waiting on. A delete refused because something outside the stack
// still uses the resource (a tag) is a KeptError: the record stays and a
// later run deletes it.
package executor
