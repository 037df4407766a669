package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/cloud"
)

func proxied(t *testing.T) (*TLSProxy, *http.Client) {
	t.Helper()
	s, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewTLSProxy(s)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := p.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(p.CAPEM) {
		t.Fatal("CA PEM does not parse")
	}
	proxyURL, _ := url.Parse("http://" + addr)
	// A plain net/http client: only a proxy URL and the written CA.
	return p, &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestTLSProxyServesTheRealHost(t *testing.T) {
	_, hc := proxied(t)
	resp, err := hc.Get("https://cdsapi.capitalonline.net/ccs/?Action=DescribeTask&TaskId=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"Code":"MissingParameter"`) {
		t.Fatalf("unsigned request through the proxy: %d %s", resp.StatusCode, body)
	}
	// A signed DescribeTask, as an SDK would send it, gets the emulator's answer.
	c, err := cloud.New("https://cdsapi.capitalonline.net", cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithHTTPClient(hc), cloud.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	task := must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A"}))
	if got := must(c.DescribeTask(ctx, task)); got.Status != cloud.TaskFinish || got.ResourceID == "" {
		t.Errorf("DescribeTask through the proxy = %+v", got)
	}
	c2, _ := cloud.New("https://api.capitalonline.net", cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithHTTPClient(hc))
	if vdcs := must(c2.DescribeVdc(ctx, cloud.DescribeVdcRequest{})); len(vdcs) != 1 {
		t.Errorf("api.capitalonline.net sees %d VDCs, want the same world (1)", len(vdcs))
	}
}

func TestTLSProxyRefusesOtherHosts(t *testing.T) {
	_, hc := proxied(t)
	target := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("reached the other host") }))
	defer target.Close()
	for _, u := range []string{"https://example.com/", target.URL + "/", "https://cdsapi.capitalonline.net:8443/"} {
		if resp, err := hc.Get(u); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s through the proxy succeeded", u)
		} else if !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("GET %s: %v, want the proxy's 403", u, err)
		}
	}
}
