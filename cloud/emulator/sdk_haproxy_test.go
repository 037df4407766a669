package emulator

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/capitalonline/cds-gic-sdk-go/common"
	"github.com/capitalonline/cds-gic-sdk-go/common/profile"
	"github.com/capitalonline/cds-gic-sdk-go/haproxy"

	"github.com/cdstack/cdstack/cloud"
)

// TestOfficialSDKHaproxy: the SDK's haproxy package (unmodified) drives the
// emulator's load balancer service through every method it has, with a GET
// client for the actions the document lists as GET and a POST client for
// the others, as the official provider does; what the emulator answers
// parses into the SDK's types with the values that were written.
func TestOfficialSDKHaproxy(t *testing.T) {
	srv, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, TaskLatency: sdkLatency, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	// Fixtures through cdstack's own client (system clock, as the SDK's).
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, url: hs.URL, client: c, ctx: context.Background()}
	f := e.fixture()
	webIP := e.describe(e.instance(f, "web-0")).PrivateNetworkInterface[0].IP
	seg := must(c.DescribeVdc(e.ctx, cloud.DescribeVdcRequest{VdcID: f.vdc}))[0].PublicNetwork[0].Segments[0].SegmentID

	target, _ := url.Parse(hs.URL)
	cred := common.NewCredential(testKey, testSecret)
	client := func(method string) *haproxy.Client {
		p := profile.NewClientProfile()
		p.HttpProfile.ReqMethod, p.HttpProfile.ReqTimeout = method, 10
		hc, _ := haproxy.NewClient(cred, "CN_Beijing_A", p)
		hc.WithHttpTransport(toEmulator{target})
		return hc
	}
	get, post := client("GET"), client("POST")
	called := map[string]bool{}
	do := func(method string, call func() error) {
		t.Helper()
		called[method] = true
		if err := call(); err != nil {
			t.Fatalf("haproxy.%s: %v", method, err)
		}
	}
	str, num := common.StringPtr, common.IntPtr
	wait := func(task *string) {
		t.Helper()
		if task == nil || *task == "" {
			t.Fatal("no TaskId to wait on")
		}
		if _, err := c.WaitTask(e.ctx, *task); err != nil {
			t.Fatal(err)
		}
	}

	do("DescribeZones", func() error {
		r, err := get.DescribeZones(haproxy.NewDescribeZonesRequest())
		if err == nil && !slicesContain(r.Data, func(z *haproxy.DescribeZonesData) bool { return *z.RegionId == "CN_Beijing_A" && *z.IsSaling == 1 }) {
			err = errors.New("CN_Beijing_A is not listed on sale")
		}
		return err
	})
	goods := 0
	do("DescribeLoadBalancersSpec", func() error {
		req := haproxy.NewDescribeLoadBalancersSpecRequest()
		req.RegionId = str("CN_Beijing_A")
		r, err := get.DescribeLoadBalancersSpec(req)
		if err != nil {
			return err
		}
		if r.Data == nil {
			return errors.New("the SDK read no data (it reads Data as \"data\")")
		}
		for _, p := range r.Data.Products {
			for _, a := range p.Architectures {
				for _, role := range a.ComputeRoles {
					for _, s := range role.Standards.CpuRam {
						if *s.CPU == 2 && *s.RAM == 4 {
							goods = *s.PaasGoodsId
						}
					}
				}
			}
		}
		if goods == 0 {
			return errors.New("no 2C4G size")
		}
		return nil
	})
	var id string
	do("CreateLoadBalancer", func() error {
		req := haproxy.NewCreateLoadBalancerRequest()
		req.RegionId, req.VdcId, req.BasePipeId, req.InstanceName = str("CN_Beijing_A"), str(f.vdc), str(f.private), str("sdk-lb")
		req.PaasGoodsId, req.Amount = num(goods), num(1)
		req.Ips = []*haproxy.CreateLoadBalancerIps{{PipeType: str("private"), PipeId: str(f.private)},
			{PipeType: str("public"), PipeId: str(f.public), SegmentId: str(seg)}}
		r, err := post.CreateLoadBalancer(req)
		if err != nil {
			return err
		}
		if r.Data == nil || len(r.Data.InstancesUuid) != 1 {
			return errors.New("no InstancesUuid")
		}
		id = r.Data.InstancesUuid[0]
		wait(r.TaskId)
		return nil
	})
	do("DescribeLoadBalancers", func() error {
		req := haproxy.NewDescribeLoadBalancersRequest()
		req.InstanceUuid = str(id)
		r, err := get.DescribeLoadBalancers(req)
		if err != nil {
			return err
		}
		if len(r.Data) != 1 || *r.Data[0].InstanceName != "sdk-lb" || *r.Data[0].Status != "RUNNING" || *r.Data[0].Ram != 4096 || len(r.Data[0].Vips) != 2 {
			return errors.New("unexpected listing")
		}
		return nil
	})
	do("DescribeLoadBalancersModifySpec", func() error {
		req := haproxy.NewDescribeLoadBalancersModifySpecRequest()
		req.InstanceUuid = str(id)
		r, err := get.DescribeLoadBalancersModifySpec(req)
		if err == nil && (r.Data == nil || len(r.Data.CpuRam) < 2) {
			err = errors.New("no sizes")
		}
		return err
	})
	do("ModifyLoadBalancerInstanceSpec", func() error {
		req := haproxy.NewModifyLoadBalancerInstanceSpecRequest()
		req.InstanceUuid, req.PaasGoodsId = str(id), num(5078)
		r, err := post.ModifyLoadBalancerInstanceSpec(req)
		if err == nil {
			wait(r.TaskId)
		}
		return err
	})
	do("ModifyLoadBalancerName", func() error {
		req := haproxy.NewModifyLoadBalancerNameRequest()
		req.InstanceUuid, req.InstanceName = str(id), str("sdk-lb-2")
		_, err := post.ModifyLoadBalancerName(req)
		return err
	})

	certPEM, keyPEM := selfSigned(t, []string{"sdk.example.com"}, time.Now().Add(90*24*time.Hour))
	do("UploadCACertificate", func() error {
		req := haproxy.NewUploadCACertificateRequest()
		req.CertificateName, req.Certificate, req.PrivateKey = str("sdk"), str(certPEM), str(keyPEM)
		_, err := post.UploadCACertificate(req)
		return err
	})
	var certID string
	do("DescribeCACertificates", func() error {
		r, err := get.DescribeCACertificates(haproxy.NewDescribeCACertificatesRequest())
		if err != nil {
			return err
		}
		if len(r.Data) != 1 || *r.Data[0].Domain != "sdk.example.com" || *r.Data[0].Valid != 1 {
			return errors.New("unexpected certificates")
		}
		certID = *r.Data[0].CertificateId
		return nil
	})
	do("DescribeCACertificate", func() error {
		req := haproxy.NewDescribeCACertificateRequest()
		req.CertificateId = str(certID)
		r, err := get.DescribeCACertificate(req)
		if err == nil && (r.Data == nil || *r.Data.Certificate != certPEM || *r.Data.CertificateName != "sdk") {
			err = errors.New("unexpected certificate")
		}
		return err
	})

	listener := &haproxy.DescribeLoadBalancerStrategysHttpListeners{ListenerName: str("https"), ListenerMode: str("http"),
		ListenerPort: num(443), Scheduler: str("leastconn"), MaxConn: num(100), ClientTimeout: str("5"), ClientTimeoutUnit: str("s"),
		ServerTimeout: str("500"), ServerTimeoutUnit: str("ms"), ConnectTimeout: str("1"), ConnectTimeoutUnit: str("s"),
		StickySession: str("off"), AclWhiteList: []*string{str("10.0.0.0/8")},
		BackendServer:  []*haproxy.DescribeLoadBalancerStrategysBackendServer{{IP: str(webIP), Port: num(80), Weight: str("3"), MaxConn: num(50)}},
		CertificateIds: []*haproxy.DescribeLoadBalancerStrategysCertificateIds{{CertificateId: str(certID), CertificateName: str("sdk")}}}
	do("ModifyLoadBalancerStrategys", func() error {
		req := haproxy.NewModifyLoadBalancerStrategysRequest()
		req.InstanceUuid = str(id)
		req.HttpListeners = []*haproxy.DescribeLoadBalancerStrategysHttpListeners{listener}
		req.TcpListeners = []*haproxy.DescribeLoadBalancerStrategysTcpListeners{{ListenerName: str("db"), ListenerMode: str("tcp"),
			ListenerPort: num(5432), Scheduler: str("source"), MaxConn: num(10), ClientTimeout: str("60"), ClientTimeoutUnit: str("s"),
			ServerTimeout: str("60"), ServerTimeoutUnit: str("s"), ConnectTimeout: str("2"), ConnectTimeoutUnit: str("s"),
			BackendServer: []*haproxy.DescribeLoadBalancerStrategysBackendServer{{IP: str(webIP), Port: num(5432), Weight: str("1"), MaxConn: num(10)}}}}
		r, err := post.ModifyLoadBalancerStrategys(req)
		if err == nil {
			wait(r.TaskId)
		}
		return err
	})
	do("DescribeLoadBalancerStrategys", func() error {
		req := haproxy.NewDescribeLoadBalancerStrategysRequest()
		req.InstanceUuid = str(id)
		r, err := get.DescribeLoadBalancerStrategys(req)
		if err != nil {
			return err
		}
		if r.Data == nil || len(r.Data.HttpListeners) != 1 || len(r.Data.TcpListeners) != 1 {
			return errors.New("unexpected listeners")
		}
		h := r.Data.HttpListeners[0]
		if *h.Scheduler != "leastconn" || *h.ServerTimeout != "500" || *h.BackendServer[0].Weight != "3" || *h.CertificateIds[0].CertificateId != certID ||
			*h.AclWhiteList[0] != "10.0.0.0/8" || *r.Data.TcpListeners[0].Scheduler != "source" {
			return errors.New("the listeners read back differ from those written")
		}
		return nil
	})
	// In use: the certificate cannot go until the listener lets it.
	called["DeleteCACertificate"] = true
	delCert := haproxy.NewDeleteCACertificateRequest()
	delCert.CertificateId = str(certID)
	if _, err := post.DeleteCACertificate(delCert); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("DeleteCACertificate of a certificate in use = %v", err)
	}
	do("DeleteLoadBalancer", func() error {
		req := haproxy.NewDeleteLoadBalancerRequest()
		req.InstanceUuid = str(id)
		r, err := post.DeleteLoadBalancer(req)
		if err == nil {
			wait(r.TaskId)
		}
		return err
	})
	do("DeleteCACertificate", func() error {
		_, err := post.DeleteCACertificate(delCert)
		return err
	})
	if lb := must(c.LoadBalancer(e.ctx, id)); lb != nil {
		t.Errorf("the load balancer is still listed: %+v", lb)
	}

	// Every method of the SDK's haproxy client was called.
	shared := map[string]bool{}
	ct := reflect.TypeOf(&common.Client{})
	for i := 0; i < ct.NumMethod(); i++ {
		shared[ct.Method(i).Name] = true
	}
	var missing []string
	ht := reflect.TypeOf(&haproxy.Client{})
	for i := 0; i < ht.NumMethod(); i++ {
		if name := ht.Method(i).Name; !shared[name] && !called[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("haproxy methods not covered: %v", missing)
	}
}

func slicesContain[T any](list []T, f func(T) bool) bool {
	for _, x := range list {
		if f(x) {
			return true
		}
	}
	return false
}
