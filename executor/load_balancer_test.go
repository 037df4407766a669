package executor_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// selfSigned returns a certificate for name, valid for 90 days, and its
// key, in PEM.
func selfSigned(name string) (certPEM, keyPEM string) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	kder, _ := x509.MarshalECPrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

// TestRecoverCertificateByName: UploadCACertificate answers no id and no
// task, so an upload interrupted before its record is found by its name
// (adopted), and one that never reached the cloud is discarded.
func TestRecoverCertificateByName(t *testing.T) {
	f := newFixture(t, emulator.Options{})
	ctx := context.Background()
	certPEM, keyPEM := selfSigned("r.example.com")
	if _, err := f.client.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "uploaded",
		Certificate: certPEM, PrivateKey: keyPEM}); err != nil {
		t.Fatal(err)
	}
	entry := func(op, name string) *state.JournalEntry {
		return &state.JournalEntry{OpID: op, Addr: name, Kind: "certificate", Action: "create", APIAction: "UploadCACertificate",
			Marker: name, StartedAt: time.Now(), Inputs: map[string]any{"name": name}}
	}
	if _, err := f.store.Commit(ctx, state.Change{JournalPut: []*state.JournalEntry{entry("c1", "uploaded"), entry("c2", "never")}}); err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("s.yaml", []byte("version: 1\nstack: t\nregion: CN_Beijing_A\nresources: {}\n"))
	settled, err := executor.New(f.client, f.store, s).Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, st := range settled {
		outcomes = append(outcomes, st.Entry.OpID+": "+st.Outcome[:min(len(st.Outcome), 20)])
	}
	sort.Strings(outcomes)
	if diff := cmp.Diff([]string{"c1: adopted certificate ", "c2: no certificate named"}, outcomes); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	snap, _ := f.store.Snapshot(ctx)
	if rec := snap.Resources["uploaded"]; rec == nil || rec.ID == "" || len(snap.Journal) != 0 {
		t.Errorf("after recovery: %+v, %d entries", snap.Resources, len(snap.Journal))
	}
}

// lbStack is a load balancer in front of counted instances; IPS is either
// "" (auto addresses) or a fixed address per copy.
const lbStack = `version: 1
stack: t
region: CN_Beijing_A
resources:
  net: {kind: vdc, properties: {name: lbw}}
  lan: {kind: private_network, properties: {vdc: "${net.id}", name: lan, address: 10.50.0.0, mask: 24}}
  web:
    kind: instance
    count: COUNT
    CBD
    properties: {vdc: "${net.id}", name: "web-${index}", instance_type: Standard, cpu: 2, ram: 4, image: Centos_7.6_64,
      password: Exec-Passw0rd, private_ips: [{network: "${lan.id}"IPS}]}
  front:
    kind: load_balancer
    properties:
      vdc: "${net.id}"
      name: front
      cpu: 2
      ram: 4
      network: "${lan.id}"
      listeners:
        - {name: web, mode: http, port: 80, backends: [{instances: "${web[*].id}", port: 8080}]}
        - {name: first, mode: tcp, port: 8443, backends: [{ip: "${web[0].private_ips[0]}", port: 443}]}
`

