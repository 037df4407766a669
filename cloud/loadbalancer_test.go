package cloud

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// serveBody answers every request with body.
func serveBody(t *testing.T, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDecodeLoadBalancerShapes: the forms 负载均衡概览.md and the SDK show
// decode alike.
func TestDecodeLoadBalancerShapes(t *testing.T) {
	ctx := context.Background()
	tests := map[string]struct {
		body string
		call func(c *Client) (any, error)
		want any
	}{
		"modify spec names the size N or Name": {
			`{"Code":"Success","Data":{"CpuRam":[{"CPU":1,"N":"1C2G","PaasGoodsId":5072,"RAM":2},{"CPU":2,"Name":"2C4G","PaasGoodsId":"5075","RAM":"4"}]}}`,
			func(c *Client) (any, error) {
				d, err := c.DescribeLoadBalancersModifySpec(ctx, LoadBalancerRequest{InstanceUUID: "x"})
				if err != nil {
					return nil, err
				}
				return []LBCpuRam(d.CpuRam), nil
			},
			[]LBCpuRam{{CPU: 1, RAM: 2, Name: "1C2G", PaasGoodsID: 5072}, {CPU: 2, RAM: 4, Name: "2C4G", PaasGoodsID: 5075}},
		},
		"spec under data, as the SDK reads it": {
			`{"Code":"Success","data":{"ProductName":"haproxy","Products":[{"Version":2.4,"Architectures":[{"ComputeRoles":[{"Standards":{"CpuRam":[{"CPU":4,"RAM":8,"PaasGoodsId":5078}]}}]}]}]}}`,
			func(c *Client) (any, error) {
				d, err := c.DescribeLoadBalancersSpec(ctx, RegionRequest{RegionID: "CN_Beijing_A"})
				if err != nil {
					return nil, err
				}
				return GoodsFor(d.Sizes(), 4, 8), nil
			},
			5078,
		},
		"listing: Ram in MB, vips in either spelling": {
			`{"Code":"Success","Data":[{"InstanceUuid":"lb-1","Cpu":2,"Ram":4096,"Status":"RUNNING","Vips":[{"IP":"10.0.0.5","Type":"private"},{"ip":"198.18.0.2","type":"public"}],"Tags":[{"TagID":24644,"TagName":"t"}],"RoGroups":"None"}]}`,
			func(c *Client) (any, error) {
				l, err := c.DescribeLoadBalancers(ctx, DescribeLoadBalancersRequest{})
				if err != nil {
					return nil, err
				}
				return fmt.Sprint(l[0].RAMGB(), l[0].Running(), []LBVip(l[0].Vips), l[0].Tags[0].TagID), nil
			},
			"4 true [{10.0.0.5 private} {198.18.0.2 public}]24644",
		},
		"create answers the ids in a list": {
			`{"Code":"Success","Data":{"InstancesUuid":["lb-9"]},"TaskId":"t-1"}`,
			func(c *Client) (any, error) {
				task, id, err := c.CreateLoadBalancer(ctx, CreateLoadBalancerRequest{})
				return task + " " + id, err
			},
			"t-1 lb-9",
		},
		"listeners: weight as text or number, null lists": {
			`{"Code":"Success","Data":{"HttpListeners":[{"ListenerName":"h","ListenerPort":"443","BackendServer":[{"IP":"10.0.0.2","Port":80,"Weight":"29","MaxConn":10},{"IP":"10.0.0.3","Port":80,"Weight":5,"MaxConn":"10"}],"AclWhiteList":null,"CertificateIds":[]}],"TcpListeners":null}}`,
			func(c *Client) (any, error) {
				l, err := c.DescribeLoadBalancerStrategys(ctx, LoadBalancerRequest{InstanceUUID: "x"})
				if err != nil {
					return nil, err
				}
				return fmt.Sprint(len(l.All()), l.HTTPListeners[0].ListenerPort, l.HTTPListeners[0].BackendServer), nil
			},
			"1 443 [{10.0.0.2 80 29 10} {10.0.0.3 80 5 10}]",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := tc.call(serveBody(t, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestDecodeLoadBalancerExamples decodes an answer of every action of
// 负载均衡概览.md (testdata/loadbalancer) through its typed method.
func TestDecodeLoadBalancerExamples(t *testing.T) {
	ctx := context.Background()
	const lb = "7a1e0c52-1111-4a2b-9c3d-0e1f2a3b4c5d"
	req := LoadBalancerRequest{InstanceUUID: lb}
	task := func(action string) string { return "task-" + action }
	tests := map[string]example{
		"DescribeZones": {func(c *Client) (any, error) {
			z, err := c.DescribeLBZones(ctx)
			if err != nil {
				return nil, err
			}
			return fmt.Sprintf("%d %s %d %d", len(z), z[0].RegionID, z[0].IsSaling, z[1].IsSaling), nil
		}, "2 CN_Beijing_A 1 0"},
		"DescribeLoadBalancersSpec": {func(c *Client) (any, error) {
			s, err := c.DescribeLoadBalancersSpec(ctx, RegionRequest{RegionID: "CN_Beijing_A"})
			if err != nil {
				return nil, err
			}
			return []int{GoodsFor(s.Sizes(), 2, 4), GoodsFor(s.Sizes(), 4, 8)}, nil
		}, []int{7001, 7002}},
		"CreateLoadBalancer": {func(c *Client) (any, error) {
			t, id, err := c.CreateLoadBalancer(ctx, CreateLoadBalancerRequest{})
			return []string{t, id}, err
		}, []string{"task-lb-create", lb}},
		"DescribeLoadBalancers": {func(c *Client) (any, error) {
			l, err := c.LoadBalancer(ctx, lb)
			if err != nil {
				return nil, err
			}
			return fmt.Sprint(l.InstanceName, " ", l.CPU, " ", l.RAMGB(), " ", l.Running(), " ", []LBVip(l.Vips)), nil
		}, "front 2 4 true [{10.10.0.9 private} {198.18.4.2 public}]"},
		"DescribeLoadBalancersModifySpec": {func(c *Client) (any, error) {
			s, err := c.DescribeLoadBalancersModifySpec(ctx, req)
			if err != nil {
				return nil, err
			}
			return []LBCpuRam(s.CpuRam), nil
		}, []LBCpuRam{{CPU: 1, RAM: 2, Name: "1C2G", PaasGoodsID: 7000}, {CPU: 2, RAM: 4, Name: "2C4G", PaasGoodsID: 7001}}},
		"ModifyLoadBalancerInstanceSpec": {func(c *Client) (any, error) {
			return c.ModifyLoadBalancerInstanceSpec(ctx, ModifyLoadBalancerInstanceSpecRequest{})
		}, task("ModifyLoadBalancerInstanceSpec")},
		"DeleteLoadBalancer": {func(c *Client) (any, error) { return c.DeleteLoadBalancer(ctx, req) }, task("DeleteLoadBalancer")},
		"DescribeCACertificates": {func(c *Client) (any, error) {
			l, err := c.DescribeCACertificates(ctx)
			if err != nil {
				return nil, err
			}
			return fmt.Sprint(len(l), " ", l[0].CertificateName, " ", l[0].NotAfter().Format(CertificateTimeFormat), " ", l[0].Valid), nil
		}, "1 www 2027-03-01 12:00:00 1"},
		"DescribeCACertificate": {func(c *Client) (any, error) {
			d, err := c.DescribeCACertificate(ctx, CertificateRequest{CertificateID: "c"})
			if err != nil {
				return nil, err
			}
			if strings.Contains(fmt.Sprintf("%#v", *d), "NOT-A-REAL-KEY") {
				return nil, fmt.Errorf("the private key was kept")
			}
			return []string{d.Domain, d.Organization, d.Certificate[:27]}, nil
		}, []string{"www.example.com", "Example CA Ltd", "-----BEGIN CERTIFICATE-----"}},
		"DeleteCACertificate": {func(c *Client) (any, error) { return c.DeleteCACertificate(ctx, CertificateRequest{}) }, ""},
		"UploadCACertificate": {func(c *Client) (any, error) { return c.UploadCACertificate(ctx, UploadCACertificateRequest{}) }, ""},
		"DescribeLoadBalancerStrategys": {func(c *Client) (any, error) {
			l, err := c.DescribeLoadBalancerStrategys(ctx, req)
			if err != nil {
				return nil, err
			}
			h, p := l.HTTPListeners[0], l.TCPListeners[0]
			return fmt.Sprintf("%s %d %s%s %s %s %s %d %s | %s %s %v", h.ListenerName, h.ListenerPort, h.ServerTimeout, h.ServerTimeoutUnit,
				h.BackendServer[0].Weight, h.CertificateIds[0].CertificateName, h.SessionPersistence.Key, h.SessionPersistence.Timer.MaxLife,
				h.Option.Httpchk.URI, p.ListenerName, p.EnableSourceIP, p.AclWhiteList), nil
		}, "https 443 30s 10 www srv 600 /health | pg on []"},
		"ModifyLoadBalancerStrategys": {func(c *Client) (any, error) {
			return c.ModifyLoadBalancerStrategys(ctx, ModifyLoadBalancerStrategysRequest{})
		}, task("ModifyLoadBalancerStrategys")},
		"AddLoadBalancerStrategys": {func(c *Client) (any, error) {
			return c.AddLoadBalancerStrategys(ctx, ModifyLoadBalancerStrategysRequest{})
		}, task("AddLoadBalancerStrategys")},
		"DescribeHaproxyCustomConfig": {func(c *Client) (any, error) {
			d, err := c.DescribeHaproxyCustomConfig(ctx, req)
			if err != nil {
				return nil, err
			}
			return d.Configs, nil
		}, "global\n        maxconn 150000\n        nbthread 2\n"},
		"ModifyHaproxyCustomConfig": {func(c *Client) (any, error) {
			return c.ModifyHaproxyCustomConfig(ctx, ModifyHaproxyCustomConfigRequest{})
		}, task("ModifyHaproxyCustomConfig")},
		"DescribeLBInstancePerformance": {func(c *Client) (any, error) {
			d, err := c.DescribeLBInstancePerformance(ctx, LBPerformanceRequest{})
			if err != nil {
				return nil, err
			}
			return fmt.Sprint(d.Period, " ", len(d.DataPoints[0].Values), " ", d.DataPoints[0].Values[1].Value), nil
		}, "30 2 14"},
		"ModifyLoadBalancerName": {func(c *Client) (any, error) { return c.ModifyLoadBalancerName(ctx, ModifyLoadBalancerNameRequest{}) }, ""},
		"DescribeLBInstanceListeners": {func(c *Client) (any, error) {
			l, err := c.DescribeLBInstanceListeners(ctx, req)
			if err != nil {
				return nil, err
			}
			return fmt.Sprint(len(l), " ", l[0].ListenerName, " ", len(l[0].BackendNames), " ", l[1].BackendNames[0].BackendName), nil
		}, "2 pg 0 https-abk"},
	}
	runExamples(t, "loadbalancer", tests)
}

// TestCertificateDropsPrivateKey: DescribeCACertificate's key (PirvateKey
// as the document spells it, or PrivateKey) never reaches the decoded value.
func TestCertificateDropsPrivateKey(t *testing.T) {
	for _, field := range []string{"PirvateKey", "PrivateKey", "privateKey"} {
		c := serveBody(t, `{"Code":"Success","Data":{"CertificateId":"c-1","CertificateName":"www","Domain":"a.example.com,b.example.com",
			"EndTime":"2027-01-02 03:04:05","Valid":1,"`+field+`":"-----BEGIN RSA PRIVATE KEY-----\nSECRET\n-----END RSA PRIVATE KEY-----\n"}}`)
		got, err := c.DescribeCACertificate(context.Background(), CertificateRequest{CertificateID: "c-1"})
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprintf("%+v %#v", *got, *got); strings.Contains(s, "SECRET") {
			t.Errorf("%s kept: %s", field, s)
		}
		if got.CertificateName != "www" || got.NotAfter().Format(CertificateTimeFormat) != "2027-01-02 03:04:05" || len(got.Domains()) != 2 {
			t.Errorf("%s: certificate = %+v", field, got)
		}
	}
	if s := fmt.Sprint(UploadCACertificateRequest{CertificateName: "www", PrivateKey: "SECRET"}); strings.Contains(s, "SECRET") {
		t.Errorf("UploadCACertificateRequest prints its key: %s", s)
	}
}

// TestSensitiveKey: passwords and private keys, however spelled.
func TestSensitiveKey(t *testing.T) {
	for k, want := range map[string]bool{"Password": true, "PirvateKey": true, "PrivateKey": true, "private_key": true,
		"PublicKey": false, "Certificate": false, "KeyName": false} {
		if got := SensitiveKey(k); got != want {
			t.Errorf("SensitiveKey(%q) = %v, want %v", k, got, want)
		}
	}
}
