package emulator

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// A World is the state of the local cloud. Every method expects the Server's
// lock to be held.
type World struct {
	VDCs      map[string]*VDC
	Publics   map[string]*PublicNet
	Privates  map[string]*PrivateNet
	Instances map[string]*Instance
	Groups    map[string]*SecGroup
	Templates map[string]*Template
	Databases map[string]*Database // MySQL (and its read-only replicas), Redis and MongoDB
	Tasks     map[string]*Task
	Tags      map[string]*Tag         // account-wide labels, by (numeric) id
	Ledger    map[string]*LedgerEntry // every billable resource ever created, by id
	Nonces    map[string]*UsedNonce   // access key id + NUL + SignatureNonce, for nonceWindow

	// Load balancers (loadbalancer.go) and certificates (certificate.go).
	LBs   map[string]*LoadBalancer
	Certs map[string]*Certificate

	// Hosts are the dedicated hosts (dedicated_host.go).
	Hosts map[string]*DedicatedHost

	// backendFaults and releasedBy watch listeners (lb_backends.go).
	backendFaults []string
	releasedBy    map[string]string // vdc id|ip → the instance that held it (deleted, or moved off by ModifyIpAddress)

	pending map[string]*Task           // tasks not yet settled
	usedIPs map[string]string          // network id|ip → owning instance
	ipCount map[string]int             // network id → addresses in use
	dirty   map[string]map[string]bool // bucket → ids to persist
	rng     *rand.Rand
	known   map[string]bool // ids handed out (by this run, or loaded from the store)
	seq     uint64          // creation order of instances
	tagSeq  int             // the last tag id handed out
	pruneAt time.Time       // when used nonces are next pruned
}

// A UsedNonce is when a SignatureNonce was used.
type UsedNonce struct {
	At time.Time
}

// useNonce records a SignatureNonce (keyed by access key) and reports
// whether it was unused within nonceWindow. Nonces older than that are
// forgotten, in the store too, at most once a minute.
func (w *World) useNonce(key string, now time.Time) bool {
	if now.After(w.pruneAt) {
		for k, n := range w.Nonces {
			if now.Sub(n.At) > nonceWindow {
				delete(w.Nonces, k)
				w.touch("nonce", k)
			}
		}
		w.pruneAt = now.Add(time.Minute)
	}
	if n, ok := w.Nonces[key]; ok && now.Sub(n.At) <= nonceWindow {
		return false
	}
	w.Nonces[key] = &UsedNonce{At: now}
	w.touch("nonce", key)
	return true
}

// Resource statuses. Instances show the ones the official provider waits
// through: a powered-off instance is "stop" (the 2019 reference's examples
// never show one), on its way there "stopping", on its way up "starting".
const (
	statusCreating = "creating"
	statusRunning  = "running"
	statusStopped  = "stop"
	statusStopping = "stopping"
	statusStarting = "starting"
	statusUpdating = "updating"
	statusDeleting = "deleting"
	statusOK       = "ok"
	// statusError is a failed instance the service keeps (KeepFailedInstances).
	statusError = "error"
)

// Busy is what every mutable resource shares: its status, the task that is
// changing it and the status it will have when that task settles.
type Busy struct {
	Status     string `json:"status"`
	TaskID     string `json:"task_id,omitempty"`
	NextStatus string `json:"next_status,omitempty"`
}

// A VDC is a virtual data centre.
type VDC struct {
	Busy
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Region  string    `json:"region"`
	Created time.Time `json:"created"`
}

