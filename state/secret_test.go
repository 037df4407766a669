package state_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/state"
)

// legacy is a fingerprint as builds before argon2id wrote them.
func legacy(salt, value string) string {
	sum := sha256.Sum256([]byte(salt + value))
	return "sha256:" + hex.EncodeToString([]byte(salt)) + ":" + hex.EncodeToString(sum[:])
}

func TestSecretFingerprints(t *testing.T) {
	h := state.HashSecret("hunter2")
	if !strings.HasPrefix(h, "argon2id:m=19456,t=2,p=1:") {
		t.Errorf("fingerprint %q is not argon2id with the documented parameters", h)
	}
	if strings.Contains(h, "hunter2") || strings.Contains(h, hex.EncodeToString([]byte("hunter2"))) {
		t.Errorf("fingerprint %q holds the value", h)
	}
	if h2 := state.HashSecret("hunter2"); h2 == h || !state.SecretMatches(h2, "hunter2") {
		t.Errorf("two fingerprints of one value: %q and %q; want different, both matching", h, h2)
	}
	salt := strings.Split(h, ":")[2]
	tests := []struct {
		name, hash, value string
		want              bool
	}{
		{"current, its value", h, "hunter2", true},
		{"current, another value", h, "hunter3", false},
		{"current, empty value", h, "", false},
		{"legacy, its value", legacy("0123456789abcdef", "hunter2"), "hunter2", true},
		{"legacy, another value", legacy("0123456789abcdef", "hunter2"), "hunter3", false},
		{"tag altered", h[:len(h)-1] + map[bool]string{true: "1", false: "0"}[h[len(h)-1] == '0'], "hunter2", false},
		{"parameters altered", strings.Replace(h, "t=2", "t=3", 1), "hunter2", false},
		{"memory beyond the bound", "argon2id:m=4194304,t=2,p=1:" + salt + ":00:00", "hunter2", false},
		{"zero passes", "argon2id:m=19456,t=0,p=1:" + salt + ":00:00", "hunter2", false},
		{"parameters padded", "argon2id:m=019456,t=2,p=1:" + salt + ":00:00", "hunter2", false},
		{"short salt", "argon2id:m=19456,t=2,p=1:00:00:00", "hunter2", false},
		{"not hex", "argon2id:m=19456,t=2,p=1:zz:00:00", "hunter2", false},
		{"unknown scheme", "md5:00:00", "hunter2", false},
		{"empty", "", "", false},
	}
	// A crafted state must not stall a plan: parameters out of bounds or
	// malformed are refused before any key is derived, and no check
	// derives more than one key. (Counted, not timed: the race detector on
	// a busy machine makes one honest derivation take seconds.)
	refused := map[string]bool{"memory beyond the bound": true, "zero passes": true, "parameters padded": true,
		"short salt": true, "not hex": true, "unknown scheme": true, "empty": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := state.Derivations()
			if got := state.SecretMatches(tt.hash, tt.value); got != tt.want {
				t.Errorf("SecretMatches(%q, %q) = %v, want %v", tt.hash, tt.value, got, tt.want)
			}
			switch n := state.Derivations() - before; {
			case refused[tt.name] && n != 0:
				t.Errorf("%d keys derived for a fingerprint that is refused as it reads", n)
			case n > 1:
				t.Errorf("%d keys derived for one check", n)
			}
		})
	}
}

func TestSecretDerivedOncePerValue(t *testing.T) {
	state.ForgetKeys()
	before := state.Derivations()
	hashes := make([]string, 1000)
	for i := range hashes {
		hashes[i] = state.HashSecret("shared-password")
	}
	for _, h := range hashes {
		if !state.SecretMatches(h, "shared-password") {
			t.Fatal("a fingerprint does not match its value")
		}
	}
	if n := state.Derivations() - before; n != 1 {
		t.Errorf("1,000 fingerprints of one value cost %d derivations, want 1", n)
	}
	state.SecretMatches(hashes[0], "another")
	if n := state.Derivations() - before; n != 2 {
		t.Errorf("after one other value: %d derivations, want 2", n)
	}
}

func TestUpgradeSecretHashes(t *testing.T) {
	current := state.HashSecret("kept")
	in := map[string]string{
		"password":     legacy("saltsaltsaltsalt", "pw"),
		"other":        legacy("saltsaltsaltsalt", "old"),
		"no_value":     legacy("saltsaltsaltsalt", "x"),
		"already_good": current,
	}
	values := map[string]string{"password": "pw", "other": "new", "already_good": "kept"}
	out := state.UpgradeSecretHashes(in, values)
	if !strings.HasPrefix(out["password"], "argon2id:") || !state.SecretMatches(out["password"], "pw") {
		t.Errorf("password: %q, want an argon2id fingerprint of its value", out["password"])
	}
	for _, k := range []string{"other", "no_value", "already_good"} {
		if out[k] != in[k] {
			t.Errorf("%s: %q, want it kept as %q", k, out[k], in[k])
		}
	}
	if !strings.HasPrefix(in["password"], "sha256:") {
		t.Error("the input map was changed")
	}
	same := map[string]string{"already_good": current}
	if got := state.UpgradeSecretHashes(same, values); got["already_good"] != current {
		t.Error("a current fingerprint was made again")
	}
}
