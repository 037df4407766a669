package cloud

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadCredentials(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "# cdstack\nsecret_id = AKFILE\nsecret_key = \"sk file\"\n", 0o600)
	open := write("open", "secret_id = A\nsecret_key = B\n", 0o644)
	half := write("half", "secret_id = A\n", 0o600)
	junk := write("junk", "secret_id A\n", 0o600)
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(filepath.Join(home, ".cdstack"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".cdstack", "credentials"), []byte("secret_id=H\nsecret_key=HK\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := map[string]struct {
		env     map[string]string
		wantID  string
		wantErr string
	}{
		"environment":         {map[string]string{EnvSecretID: "AKENV", EnvSecretKey: "sk"}, "AKENV", ""},
		"environment wins":    {map[string]string{EnvSecretID: "AKENV", EnvSecretKey: "sk", EnvCredentialsFile: good}, "AKENV", ""},
		"only one variable":   {map[string]string{EnvSecretID: "AKENV"}, "", "must be set together"},
		"file":                {map[string]string{EnvCredentialsFile: good}, "AKFILE", ""},
		"home file":           {map[string]string{"HOME": home}, "H", ""},
		"world-readable file": {map[string]string{EnvCredentialsFile: open}, "", "chmod 600"},
		"file missing a key":  {map[string]string{EnvCredentialsFile: half}, "", "needs both"},
		"malformed file":      {map[string]string{EnvCredentialsFile: junk}, "", ":1: want key = value"},
		"named file missing":  {map[string]string{EnvCredentialsFile: filepath.Join(dir, "nope")}, "", "no such file"},
		"nothing anywhere":    {map[string]string{"HOME": dir}, "", "no credentials"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := LoadCredentials(envOf(tc.env))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != tc.wantID {
				t.Errorf("AccessKeyID = %q, want %q", c.AccessKeyID, tc.wantID)
			}
		})
	}
	c, err := LoadCredentials(envOf(map[string]string{EnvCredentialsFile: good}))
	if err != nil || c.AccessKeySecret != "sk file" {
		t.Errorf("quoted secret = %q, %v", c.AccessKeySecret, err)
	}
	if _, err := LoadCredentials(envOf(map[string]string{"HOME": dir})); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("err = %v, want ErrNoCredentials", err)
	}
}
