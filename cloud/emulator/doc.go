// Package emulator is the local CDS cloud: an http.Handler that serves every
// action of the 2019-08-08 reference under /ccs/, /network/, /billing/ and
// /ccs-product/, with the reference's parameters, answer shapes and error
// codes, over a world of VDCs, networks, instances, security groups,
// templates and tasks. `cdstack --endpoint local` and `cdstack emulator
// serve` run it on loopback; tests run it in process.
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
// Public addresses come from 198.18.0.0/15 (reserved for benchmarks, RFC
// 2544), in aligned segments of 4–64 whose first address is the network, the
// second the gateway and the last the broadcast. Private networks are RFC 1918
// CIDRs; auto networks are 10.k.0.0/16.
//
// Read-only products are deterministic functions of the world: bills from
// each resource's lifetime and a price table (CNY per hour), monitoring and
// traffic from a seeded hash of (resource, metric, time slot).
//
// Persistence: with a Store, one bbolt bucket per kind and one key per
// entity; each request writes only what it touched, in one transaction.
// Instance passwords are kept as salted hashes. Used nonces are kept too,
// for their 15 minutes, so a request replayed to a later process on the same
// file (each `--endpoint local` command starts one) is refused like one
// replayed to the same process.
package emulator
