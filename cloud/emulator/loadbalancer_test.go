package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
)

// selfSigned makes a self-signed certificate for domains valid until
// notAfter, and its key, as PEM.
func selfSigned(t *testing.T, domains []string, notAfter time.Time) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: domains[0]},
		DNSNames:  domains,
		NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

// lbFixture adds to f a load balancer of 2C4G with a public address.
func (e *env) loadBalancer(f fixture, name string) string {
	e.t.Helper()
	vdcs := must(e.client.DescribeVdc(e.ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))
	seg := vdcs[0].PublicNetwork[0].Segments[0].SegmentID
	task, id, err := e.client.CreateLoadBalancer(e.ctx, cloud.CreateLoadBalancerRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc,
		BasePipeID: f.private, InstanceName: name, PaasGoodsID: 5075, Amount: 1, Ips: []cloud.LBNetwork{
			{PipeType: "private", PipeID: f.private, IsVip: cloud.Ptr(1)}, {PipeType: "public", PipeID: f.public, SegmentID: seg}}})
	if err != nil {
		e.t.Fatal(err)
	}
	if got := e.wait(task, nil); got != id {
		e.t.Fatalf("CreateLoadBalancer answered %s, its task names %s", id, got)
	}
	return id
}

func httpListener(name string, port int, backends ...cloud.BackendServer) cloud.Listener {
	return cloud.Listener{ListenerName: name, ListenerMode: "http", ListenerPort: cloud.Int(port), Scheduler: "roundrobin",
		MaxConn: 1000, ClientTimeout: "5", ClientTimeoutUnit: "s", ServerTimeout: "500", ServerTimeoutUnit: "ms",
		ConnectTimeout: "1", ConnectTimeoutUnit: "s", StickySession: "on", BackendServer: backends}
}

func tcpListener(name string, port int, backends ...cloud.BackendServer) cloud.Listener {
	l := httpListener(name, port, backends...)
	l.ListenerMode, l.StickySession = "tcp", ""
	return l
}

