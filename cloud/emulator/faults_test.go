package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// TestClientRetriesTurnFaultsIntoSuccessForReads: with a third of requests
// failing and a throttle, every read still succeeds through the client's
// retries, and a write is never sent twice.
func TestClientRetriesTurnFaultsIntoSuccessForReads(t *testing.T) {
	srv, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Seed: 3, FaultRate: 0.3, ThrottleQPS: 200})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c, err := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret},
		cloud.WithRetries(8), cloud.WithBackoff(cloud.Backoff{Base: time.Millisecond, Cap: 5 * time.Millisecond}),
		cloud.WithLimiter(cloud.NewLimiter(0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		if _, err := c.DescribeVdc(ctx, cloud.DescribeVdcRequest{}); err != nil {
			t.Fatalf("read %d failed despite retries: %v", i, err)
		}
	}
	var failedWrites, okWrites int
	for i := 0; i < 40; i++ {
		_, err := c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A"})
		var ae *cloud.APIError
		switch {
		case err == nil:
			okWrites++
		case errors.As(err, &ae) && (ae.HTTPStatus == 503 || ae.HTTPStatus == 429):
			failedWrites++
		default:
			t.Fatalf("write: %v", err)
		}
	}
	if failedWrites == 0 || okWrites == 0 {
		t.Errorf("writes: %d ok, %d failed; want some of each at a 30%% fault rate", okWrites, failedWrites)
	}
	if got := srv.Calls()["CreateVdc"]; got != okWrites {
		t.Errorf("the emulator carried out %d CreateVdc, the client saw %d succeed: a write was repeated", got, okWrites)
	}
}

func TestPersistenceSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cloud.db")
	clk := cloud.NewFakeClock(epoch)
	open := func() (*Server, *cloud.Client, func()) {
		st, err := OpenStore(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{AccessKeys: map[string]string{testKey: testSecret}, Clock: clk, Store: st, TaskLatency: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s)
		c, _ := cloud.New(hs.URL, cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithClock(clk))
		return s, c, func() { hs.Close(); s.Close() }
	}
	_, c, closeFn := open()
	ctx := context.Background()
	vdcTask := must(c.CreateVdc(ctx, cloud.CreateVdcRequest{RegionID: "CN_Beijing_A", VdcName: "kept"}))
	vdc := must(c.WaitTask(ctx, vdcTask)).ResourceID
	pubTask := must(c.CreatePublicNetwork(ctx, cloud.CreatePublicNetworkRequest{VdcID: vdc, Type: "Bandwidth_BGP", BillingMethod: "Bandwidth", Qos: 5, IPNum: 4}))
	closeFn()

	if _, err := OpenStore(path + ".missing/x"); err == nil {
		t.Error("OpenStore in a missing directory succeeded")
	}
	_, c, closeFn = open()
	defer closeFn()
	task := must(c.DescribeTask(ctx, pubTask))
	if task.Status.Done() {
		t.Errorf("pending task settled across the restart without time passing: %+v", task)
	}
	must(c.WaitTask(ctx, pubTask))
	vdcs := must(c.DescribeVdc(ctx, cloud.DescribeVdcRequest{}))
	if len(vdcs) != 1 || vdcs[0].VdcName != "kept" || len(vdcs[0].PublicNetwork) != 1 || vdcs[0].PublicNetwork[0].Status != "ok" {
		t.Fatalf("after restart: %+v", vdcs)
	}
}

func TestStoreLockedByAnotherUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cloud.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := OpenStore(path); err == nil || !strings.Contains(err.Error(), "in use by another cdstack process") {
		t.Errorf("second open: %v", err)
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	s, _ := New(Options{})
	for _, addr := range []string{"0.0.0.0:0", "10.0.0.1:80", ":8765"} {
		if _, err := Listen(addr, s); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Listen(%q) = %v, want a loopback refusal", addr, err)
		}
	}
	r, err := Listen("127.0.0.1:0", s)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(r.URL + "/ccs/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("unsigned request: HTTP %d, want 400", resp.StatusCode)
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}

// FuzzServeHTTP throws arbitrary paths, queries and bodies at the request
// parser and the auth path; nothing may panic and every answer is JSON.
func FuzzServeHTTP(f *testing.F) {
	f.Add("GET", "/network/", pyDescribeVdc, "")
	f.Add("POST", "/ccs/", "Action=CreateInstance&A.0.B=1&A.1=2", `{"DataDisks":"[{\"Size\":1}]"}`)
	f.Add("POST", "/ccs/", "Action=DescribeInstances", `{"InstanceId":[1,{"x":null}]}`)
	f.Add("GET", "/billing", "%zz=1&&=", "")
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if method != "GET" && method != "POST" {
			method = "GET"
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		s, err := New(Options{AccessKeys: map[string]string{"testak": "testsk"}, Clock: cloud.NewFakeClock(pyTime), Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path+"?"+query, strings.NewReader(body))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("answer is not JSON: %d %q", rec.Code, rec.Body.String())
		}
	})
}

func TestUnflattenAndParams(t *testing.T) {
	got := unflatten(map[string]string{"A.0": "x", "A.1": "y", "B.0.C": "1", "B.1.C": "2", "D.K": "v", "E": "e"})
	if l, ok := got["A"].([]any); !ok || len(l) != 2 || l[1] != "y" {
		t.Errorf("A = %#v", got["A"])
	}
	if l, ok := got["B"].([]any); !ok || len(l) != 2 || l[0].(map[string]any)["C"] != "1" {
		t.Errorf("B = %#v", got["B"])
	}
	if m, ok := got["D"].(map[string]any); !ok || m["K"] != "v" {
		t.Errorf("D = %#v", got["D"])
	}
	p := params{"L": `[{"Size": 10}]`, "N": "7", "F": "x"}
	if objs, e := p.objects("L"); e != nil || len(objs) != 1 || objs[0].str("Size") != "10" {
		t.Errorf("objects(L) = %v, %v", objs, e)
	}
	if n, ok, e := p.integer("N"); n != 7 || !ok || e != nil {
		t.Errorf("integer(N) = %d %v %v", n, ok, e)
	}
	if _, _, e := p.integer("F"); e == nil {
		t.Error("integer(F) accepted x")
	}
}
