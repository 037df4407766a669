package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud/emulator"
)

// A capture is an http.Handler in front of the emulator that keeps every
// request's action, query and body.
type capture struct {
	next http.Handler
	mu   sync.Mutex
	reqs []captured
}

type captured struct {
	action string
	query  map[string][]string
	body   map[string]any
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	c.mu.Lock()
	c.reqs = append(c.reqs, captured{action: r.URL.Query().Get("Action"), query: r.URL.Query(), body: body})
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

// of returns the captured requests of action.
func (c *capture) of(action string) []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []captured
	for _, r := range c.reqs {
		if r.action == action {
			out = append(out, r)
		}
	}
	return out
}

const requiredStack = `version: 1
stack: required
region: CN_Beijing_A
variables:
  pw: {env: REQ_PW, sensitive: true}
  ipw: {env: REQ_IMAGE_PW, sensitive: true}
resources:
  net: {kind: vdc, properties: {name: required}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.9.0.0, mask: 16}}
  web:
    kind: instance
    properties: {vdc: "${net.id}", name: web, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
                 password: "${var.pw}", private_ips: [{network: "${lan.id}"}]}
  tpl:
    kind: template
    properties: {instance: "${web.id}", name: req-golden, sync_regions: []}
  copy:
    kind: instance
    properties: {vdc: "${net.id}", name: copy, instance_type: Standard, cpu: 1, ram: 1, image: "${tpl.id}",
                 password: "${var.pw}", image_password: "${var.ipw}"}
`

// TestRequestsCarryRequiredFields captures what cdstack sends to the
// emulator: PrivateId in CreateInstance, InstanceId as one string whenever
// DescribeInstances names one, the instance's password on ResetImage and
// ModifyIpAddress, the template's password on CreateInstance from it, and
// Currency on bills. The image password is never in the state.
func TestRequestsCarryRequiredFields(t *testing.T) {
	srv, err := emulator.New(emulator.Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: 10 * time.Millisecond, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	cp := &capture{next: srv}
	hs := httptest.NewServer(cp)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "stack.yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"REQ_PW=Required-Passw0rd", "REQ_IMAGE_PW=Image-Passw0rd"}
	run := func(args ...string) string {
		t.Helper()
		out, err := runCdstack(t, dir, hs.URL, env, args...)
		if err != nil {
			t.Fatalf("cdstack %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	write(requiredStack)
	run("apply", "--auto-approve")
	// A new image and a fixed address for web: ResetImage, ModifyIpAddress.
	write(strings.Replace(strings.Replace(requiredStack, "image: Centos_7.6_64", "image: Ubuntu_16.04_64", 1),
		`private_ips: [{network: "${lan.id}"}]`, `private_ips: [{network: "${lan.id}", ip: 10.9.0.77}]`, 1))
	run("apply", "--auto-approve")
	run("cost")
	run("cost", "--resource", "web", "--currency", "US")

	creates := cp.of("CreateInstance")
	if len(creates) != 2 {
		t.Fatalf("%d CreateInstance, want 2", len(creates))
	}
	for _, c := range creates {
		switch c.body["InstanceName"] {
		case "web":
			ips, _ := c.body["PrivateIp"].([]any)
			first, _ := ips[0].(map[string]any)
			if _, ok := first["PrivateId"]; !ok || first["PrivateID"] != nil {
				t.Errorf("CreateInstance PrivateIp = %v, want PrivateId", c.body["PrivateIp"])
			}
		case "copy":
			if c.body["ImagePassword"] != "Image-Passw0rd" {
				t.Errorf("CreateInstance from the template: ImagePassword = %v", c.body["ImagePassword"])
			}
		}
	}
	for _, d := range cp.of("DescribeInstances") {
		if id, ok := d.body["InstanceId"]; ok {
			if _, isString := id.(string); !isString {
				t.Errorf("DescribeInstances InstanceId = %#v, want one string", id)
			}
		}
	}
	for _, action := range []string{"ResetImage", "ModifyIpAddress"} {
		got := cp.of(action)
		if len(got) != 1 || got[0].body["Password"] != "Required-Passw0rd" {
			t.Errorf("%s: %d requests, bodies %v; want one with the instance's password", action, len(got), got)
		}
	}
	for action, want := range map[string]string{"DescribeBill": "CN", "DescribeBillInfo": "US"} {
		got := cp.of(action)
		if len(got) != 1 || got[0].query["Currency"] == nil || got[0].query["Currency"][0] != want {
			t.Errorf("%s: %d requests, want one with Currency=%s: %v", action, len(got), want, got)
		}
	}
	if st := run("state", "pull"); strings.Contains(st, "Image-Passw0rd") || strings.Contains(st, "Required-Passw0rd") {
		t.Errorf("a password is in the state:\n%s", st)
	}
	run("drift")
}
