package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// legacySecurityGroupActions are the actions the current service disabled.
var legacySecurityGroupActions = []string{"CreateSecurityGroup", "DeleteSecurityGroup", "ForceDeleteSecurityGroup",
	"DescribeSecurityGroupAttribute", "ModifySecurityGroupAttribute", "DescribeSecurityGroups", "AddSecurityGroupRule",
	"RemoveSecurityGroupRule", "ModifySecurityGroupRule", "JoinSecurityGroup", "LeaveSecurityGroup",
	"ModifySecurityGroupRulePriority"}

// TestExamplesOnNSGActionsOnly: every example applies against the default
// emulator, plans no changes, shows no drift and is destroyed, and the
// emulator receives no old security-group action (they are disabled in the
// current service), while the NSG actions carry the groups.
func TestExamplesOnNSGActionsOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example: skipped in -short mode")
	}
	examples := []struct {
		file  string
		extra []string // flags of every command
		edit  func(string) string
	}{
		{file: "quickstart.yaml"},
		// protect: true keeps db from destroy; the test destroys it.
		{file: "web-tier.yaml", edit: func(s string) string { return strings.Replace(s, "protect: true", "protect: false", 1) }},
		{file: "environments/stack.yaml", extra: []string{"--workspace", "dev", "--var-file", "dev.yaml"}},
	}
	for _, ex := range examples {
		t.Run(ex.file, func(t *testing.T) {
			t.Parallel()
			srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			endpoint := hs.URL
			dir := t.TempDir()
			src := filepath.Join("..", "examples", ex.file)
			body, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(string(body), "../schemas/", "")
			if ex.edit != nil {
				text = ex.edit(text)
			}
			if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if vf := filepath.Join(filepath.Dir(src), "dev.yaml"); ex.extra != nil {
				b, err := os.ReadFile(vf)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "dev.yaml"), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cert, key, _, err := selfSigned(365, "www.example.com")
			if err != nil {
				t.Fatal(err)
			}
			env := []string{"WEB_ADMIN_PASSWORD=Example-Passw0rd", "SHOP_ADMIN_PASSWORD=Example-Passw0rd", "WEB_TLS_CERT=" + cert, "WEB_TLS_KEY=" + key}
			run := func(args ...string) string {
				t.Helper()
				out, err := runCdstack(t, dir, endpoint, env, append(args, ex.extra...)...)
				if err != nil {
					t.Fatalf("cdstack %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return out
			}
			run("apply", "--auto-approve")
			run("plan", "--detailed-exitcode")
			run("drift")
			run("destroy", "--auto-approve")
			calls := srv.Calls()
			var legacy []string
			for _, a := range legacySecurityGroupActions {
				if calls[a] > 0 {
					legacy = append(legacy, a)
				}
			}
			if len(legacy) > 0 {
				t.Errorf("old security-group actions sent: %v", legacy)
			}
			if strings.Contains(text, "kind: security_group") {
				// New instances are bound by CreateInstance (SecurityGroup), not
				// JoinNSG; the clean plan and drift above show the bindings.
				for _, a := range []string{"CreateNSG", "AddNSGRule", "DescribeNSGs", "DescribeNSGAttribute", "DescribeNSGMembers", "DeleteNSG"} {
					if calls[a] == 0 {
						t.Errorf("%s never sent", a)
					}
				}
			}
			var names []string
			for a, n := range calls {
				if strings.Contains(a, "NSG") {
					names = append(names, fmt.Sprintf("%s=%d", a, n))
				}
			}
			sort.Strings(names)
			t.Logf("NSG actions: %s", strings.Join(names, " "))
			srv.View(func(w *emulator.World) {
				if n := len(w.Groups) + len(w.Instances) + len(w.VDCs); n != 0 {
					t.Errorf("%d groups, instances and VDCs left after destroy", n)
				}
			})
		})
	}
}
