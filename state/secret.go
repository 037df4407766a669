package state

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Fingerprints of sensitive inputs.
//
// A record keeps, for each sensitive input, a fingerprint that tells whether
// a value is the one applied without storing it:
//
//	argon2id:m=19456,t=2,p=1:SALT:NONCE:TAG
//
// where KEY = argon2id(value, SALT) with those parameters and TAG =
// HMAC-SHA256(KEY, NONCE). The memory-hard derivation makes each guess of
// someone who can read the state cost what it costs us (about 20 ms and
// 19 MiB, the OWASP argon2id baseline); a plain salted SHA-256 let such a
// reader try billions of guesses a second.
//
// One command uses one SALT for every fingerprint it writes, and derived
// keys are cached by (parameters, salt, value): 1,000 instances sharing a
// password cost one derivation to write and one to check. The per-
// fingerprint NONCE keeps two records with the same password from having
// the same fingerprint. Derivations run one at a time, so a parallel apply
// holds at most one 19 MiB buffer.
//
// Fingerprints of the older form "sha256:SALT:DIGEST" are still checked and
// are replaced by UpgradeSecretHashes when their record is next written.

// kdfParams are the argon2id parameters of a fingerprint.
type kdfParams struct {
	memoryKiB, time uint32
	threads         uint8
}

// currentKDF is what new fingerprints use.
var currentKDF = kdfParams{memoryKiB: 19 * 1024, time: 2, threads: 1}

// Bounds on parameters read from a state file, so that a crafted one cannot
// make a plan allocate gigabytes or spin for minutes.
const (
	maxKDFMemoryKiB = 1 << 20 // 1 GiB
	maxKDFTime      = 16
	maxKDFThreads   = 16
)

func (p kdfParams) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.memoryKiB, p.time, p.threads)
}

func parseKDFParams(s string) (kdfParams, bool) {
	var p kdfParams
	if n, err := fmt.Sscanf(s, "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads); err != nil || n != 3 || p.String() != s {
		return p, false
	}
	ok := p.memoryKiB >= 8*uint32(p.threads) && p.memoryKiB <= maxKDFMemoryKiB &&
		p.time >= 1 && p.time <= maxKDFTime && p.threads >= 1 && p.threads <= maxKDFThreads
	return p, ok
}

// keys caches derived keys for the life of the process.
var keys = struct {
	sync.Mutex
	salt    []byte // this process's salt for new fingerprints
	derived map[string][]byte
	count   int
}{derived: map[string][]byte{}}

// derive returns argon2id(value, salt) under p, from the cache when it can.
func derive(p kdfParams, salt []byte, value string) []byte {
	keys.Lock()
	defer keys.Unlock()
	id := p.String() + ":" + string(salt) + ":" + value
	if k, ok := keys.derived[id]; ok {
		return k
	}
	k := argon2.IDKey([]byte(value), salt, p.time, p.memoryKiB, p.threads, 32)
	keys.derived[id] = k
	keys.count++
	return k
}

// Derivations is how many key derivations this process has run, for
// benchmarks and tests.
func Derivations() int {
	keys.Lock()
	defer keys.Unlock()
	return keys.count
}

func processSalt() []byte {
	keys.Lock()
	defer keys.Unlock()
	if keys.salt == nil {
		keys.salt = make([]byte, 16)
		_, _ = rand.Read(keys.salt)
	}
	return keys.salt
}

// HashSecret returns the fingerprint of value for a record.
func HashSecret(value string) string {
	salt := processSalt()
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	key := derive(currentKDF, salt, value)
	return strings.Join([]string{"argon2id", currentKDF.String(), hex.EncodeToString(salt), hex.EncodeToString(nonce), hex.EncodeToString(tag(key, nonce))}, ":")
}

func tag(key, nonce []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(nonce)
	return m.Sum(nil)
}

// SecretMatches reports whether hash is the fingerprint of value, in
// either form a state may hold.
func SecretMatches(hash, value string) bool {
	parts := strings.Split(hash, ":")
	switch {
	case len(parts) == 5 && parts[0] == "argon2id":
		p, ok := parseKDFParams(parts[1])
		salt, err1 := hex.DecodeString(parts[2])
		nonce, err2 := hex.DecodeString(parts[3])
		want, err3 := hex.DecodeString(parts[4])
		if !ok || err1 != nil || err2 != nil || err3 != nil || len(salt) < 8 {
			return false
		}
		return hmac.Equal(tag(derive(p, salt, value), nonce), want)
	case len(parts) == 3 && parts[0] == "sha256":
		salt, err := hex.DecodeString(parts[1])
		if err != nil {
			return false
		}
		sum := sha256.Sum256(append(salt, value...))
		return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(parts[2])) == 1
	}
	return false
}

// UpgradeSecretHashes returns hashes with every fingerprint of an older
// form or weaker parameters made again in the current form, where values
// holds the value it fingerprints; the others are kept as they are.
func UpgradeSecretHashes(hashes, values map[string]string) map[string]string {
	var out map[string]string
	for path, h := range hashes {
		v, known := values[path]
		if !known || current(h) || !SecretMatches(h, v) {
			continue
		}
		if out == nil {
			out = maps.Clone(hashes)
		}
		out[path] = HashSecret(v)
	}
	if out == nil {
		return hashes
	}
	return out
}

// current reports whether h was made with the current form and parameters.
func current(h string) bool {
	return strings.HasPrefix(h, "argon2id:"+currentKDF.String()+":")
}

// ForgetKeys empties the cache of derived keys, as a new process starts;
// for benchmarks that measure a command's cost.
func ForgetKeys() {
	keys.Lock()
	defer keys.Unlock()
	clear(keys.derived)
}