// lbApply plans src (replacing the addresses in replace) against the
// cloud and applies it.
func (f *fixture) lbApply(t *testing.T, src string, replace ...string) (*planner.Document, *executor.Result) {
	t.Helper()
	p := f.lbPlan(t, src, replace...)
	s, _ := spec.Parse("s.yaml", []byte(src))
	res, err := executor.New(f.client, f.store, s, executor.WithParallelism(4)).Apply(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() != nil {
		t.Fatalf("apply: %v", res.Err())
	}
	return p, res
}

func (f *fixture) lbPlan(t *testing.T, src string, replace ...string) *planner.Document {
	t.Helper()
	return f.lbPlanIn(t, src, nil, replace)
}

// backendIPs are the addresses the load balancer's listeners send to, and
// the private addresses of the instances, both sorted.
func (f *fixture) backendIPs(t *testing.T) (listeners, instances []string) {
	t.Helper()
	ctx := context.Background()
	snap, _ := f.store.Snapshot(ctx)
	ls, err := f.client.DescribeLoadBalancerStrategys(ctx, cloud.LoadBalancerRequest{InstanceUUID: snap.Resources["front"].ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls.All() {
		for _, b := range l.BackendServer {
			listeners = append(listeners, l.ListenerName+" "+b.IP)
		}
	}
	for _, addr := range snap.Addresses() {
		if rec := snap.Resources[addr]; rec.Kind == "instance" {
			for _, ip := range rec.Outputs["private_ips"].([]any) {
				instances = append(instances, addr+" "+ip.(string))
			}
		}
	}
	sort.Strings(listeners)
	return listeners, instances
}

// TestBackendReplacedWithoutWindow: a backend instance replaced by a plan
// is rewired in the same apply, and at no moment does a listener send to
// an address whose instance is being deleted or gone (the emulator records
// each such moment): with auto addresses the replacement is made
// create-before-destroy because the load balancer uses it; with a fixed
// address, which the new instance can only take once the old one let it
// go, the listeners drop the old instance first and take the new one
// after. Lowering count drops the instance from the listeners before it is
// deleted. Each time the next plan has no changes and no drift.
func TestBackendReplacedWithoutWindow(t *testing.T) {
	fixed := `, ip: "10.50.0.1${index}"`
	tests := map[string]struct {
		ips, cbd    string
		createFirst bool
	}{
		"auto addresses: create before destroy":                       {"", "protect: false", true},
		"fixed addresses: listeners drop it first":                    {fixed, "protect: false", false},
		"create_before_destroy false: listeners drop it first":        {"", "create_before_destroy: false", false},
		"create_before_destroy true: as asked, rewired before delete": {"", "create_before_destroy: true", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			src := strings.NewReplacer("COUNT", "3", "IPS", tc.ips, "CBD", tc.cbd).Replace(lbStack)
			f.lbApply(t, src)
			before, _ := f.backendIPs(t)
			if len(before) != 4 {
				t.Fatalf("listeners after create: %q", before)
			}

			p, res := f.lbApply(t, src, "web[0]", "web[2]")
			f.noBackendFaults(t)
			if res.Replaced != 2 {
				t.Errorf("replaced %d, want 2", res.Replaced)
			}
			for _, addr := range []string{"web[0]", "web[2]"} {
				c := p.Change(addr)
				if c.CreateBeforeDestroy != tc.createFirst {
					t.Errorf("%s: create_before_destroy %v, want %v", addr, c.CreateBeforeDestroy, tc.createFirst)
				}
				if tc.cbd != "create_before_destroy: true" && !strings.Contains(c.Detail, "load balancer front sends to it") {
					t.Errorf("%s: the reason does not name the load balancer: %q", addr, c.Detail)
				}
			}
			listeners, instances := f.backendIPs(t)
			var want []string
			for _, in := range instances {
				addr, ip, _ := strings.Cut(in, " ")
				want = append(want, "web "+ip)
				if addr == "web[0]" {
					want = append(want, "first "+ip)
				}
			}
			sort.Strings(want)
			if diff := cmp.Diff(want, listeners); diff != "" {
				t.Errorf("listeners after the replacement (-want +got)\n%s", diff)
			}
			f.settled(t, src, "the replacement")

			// Fewer copies: the listeners let web[2] go before it is deleted.
			src = strings.NewReplacer("COUNT", "2", "IPS", tc.ips, "CBD", tc.cbd).Replace(lbStack)
			f.lbApply(t, src)
			f.noBackendFaults(t)
			if listeners, _ := f.backendIPs(t); len(listeners) != 3 {
				t.Errorf("listeners with 2 copies: %q", listeners)
			}
			f.settled(t, src, "lowering count")
		})
	}
}

// cancelAfter cancels an apply once step id finished.
type cancelAfter struct {
	executor.NopHook
	id     string
	cancel context.CancelFunc
}

func (h cancelAfter) StepFinished(s *planner.Step, err error, _ time.Duration) {
	if s.ID == h.id {
		h.cancel()
	}
}

// TestUnwireInterruptedConverges: an apply stopped right after the
// listeners let a fixed-address instance go leaves the instance in place
// and the record of the load balancer as the cloud has it; the next plan
// sends to it again (no --replace) or finishes the replacement (with it),
// and either way ends with no changes, no drift and no listener on a
// deleted instance.
func TestUnwireInterruptedConverges(t *testing.T) {
	for _, again := range []bool{false, true} {
		t.Run(map[bool]string{false: "plan without --replace", true: "plan with --replace"}[again], func(t *testing.T) {
			f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
			src := strings.NewReplacer("COUNT", "2", "IPS", `, ip: "10.50.0.1${index}"`, "CBD", "protect: false").Replace(lbStack)
			f.lbApply(t, src)
			p := f.lbPlan(t, src, "web[1]")
			s, _ := spec.Parse("s.yaml", []byte(src))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			res, err := executor.New(f.client, f.store, s, executor.WithHook(cancelAfter{id: "front (unwire)", cancel: cancel})).Apply(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Interrupted || res.Replaced != 0 {
				t.Fatalf("apply: interrupted %v, replaced %d", res.Interrupted, res.Replaced)
			}
			if listeners, _ := f.backendIPs(t); slices.Contains(listeners, "web 10.50.0.11") {
				t.Fatalf("the listeners still send to web[1]: %q", listeners)
			}
			var replace []string
			if again {
				replace = []string{"web[1]"}
			}
			p = f.lbPlan(t, src, replace...)
			if c := p.Change("front"); c == nil || c.Action != planner.Update {
				t.Fatalf("front after the interruption: %+v", c)
			}
			f.lbApply(t, src, replace...)
			f.noBackendFaults(t)
			if listeners, _ := f.backendIPs(t); !slices.Contains(listeners, "web 10.50.0.11") || !slices.Contains(listeners, "web 10.50.0.10") {
				t.Errorf("listeners after the next apply: %q", listeners)
			}
			f.settled(t, src, "the next apply")
		})
	}
}

// TestUnwireResendsListenersWithAnotherUpdate: a load balancer that unwires
// an instance the plan replaces, and whose own update changes something
// else only (its size; the listeners name the address as text), sends its
// listeners again after the new instance is made: they send to it in the
// same apply.
func TestUnwireResendsListenersWithAnotherUpdate(t *testing.T) {
	f := newFixture(t, emulator.Options{TaskLatency: 20 * time.Millisecond})
	src := func(cpu string) string {
		s := strings.NewReplacer("COUNT", "1", "IPS", `, ip: "10.50.0.10"`, "CBD", "protect: false").Replace(lbStack)
		s = strings.Replace(s, `{name: web, mode: http, port: 80, backends: [{instances: "${web[*].id}", port: 8080}]}`, `{name: web, mode: http, port: 80, backends: []}`, 1)
		s = strings.Replace(s, `"${web[0].private_ips[0]}"`, `"10.50.0.10"`, 1)
		return strings.Replace(s, "      cpu: 2\n      ram: 4\n      network", "      cpu: "+cpu+"\n      ram: "+map[string]string{"2": "4", "4": "8"}[cpu]+"\n      network", 1)
	}
	f.lbApply(t, src("2"))
	p := f.lbPlanIn(t, src("4"), nil, []string{"web[0]"})
	c := p.Change("front")
	var fields []string
	for _, fc := range c.Fields {
		fields = append(fields, fc.Path)
	}
	if c.Action != planner.Update || !slices.Equal(c.Unwire, []string{"web[0]"}) || !slices.Contains(fields, "listeners") || !slices.Contains(fields, "cpu") {
		t.Fatalf("front: %s, unwires %q, fields %q", c.Action, c.Unwire, fields)
	}
	f.applyPlan(t, src("4"), p)
	f.noBackendFaults(t)
	if listeners, _ := f.backendIPs(t); !slices.Equal(listeners, []string{"first 10.50.0.10"}) {
		t.Errorf("listeners after the apply: %q", listeners)
	}
	f.settled(t, src("4"), "the apply")
}

// noBackendFaults fails the test if a listener was sent to a deleted
// instance or to an address no instance holds.
func (f *fixture) noBackendFaults(t *testing.T) {
	t.Helper()
	if faults := f.srv.BackendFaults(); len(faults) > 0 {
		t.Errorf("a listener sent to a deleted instance or an address no instance holds:\n%s", strings.Join(faults, "\n"))
	}
}

// settled fails the test if a plan of src, after what happened (when),
// shows drift or any change.
func (f *fixture) settled(t *testing.T, src, when string) {
	t.Helper()
	p := f.lbPlan(t, src)
	if len(p.Drift) == 0 && !p.HasChanges() {
		return
	}
	for _, c := range p.Changes {
		if c.Action != planner.NoOp {
			t.Errorf("after %s: %s %s %s", when, c.Addr, c.Action, c.Detail)
		}
	}
	t.Errorf("after %s: drift %+v", when, p.Drift)
}
