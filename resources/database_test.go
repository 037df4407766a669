package resources

import "testing"

// TestDatabaseRules: versions match as the catalogue names them, disks only
// grow, only the parameters the stack names are managed, and Redis
// replaces for every change with a reason.
func TestDatabaseRules(t *testing.T) {
	my := Registry["mysql"]
	live := Inputs{"version": "8.0.26", "disk_size": int64(300), "parameters": map[string]any{"max_connections": "3000"}}
	tests := map[string]struct {
		kind, field       string
		desired           any
		differs, replaces bool
	}{
		"8.0 is 8.0.26":                 {"mysql", "version", "8.0", false, false},
		"5.7 is not 8.0.26":             {"mysql", "version", "5.7", true, true},
		"the disk grows in place":       {"mysql", "disk_size", int64(400), true, false},
		"the disk cannot shrink":        {"mysql", "disk_size", int64(200), true, true},
		"a named parameter is compared": {"mysql", "parameters", map[string]any{"max_connections": "2000"}, true, false},
		"an unnamed parameter is left":  {"mysql", "parameters", map[string]any{}, false, false},
		"numbers compare as text":       {"mysql", "parameters", map[string]any{"max_connections": int64(3000)}, false, false},
		"a new parameter is set":        {"mysql", "parameters", map[string]any{"max_connections": "3000", "wait_timeout": "60"}, true, false},
		"a replica disk cannot shrink":  {"mysql_readonly", "disk_size", int64(200), true, true},
		"a MongoDB disk grows in place": {"mongodb", "disk_size", int64(400), true, false},
		"Redis memory replaces":         {"redis", "ram", int64(8), true, true},
		"Redis 5.0 is 5.0":              {"redis", "version", "5.0", false, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			k := Registry[tc.kind]
			actual := copyInputs(live)
			actual["ram"], actual["version"] = int64(4), map[string]string{"redis": "5.0"}[tc.kind]
			if tc.kind != "redis" {
				actual["version"] = "8.0.26"
			}
			desired := copyInputs(actual)
			desired[tc.field] = tc.desired
			if got := k.Differs(tc.field, desired, actual); got != tc.differs {
				t.Fatalf("Differs = %v, want %v", got, tc.differs)
			}
			if tc.differs {
				if got := k.Replaces(tc.field, desired, actual); got != tc.replaces {
					t.Errorf("Replaces = %v, want %v", got, tc.replaces)
				}
				if ex, ok := k.(ReplaceExplainer); ok && tc.replaces && tc.field != "version" && ex.ReplaceReason(tc.field, desired, actual) == "" {
					t.Errorf("no reason for replacing %s", tc.field)
				}
			}
		})
	}
	_ = my
}

// TestAccountPasswordsSplit: an account's password leaves the inputs.
func TestAccountPasswordsSplit(t *testing.T) {
	k := Registry["mysql"].(SecretSplitter)
	clean, secrets := k.SplitSecrets("accounts", []any{map[string]any{"name": "app", "password": "S3cret-pw", "privileges": []any{}}})
	if secrets["accounts.app.password"] != "S3cret-pw" || len(secrets) != 1 {
		t.Errorf("secrets = %v", secrets)
	}
	if m := clean.([]any)[0].(map[string]any); m["password"] != nil || m["name"] != "app" {
		t.Errorf("clean = %v", clean)
	}
	norm := Registry["mysql"].Normalize(Inputs{"accounts": clean, "parameters": map[string]any{"max_connections": int64(10)}}, "CN_Beijing_A")
	if got := norm.Maps("accounts")[0]["type"]; got != "Normal" {
		t.Errorf("account type = %v, want Normal by default", got)
	}
	if got := norm.Map("parameters")["max_connections"]; got != "10" {
		t.Errorf("parameter = %#v, want text", got)
	}
}