// A PublicNet is a VDC's bandwidth and public segments.
type PublicNet struct {
	Busy
	ID             string    `json:"id"`
	VdcID          string    `json:"vdc_id"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	BillingMethod  string    `json:"billing_method"`
	Qos            int       `json:"qos"`
	AutoRenew      int       `json:"auto_renew"`
	FloatBandwidth int       `json:"float_bandwidth,omitempty"`
	Segments       []Segment `json:"segments"`
	Created        time.Time `json:"created"`
}

// A Segment is a block of public addresses: network, gateway (network+1),
// usable addresses, broadcast.
type Segment struct {
	ID      string `json:"id"`
	Network uint32 `json:"network"`
	Size    int    `json:"size"`
}

// A PrivateNet is a VDC's private network.
type PrivateNet struct {
	Busy
	ID      string    `json:"id"`
	VdcID   string    `json:"vdc_id"`
	Name    string    `json:"name"`
	Type    string    `json:"type"`
	Network uint32    `json:"network"`
	Mask    int       `json:"mask"`
	Created time.Time `json:"created"`
}

// An Instance is a cloud server.
type Instance struct {
	Busy
	ID             string    `json:"id"`
	Seq            uint64    `json:"seq"`
	Name           string    `json:"name"`
	VdcID          string    `json:"vdc_id"`
	Region         string    `json:"region"`
	ChargeType     string    `json:"charge_type"`
	AutoRenew      int       `json:"auto_renew"`
	PrepaidMonth   int       `json:"prepaid_month"`
	InstanceType   string    `json:"instance_type"`
	ImageID        string    `json:"image_id"`
	CPU            int       `json:"cpu"`
	RAM            int       `json:"ram"`
	SystemDisk     Disk      `json:"system_disk"`
	DataDisks      []Disk    `json:"data_disks"`
	PublicNIC      *NIC      `json:"public_nic,omitempty"`
	PrivateNICs    []NIC     `json:"private_nics"`
	PasswordHash   string    `json:"password_hash"`
	HostName       string    `json:"host_name,omitempty"`
	Created        time.Time `json:"created"`
	SecurityGroups []string  `json:"security_groups,omitempty"`
	Tags           []string  `json:"tags,omitempty"` // tag ids, in the order they were added
	// The current documents' options (instance_options.go).
	UserData           []string `json:"user_data,omitempty"`
	PublicKey          string   `json:"public_key,omitempty"`
	DeletionProtection bool     `json:"deletion_protection,omitempty"`
	DedicatedHostID    string   `json:"dedicated_host_id,omitempty"`
}

// A Disk is a system or data disk. IOPSPacks are provisioned IOPS bought
// with it (the documents' IOPS parameter).
type Disk struct {
	ID        string `json:"id"`
	Size      int    `json:"size"`
	Type      string `json:"type"`
	IOPS      int    `json:"iops"`
	IOPSPacks int    `json:"iops_packs,omitempty"`
}

// A NIC is a network interface on a public or private network.
type NIC struct {
	ID        string `json:"id"`
	NetworkID string `json:"network_id"`
	Name      string `json:"name"`
	IP        string `json:"ip"`
	MAC       string `json:"mac"`
	Connected bool   `json:"connected"`
}

// A SecGroup is a security group with its rules and bindings.
type SecGroup struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Type        string    `json:"type"`
	Rules       []Rule    `json:"rules"`
	Bindings    []Binding `json:"bindings"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	// The NSG model (nsg.go): rules as shown, rule lists queued to be
	// shown, member interfaces, the project.
	NSGRules   []NSGRule    `json:"nsg_rules,omitempty"`
	NSGPending []NSGPending `json:"nsg_pending,omitempty"`
	Members    []Member     `json:"members,omitempty"`
	Project    string       `json:"project,omitempty"`
	// NSG is set once the group is in the NSG model: made by CreateNSG, or
	// upgraded from the old rules and bindings (nsg.go, upgradeGroup).
	NSG bool `json:"nsg,omitempty"`
}

// A Rule is one security group rule.
type Rule struct {
	ID            string    `json:"id"`
	Protocol      string    `json:"protocol"`
	LocalPort     string    `json:"local_port"`
	TargetPort    string    `json:"target_port"`
	TargetAddress string    `json:"target_address"`
	Direction     string    `json:"direction"`
	Priority      int       `json:"priority"`
	Action        int       `json:"action"`
	Type          string    `json:"type"`
	Description   string    `json:"description"`
	Created       time.Time `json:"created"`
}

