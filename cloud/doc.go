// Package cloud is the client of the CapitalOnline (CDS) public API, version
// 2019-08-08: every action of the 2019 reference
// (../shared/reference/cds-api-2019-08-08.md) and those the current official
// documentation (capitalonline/openapi: 云主机概览.md, 虚拟数据中心概览.md,
// 首云OpenAPI(v1.2).md) and the official Go SDK (cds-gic-sdk-go v0.3.16)
// add, with typed requests and answers, request signing, the shared rate
// limiter, retries, and the one waiter for asynchronous tasks.
//
// The real cloud is what the current documents and the SDK show. Where they
// disagree with the 2019 reference, the client accepts every form it may
// meet and sends the current one; the emulator answers in the current one.
// The divergences, and which form each side uses:
//
//	what                           2019 reference            current (client sends / emulator answers)   client accepts
//	DescribeInstances              one object, {} for none   a list, [] for none                          list, object, {}, null, ""
//	  PublicNetworkInterface
//	DescribeInstances disks        Type, IOPS                DiskType, Iops, IopsSize (packs)             both spellings, any case
//	DescribeInstances fields       —                         Tags [{TagId text, TagName}], CreateTime,    all; TagId text or number
//	                                                          Data.Total
//	DescribeInstances image, type  not documented            not documented (not sent)                    used when sent; else the
//	                                                                                                      state's value (resources)
//	DescribeInstances filters      InstanceId list,          InstanceId, PublicIp list, VdcName,          —
//	                               PublicIp text             RegionId, TagName
//	instance status                running (examples)        running, stop, stopping, starting,           running; stop/stopped/
//	                                                          updating, creating, deleting                 shutdown; others: busy
//	DescribeTask                   ResourceId text           ResourceIds list + ResourceId comma-joined   both; ids deduplicated
//	CreateVdc PublicNetwork        Ip (IP count)             IPNum; {} means none                         —
//	DescribeVdc unknown VdcId      400 VDCNotFound           Success with empty Data                      both mean gone (VdcGone)
//	DescribeVdc public network     Type (table)              Type; no BillingMethod/AutoRenew/Float…      used when sent; else the
//	                                                                                                      state's value
//	DescribeVdc private network    Address, Mask (table)     Segments only                                either; address/mask from
//	                                                                                                      the first segment
//	DeletePublicNetwork            TaskId                    no TaskId, deleted in the background         a TaskId is waited on; none:
//	                                                                                                      WaitUntil the VDC no longer
//	                                                                                                      lists it
//	DescribeSecurityGroups filter  Keyword                   SDK: keyword (POST body), Keyword (GET)      —
//	rule TargetAddress             one address or CIDR       several joined by ";", host bits allowed     —
//	security groups                *SecurityGroup* actions   disabled; the NSG actions (below)            —
//	NSG rule Direction             —                         integer 0 in / 1 out                         0/1, "0"/"1", in/out,
//	                                                                                                      ingress/egress
//	NSG rule Action                —                         ACCEPT / DROP                                any case
//	NSG IpList, PortList           —                         lists of text                                lists (text or numbers),
//	                                                                                                      one text joined by ; or ,
//	DescribeNSGAttribute           —                         no SecurityGroupType in the example          type taken from DescribeNSGs
//	enumerations (BillingMethod…)  Bandwidth                 BandwIdth in the documents' own samples      any case (emulator and
//	                                                                                                      resources compare folded)
//	DescribeAvailableResource      Bandwidth keys            BandwIdth keys, SystemDiskGoods,             all
//	                                                          RegionStatus
//	DescribeBillInfo               —                         ProjectId, ProjectName; Currency parameter   all
//	DescribeBill, DescribeBillInfo —                         Currency (CN/US) required                    sent (CN unless chosen)
//	CreateInstance PrivateIp       PrivateID                 PrivateId (documents and SDK)                PrivateId
//	DescribeInstances InstanceId   a JSON list               one string (documents, SDK, examples)        one string
//	ResetImage, ModifyIpAddress    —                         Password required; ImagePassword for a       sent; the emulator refuses
//	                                                          custom image (ResetImage, CreateInstance)    requests without them
//	DescribeVdc page counters      inside each item          beside Data (items show PageCount 0)         the answer's (beside Data,
//	                                                                                                      or Data's own); a page that
//	                                                                                                      adds nothing ends a listing
//	CreateTemplate PowerOn         1                         true                                         —
//
// Actions the 2019 reference lacks: StartInstance, StopInstances,
// StartInstances, RebootInstances (GET; InstanceIds comma-joined),
// ModifyInstanceName, ResetInstancesPassword, ExtendSystemDisk (POST),
// ModifyInstanceHostName (POST; the SDK's, not documented), ModifyVdcName
// (POST /network/), ModifyInstanceAttribute (POST; deletion protection).
// CreateInstance gains UserData (a list of base64 strings), PublicKey,
// DeletionProtection, DedicatedHostId and SecurityGroup (a list of
// {SecurityGroupId, PipeId}: the groups bound as part of the create, each
// on the network named; in 云主机概览.md only, neither the 2019 reference
// nor the SDK's AddInstanceRequest has it); ResetImage UserData and
// PublicKey; ModifyInstanceSpec InstanceType. Synchronous mutations answer
// an empty TaskId (or none): ModifyInstanceAttribute,
// ModifyInstanceName, ModifyInstanceHostName, ModifyVdcName,
// RenewPublicNetwork; the typed methods return "" and callers treat it as
// done. ResetInstancesPassword answers Data: [{InstanceId, TaskId}] in the
// documents and a top-level TaskId in the SDK: every id of both is returned
// to be waited on (and journaled).
//
// Load balancers and certificates (负载均衡概览.md; loadbalancer.go,
// certificate.go): every action of the document, under /lb/ and, for
// DescribeLBInstancePerformance and DescribeLBInstanceListeners, under
// /paas/monitor/ as the document gives them. The SDK (haproxy package) has
// 14 of the 19 and differs: its spec answer reads Data as "data" (both are
// read), its create request has no IsVip (sent), its tcp listener no
// EnableSourceIp (sent). Tolerated: the modify-spec size name as "N" or
// "Name", Vips fields as IP/Type or ip/type, numbers as text. Created load
// balancers are named in Data.InstancesUuid; UploadCACertificate answers no
// id (CertificateByName finds it). DescribeCACertificate answers the private
// key as "PirvateKey": Certificate.UnmarshalJSON drops it (and any
// PrivateKey), so it reaches no value of this package; `cdstack api` masks
// it (SensitiveKey). Uploads, certificate deletes and renames answer at
// once; the other changes answer a TaskId that is waited on with WaitTask.
//
// Dedicated hosts (专有宿主机; dedicated_host.go): no document describes
// AllocateDedicatedHosts, DescribeDedicatedHosts or
// DescribeDedicatedHostTypes (云主机概览.md only names DedicatedHostId at
// CreateInstance and HostId at DescribeInstancePrice), so the official SDK
// (instance/models.go, client.go) and the official Terraform provider are
// the source: service path ccs, Allocate by POST, the two reads by GET (the
// provider's UseCvmClient / UseCvmGetClient). AllocateDedicatedHosts
// answers the new ids in Data ([]*string in the SDK) and no TaskId: the id
// is known at once, nothing is waited on. The client also reads one id as
// text, a list of {HostId} objects and an object holding such a list.
// DescribeDedicatedHosts answers Data {HostList, Total} (read too: a bare
// list; every field null, text or a number; RegionId for Region); its
// CpuRate and RamRate are text whose meaning the SDK does not give (the
// emulator answers the share its instances take, "25%"), and HostType and
// Region text whose form it does not give (the emulator answers the
// VmTypeId and the region id; resources keeps a host's type and region
// from its record).
// DescribeDedicatedHostTypes lists VmTypeId (what Allocate takes as
// DedicatedHostType), GoodsId, Cpu and Ram; it is a catalogue, kept in the
// catalogue cache. The API has no action that releases a host: the
// provider's delete answers "unsupported", and cdstack refuses to plan one
// (resources, planner).
//
// Security groups (首云OpenAPI(v1.2).md, 安全组相关): the documents say the old
// *SecurityGroup* actions are disabled; nsg.go types the twelve that
// replace them: CreateNSG, DeleteNSG (ForceDelete), ModifyNSGAttribute
// (name and description both required), AddNSGRule (Description required),
// RemoveNSGRule, ModifyNSGRule, ModifyNSGRulePriority (Rules list),
// JoinNSG, LeaveNSG (InterfaceIds) by POST; DescribeNSGs,
// DescribeNSGAttribute, DescribeNSGMembers (one group each) by GET. None
// answers a TaskId: rule changes and bindings take effect in the
// background ("开始更新规则，请稍候"), so callers wait (WaitUntil) on the rules
// DescribeNSGAttribute shows and the InterfaceStatus (syncing, unbinding,
// ok, error) DescribeNSGMembers shows. The old actions stay typed for the
// SDK-era emulator mode only.
//
// Managed databases (MySQL概览.md under /mysql/, Redis概览.md under /redis/,
// 新版MongoDB概览.md under /mongodb/v1/ and the older MongoDB概览.md under
// /mongodb/; types in database.go, methods in mysql.go, redis.go,
// mongodb.go). Their actions share names (DescribeDBInstances,
// CreateDBInstance, …), so each is looked up by its Key, the service path
// and the name ("mysql/DescribeDBInstances"); a bare name finds an action
// only one service has (CreatePrivilegedAccount, DescribeRegins). What the
// client accepts and sends:
//
//	what                              documents                            client
//	Code / Message                    "Success" and "success"              any case
//	PaasGoodsId                       int (answers, MySQL requests),       sent as a number; read from
//	                                  string (older MongoDB create,        numbers or text
//	                                  ModifyDBInstanceSpec tables)
//	DiskMin, DiskStep, DiskMaxExpand  string in the tables, int in         both
//	                                  the examples
//	size name                         "Name", "N" in one example           both
//	create answer                     Data.InstancesUuid list (MySQL,      every form; the task's
//	                                  Redis), Data.InstanceUuid (newer     ResourceId first
//	                                  MongoDB), {} (older MongoDB,
//	                                  CreateReadOnlyDBInstance)
//	DescribeDBInstances Data          a list for the three products        list, one object, null
//	read-only replica id              only in its source's RoGroups        RoGroups[].ServiceId
//	                                  (ServiceId)
//	Ram                               MB                                   RAMGB() for the stack
//	IsValid (parameter history)       JSON true (example: "ture")          text
//	ModifyDBInstanceSpec DiskValue    MySQL: GB to ADD; newer MongoDB:     MySQL: the increment;
//	                                  "磁盘大小" (taken as the new size)    MongoDB: the new size
//	DescribeDBInstancePerformance     documented under /paas/monitor;      /mysql/ (the SDK's); the
//	                                  Value a float (the SDK: int)         emulator answers counts
//	                                                                       (sessions, slow queries)
//	                                                                       as whole numbers
//	DB task ids                       "not queryable yet" (catalogue)      waited on with DescribeTask;
//	                                                                       the emulator serves them
//
// The listings show neither a database's private network nor its disk
// type (nor, for MongoDB, its CPU and disk): the resources keep those from
// the state. The documents give no price action for the three products.
//
// Invariants and decisions:
//
//   - Signing follows the reference (sorted canonical query, RFC 3986
//     encoding, METHOD&%2F&enc(query), HMAC-SHA1, base64) with one
//     correction: the HMAC key is the raw AccessKeySecret, not secret+"&", as
//     every official SDK does. The POST body is not signed.
//   - GET actions carry their parameters in the query (lists flattened as
//     Key.0, Key.1, objects as Key.Field); POST actions carry them as a JSON
//     body and only the common parameters in the query.
//   - A success is Code "Success" compared case-insensitively (billing answers
//     "success"), or "0000", which DescribeSecurityGroups documents. Anything
//     else, or an HTTP status outside 2xx, is an *APIError; a body that is not
//     JSON is a *DecodeError that says so.
//   - Reads (Describe*, GetMetering) are retried with jittered exponential
//     backoff on transport errors, 5xx and throttling. Writes are retried
//     when the connection was never made, and on a 429 Throttling answer:
//     the service refuses such a request before acting on it, so a retry
//     cannot do anything twice, and without it a throttled apply never
//     converges. Throttled requests get a larger budget of attempts
//     (throttleRetries) than other faults, still bounded. A transport
//     failure of an API that has answered this client before is an outage:
//     retried until the give-up time (--outage-timeout), so an API that
//     restarts mid-run is ridden out; one that never answered (a wrong
//     endpoint) fails after the usual retries, at once.
//   - net/http never repeats a request by itself (oneShot): every retry is a
//     new attempt, signed with a fresh nonce. Any other failure of a write
//     leaves its outcome unknown (OutcomeUnknown, SignatureNonceUsed among
//     them: the first attempt arrived); the executor settles it by reading.
//   - Every throttling answer halves the shared Limiter's rate and drops its
//     burst to 1; successes win the rate back gradually and the burst with
//     it. The burst starts at DefaultBurst(rate), a quarter second's worth
//     (1 to 10), so the first second of an apply does not trip a service
//     limited to the rate we were given.
//   - Each attempt gets a fresh SignatureNonce and Timestamp.
//   - The AccessKeySecret is used only as the HMAC key: Credentials mask it in
//     String/GoString, and transport errors are stripped of the signed URL.
//   - WaitTask is the only place that waits on the cloud; it takes a Clock so
//     tests run schedules without sleeping. Its intervals grow from ~250 ms
//     to 10 s, each wait scaled once by a factor in [0.5, 1): many waits begun
//     together then look at moments spread evenly over time, instead of
//     bunching where jittered sums of intervals pile up.
//   - The schedule comes from what is known of the tasks of the action that
//     started the task, in its region (Client.WaitTask). With nothing known,
//     the first look is at the action's prior (taskPriors in task_prior.go,
//     one table that says where each number comes from: no document gives
//     task durations, so they are what the emulator models, 1 s), the first
//     wait of each action also looks at an eighth of it (unless a task of
//     this run waited on from its prior took at least half of it: the
//     cloud keeps the table's pace, taskLearning.paced; WaitUntil keeps
//     its probe but for a public network's delete), and after the
//     prior intervals grow by a quarter (coldGrowth 1.25) from a quarter of
//     it, so a look comes at most a quarter of the time waited after the
//     task ended (a cold 1 s task is asked at most twice). WaitUntil (changes
//     answered without a TaskId) starts the same way, on one schedule for
//     every wait (no per-wait scale) on a 50 ms grid, so waits begun
//     together share their looks. Every watched look (and a public
//     network's WaitPublicNetworkGone) first takes a listing read since
//     its wait began that shows the change done (earlier_reads.go). From earlier
//     runs (the task cache, WithTaskCache; cdstack keeps it in the user's
//     cache directory, one file, the last 32 durations per endpoint host,
//     action and region): the first look at the 10th percentile of the
//     durations seen, then looks a quarter of the 10th–90th percentile
//     spread apart (at least 1/50 of the 10th; fewer than five durations
//     are taken to spread at least ±10 %) up to the 90th, then backing
//     off. From this run (three tasks or more, or one when there is no
//     cache): the first look when such tasks end, learned as below.
//   - A Client remembers which action started each task and learns, per
//     action, when such tasks end (timed from when each DescribeTask left the
//     rate limiter, not when it came back), so the first look usually finds
//     the task done: one DescribeTask per task. One wait in eight looks 2 %
//     early to keep the estimate honest. Waits that began before anything
//     was known are told when the first task of their action is seen done;
//     while one such wait is looking, the others skip their first look.
//   - One look answers many waits, and a listing answers for the task
//     (listing_watch.go: WatchInstance, WatchVdc, WatchVdcWithPublic,
//     WatchNetwork, WatchDatabase, WatchReplica, WatchLoadBalancer,
//     WatchTemplate; the executor watches every create and delete of
//     those kinds): a wait looks at the listing its resource is in (the
//     VDC's instances, the VDC, the product's databases and the replicas
//     in their source's RoGroups, the load balancers, the templates of a
//     name) before its task. Listed
//     in a transitional status: the task is not asked. A create listed
//     steady (an instance running or stopped, a VDC or network "ok", a
//     database RUNNING) or a delete no longer listed: only a task that
//     succeeded leaves that, so the wait ends without DescribeTask (a
//     create's id is the listed resource's, found by its name, which the
//     plan keeps unique in its scope; a name listed twice is left to the
//     task). Otherwise (not listed yet, a failure status, a delete settled
//     back) the task is asked, so a failed task ends its wait at the first
//     look after it failed, with the task's id, action and Message, never
//     at the wait's timeout. Only the watched action's task is settled by
//     the listing (a StopInstance after a CreateInstance is asked). Looks
//     fall on a grid (a fortieth of the expected duration, 25 ms to 1 s)
//     and a listing waits 10 ms for company, so the waits looking at one
//     moment share one request: status requests grow with time, not with
//     the number of tasks. An instance the listing showed settled answers
//     the read-back that follows without a request.
//   - Reads of one security group (DescribeNSGMembers,
//     DescribeNSGAttribute) made at one moment share one request
//     (nsg_share.go); each reader gets its own copy and its own error.
//   - Entry points (regions.go): without an explicit endpoint the client
//     sends each request to the entry point of its region's area (the
//     documents' region table): the region of its context (WithRegion, set
//     per step by the executor), else its RegionId, else the stack's.
//     Coalesced lookups are keyed by region too.
//   - Read-backs of instances come from the VDC's instance listing
//     (Client.InstanceIn), shared by every read and wait looking at that
//     VDC at that moment. Client.Instance, for an instance whose VDC is not
//     known, asks DescribeInstances with InstanceId as one string (the
//     current documents' form), one request per id.
//   - Other shared reads (shared_reads.go): concurrent SharedVdc calls
//     for one VDC share one request with the VDC watches' reads of it
//     (vdcView, listing_watch.go) (a group's reads are shared by
//     nsg_share.go's DescribeNSGMembers and DescribeNSGAttribute); a VDC
//     that DescribeVdc read by id answers SharedVdc for 30 s unless this
//     client changed public networks since (CreatePublicNetwork for its
//     VDC; AddPublicIp, DeletePublicIp, DeletePublicNetwork for any, as
//     they name none); Prime keeps what a change's last read showed for
//     the read-back after it (Primed: once, within 10 s).
package cloud
