package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// TestPreflightDegradesPerCheck: a sub-account the cloud refuses the
// billing and catalogue reads still gets its plan; each check whose read
// was refused is a warning naming the action and the permission.
func TestPreflightDegradesPerCheck(t *testing.T) {
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: 10 * time.Millisecond, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	refusedActions := map[string]bool{"DescribeAccountInfo": true, "DescribeInstanceType": true, "DescribeAvailableResource": true}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refusedActions[r.URL.Query().Get("Action")] {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_ = json.NewEncoder(w).Encode(map[string]any{"Code": "Forbidden.NoPermission", "Message": "the sub-account has no permission for this action", "RequestId": "r-1"})
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(crashStack), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCdstack(t, dir, hs.URL, nil, "plan")
	if err != nil {
		t.Fatalf("plan failed: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Plan: 7 to add",
		"not checked: the account's balance (DescribeAccountInfo was refused; it needs the permission to read the account's billing information)",
		"not checked: what CN_Beijing_A sells (DescribeAvailableResource was refused; it needs the permission to read the cloud server catalogue)",
		"DescribeInstanceType was refused",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cdstack: preflight:") {
		t.Errorf("preflight failed the plan:\n%s", out)
	}
}
