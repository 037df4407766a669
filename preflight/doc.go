// Package preflight checks a plan against what the cloud can deliver,
// before anything changes: a plan that cannot be applied fails at plan
// time with every problem at its stack line, instead of halfway through
// an apply after some resources exist.
//
// Gather asks the cloud once per plan, batched like the refresh: one
// DescribeAvailableResource per region the plan builds in, one
// DescribeInstanceType per distinct (region, instance type) it builds or
// resizes, one catalogue call per database product and region it builds
// in (DescribeAvailableDBConfig, DescribeSpecInfo), one
// DescribeDedicatedHostTypes per region it allocates hosts in, one
// DescribeAccountInfo. Addresses come from the refresh that
// planned (each network's UnuseIpNum): no call per resource. Check is pure.
//
// What is checked, for what the plan creates, replaces or changes:
//   - what CreateInstance requires that the schema cannot (an instance
//     imported or made before needs none): a password for a new instance;
//   - catalogue: region on sale; instance type on sale in the region; the
//     cpu/ram combination among its sizes; the image among its images;
//     data and system disk types, sizes and steps; bandwidth type, billing
//     method and its largest Qos;
//   - databases (database.go): version, architecture, size (cpu/ram), disk
//     type, disk range and step against the product's catalogue; a backup
//     policy only on an ha MySQL database, at most one Super account; a
//     read-only replica's source, when the stack names it, an ha MySQL
//     database;
//   - capacity: public addresses per VDC (what its networks have free, what
//     the plan's new networks add, what its instances take) and private
//     addresses per network (one per instance interface, database, MySQL
//     read-only replica, on its source's network, and load balancer). An address a deleted instance frees counts
//     only when the plan waits for that delete: where the free ones do not
//     suffice and the deletes make up for it, the creates get that ordering
//     edge (Change.WaitsFor). Creates that need a public address also wait
//     for the public networks the plan builds in their VDC.
//   - load balancers: the region among DescribeZones' and cpu/ram among
//     DescribeLoadBalancersSpec's sizes (once per plan and region); listener
//     ports unique and not 22, 1080, 9100 or 9101, names unique,
//     certificates only on http listeners; a load balancer with a public
//     network takes 3 of its VDC's public addresses and one address of its
//     private network, counted with the instances'.
//   - dedicated hosts (dedicated_host.go): a host's type on sale in its
//     region with the goods id, cpu and ram DescribeDedicatedHostTypes
//     gives it (once a region, cached); the stack's instances on a host it
//     declares in the host's region and fitting it together (vCPUs within cpu × limit, RAM within
//     ram), counting those the plan leaves as they are;
//   - account: MasterTotalBalance + CreditLine − ToDeduct < 0 is arrears, an
//     error when the plan buys anything; a balance below the plan's
//     estimated first month is a warning.
//
// The emulator serves the same catalogue it enforces (cloud/emulator
// catalog.go), so preflight and apply never disagree there.
package preflight
