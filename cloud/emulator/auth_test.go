package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

// pyTime is the Timestamp the Python vectors below were signed with.
var pyTime = time.Date(2019, 9, 22, 5, 37, 47, 0, time.UTC)

// These query strings were produced by the reference's own Python algorithm
// (get_signature with urllib.urlencode, so spaces arrive as '+'), with
// AccessKeyId testak and secret testsk: an implementation independent of
// both the client and the emulator.
const (
	pyDescribeVdc = "Action=DescribeVdc&AccessKeyId=testak&SignatureMethod=HMAC-SHA1&SignatureNonce=py-nonce-1&SignatureVersion=1.0&Timestamp=2019-09-22T05%3A37%3A47Z&Version=2019-08-08&Keyword=%E5%8C%97%E4%BA%AC+%E4%BA%94%2A~&Signature=Sx34bm1y%2BQ3GzUEyxyHTT4z6ctw%3D"
	pyCreateVdc   = "Action=CreateVdc&AccessKeyId=testak&SignatureMethod=HMAC-SHA1&SignatureNonce=py-nonce-2&SignatureVersion=1.0&Timestamp=2019-09-22T05%3A37%3A47Z&Version=2019-08-08&Signature=meparSjJAfD7v7tx1uB45tsZFhM%3D"
)

type answer struct {
	status int
	Code   string
	TaskID string `json:"TaskId"`
}

func send(t *testing.T, h http.Handler, method, target, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, rd))
	a := answer{status: rec.Code}
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %q", method, target, rec.Body.String())
	}
	return a
}

