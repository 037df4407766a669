package cloud

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Environment variables and files credentials are read from. The variable
// names are the ones the existing Terraform provider for this cloud uses.
const (
	EnvSecretID        = "CDS_SECRET_ID"
	EnvSecretKey       = "CDS_SECRET_KEY"
	EnvCredentialsFile = "CDSTACK_CREDENTIALS_FILE"
	// DefaultCredentialsFile is relative to the user's home directory.
	DefaultCredentialsFile = ".cdstack/credentials"
)

// Credentials are an AccessKeyId and its AccessKeySecret. The secret never
// leaves this value except as an HMAC key: String and GoString mask it, so a
// stray %v in a log line cannot print it.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	// Source says where they came from ("environment", a file path), for messages.
	Source string
}

// String shows the key id and hides the secret.
func (c Credentials) String() string {
	return fmt.Sprintf("AccessKeyId %s (secret hidden, from %s)", c.AccessKeyID, c.Source)
}

// GoString hides the secret from %#v too.
func (c Credentials) GoString() string { return c.String() }

// ErrNoCredentials says neither the environment nor a credentials file had any.
var ErrNoCredentials = errors.New("no credentials: set " + EnvSecretID + " and " + EnvSecretKey +
	", or write them to ~/" + DefaultCredentialsFile + " (mode 0600) as secret_id = … and secret_key = …")

// LoadCredentials finds credentials: CDS_SECRET_ID and CDS_SECRET_KEY first,
// then the file named by CDSTACK_CREDENTIALS_FILE, then ~/.cdstack/credentials.
// getenv is os.Getenv in production and a map lookup in tests.
func LoadCredentials(getenv func(string) string) (Credentials, error) {
	id, key := getenv(EnvSecretID), getenv(EnvSecretKey)
	switch {
	case id != "" && key != "":
		return Credentials{AccessKeyID: id, AccessKeySecret: key, Source: "environment"}, nil
	case id != "" || key != "":
		return Credentials{}, fmt.Errorf("credentials: %s and %s must be set together", EnvSecretID, EnvSecretKey)
	}
	path := getenv(EnvCredentialsFile)
	explicit := path != ""
	if !explicit {
		home := getenv("HOME")
		if home == "" {
			return Credentials{}, ErrNoCredentials
		}
		path = filepath.Join(home, DefaultCredentialsFile)
	}
	c, err := ReadCredentialsFile(path)
	if errors.Is(err, os.ErrNotExist) && !explicit {
		return Credentials{}, ErrNoCredentials
	}
	return c, err
}

// ReadCredentialsFile reads "key = value" lines (# starts a comment) with the
// keys secret_id and secret_key. A file that its group or others can read is
// refused: a leaked secret cannot be taken back.
func ReadCredentialsFile(path string) (Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Credentials{}, fmt.Errorf("credentials file: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return Credentials{}, fmt.Errorf("credentials file %s: mode %04o lets others read it; run chmod 600 %s", path, perm, path)
	}
	c := Credentials{Source: path}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "[") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return Credentials{}, fmt.Errorf("credentials file %s:%d: want key = value", path, line)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "secret_id", "access_key_id", strings.ToLower(EnvSecretID):
			c.AccessKeyID = v
		case "secret_key", "access_key_secret", strings.ToLower(EnvSecretKey):
			c.AccessKeySecret = v
		default:
			return Credentials{}, fmt.Errorf("credentials file %s:%d: unknown key %q (want secret_id or secret_key)", path, line, k)
		}
	}
	if err := sc.Err(); err != nil {
		return Credentials{}, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if c.AccessKeyID == "" || c.AccessKeySecret == "" {
		return Credentials{}, fmt.Errorf("credentials file %s: needs both secret_id and secret_key", path)
	}
	return c, nil
}