// TestContractLoadBalancer drives every action of 负载均衡概览.md through
// the client: catalogue, create (addresses taken), listing, resize,
// rename, listeners (overwrite and add), custom configuration, monitoring,
// delete (addresses freed).
func TestContractLoadBalancer(t *testing.T) {
	e := newEnv(t, Options{TaskLatency: 2 * time.Second})
	c, ctx := e.client, e.ctx
	f := e.fixture()

	zones := must(c.DescribeLBZones(ctx))
	var beijing *cloud.LBZone
	for i := range zones {
		if zones[i].RegionID == "CN_Beijing_A" {
			beijing = &zones[i]
		}
	}
	if beijing == nil || beijing.IsSaling != 1 || len(zones) < 10 {
		t.Fatalf("DescribeZones = %+v", zones)
	}
	spec := must(c.DescribeLoadBalancersSpec(ctx, cloud.RegionRequest{RegionID: "CN_Beijing_A"}))
	sizes := spec.Sizes()
	if cloud.GoodsFor(sizes, 2, 4) == 0 || cloud.GoodsFor(sizes, 4, 8) == 0 || cloud.GoodsFor(sizes, 3, 5) != 0 {
		t.Fatalf("DescribeLoadBalancersSpec sizes = %+v; want 2C4G and 4C8G", sizes)
	}
	_, err := c.DescribeLoadBalancersSpec(ctx, cloud.RegionRequest{RegionID: "Nowhere"})
	wantCode(t, err, 400, "InvalidParameter")

	free := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0].UnuseIPNum
	id := e.loadBalancer(f, "front")
	lb := must(c.LoadBalancer(ctx, id))
	if lb == nil || lb.InstanceName != "front" || !lb.Running() || lb.CPU != 2 || lb.RAMGB() != 4 || lb.VdcID != f.vdc || lb.VdcName != "test" {
		t.Fatalf("DescribeLoadBalancers = %+v", lb)
	}
	var private, public string
	for _, v := range lb.Vips {
		switch v.Type {
		case "private":
			private = v.IP
		case "public":
			public = v.IP
		}
	}
	if !strings.HasPrefix(private, "10.10.") || !strings.HasPrefix(public, "198.18.") || lb.IP != public {
		t.Fatalf("Vips = %+v, IP %s", lb.Vips, lb.IP)
	}
	if left := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0].UnuseIPNum; left != free-3 {
		t.Errorf("free public addresses %d → %d; a load balancer takes 3", free, left)
	}
	if byName := must(c.DescribeLoadBalancers(ctx, cloud.DescribeLoadBalancersRequest{InstanceName: "fro"})); len(byName) != 1 {
		t.Errorf("DescribeLoadBalancers by name = %d", len(byName))
	}
	if gone := must(c.LoadBalancer(ctx, "00000000-0000-4000-8000-000000000000")); gone != nil {
		t.Errorf("an unknown id listed %+v", gone)
	}

	// Resize and rename.
	mod := must(c.DescribeLoadBalancersModifySpec(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	goods := cloud.GoodsFor(mod.CpuRam, 4, 8)
	if goods == 0 {
		t.Fatalf("DescribeLoadBalancersModifySpec = %+v", mod)
	}
	task := must(c.ModifyLoadBalancerInstanceSpec(ctx, cloud.ModifyLoadBalancerInstanceSpecRequest{InstanceUUID: id, PaasGoodsID: goods}))
	_, err = c.ModifyLoadBalancerName(ctx, cloud.ModifyLoadBalancerNameRequest{InstanceUUID: id, InstanceName: "x"})
	if err != nil {
		t.Fatalf("rename while resizing: %v", err)
	}
	_, err = c.DeleteLoadBalancer(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})
	wantCode(t, err, 409, "ResourceInUse")
	e.wait(task, nil)
	if taskID, err := c.ModifyLoadBalancerName(ctx, cloud.ModifyLoadBalancerNameRequest{InstanceUUID: id, InstanceName: "front-2"}); err != nil || taskID != "" {
		t.Fatalf("ModifyLoadBalancerName = %q, %v (want an immediate change)", taskID, err)
	}
	if lb := must(c.LoadBalancer(ctx, id)); lb.CPU != 4 || lb.RAMGB() != 8 || lb.InstanceName != "front-2" {
		t.Fatalf("after resize and rename: %+v", lb)
	}

	// Listeners: the whole set is overwritten, Add extends it.
	web := e.instance(f, "web-0")
	webIP := e.describe(web).PrivateNetworkInterface[0].IP
	backend := cloud.BackendServer{IP: webIP, Port: 8080, Weight: "10", MaxConn: 100}
	certPEM, keyPEM := selfSigned(t, []string{"www.example.com"}, epoch.Add(90*24*time.Hour))
	if task := must(c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "www", Certificate: certPEM, PrivateKey: keyPEM})); task != "" {
		t.Errorf("UploadCACertificate answered TaskId %q; the document answers none", task)
	}
	cert := must(c.CertificateByName(ctx, "www"))
	https := httpListener("https", 443, backend)
	https.CertificateIds = cloud.List[cloud.ListenerCertificate]{{CertificateID: cert.CertificateID, CertificateName: "www"}}
	e.wait(c.ModifyLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
		HTTPListeners: []cloud.Listener{https}, TCPListeners: []cloud.Listener{tcpListener("db", 3306, backend)}}))
	got := must(c.DescribeLoadBalancerStrategys(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	if len(got.HTTPListeners) != 1 || len(got.TCPListeners) != 1 {
		t.Fatalf("listeners = %+v", got)
	}
	h := got.HTTPListeners[0]
	if h.ListenerName != "https" || h.ListenerPort != 443 || h.ClientTimeout != "5" || h.ClientTimeoutUnit != "s" ||
		h.StickySession != "on" || len(h.CertificateIds) != 1 || h.CertificateIds[0].CertificateID != cert.CertificateID {
		t.Errorf("http listener = %+v", h)
	}
	if diff := cmp.Diff(cloud.List[cloud.BackendServer]{backend}, h.BackendServer); diff != "" {
		t.Errorf("backends (-want +got)\n%s", diff)
	}
	if tl := got.TCPListeners[0]; tl.EnableSourceIP != "off" || tl.ListenerMode != "tcp" {
		t.Errorf("tcp listener = %+v", tl)
	}
	e.wait(c.AddLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
		HTTPListeners: []cloud.Listener{httpListener("plain", 80, backend)}}))
	names := must(c.DescribeLBInstanceListeners(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	if len(names) != 3 {
		t.Fatalf("DescribeLBInstanceListeners after Add = %+v", names)
	}
	// Overwrite with one listener: the others are gone.
	e.wait(c.ModifyLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
		HTTPListeners: []cloud.Listener{https}}))
	if got := must(c.DescribeLoadBalancerStrategys(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})); len(got.All()) != 1 {
		t.Fatalf("after overwriting with one listener: %+v", got)
	}

	// Custom configuration.
	cfg := must(c.DescribeHaproxyCustomConfig(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	if !strings.HasPrefix(cfg.Configs, "global\n") {
		t.Fatalf("DescribeHaproxyCustomConfig = %q", cfg.Configs)
	}
	e.wait(c.ModifyHaproxyCustomConfig(ctx, cloud.ModifyHaproxyCustomConfigRequest{InstanceUUID: id,
		Configs: strings.Replace(cfg.Configs, "maxconn 150000", "maxconn 90000", 1)}))
	if cfg := must(c.DescribeHaproxyCustomConfig(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})); !strings.Contains(cfg.Configs, "maxconn 90000") {
		t.Errorf("after ModifyHaproxyCustomConfig: %q", cfg.Configs)
	}
	if lb := must(c.LoadBalancer(ctx, id)); lb.IsCustomConf != 1 {
		t.Errorf("IsCustomConf = %d after ModifyHaproxyCustomConfig", lb.IsCustomConf)
	}

	// Monitoring (POST /paas/monitor).
	perf := must(c.DescribeLBInstancePerformance(ctx, cloud.LBPerformanceRequest{InstanceUUID: id, MetricKey: "ha_listener_sessions",
		ListenerName: "https", StartTime: "2026-11-26 09:00:00", EndTime: "2026-11-26 09:10:00"}))
	if perf.Period != 30 || len(perf.DataPoints) != 1 || len(perf.DataPoints[0].Values) != 21 {
		t.Errorf("DescribeLBInstancePerformance = %+v", perf)
	}
	_, err = c.DescribeLBInstancePerformance(ctx, cloud.LBPerformanceRequest{InstanceUUID: id, MetricKey: "ha_listener_sessions",
		StartTime: "2026-11-26 09:00:00", EndTime: "2026-11-26 09:10:00"})
	wantCode(t, err, 400, "ArgMissing")

	// The certificate is in use; the load balancer's delete frees it and the addresses.
	_, err = c.DeleteCACertificate(ctx, cloud.CertificateRequest{CertificateID: cert.CertificateID})
	wantCode(t, err, 409, "ResourceInUse")
	e.wait(c.DeleteLoadBalancer(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	if lb := must(c.LoadBalancer(ctx, id)); lb != nil {
		t.Fatalf("after DeleteLoadBalancer: %+v", lb)
	}
	if left := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0].UnuseIPNum; left != free-1 {
		t.Errorf("free public addresses after the delete = %d, want %d (the instance keeps one)", left, free-1)
	}
	if task, err := c.DeleteCACertificate(ctx, cloud.CertificateRequest{CertificateID: cert.CertificateID}); err != nil || task != "" {
		t.Fatalf("DeleteCACertificate = %q, %v", task, err)
	}
	_, err = c.DescribeCACertificate(ctx, cloud.CertificateRequest{CertificateID: cert.CertificateID})
	wantCode(t, err, 404, "ResourceNotFound")

	var missing []string
	calls := e.srv.Calls()
	for _, a := range cloud.Actions() {
		if lbAction(a) && calls[a.Name] == 0 {
			missing = append(missing, a.Name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("load balancer actions never called: %v", missing)
	}
}

// lbAction reports whether a is one of 负载均衡概览.md's actions.
func lbAction(a cloud.ActionSpec) bool {
	return a.Service == cloud.ServiceLB || a.Service == cloud.ServicePaasMonitor
}

// TestContractLoadBalancerInvariants: the document's rules are refused
// before anything changes.
func TestContractLoadBalancerInvariants(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	f := e.fixture()
	id := e.loadBalancer(f, "front")
	web := e.instance(f, "web-0")
	webIP := e.describe(web).PrivateNetworkInterface[0].IP
	ok := cloud.BackendServer{IP: webIP, Port: 80, Weight: "1", MaxConn: 10}
	cases := map[string]cloud.ModifyLoadBalancerStrategysRequest{
		"two listeners on one port": {HTTPListeners: []cloud.Listener{httpListener("a", 8080, ok)}, TCPListeners: []cloud.Listener{tcpListener("b", 8080, ok)}},
		"two listeners of one name": {HTTPListeners: []cloud.Listener{httpListener("a", 8080, ok), httpListener("a", 8081, ok)}},
		"forbidden port 22":         {TCPListeners: []cloud.Listener{tcpListener("ssh", 22, ok)}},
		"forbidden port 9100":       {HTTPListeners: []cloud.Listener{httpListener("m", 9100, ok)}},
		"backend outside the VDC":   {HTTPListeners: []cloud.Listener{httpListener("a", 80, cloud.BackendServer{IP: "8.8.8.8", Port: 80, Weight: "1"})}},
		"weight above 256":          {HTTPListeners: []cloud.Listener{httpListener("a", 80, cloud.BackendServer{IP: webIP, Port: 80, Weight: "300"})}},
		"unknown certificate": {HTTPListeners: []cloud.Listener{func() cloud.Listener {
			l := httpListener("a", 443, ok)
			l.CertificateIds = cloud.List[cloud.ListenerCertificate]{{CertificateID: "00000000-0000-4000-8000-000000000000"}}
			return l
		}()}},
		"bad scheduler": {HTTPListeners: []cloud.Listener{func() cloud.Listener { l := httpListener("a", 80, ok); l.Scheduler = "random"; return l }()}},
		"bad unit":      {HTTPListeners: []cloud.Listener{func() cloud.Listener { l := httpListener("a", 80, ok); l.ServerTimeoutUnit = "m"; return l }()}},
		"bad name":      {HTTPListeners: []cloud.Listener{httpListener("9lives", 80, ok)}},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			req.InstanceUUID = id
			_, err := c.ModifyLoadBalancerStrategys(ctx, req)
			if err == nil || !cloud.IsCode(err, "InvalidParameter") && !cloud.IsCode(err, "ResourceNotFound") {
				t.Fatalf("ModifyLoadBalancerStrategys = %v, want a refusal", err)
			}
			if got := must(c.DescribeLoadBalancerStrategys(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})); len(got.All()) != 0 {
				t.Fatalf("a refused change left listeners: %+v", got)
			}
		})
	}
	// Ports must be unique across Add too.
	e.wait(c.ModifyLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id, HTTPListeners: []cloud.Listener{httpListener("a", 80, ok)}}))
	_, err := c.AddLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id, TCPListeners: []cloud.Listener{tcpListener("b", 80, ok)}})
	wantCode(t, err, 400, "InvalidParameter")

	// A segment without 3 free addresses is refused.
	vdcs := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))
	seg := vdcs[0].PublicNetwork[0].Segments[0].SegmentID
	_, _, err = c.CreateLoadBalancer(ctx, cloud.CreateLoadBalancerRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private,
		InstanceName: "second", PaasGoodsID: 5075, Ips: []cloud.LBNetwork{{PipeType: "private", PipeID: f.private},
			{PipeType: "public", PipeID: f.public, SegmentID: seg}}})
	wantCode(t, err, 400, "InvalidParameter")
	_, _, err = c.CreateLoadBalancer(ctx, cloud.CreateLoadBalancerRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc, BasePipeID: f.private,
		InstanceName: "third", PaasGoodsID: 1234, Ips: []cloud.LBNetwork{{PipeType: "private", PipeID: f.private}}})
	wantCode(t, err, 400, "InvalidParameter")
	// A VDC with a load balancer cannot be deleted.
	_, err = c.DeleteVdc(ctx, cloud.VdcRequest{VdcID: f.vdc})
	wantCode(t, err, 403, "IncorrectVdcStatus")
}

