package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Every record is stored as its JSON with a checksum of that JSON appended
// as one last member, `,"checksum":"<sha256 hex>"}`: the sum covers the
// bytes before it (with the closing brace), so a record whose bytes changed
// after it was written (a flipped bit, an edit by hand) fails it, whatever
// changed. A record written before checksums existed has none: it is read
// as it is, and gets one when it is next written.

const checksumKey = `,"checksum":"`

// checksumTail is the length of `,"checksum":"<64 hex>"}`.
const checksumTail = len(checksumKey) + sha256.Size*2 + 2

// encodeRecord returns r as stored: its JSON with the checksum appended.
func encodeRecord(r *Record) ([]byte, error) {
	v, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(v)
	out := make([]byte, 0, len(v)+checksumTail)
	out = append(out, v[:len(v)-1]...)
	out = append(out, checksumKey...)
	out = append(out, hex.EncodeToString(sum[:])...)
	return append(out, '"', '}'), nil
}

// storedRecord is a record as read: any member besides the record's own and
// its checksum is damage.
type storedRecord struct {
	Record
	Checksum *string `json:"checksum"`
}

// decodeRecord reads a stored record, checking its checksum when it has one
// (errBadChecksum when it fails).
func decodeRecord(v []byte) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	var s storedRecord
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if s.Checksum == nil {
		return &s.Record, nil // written before checksums
	}
	n := len(v) - checksumTail
	if n < 1 || !bytes.HasPrefix(v[n:], []byte(checksumKey)) || !strings.HasSuffix(string(v), `"}`) {
		return nil, errBadChecksum
	}
	body := append(append([]byte{}, v[:n]...), '}')
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != *s.Checksum {
		return nil, errBadChecksum
	}
	return &s.Record, nil
}

var errBadChecksum = fmt.Errorf("the record fails its checksum")

// A DamagedError says records of the state fail their checksum, or cannot
// be read at all: their bytes changed after cdstack wrote them. Nothing
// that reads them can be trusted, so every command refuses the state until
// they are recorded again or the state is restored. Snapshot returns the
// rest of the state with it, for the commands that repair (refresh
// --target).
type DamagedError struct {
	State string   // the file or URL
	Addrs []string // sorted
}

func (e *DamagedError) Error() string {
	addrs := strings.Join(e.Addrs, ", ")
	targets := ""
	for _, a := range e.Addrs {
		targets += " --target " + a
	}
	return fmt.Sprintf("state %s: the record of %s is damaged (it fails its checksum: its bytes changed after cdstack wrote them); nothing was changed. "+
		"Record it again from the cloud with `cdstack refresh%s`, or restore the state from a backup", e.State, addrs, targets)
}

// damaged collects the addresses whose records fail to decode.
type damaged struct{ addrs []string }

func (d *damaged) add(addr string) { d.addrs = append(d.addrs, addr) }

// err returns a *DamagedError for what was collected, or nil.
func (d *damaged) err(where string) error {
	if len(d.addrs) == 0 {
		return nil
	}
	sort.Strings(d.addrs)
	return &DamagedError{State: where, Addrs: d.addrs}
}