// A Binding ties a group to an instance (optionally to one of its networks).
type Binding struct {
	InstanceID string `json:"instance_id"`
	PrivateID  string `json:"private_id,omitempty"`
	PublicID   string `json:"public_id,omitempty"`
}

// A Tag is an account-wide label instances carry. The service numbers them.
type Tag struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// tagNames returns the names of the tags with ids.
func (w *World) tagNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		if t := w.Tags[id]; t != nil {
			out = append(out, t.Name)
		}
	}
	return out
}

// A Template is a custom image and its copies per region.
type Template struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	InstanceID string            `json:"instance_id"`
	OSType     string            `json:"os_type"`
	Regions    map[string]string `json:"regions"` // region → status
	Created    time.Time         `json:"created"`
}

// A Task is an asynchronous operation.
type Task struct {
	ID      string    `json:"id"`
	Type    string    `json:"type"`
	Targets []Target  `json:"targets"`
	Created time.Time `json:"created"`
	Due     time.Time `json:"due"`
	Fail    bool      `json:"fail"`
	Status  string    `json:"status,omitempty"` // FINISH or ERROR once settled
}

// A Target is what a task changes.
type Target struct {
	Kind string `json:"kind"` // bucket name: vdc, public, private, instance, template
	ID   string `json:"id"`
	Op   string `json:"op"` // create, update, delete
	// Region is the template region a create/delete of a copy concerns.
	Region string `json:"region,omitempty"`
}

// A LedgerEntry is a billable resource's lifetime and price.
type LedgerEntry struct {
	// Key is the ledger key when it is not ResourceID: a closed period of a
	// resource whose price changed.
	Key         string    `json:"key,omitempty"`
	ResourceID  string    `json:"resource_id"`
	Name        string    `json:"name"`
	Type        string    `json:"type"` // vm, wan, ip, template
	Region      string    `json:"region"`
	VdcID       string    `json:"vdc_id"`
	VdcName     string    `json:"vdc_name"`
	HourlyPrice float64   `json:"hourly_price"`
	Config      string    `json:"config"`
	Created     time.Time `json:"created"`
	Deleted     time.Time `json:"deleted,omitempty"`
	IPs         []string  `json:"ips,omitempty"`
}

