// Package state is cdstack's memory of what it created: records by address,
// the journal of intentions not yet settled, metadata (lineage, serial,
// format) and a bounded history. The main implementation keeps them in a
// bbolt file; Memory is the in-memory twin used by tests. statetest.Run is
// the conformance suite both pass.
//
// Invariants:
//   - Every change is one Commit: one bbolt transaction that applies the
//     record puts and deletes and the journal puts and deletes together and
//     raises the serial by one. The file is never rewritten whole.
//   - Only the holder of the lock commits. The lock is bbolt's own file lock
//     (flock LOCK_EX), held from Lock to Unlock; the holder writes who it is
//     (pid, host, command, since) to a sidecar "<file>.lock" so a refused
//     writer can say who holds it. A killed holder's flock goes with the
//     process; its sidecar is then stale and is overwritten by the next
//     holder or cleared by `state unlock`.
//   - Readers never block: when no writer holds the file they open it
//     read-only (shared flock); while a writer holds it they read a copy made
//     between two commits (see readCopy), so `plan` and `drift` work during
//     an apply and see its last committed step.
//   - A file that is not a bbolt database, is truncated or corrupt, or was
//     written by a newer format is refused with an error and left untouched.
//   - Every record is stored with a checksum of its bytes (checksum.go). A
//     record that fails it is damaged: Snapshot returns the rest of the
//     state with a *DamagedError naming it, which every command reports and
//     only `refresh --target ADDR` repairs. A record written before
//     checksums is read as it is and gets one on its next write.
//   - Exports (exports.go) are one value beside the records, replaced by
//     the Commit that carries them (bbolt: meta/exports; etcd:
//     <prefix>/meta/exports): the outputs of the last apply, never a
//     sensitive one's value, and what it read. Readers of another stack
//     read them as any reader does: without the lock.
//   - No secret is stored: records keep salted hashes of sensitive inputs
//     (HashSecret: argon2id, see secret.go), never values.
//
// History: one entry per locking session that changed something (one
// command: an apply, a `state rm`), keyed by the serial it ended at, holding
// a gzip snapshot of the records; the last MaxHistory are kept. A snapshot
// per commit would make a 10,000-step apply quadratic.
package state
