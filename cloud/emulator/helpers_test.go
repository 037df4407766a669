package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

const (
	testKey    = "test-key"
	testSecret = "test-secret"
)

var epoch = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// env is an emulator behind httptest with a client that shares its fake clock.
type env struct {
	t      *testing.T
	srv    *Server
	url    string
	clk    *cloud.FakeClock
	client *cloud.Client
	ctx    context.Context
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clk := cloud.NewFakeClock(epoch)
	if opts.AccessKeys == nil {
		opts.AccessKeys = map[string]string{testKey: testSecret}
	}
	if opts.Clock == nil {
		opts.Clock = clk
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret},
		cloud.WithClock(clk), cloud.WithLimiter(cloud.NewLimiter(0, 1)), cloud.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, url: hs.URL, clk: clk, client: c, ctx: context.Background()}
}

// wait waits for a task and returns its resource id.
func (e *env) wait(taskID string, err error) string {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	task, err := e.client.WaitTask(e.ctx, taskID)
	if err != nil {
		e.t.Fatalf("task %s: %v", taskID, err)
	}
	return task.ResourceID
}

// must returns v, and stops the test (by panicking, which fails it with a
// stack trace) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// wantCode checks that err is an APIError with status and code.
func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var ae *cloud.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %d %s", err, status, code)
	}
	if ae.HTTPStatus != status || ae.Code != code {
		t.Fatalf("err = %d %s (%s), want %d %s", ae.HTTPStatus, ae.Code, ae.Message, status, code)
	}
	if ae.RequestID == "" {
		t.Errorf("%s answered without a RequestId", code)
	}
}

// fixture is a VDC with a public network (8 addresses) and a private network.
type fixture struct {
	vdc, public, private string
}

func (e *env) fixture() fixture {
	e.t.Helper()
	var f fixture
	f.vdc = e.wait(e.client.CreateVdc(e.ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "test"}))
	f.public = e.wait(e.client.CreatePublicNetwork(e.ctx, cloud.CreatePublicNetworkRequest{VdcID: f.vdc, Name: "wan",
		Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 10, IPNum: 8}))
	f.private = e.wait(e.client.CreatePrivateNetwork(e.ctx, cloud.CreatePrivateNetworkRequest{VdcID: f.vdc, Name: "lan",
		Address: "10.10.0.0", Mask: "16"}))
	return f
}

func (e *env) instance(f fixture, name string) string {
	e.t.Helper()
	return e.wait(e.client.CreateInstance(e.ctx, cloud.CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: f.vdc,
		Password: "Passw0rd!", InstanceName: name, CPU: 2, RAM: 4, InstanceType: "Standard", ImageID: "Centos_7.6_64",
		DataDisks: []cloud.DiskSpec{{Size: 100, Type: "ssd_disk"}}, PublicIP: []string{"auto"},
		PrivateIP: []cloud.PrivateIPSpec{{PrivateID: f.private, IP: []string{"auto"}}}}))
}

func (e *env) describe(id string) cloud.Instance {
	e.t.Helper()
	d := must(e.client.DescribeInstances(e.ctx, cloud.DescribeInstancesRequest{InstanceID: id}))
	if len(d.Instances) != 1 {
		e.t.Fatalf("DescribeInstances(%s) = %d instances", id, len(d.Instances))
	}
	return d.Instances[0]
}

// deletePublic deletes a public network and waits until its VDC no longer
// lists it: the current service answers DeletePublicNetwork without a
// TaskId and deletes in the background.
func (e *env) deletePublic(f fixture) {
	e.t.Helper()
	if task := must(e.client.DeletePublicNetwork(e.ctx, cloud.PublicNetworkRequest{PublicID: f.public})); task != "" {
		e.t.Fatalf("DeletePublicNetwork answered TaskId %q; the current documents answer none", task)
	}
	if gone := must(e.client.PublicNetworkGone(e.ctx, f.vdc, f.public)); gone && e.srv.opts.TaskLatency > 0 {
		e.t.Fatalf("public network %s was gone at once; it should show deleting for a while", f.public)
	}
	err := e.client.WaitUntil(e.ctx, "public network deleted", func(ctx context.Context) (bool, error) {
		return e.client.PublicNetworkGone(ctx, f.vdc, f.public)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// handlerTransport serves a client's requests in memory with h: no socket,
// so inside a synctest bubble the fake clock governs the whole exchange.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// inMemory is a fresh emulator made with o (and the test key) and a client
// that reaches it in memory (handlerTransport) with no rate limit, so a
// test can run it inside a synctest bubble; opts add to the client's.
func inMemory(t *testing.T, o Options, opts ...cloud.Option) (*Server, *cloud.Client) {
	t.Helper()
	o.AccessKeys = map[string]string{testKey: testSecret}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	c := must(cloud.New("http://127.0.0.1", cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret},
		append([]cloud.Option{cloud.WithHTTPClient(&http.Client{Transport: handlerTransport{srv}}), cloud.WithLimiter(cloud.NewLimiter(0, 1))}, opts...)...))
	return srv, c
}
