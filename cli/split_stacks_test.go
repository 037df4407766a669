package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/internal/etcdtest"
)

// splitStacks is examples/platform in a directory of its own, against a
// fresh local cloud; stateOf says where each stack keeps its state ("" for
// the file beside it) and rewrites app.yaml's stacks: entry to match.
type splitStacks struct {
	t        *testing.T
	srv      *emulator.Server
	endpoint string
	dir      string
	states   map[string]string // stack → CDSTACK_STATE ("" for the default file)
}

func newSplitStacks(t *testing.T, platformState, appState string) *splitStacks {
	t.Helper()
	srv, endpoint, dir := stackInCloud(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	for _, f := range []string{"platform.yaml", "app.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "examples", "platform", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "app.yaml" && platformState != "" {
			b = []byte(strings.Replace(string(b), "{state: .cdstack/platform.db}", "{state: \""+platformState+"\"}", 1))
		}
		if f == "platform.yaml" && appState != "" {
			b = []byte(strings.Replace(string(b), "{state: .cdstack/app.db}", "{state: \""+appState+"\"}", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return &splitStacks{t: t, srv: srv, endpoint: endpoint, dir: dir, states: map[string]string{"platform": platformState, "app": appState}}
}

// run runs cdstack on stack's file and fails the test unless it exits with
// code want.
func (x *splitStacks) run(stack string, want int, args ...string) string {
	x.t.Helper()
	var env []string
	if st := x.states[stack]; st != "" {
		env = append(env, "CDSTACK_STATE="+st)
	}
	out, err := runCdstack(x.t, x.dir, x.endpoint, env, append(args, "-f", stack+".yaml")...)
	if code := exitCodeOf(err); code != want {
		x.t.Fatalf("cdstack %s -f %s.yaml: exit %d (%v), want %d\n%s", strings.Join(args, " "), stack, code, err, want, out)
	}
	return out
}

func exitCodeOf(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// output is one output of stack, as its state records it.
func (x *splitStacks) output(stack, name string) string {
	x.t.Helper()
	var v string
	if err := json.Unmarshal([]byte(lastLine(x.run(stack, 0, "output", name, "--json"))), &v); err != nil {
		x.t.Fatalf("output %s of %s: %v", name, stack, err)
	}
	return v
}

// record is one record of stack's state.
func (x *splitStacks) record(stack, addr string) map[string]any {
	x.t.Helper()
	out := x.run(stack, 0, "state", "show", addr, "--json")
	var rec map[string]any
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &rec); err != nil {
		x.t.Fatalf("state show %s: %v\n%s", addr, err, out)
	}
	return rec
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// exercise is what splitting stacks must show, with either kind of state:
// the app's instances land in the platform's VDC and network, a second
// plan of each changes nothing, and destroying the app leaves the platform
// as it was.
func (x *splitStacks) exercise() {
	t := x.t
	x.run("platform", 0, "apply", "--auto-approve")
	// Before the app is applied its state cannot be read: a warning at the
	// tenant's state: line, never an error.
	out := x.run("platform", 0, "drift")
	if !regexp.MustCompile(`platform\.yaml:\d+:\d+: warning: tenants\.app\.state: tenant "app": state .* (cannot be read|holds nothing).*; what it made in this stack's VDCs is reported as unmanaged`).MatchString(out) {
		t.Errorf("platform drift before the app is applied: want a warning naming the tenant\n%s", out)
	}
	out = x.run("app", 0, "apply", "--auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 2 added") {
		t.Fatalf("app apply:\n%s", out)
	}
	// A second apply changes nothing, not even the serial.
	pulled := x.run("app", 0, "state", "pull")
	if out := x.run("app", 0, "apply", "--auto-approve"); !strings.Contains(out, "No changes") {
		t.Errorf("second apply of the app:\n%s", out)
	}
	if again := x.run("app", 0, "state", "pull"); again != pulled {
		t.Errorf("a second apply without changes moved the app's state:\n%s", cmp.Diff(pulled, again))
	}
	vdc, lan := x.output("platform", "vdc_id"), x.output("platform", "lan_id")
	for _, addr := range []string{"app[0]", "app[1]"} {
		in := x.record("app", addr)["inputs"].(map[string]any)
		ips := in["private_ips"].([]any)[0].(map[string]any)
		if in["vdc"] != vdc || ips["network"] != lan {
			t.Errorf("%s is in VDC %v on network %v, want the platform's %s and %s", addr, in["vdc"], ips["network"], vdc, lan)
		}
	}
	out = x.run("app", 0, "plan", "--detailed-exitcode")
	if !strings.Contains(out, fmt.Sprintf("<= data.vdc (vdc): %s \"platform-prod\"", vdc)) || !strings.Contains(out, "<= stack.platform: state ") {
		t.Errorf("the app's plan does not show what it read:\n%s", out)
	}
	x.run("platform", 0, "plan", "--detailed-exitcode")
	x.run("app", 0, "drift")
	// The platform's drift names the app's instances as the app's (its
	// tenant), not as unmanaged, and exits 0.
	appState := x.states["app"]
	if appState == "" {
		appState = ".cdstack/app.db"
	}
	out = x.run("platform", 0, "drift")
	for _, want := range []string{`managed by stack app as app\[0\]`, `managed by stack app as app\[1\]`,
		`(?m)^Managed by stack app \(state ` + regexp.QuoteMeta(appState) + `, serial \d+\): 2 instance\(s\)\.$`, `(?m)^No drift: the cloud matches the state\.$`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("platform drift: want %s\n%s", want, out)
		}
	}
	if strings.Contains(out, "not managed by this stack") || strings.Contains(out, "warning") {
		t.Errorf("platform drift reports the app's instances as unmanaged, or warns:\n%s", out)
	}
	// Reading the tenant costs no call of the cloud: the same drift
	// without tenants: makes the same calls, and reports the app's two
	// instances as unmanaged (exit 2).
	b, err := os.ReadFile(filepath.Join(x.dir, "platform.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "\ntenants:\n")
	j := strings.Index(string(b), "\nvariables:\n")
	if i < 0 || j < i {
		t.Fatalf("platform.yaml has no tenants: block before variables:\n%s", b)
	}
	if err := os.WriteFile(filepath.Join(x.dir, "alone.yaml"), append(b[:i:i], b[j:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	x.states["alone"] = x.states["platform"]
	if x.states["alone"] == "" {
		x.states["alone"] = ".cdstack/platform.db"
	}
	calls := func(run func()) int {
		before := x.srv.Calls()
		run()
		n := 0
		for action, c := range x.srv.Calls() {
			n += c - before[action]
		}
		return n
	}
	with := calls(func() { x.run("platform", 0, "drift") })
	without := calls(func() {
		if out := x.run("alone", 2, "drift"); !strings.Contains(out, "Drift: 0 modified, 0 deleted, 2 unmanaged.") {
			t.Errorf("platform drift without tenants:\n%s", out)
		}
	})
	if with != without {
		t.Errorf("platform drift: %d calls with tenants:, %d without", with, without)
	}
	t.Logf("calls of the platform's drift: %d with tenants:, %d without", with, without)

	// graph --stacks draws what the app reads of the platform.
	platformState := x.states["platform"]
	if platformState == "" {
		platformState = ".cdstack/platform.db"
	}
	out = x.run("app", 0, "graph", "--stacks")
	if !regexp.MustCompile(`(?m)^app → platform: app_sg_id, vdc_id \(state ` + regexp.QuoteMeta(platformState) + `, serial \d+\)$`).MatchString(out) {
		t.Errorf("graph --stacks:\n%s", out)
	}
	out = x.run("app", 0, "graph", "--stacks", "--format", "dot")
	if !strings.Contains(out, fmt.Sprintf("  \"(this stack)\" -> %q [label=\"app_sg_id, vdc_id\"];", platformState)) || !strings.HasPrefix(out, "digraph stacks {") {
		t.Errorf("graph --stacks --format dot:\n%s", out)
	}
	if out = x.run("platform", 0, "graph", "--stacks"); !strings.Contains(out, "platform reads no other stack") {
		t.Errorf("graph --stacks of the platform:\n%s", out)
	}

	before := x.run("platform", 0, "state", "pull")
	out = x.run("app", 0, "destroy", "--auto-approve")
	if !strings.Contains(out, "Destroy complete! Resources: 0 added, 0 changed, 0 replaced, 2 destroyed") {
		t.Fatalf("app destroy:\n%s", out)
	}
	if after := x.run("platform", 0, "state", "pull"); after != before {
		t.Errorf("the app's destroy changed the platform's state:\n%s", cmp.Diff(before, after))
	}
	x.run("platform", 0, "plan", "--detailed-exitcode")
	x.run("platform", 0, "drift")
	if n := x.srv.Calls()["DeleteVdc"] + x.srv.Calls()["DeletePrivateNetwork"] + x.srv.Calls()["DeletePublicNetwork"] + x.srv.Calls()["DeleteSecurityGroup"] + x.srv.Calls()["DeleteNSG"]; n != 0 {
		t.Errorf("%d deletes of what the app only reads", n)
	}
}

// TestSplitStacksFiles: examples/platform with each stack's state in a file.
func TestSplitStacksFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: skipped in -short mode")
	}
	t.Parallel()
	newSplitStacks(t, "", "").exercise()
}

// TestSplitStacksEtcd: the same with both states in a shared etcd, the app
// naming the platform's by its etcd URL.
func TestSplitStacksEtcd(t *testing.T) {
	if testing.Short() {
		t.Skip("etcd end-to-end: skipped in -short mode")
	}
	t.Parallel()
	base := fmt.Sprintf("etcd://%s/split/%d", etcdtest.Endpoint(t), time.Now().UnixNano())
	newSplitStacks(t, base+"/platform", base+"/app").exercise()
}

// TestPlatformRebuildMovesApp: the platform re-created in a new VDC (new
// ids) makes the app's drift exit 2 naming ${stack.platform.outputs.vdc_id},
// the app's plan says why its instances move, and after its apply the app
// is clean again.
func TestPlatformRebuildMovesApp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: skipped in -short mode")
	}
	t.Parallel()
	x := newSplitStacks(t, "", "")
	x.run("platform", 0, "apply", "--auto-approve")
	x.run("app", 0, "apply", "--auto-approve")
	oldVDC := x.output("platform", "vdc_id")
	// A plan saved before the rebuild, applied after it, is refused.
	x.run("app", 0, "plan", "--out", "before.plan", "--replace", "app[0]")

	// The platform team rebuilds: its old resources are left to the app,
	// new ones are made under a new name.
	x.run("platform", 0, "state", "rm", "net", "wan", "lan", "app_sg")
	x.run("platform", 0, "apply", "--auto-approve", "--var", "vdc_name=platform-v2")
	newVDC := x.output("platform", "vdc_id")

	if out := x.run("app", 1, "apply", "before.plan"); !strings.Contains(out, "the saved plan is stale: data source lan reads differently since the plan was made") {
		t.Errorf("apply of a plan saved before the rebuild:\n%s", out)
	}
	out := x.run("app", 2, "drift")
	want := fmt.Sprintf("! ${stack.platform.outputs.vdc_id}: changed since the last apply: %q → %q", oldVDC, newVDC)
	if !strings.Contains(out, want) || !strings.Contains(out, "4 read value(s) changed") {
		t.Errorf("app drift: want a line %s\n%s", want, out)
	}
	prom := x.run("app", 2, "drift", "--format", "prometheus")
	if !strings.Contains(prom, `cdstack_drift_reads{stack="app",source="stack"} 2`) || !strings.Contains(prom, `cdstack_drift_reads{stack="app",source="data"} 2`) {
		t.Errorf("prometheus:\n%s", prom)
	}
	out = x.run("app", 2, "plan", "--detailed-exitcode")
	for _, addr := range []string{"app[0]", "app[1]"} {
		block := out[strings.Index(out, "-/+ "+addr):]
		if !strings.Contains(block, "# because ${stack.platform.outputs.vdc_id} changed since the last apply: "+fmt.Sprintf("%q → %q", oldVDC, newVDC)) {
			t.Errorf("the plan does not say why %s moves:\n%s", addr, out)
		}
	}
	x.run("app", 0, "apply", "--auto-approve")
	for _, addr := range []string{"app[0]", "app[1]"} {
		if in := x.record("app", addr)["inputs"].(map[string]any); in["vdc"] != newVDC {
			t.Errorf("%s is in %v, want the new VDC %s", addr, in["vdc"], newVDC)
		}
	}
	x.run("app", 0, "drift")
	x.run("app", 0, "plan", "--detailed-exitcode")
}

// TestDataSourcesCostNoListing: the app's refresh with five data sources in
// the platform's VDC makes exactly the calls it makes with the same values
// written as ids: every lookup is answered from the listings the refresh
// makes anyway.
func TestDataSourcesCostNoListing(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: skipped in -short mode")
	}
	t.Parallel()
	x := newSplitStacks(t, "", "")
	x.run("platform", 0, "apply", "--auto-approve")
	vdc, lan := x.output("platform", "vdc_id"), x.output("platform", "lan_id")
	wan := x.record("platform", "wan")["id"].(string)
	// Another team's instance in the same VDC, for an instance lookup.
	other := fmt.Sprintf(opsStack, vdc, lan)
	if err := os.WriteFile(filepath.Join(x.dir, "ops.yaml"), []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	x.run("ops", 0, "apply", "--auto-approve")
	opsID := x.record("ops", "ops")["id"].(string)

	plain := fmt.Sprintf(readerStack, "", vdc, lan, wan, opsID, vdc)
	lookups := fmt.Sprintf(readerStack, readsData, "${data.vdc.id}", "${data.lan.id}", "${data.wan.id}", "${data.ops.id}", "${data.by_name.id}")
	write := func(src string) {
		if err := os.WriteFile(filepath.Join(x.dir, "reader.yaml"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(plain)
	x.run("reader", 0, "apply", "--auto-approve")
	calls := func() map[string]int {
		x.srv.ResetCalls()
		x.run("reader", 0, "drift")
		return x.srv.Calls()
	}
	without := calls()
	write(lookups)
	out := x.run("reader", 0, "plan", "--detailed-exitcode")
	for _, name := range []string{"vdc", "by_name", "lan", "wan", "ops"} {
		if !strings.Contains(out, "<= data."+name+" (") {
			t.Errorf("plan does not show data.%s:\n%s", name, out)
		}
	}
	with := calls()
	if diff := cmp.Diff(without, with); diff != "" {
		t.Errorf("calls of a refresh with five data sources differ from one without (-without +with)\n%s", diff)
	}
	if without["DescribeInstances"] != 1 || without["DescribeVdc"] != 1 {
		t.Errorf("calls = %v, want one VDC listing and one instance listing", without)
	}
	t.Logf("calls of drift with and without the five lookups: %v", with)
}

const opsStack = `version: 1
stack: ops
region: CN_Beijing_A
resources:
  ops:
    kind: instance
    properties: {vdc: %q, name: ops, instance_type: Standard, cpu: 1, ram: 1, image: Centos_7.6_64,
                 password: "Ops-Passw0rd-1", private_ips: [{network: %q, ip: auto}]}
`

// readerStack is a stack whose instance takes five values: written as ids,
// or read by the data sources of readsData.
const readerStack = `version: 1
stack: reader
region: CN_Beijing_A
variables:
  pw: {default: "Reader-Passw0rd-1", sensitive: true}
%s
resources:
  web:
    kind: instance
    properties:
      vdc: %q
      name: reader
      instance_type: Standard
      cpu: 1
      ram: 1
      image: Centos_7.6_64
      password: "${var.pw}"
      private_ips: [{network: %q, ip: auto}]
outputs:
  wan: %q
  ops: %q
  same_vdc: %q
`

const readsData = `data:
  vdc: {kind: vdc, filter: {name: platform-prod}}
  by_name: {kind: vdc, filter: {name_prefix: platform-, region: CN_Beijing_A}}
  lan: {kind: private_network, filter: {vdc: "${data.vdc.id}", name: lan}}
  wan: {kind: public_network, filter: {vdc: "${data.vdc.id}", name: wan}}
  ops: {kind: instance, filter: {vdc: "${data.vdc.id}", name: ops}}`
