package state

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A Record is what cdstack knows about one resource it manages.
type Record struct {
	Addr    string         `json:"addr"`
	Kind    string         `json:"kind"`
	ID      string         `json:"id"`
	Region  string         `json:"region,omitempty"`
	Inputs  map[string]any `json:"inputs,omitempty"`
	Outputs map[string]any `json:"outputs,omitempty"`
	Deps    []string       `json:"deps,omitempty"`
	Protect bool           `json:"protect,omitempty"`
	// SecretHashes holds HashSecret of each sensitive input, by property
	// path; the input itself is not in Inputs.
	SecretHashes map[string]string `json:"secret_hashes,omitempty"`
	// Missing marks a resource deleted for a replacement whose new one was
	// not created (yet): it has no ID, and the next plan creates it.
	Missing bool `json:"missing,omitempty"`
	// Failed marks a resource whose create task ended in error although the
	// service keeps it (an instance listed as "error"): the next plan
	// replaces it.
	Failed bool `json:"failed,omitempty"`
	// Incomplete marks a resource whose create made it but a follow-up call
	// of the create failed (a rule, an account): Inputs hold what the cloud
	// showed afterwards, and the next plan's update finishes the job.
	Incomplete bool      `json:"incomplete,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ReplacedSuffix ends the address under which the old resource of a
// create-before-destroy replacement is recorded until it is deleted.
const ReplacedSuffix = "~replaced"

// A JournalEntry is an intention written before a mutating API call and
// settled (deleted) when its outcome is recorded.
type JournalEntry struct {
	OpID      string `json:"op_id"`
	Addr      string `json:"addr"`
	Kind      string `json:"kind,omitempty"`
	Action    string `json:"action"`     // create, update, delete, replace
	APIAction string `json:"api_action"` // CreateInstance, …
	TaskID    string `json:"task_id,omitempty"`
	// Marker is the name the call uses (the new name of a rename; for a
	// delete, the resource's recorded name): it finds a create whose
	// answer was lost, scoped to Scope (the VDC id, or the region), and
	// names the listing a wait watches. An interrupted update or delete is
	// settled by reading its ResourceID.
	Marker    string    `json:"marker,omitempty"`
	Scope     string    `json:"scope,omitempty"`
	StartedAt time.Time `json:"started_at"`
	// ResourceID is set as soon as a create's first task names the new
	// resource, and for updates and deletes from the start.
	ResourceID string `json:"resource_id,omitempty"`
	// Inputs and SecretHashes are what the record will hold once settled.
	Inputs       map[string]any    `json:"inputs,omitempty"`
	SecretHashes map[string]string `json:"secret_hashes,omitempty"`
	Deps         []string          `json:"deps,omitempty"`
	Protect      bool              `json:"protect,omitempty"`
}

// Meta is the state's identity and version.
type Meta struct {
	Lineage string `json:"lineage"` // fixed when the state is created
	Serial  uint64 `json:"serial"`  // +1 per commit
	Format  int    `json:"format"`
}

// A Snapshot is the whole state at one serial.
type Snapshot struct {
	Meta      Meta               `json:"meta"`
	Resources map[string]*Record `json:"resources"`
	Journal   []*JournalEntry    `json:"journal"`
	// Exports are the outputs and reads recorded at the last apply (nil:
	// none recorded yet).
	Exports *Exports `json:"exports,omitempty"`
}

// A HistoryEntry describes one session that changed the state.
type HistoryEntry struct {
	Serial  uint64    `json:"serial"`
	Time    time.Time `json:"time"`
	Command string    `json:"command"`
	Added   int       `json:"added"`
	Changed int       `json:"changed"`
	Removed int       `json:"removed"`
	Records int       `json:"records"`
}

// A Change is applied atomically by Commit.
type Change struct {
	Put           []*Record
	Delete        []string // addresses
	JournalPut    []*JournalEntry
	JournalDelete []string // op ids
	// Exports, when set, replace the recorded exports.
	Exports *Exports
}

// Empty reports whether the change does nothing.
func (c Change) Empty() bool {
	return len(c.Put)+len(c.Delete)+len(c.JournalPut)+len(c.JournalDelete) == 0 && c.Exports == nil
}

// LockInfo says who holds the lock.
type LockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	User    string    `json:"user,omitempty"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

func (i LockInfo) String() string {
	who := fmt.Sprintf("pid %d on %s", i.PID, i.Host)
	if i.User != "" {
		who += " (" + i.User + ")"
	}
	return fmt.Sprintf("%s running %q since %s", who, i.Command, i.Since.Format(time.RFC3339))
}

// A LockError says the state is locked by someone else.
type LockError struct {
	Path string
	Info *LockInfo // nil when the holder left no details
}

func (e *LockError) Error() string {
	if e.Info == nil {
		return fmt.Sprintf("state %s is locked by another process (it left no details)", e.Path)
	}
	return fmt.Sprintf("state %s is locked by %s; wait for it, or retry with --lock-timeout", e.Path, e.Info)
}

// Errors callers branch on.
var (
	ErrNotFound  = errors.New("no such address in the state")
	ErrNotLocked = errors.New("the state must be locked to commit")
	ErrExists    = errors.New("the address is already in the state")
)

// CurrentFormat is the state format this build writes.
const CurrentFormat = 1

// MaxHistory is how many history entries are kept.
const MaxHistory = 50

// validate refuses records that would store a secret in clear.
func (r *Record) validate() error {
	if r.Addr == "" {
		return errors.New("record without an address")
	}
	for path := range r.SecretHashes {
		if _, clear := r.Inputs[path]; clear {
			return fmt.Errorf("record %s: input %s is sensitive and must be stored as a hash only", r.Addr, path)
		}
	}
	return nil
}

// An Importer replaces a state's whole content: `state migrate` copies one
// backend into another with it. The destination must be locked.
type Importer interface {
	Import(ctx context.Context, snap *Snapshot) error
}

// IsEmpty reports whether a snapshot holds nothing at all.
func (s *Snapshot) IsEmpty() bool {
	return len(s.Resources) == 0 && len(s.Journal) == 0 && s.Meta.Serial == 0
}
