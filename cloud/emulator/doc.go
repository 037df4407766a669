// Package emulator is the local CDS cloud: an http.Handler that serves every
// action of the 2019-08-08 reference and those the current official
// documentation (capitalonline/openapi) and the official Go SDK add, under
// /ccs/, /network/, /billing/ and /ccs-product/, over a world of VDCs,
// networks, instances, tags, security groups, templates and tasks.
// `cdstack --endpoint local` and `cdstack emulator serve` run it on
// loopback; tests run it in process.
//
// It owns its wire format: its routes (routes.go) and answer shapes
// (views.go) are its own reading of the documents, and its production code
// imports nothing of the client (a test checks it), so a mistake on one side
// cannot hide behind the other. The official SDK drives it in sdk_test.go.
//
// Where the 2019 reference and the current documents or the SDK disagree,
// it accepts both request forms and answers in the current one
// (cloud/doc.go lists the divergences):
//
//   - DescribeInstances: PublicNetworkInterface is a list; disks carry
//     DiskType, Size, IopsSize (provisioned packs) and Iops; Tags, CreateTime
//     and Data.Total are sent; ImageId and InstanceType, which no document
//     lists, are not. InstanceId is one id or a list, PublicIp one address
//     or a list; VdcName, RegionId and TagName filter.
//   - Instance statuses: running; stop (powered off), stopping, starting
//     (also during a reboot), updating, creating, deleting. A power action
//     needs a settled instance; StopInstance a running one, StartInstance a
//     stopped one; RebootInstance either.
//   - DescribeTask sends ResourceIds (a list) and ResourceId (the same ids
//     comma-joined).
//   - CreateVdc: PublicNetwork {} (what the official provider sends) means
//     none; the IP count is IPNum or the 2019 reference's Ip; AutoRenew and
//     FloatBandwidth may be text, as the SDK types them.
//   - DescribeVdc: an unknown or deleted VdcId is a success with empty Data;
//     public networks show Type but no billing method, renewal or float
//     bandwidth; private networks show their range in Segments only.
//   - DeletePublicNetwork answers no TaskId (the current documents' answer
//     is {"Code":"Success"}): the network shows deleting for TaskLatency,
//     then is gone.
//   - Security groups are served by the NSG actions (nsg.go): CreateNSG,
//     DeleteNSG (ForceDelete while interfaces are members), DescribeNSGs,
//     DescribeNSGAttribute, DescribeNSGMembers (GET), ModifyNSGAttribute,
//     AddNSGRule, RemoveNSGRule, ModifyNSGRule, ModifyNSGRulePriority,
//     JoinNSG, LeaveNSG. None answers a TaskId. Rule changes show in
//     DescribeNSGAttribute after TaskLatency; a joining interface is
//     syncing, a leaving one unbinding, for TaskLatency, then ok (error at
//     TaskFailureRate) or gone; an instance deleted leaves its groups.
//     Invariants are checked against the rules as they will be: Action
//     ACCEPT/DROP, Direction 0/1, Protocol TCP/UDP/ICMP (PortList ["0"]),
//     IpList and PortList of 1–100 entries, Priority 1–1000 and unique, the
//     group's quota (IPs × ports summed; the documents give no limit: 1000,
//     Options.NSGQuota). Interfaces must exist, and be public for a public
//     group and private for a private one (the documents are silent; the
//     emulator's choice). A group the old actions made is upgraded when an
//     NSG action first sees it (an "all" rule becomes an inbound and an
//     outbound rule at the first free priority above; mac rules are
//     dropped; bindings become members of the interfaces the type takes).
//   - CreateInstance's SecurityGroup [{SecurityGroupId, PipeId}]
//     (云主机概览.md; instance_nsg.go) binds each new instance's interface on
//     network PipeId to the group as part of the create task: members
//     syncing while it runs, ok when it finishes (error when it fails and
//     KeepFailedInstances keeps the instance, gone with one it removes).
//     The documents give no error codes; the emulator's: a group that does
//     not exist 400 InvalidSecurityGroupId.NotFound (.Malformed for a bad
//     id), a PipeId that is no network of the VDC or on which the new
//     instance gets no interface 400 InvalidPipeId.NotFound, a group whose
//     type is not the network's 400 InvalidSecurityGroupType.Mismatch; each
//     refuses the whole create before anything is made.
//   - The old *SecurityGroup* actions answer 400
//     OperationDenied.ActionDisabled naming the NSG actions, as the
//     current service disables them, unless Options.LegacySecurityGroups
//     (`emulator serve --legacy-security-groups`, the SDK suite). Then
//     DescribeSecurityGroups reads the filter as Keyword or keyword (the
//     SDK's JSON spelling), rule TargetAddress takes several addresses or
//     CIDRs joined by ";" with host bits allowed, and TargetPort several
//     ports joined by ";" (the official provider's own example, 70;90;8).
//   - Enumerations (BillingMethod, bandwidth Type, InstanceType,
//     InstanceChargeType, SecurityGroupType, private network Type,
//     Direction, Protocol, RuleType) are matched without regard to case and
//     kept in their documented spelling; DescribeAvailableResource spells
//     the fixed-bandwidth key BandwIdth, as the current documents do.
//   - Bills carry ProjectId and ProjectName (one default project).
//
// Load balancers: a listener sending to an address whose instance is being
// deleted or is gone, or that ModifyIpAddress takes from its instance, is
// accepted, as the service does (HAProxy marks the server down), and
// recorded in memory (lb_backends.go, Server.BackendFaults) so tests can
// assert an apply left no such window.
//
// The actions beyond the 2019 reference: StartInstance, StopInstances,
// StartInstances, RebootInstances (one task for all; all or nothing),
// ExtendSystemDisk (grow only: size to 500 GB in steps of 10, IOPS packs),
// ResetInstancesPassword (one task per instance: Data [{InstanceId,
// TaskId}] and the first task as the top-level TaskId, which the SDK
// reads), and, answering at once with an empty TaskId, ModifyInstanceName,
// ModifyVdcName and ModifyInstanceHostName (the SDK's; it needs the
// instance's current password, which the emulator checks). CreateInstance
// takes SystemDisk {Type system_disk|ssd_system_disk, Size at least the
// image's, IOPS packs}; a reinstall keeps the system disk's type and size.
//
// Authentication is the real service's: the Signature is recomputed over
// whatever query parameters arrive with the raw AccessKeySecret, by code
// written apart from the client's signer (url.QueryEscape plus the
// reference's replacements). The POST body is not signed.
//
// Where the reference is silent, these are the choices:
//
//	missing common parameter        400 MissingParameter
//	parameter sent twice            400 InvalidParameter.Duplicate
//	SignatureMethod ≠ HMAC-SHA1     400 InvalidSignatureMethod
//	SignatureVersion ≠ 1.0          400 InvalidSignatureVersion
//	Version ≠ 2019-08-08            400 InvalidVersion
//	Timestamp not yyyy-MM-ddTHH:mm:ssZ  400 InvalidTimeStamp.Format
//	Timestamp more than 15 min off  400 InvalidTimeStamp.Expired
//	unknown AccessKeyId             401 InvalidAccessKeyId.NotFound
//	signature mismatch              403 SignatureDoesNotMatch
//	SignatureNonce reused in 15 min 400 SignatureNonceUsed
//	unknown service path            404 InvalidService.NotFound
//	unknown action, wrong service   404 InvalidAction.NotFound
//	wrong HTTP method               405 UnsupportedHTTPMethod
//	body not a JSON object          400 InvalidParameter.Body
//	throttled (ThrottleQPS)         429 Throttling
//	injected fault (FaultRate)      503 ServiceUnavailable (nothing done)
//	missing required parameter      400 IncompleteParamter (the reference's spelling);
//	                                GetMetering: 400 InvalidParameter.IsNull
//	PageSize above 1000             400 InvalidParameter.PageSize
//	no free public address          403 QuotaExceed.PublicIp
//	delete a bound security group   403 IncorrectSecurityGroupStatus
//	delete a network still in use   403 IncorrectPublicNetworkStatus / IncorrectPrivateNetworkStatus
//	rule direction other than "all" 400 InvalidParameter.Direction (the reference: only bidirectional rules)
//
// Invariants: a VDC with networks or instances cannot be deleted; a change to
// an instance (or network) that a task is still changing answers 403
// Incorrect…Status; disks only grow; addresses never collide; CPU, RAM, IP
// counts and Qos outside the documented sets are refused; quotas and balance
// are configurable (Options).
//
// Tasks: every mutation starts a task NEW → DOING → FINISH|ERROR that takes
// Options.TaskLatency. The resource appears at once in a transitional status
// (creating, updating, deleting). Whether a task fails is decided when it
// starts, and a failing task changes nothing (a create disappears, a delete
// leaves the resource, an update is not applied). Security group changes take
// effect at once and answer an already finished task; RenewPublicNetwork
// answers no TaskId, as in the reference.
//
// Tags are account-wide and numbered (DescribeTags shows the id as a
// number, DescribeInstances as text).
//
// Public addresses come from 198.18.0.0/15 (reserved for benchmarks, RFC
// 2544), in aligned segments of 4–64 whose first address is the network, the
// second the gateway and the last the broadcast. Private networks are RFC 1918
// CIDRs; auto networks are 10.k.0.0/16.
//
// Read-only products are deterministic functions of the world: bills from
// each resource's lifetime and a price table (CNY per hour), monitoring and
// traffic from a seeded hash of (resource, metric, time slot). Bills, quotes
// (DescribeInstancePrice, VDCBandwidthUnitPrice) and DescribeAccountInfo
// come from that one table; DescribeAvailableResource and
// DescribeInstanceType list what CreateInstance and CreatePublicNetwork
// accept (catalog.go), so a client's preflight and the emulator agree.
//
// Databases (database.go, mysql.go, redis.go, mongodb.go): one Database
// entity per MySQL, Redis or MongoDB database and per MySQL read-only
// replica (SourceID set; listed only in its source's RoGroups). Choices
// where the documents are silent: the catalogue is sold in CN_Beijing_A,
// CN_Wuxi_A and CN_Hongkong_A (MySQL 5.7/8.0 basic and ha 1C2G–8C16G,
// replica sizes the same, Redis 2.8/5.0 ha/cluster/economy 1–16 GB,
// MongoDB 3.4.21/4.0 1C2G–8C32G; disks ssd_disk/high_disk 100–2000 GB in
// steps of 100), PaasGoodsIds are fixed numbers per size; statuses are
// CREATING, RUNNING, MODIFYING, DELETING; create, resize, parameter, backup
// and delete answer a TaskId that DescribeTask serves; accounts, privileges
// and the backup policy change at once (no TaskId). Invariants: the
// private network (BasePipeId) belongs to the VDC, which is in RegionId;
// sizes, disks and ports come from the catalogue; a replica needs an ha
// source, at least its size and disk; a source with replicas is not
// deleted (409 ResourceInUse); a disk only grows and keeps its type; one
// Super account per database; backup policies on ha databases only;
// addresses come from the private network's pool and are freed on delete
// (so the network cannot be deleted before its databases). Unknown ids
// answer 404 ResourceNotFound, busy ones 409 ResourceInUse, bad values 400
// InvalidParameter, as the documents' error tables list. Passwords are kept
// as salted hashes. The SDK's rollback and temporary-database methods are
// not in the documents and not served.
//
// Server.Advance moves the world's time (tasks, bills) ahead of the clock,
// for a month of spend in a test; signature timestamps are still checked
// against the clock.
//
// Load balancers and certificates (负载均衡概览.md, loadbalancer.go and
// certificate.go) are served under /lb/ (DescribeLBInstancePerformance and
// DescribeLBInstanceListeners under /paas/monitor/, as the document says),
// with the document's error codes: ArgMissing, InvalidParameter,
// UnsupportedOperation, 404 ResourceNotFound, 409 ResourceInUse. Choices
// where it is silent: the catalogue is the same in every region
// DescribeZones lists (1C2G, 2C4G, 4C8G, 8C16G with the goods ids of the
// document's modify-spec example); a load balancer takes one address of its
// private network and, with a public network, 3 addresses of the named
// segment (refused when the segment has fewer free); its status is
// CREATING, RUNNING, UPDATING or DELETING, and changes other than a rename
// are tasks that DescribeTask answers; a listener set is refused whole when
// two listeners share a port or a name, a port is 22, 1080, 9100 or 9101, a
// backend address is outside the VDC's private networks and public
// segments, a weight is outside 1–256, or a certificate is unknown (or named
// on a tcp listener). Certificates: the chain is parsed with crypto/x509
// (dates, domains from the leaf's DNS names or common name, issuer as
// Brand), the key must match the leaf's public key, a name is unique per
// account (UploadCACertificate answers no id, so the name is how it is
// found), Valid is 0 past the end date and 2 within 30 days of it, and a
// certificate a listener uses refuses DeleteCACertificate (409
// ResourceInUse). Uploads and deletes take effect at once (empty TaskId).
// ModifyLoadBalancerStrategys and AddLoadBalancerStrategys take
// HttpListeners or TcpListeners alone: the document requires HttpListeners,
// but the official SDK leaves an empty list out.
// The private key is kept, because DescribeCACertificate answers it (as
// PirvateKey).
//
// Dedicated hosts (dedicated_host.go): the official SDK's three actions
// under /ccs/ (AllocateDedicatedHosts by POST, DescribeDedicatedHosts and
// DescribeDedicatedHostTypes by GET); no document describes them, so the
// choices are the emulator's. The catalogue: ded_standard (48 vCPU, 192 GB,
// goods 6195) and ded_memory (48, 384, 6196) everywhere, ded_compute (96,
// 192, 6197) where the G2 instance types are sold. Allocate refuses an
// unknown region, a type not on sale there, another type's goods id, cpu or
// ram, a name that is not an instance name, a limit (overcommit ratio)
// outside 1–4, PrepaidMonth outside 0–36 (as the stack schema bounds an
// instance's), AutoRenew other than 0/1, Amount outside 1–99 (several get
// -1, -2, … names) and an account in arrears; it answers the ids in Data
// with no task, the hosts running at once. The listing filters by HostId
// and by a part of HostName (an unknown id lists nothing), pages, and
// answers VmNum and CpuRate/RamRate as the share the instances on the host
// take ("25%"; vCPUs against cpu × limit), BillMethod PrePaid, Duration the
// months bought and EndBillTime the end of the term. CreateInstance with a
// DedicatedHostId refuses an unknown host (400
// InvalidDedicatedHostId.NotFound), one of another region (400
// InvalidParameter.DedicatedHostId) and one without room for the
// instances (403 DedicatedHost.InsufficientCapacity), and
// ModifyInstanceSpec refuses to grow an instance past its host's room. DescribeInstances
// does not show the host (the documents list no such field). Nothing
// releases a host, and hosts are not billed in the ledger.
//
// Persistence: with a Store, one bbolt bucket per kind and one key per
// entity; each request writes only what it touched, in one transaction.
// Instance passwords are kept as salted hashes. Used nonces are kept too,
// for their 15 minutes, so a request replayed to a later process on the same
// file (each `--endpoint local` command starts one) is refused like one
// replayed to the same process.
package emulator