func newWorld(seed uint64) *World {
	return &World{
		VDCs: map[string]*VDC{}, Publics: map[string]*PublicNet{}, Privates: map[string]*PrivateNet{},
		Instances: map[string]*Instance{}, Groups: map[string]*SecGroup{}, Templates: map[string]*Template{},
		Databases: map[string]*Database{}, Tasks: map[string]*Task{}, Tags: map[string]*Tag{}, Ledger: map[string]*LedgerEntry{}, Nonces: map[string]*UsedNonce{},
		LBs: map[string]*LoadBalancer{}, Certs: map[string]*Certificate{}, Hosts: map[string]*DedicatedHost{},
		pending: map[string]*Task{}, dirty: map[string]map[string]bool{},
		rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// remember notes an id handed out in an earlier run (loaded from the
// store), so newID never hands it out again.
func (w *World) remember(id string) {
	if w.known == nil {
		w.known = map[string]bool{}
	}
	w.known[id] = true
}

// reseed moves the id generator of a world loaded from a store past the
// sequence of a fresh world with the same seed: it mixes in every id the
// store holds, so a restart with the same seed and data makes new ids
// (deterministically for that world).
func (w *World) reseed(seed uint64) {
	if len(w.known) == 0 {
		return
	}
	ids := make([]string, 0, len(w.known))
	for id := range w.known {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	w.rng = rand.New(rand.NewPCG(seed^binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}

// newID returns a random UUID from the world's generator (deterministic
// for a seed and a stored world), never one handed out before.
func (w *World) newID() string {
	for {
		id := w.randomID()
		if !w.known[id] && !w.idInUse(id) {
			w.remember(id)
			return id
		}
	}
}

// idInUse reports whether a resource, task or ledger entry has id.
func (w *World) idInUse(id string) bool {
	_, a := w.VDCs[id]
	_, b := w.Publics[id]
	_, c := w.Privates[id]
	_, d := w.Instances[id]
	_, e := w.Groups[id]
	_, f := w.Templates[id]
	_, g := w.Tasks[id]
	_, h := w.Ledger[id]
	_, i := w.Hosts[id]
	return a || b || c || d || e || f || g || h || i
}

func (w *World) randomID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], w.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], w.rng.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

// newMAC returns a MAC in the VMware range the reference's examples use.
func (w *World) newMAC() string {
	v := w.rng.Uint32()
	return fmt.Sprintf("00:50:56:%02x:%02x:%02x", byte(v>>16)&0x3f, byte(v>>8), byte(v))
}

// touch marks an entity for persistence.
func (w *World) touch(bucket, id string) {
	m := w.dirty[bucket]
	if m == nil {
		m = map[string]bool{}
		w.dirty[bucket] = m
	}
	m[id] = true
}

// validID reports whether id looks like the ids the service hands out.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// instancesInVdc returns the VDC's instances in creation order.
func (w *World) instancesInVdc(vdcID string) []*Instance {
	var out []*Instance
	for _, in := range w.Instances {
		if vdcID == "" || in.VdcID == vdcID {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// instancesByID returns the instances among ids that exist, in creation
// order, looking each up instead of listing the world.
func (w *World) instancesByID(ids []string) []*Instance {
	var out []*Instance
	for _, id := range ids {
		if in := w.Instances[id]; in != nil && !slices.Contains(out, in) {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// ledgerOpen records a billable resource.
func (w *World) ledgerOpen(e *LedgerEntry) {
	key := e.Key
	if key == "" {
		key = e.ResourceID
	}
	w.Ledger[key] = e
	w.touch("ledger", key)
}

// archiveBill closes the open bill of id at now and keeps it under another
// key, so a new period at another price can be opened; false if id has none.
func (w *World) archiveBill(id string, now time.Time) bool {
	e, ok := w.Ledger[id]
	if !ok || !e.Deleted.IsZero() {
		return false
	}
	old := *e
	old.Key = id + "@" + e.Created.Format(time.RFC3339Nano)
	old.Deleted = now
	w.ledgerOpen(&old)
	return true
}

// sortByCreated orders items by creation time, then id.
func sortByCreated[T any](items []T, key func(T) (time.Time, string)) {
	sort.Slice(items, func(i, j int) bool {
		ti, ii := key(items[i])
		tj, ij := key(items[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return ii < ij
	})
}

// hashSecret keeps a password as a salted hash; the world never holds it in clear.
func hashSecret(secret string) string {
	var salt [8]byte
	_, _ = crand.Read(salt[:])
	sum := sha256.Sum256(append(salt[:], secret...))
	return hex.EncodeToString(salt[:]) + ":" + hex.EncodeToString(sum[:])
}

// secretMatches reports whether secret is the one hashSecret kept as hash.
func secretMatches(hash, secret string) bool {
	saltHex, sumHex, ok := strings.Cut(hash, ":")
	salt, err := hex.DecodeString(saltHex)
	if !ok || err != nil {
		return false
	}
	sum := sha256.Sum256(append(salt, secret...))
	return hex.EncodeToString(sum[:]) == sumHex
}

// renameBill shows a renamed resource's new name on its open bill.
func (w *World) renameBill(id, name string) {
	if e, ok := w.Ledger[id]; ok && e.Deleted.IsZero() {
		e.Name = name
		w.touch("ledger", id)
	}
}

// ledgerClose marks a billable resource deleted.
func (w *World) ledgerClose(id string, at time.Time) {
	if e, ok := w.Ledger[id]; ok && e.Deleted.IsZero() {
		e.Deleted = at
		w.touch("ledger", id)
	}
}
