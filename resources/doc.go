// Package resources knows each resource kind of a stack: how to observe it
// in batches, which properties change in place (and through which API
// action) and which force a replacement, and how to create, update and
// delete it.
//
// Contract (Kind):
//   - Observe never calls the API: Refresh makes the batched calls once (one
//     paged DescribeVdc for every VDC and network, one paged
//     DescribeInstances per VDC, one DescribeNSGs plus DescribeNSGAttribute
//     and DescribeNSGMembers per group in the state, DescribeTemplateInfo
//     when the stack has templates) and every Kind reads from that Live view.
//   - Observations are normalised to the stack's property shapes, so
//     comparing desired, recorded and live values is plain equality of Go
//     values (numbers as int64).
//   - Create, Update and Delete return after the API accepted the call; each
//     task is waited on through the Waiter the executor passes, so the
//     executor can journal every task id. Every mutation is safe to resume
//     from a journal entry: creates carry a unique name (the marker) within
//     their VDC.
//
// Data sources (data.go): DataKinds says, per kind a stack may read, what
// a lookup needs listed (Need) and how it reads the candidates out of a
// Live view (List; a managed kind's through its Observe, so a data source
// exports what the resource would). Extend makes only the listings a Live
// view lacks, so a lookup in a VDC the refresh listed costs no call. A kind
// added later plugs in with one DataKinds entry (managedData(name, need,
// ids)) and its filters in spec.DataFilters.
//
// A new instance password forces a replacement: the API has no call that
// changes it (list password in ignore_changes to keep the instance).
//
// Load balancers (load_balancer.go) are listed once (DescribeLoadBalancers,
// no per-VDC filter) and, for those in the state, their listeners and
// configuration file are read one load balancer at a time: the API has no
// batched form. Backends named by instances are observed grouped as the
// record groups them, from the instances' addresses on the load balancer's
// network. Certificates (certificate.go) come from one
// DescribeCACertificates; the chain and the key are not in it and are kept
// from the state (the key only as a fingerprint). A certificate is made
// before the one it replaces is deleted (CreatesFirst), and the old one's
// delete waits for the updates that stop using it.
//
// Dedicated hosts (dedicated_host.go) come from one paged
// DescribeDedicatedHosts per entry point; a host's name is observed, and
// the rest (type and region, which never change and which the listing
// gives as text of a form the SDK does not say; goods id, cpu, ram, limit,
// term, renewal) is kept from the state. AllocateDedicatedHosts answers the
// id at once (no task); a run killed before the record was written finds
// the host by name in its region. Nothing about a host changes in place
// (prepaid_month only matters at purchase and is recorded), and the API
// has no action that releases one. The choice: a dedicated host is an
// UndeletableKind. The planner refuses, before anything changes, every
// plan that would delete or replace a host that still exists, whatever
// asks for it (a changed field, --replace, removal from the stack,
// destroy, a smaller count), naming the address, why, and the way out:
// release the host in the console, then `cdstack state rm ADDR` (a host
// already gone from the listing is only forgotten). state rm is the
// explicit way to let go: nothing is ever left behind silently, and no
// delete is ever sent (Delete is a guard that calls nothing). A host let
// go is adopted again with `cdstack import ADDR ID`; `protect: true` keeps
// one through a destroy of the rest.
//
// What the API cannot show is kept from the state rather than observed:
// instance passwords (compared as salted hashes) and a template's source
// instance and power_on flag. Instance security group membership is
// observed: DescribeNSGMembers lists each group's member interfaces.
package resources