// TestContractCertificate: dates and names come from the PEM (crypto/x509),
// the key must match, names are unique, and DescribeCACertificate answers
// the key as PirvateKey on the wire while the client drops it.
func TestContractCertificate(t *testing.T) {
	e := newEnv(t, Options{})
	c, ctx := e.client, e.ctx
	notAfter := epoch.Add(20 * 24 * time.Hour).Truncate(time.Second)
	certPEM, keyPEM := selfSigned(t, []string{"a.example.com", "b.example.com"}, notAfter)
	must(c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "soon", Certificate: certPEM, PrivateKey: keyPEM}))
	_, err := c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "soon", Certificate: certPEM, PrivateKey: keyPEM})
	wantCode(t, err, 409, "ResourceInUse")
	_, otherKey := selfSigned(t, []string{"x.example.com"}, notAfter)
	_, err = c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "mismatch", Certificate: certPEM, PrivateKey: otherKey})
	wantCode(t, err, 400, "InvalidParameter")
	_, err = c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "junk", Certificate: "not a pem", PrivateKey: keyPEM})
	wantCode(t, err, 400, "InvalidParameter")
	_, err = c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: "nokey", Certificate: certPEM})
	wantCode(t, err, 400, "ArgMissing")

	list := must(c.DescribeCACertificates(ctx))
	if len(list) != 1 {
		t.Fatalf("DescribeCACertificates = %+v", list)
	}
	got := must(c.DescribeCACertificate(ctx, cloud.CertificateRequest{CertificateID: list[0].CertificateID}))
	if !got.NotAfter().Equal(notAfter) || got.Valid != 2 || got.Brand != "a.example.com" || got.Certificate != certPEM ||
		!strings.HasPrefix(got.PublicKey, "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("DescribeCACertificate = %+v", got)
	}
	if diff := cmp.Diff([]string{"a.example.com", "b.example.com"}, got.Domains()); diff != "" {
		t.Errorf("domains (-want +got)\n%s", diff)
	}
	// The wire answer carries the key as the document spells it; the
	// decoded value has nowhere to keep it.
	resp, err := c.Call(ctx, "DescribeCACertificate", cloud.CertificateRequest{CertificateID: list[0].CertificateID}, got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(resp.Body), `"PirvateKey"`) {
		t.Errorf("answer has no PirvateKey field: %s", resp.Body)
	}
	if strings.Contains(fmt.Sprintf("%+v %#v", *got, *got), "PRIVATE KEY") {
		t.Errorf("the decoded certificate holds the private key")
	}
	e.srv.Advance(21 * 24 * time.Hour)
	if list := must(c.DescribeCACertificates(ctx)); list[0].Valid != 0 {
		t.Errorf("Valid after the end date = %d, want 0", list[0].Valid)
	}
}