func pyServer(t *testing.T) *Server {
	s, err := New(Options{AccessKeys: map[string]string{"testak": "testsk"}, Clock: cloud.NewFakeClock(pyTime.Add(time.Minute)), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuthAcceptsIndependentlySignedRequests(t *testing.T) {
	s := pyServer(t)
	if a := send(t, s, "GET", "/network/?"+pyDescribeVdc, ""); a.status != 200 || a.Code != "Success" {
		t.Errorf("GET signed by the reference algorithm: %d %s", a.status, a.Code)
	}
	a := send(t, s, "POST", "/network/?"+pyCreateVdc, `{"RegionId":"CN_Beijing_A","VdcName":"py"}`)
	if a.status != 200 || a.TaskID == "" {
		t.Errorf("POST signed by the reference algorithm: %d %s", a.status, a.Code)
	}
}

func TestAuthRejections(t *testing.T) {
	replace := func(q, old, new string) string { return strings.Replace(q, old, new, 1) }
	tests := map[string]struct {
		method, query string
		clockAt       time.Time
		status        int
		code          string
	}{
		"wrong secret":              {"GET", replace(pyDescribeVdc, "Sx34bm1y", "Tx34bm1y"), pyTime, 403, "SignatureDoesNotMatch"},
		"tampered parameter":        {"GET", replace(pyDescribeVdc, "%E4%BA%94", "%E4%BA%95"), pyTime, 403, "SignatureDoesNotMatch"},
		"signed for another method": {"POST", pyDescribeVdc, pyTime, 403, "SignatureDoesNotMatch"},
		"stale timestamp":           {"GET", pyDescribeVdc, pyTime.Add(16 * time.Minute), 400, "InvalidTimeStamp.Expired"},
		"future timestamp":          {"GET", pyDescribeVdc, pyTime.Add(-16 * time.Minute), 400, "InvalidTimeStamp.Expired"},
		"unknown key":               {"GET", replace(pyDescribeVdc, "AccessKeyId=testak", "AccessKeyId=other"), pyTime, 401, "InvalidAccessKeyId.NotFound"},
		"missing nonce":             {"GET", replace(pyDescribeVdc, "SignatureNonce=py-nonce-1&", ""), pyTime, 400, "MissingParameter"},
		"bad method name":           {"GET", replace(pyDescribeVdc, "HMAC-SHA1", "HMAC-SHA256"), pyTime, 400, "InvalidSignatureMethod"},
		"bad version":               {"GET", replace(pyDescribeVdc, "Version=2019-08-08", "Version=2020-01-01"), pyTime, 400, "InvalidVersion"},
		"bad timestamp":             {"GET", replace(pyDescribeVdc, "2019-09-22T05%3A37%3A47Z", "yesterday"), pyTime, 400, "InvalidTimeStamp.Format"},
		"duplicate param":           {"GET", pyDescribeVdc + "&Keyword=x", pyTime, 400, "InvalidParameter.Duplicate"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{AccessKeys: map[string]string{"testak": "testsk"}, Clock: cloud.NewFakeClock(tc.clockAt), Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if a := send(t, s, tc.method, "/network/?"+tc.query, ""); a.status != tc.status || a.Code != tc.code {
				t.Errorf("got %d %s, want %d %s", a.status, a.Code, tc.status, tc.code)
			}
		})
	}
}

func TestAuthNonceReuse(t *testing.T) {
	s := pyServer(t)
	if a := send(t, s, "GET", "/network/?"+pyDescribeVdc, ""); a.status != 200 {
		t.Fatalf("first use: %d %s", a.status, a.Code)
	}
	if a := send(t, s, "GET", "/network/?"+pyDescribeVdc, ""); a.status != 400 || a.Code != "SignatureNonceUsed" {
		t.Errorf("replay: %d %s, want 400 SignatureNonceUsed", a.status, a.Code)
	}
}

func TestRouting(t *testing.T) {
	e := newEnv(t, Options{})
	c, _ := cloud.New(e.url+"/ccs-wrong", cloud.Credentials{AccessKeyID: testKey, AccessKeySecret: testSecret}, cloud.WithClock(e.clk))
	_, err := c.DescribeTask(context.Background(), "x")
	wantCode(t, err, 404, "InvalidService.NotFound")

	// DescribeVdc signed correctly but sent to /ccs/ instead of /network/.
	p, err := e.client.Prepare("DescribeVdc", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := send(t, e.srv, "GET", strings.Replace(strings.TrimPrefix(p.URL, e.url), "/network/", "/ccs/", 1), "")
	if a.status != 404 || a.Code != "InvalidAction.NotFound" {
		t.Errorf("wrong service: %d %s", a.status, a.Code)
	}
	p, _ = e.client.Prepare("CreateVdc", nil)
	if a := send(t, e.srv, "POST", strings.TrimPrefix(p.URL, e.url), "not json"); a.status != 400 || a.Code != "InvalidParameter.Body" {
		t.Errorf("bad body: %d %s", a.status, a.Code)
	}
}

func TestWrongMethodForAction(t *testing.T) {
	e := newEnv(t, Options{})
	q := map[string]string{"Action": "DescribeVdc", "AccessKeyId": testKey, "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "n1",
		"SignatureVersion": "1.0", "Timestamp": epoch.Format(cloud.TimestampFormat), "Version": cloud.APIVersion}
	a := send(t, e.srv, "POST", "/network/?"+cloud.SignedQuery("POST", q, testSecret), "{}")
	if a.status != 405 || a.Code != "UnsupportedHTTPMethod" {
		t.Errorf("DescribeVdc by POST: %d %s, want 405 UnsupportedHTTPMethod", a.status, a.Code)
	}
}

// TestAuthNonceReuseAcrossProcesses: used nonces are kept in the store, so a
// request replayed to a later process on the same file (each `--endpoint
// local` command is one) is refused too.
func TestAuthNonceReuseAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cloud.db")
	open := func() *Server {
		st, err := OpenStore(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{AccessKeys: map[string]string{"testak": "testsk"}, Clock: cloud.NewFakeClock(pyTime.Add(time.Minute)), Seed: 1, Store: st})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := open()
	if a := send(t, first, "GET", "/network/?"+pyDescribeVdc, ""); a.status != 200 {
		t.Fatalf("first use: %d %s", a.status, a.Code)
	}
	// A request that fails after authentication used its nonce too; Close
	// writes it.
	q := map[string]string{"Action": "NoSuchAction", "AccessKeyId": "testak", "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "py-nonce-9",
		"SignatureVersion": "1.0", "Timestamp": pyTime.Format(cloud.TimestampFormat), "Version": cloud.APIVersion}
	unknown := "/network/?" + cloud.SignedQuery("GET", q, "testsk")
	if a := send(t, first, "GET", unknown, ""); a.Code != "InvalidAction.NotFound" {
		t.Fatalf("unknown action: %d %s", a.status, a.Code)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := open()
	defer second.Close()
	for _, target := range []string{"/network/?" + pyDescribeVdc, unknown} {
		if a := send(t, second, "GET", target, ""); a.status != 400 || a.Code != "SignatureNonceUsed" {
			t.Errorf("replay to a new process: %d %s, want 400 SignatureNonceUsed", a.status, a.Code)
		}
	}
}

func TestUsedNoncesAreForgottenAfterTheWindow(t *testing.T) {
	w := newWorld(1)
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if !w.useNonce("k\x00a", t0) || w.useNonce("k\x00a", t0.Add(nonceWindow)) {
		t.Fatal("a nonce was not refused within the window")
	}
	w.dirty = map[string]map[string]bool{}
	if !w.useNonce("k\x00b", t0.Add(nonceWindow+time.Minute+time.Second)) {
		t.Fatal("a fresh nonce was refused")
	}
	if _, kept := w.Nonces["k\x00a"]; kept || !w.dirty["nonce"]["k\x00a"] {
		t.Errorf("an expired nonce is still kept (%v) or its removal is not written (%v)", kept, w.dirty["nonce"])
	}
}
