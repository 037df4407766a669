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
// A failed step skips everything that depends on it ("upstream failed");
// independent branches go on. On cancellation no new step starts; steps in
// flight finish (their calls and waits use a context that is not cancelled)
// and are committed.
package executor
