// Package reads resolves what a stack reads but does not own: its data
// sources (data:, read-only lookups of existing resources) and the outputs
// of other stacks (stacks:, ${stack.NAME.outputs.X}).
//
// Invariants:
//   - A data source is answered from the batched listings the refresh made
//     (resources.DataKinds says, per kind, what a lookup needs listed; a
//     listing made already costs nothing): never one call per data source.
//   - Exactly one resource matches a data source, or Resolve fails with an
//     error at the data entry's file:line:col that names the candidates
//     (several) or the nearest names (none); never a silent first pick. A
//     data source may not read a resource this stack manages.
//   - Another stack's state is read as a reader: no lock, never waiting on
//     its apply; the outputs are those it recorded at its last apply
//     (state.Exports), and the Result names the serial read. A sensitive
//     output is never stored there, so no stack can read it.
//   - Without a refresh (plan --refresh=false) data sources take what the
//     last apply recorded, or stay unknown.
//   - Changes compares what was read now with what the last apply read:
//     drift reports them, and the plan names them as the reason for the
//     changes they cause. For drift (Input.Lenient) a value the last apply
//     read that cannot be read now (the output is gone, the lookup matches
//     none or several) is such a change too; plan and apply refuse it.
//   - Tenants (tenants:, tenants.go) are read the same way, records only:
//     a state that cannot be read is a warning at its state: line and
//     never an error, so the platform plans before its tenants exist.
package reads
