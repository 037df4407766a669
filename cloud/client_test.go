package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const testSecret = "s3cr3t-key-never-printed"

var testCreds = Credentials{AccessKeyID: "AKID", AccessKeySecret: testSecret, Source: "test"}

// newTestClient returns a client for srv that never really sleeps.
func newTestClient(t *testing.T, url string, opts ...Option) (*Client, *FakeClock) {
	t.Helper()
	clk := NewFakeClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	base := []Option{WithClock(clk), WithLimiter(NewLimiter(0, 1)), WithBackoff(Backoff{Base: 100 * time.Millisecond, Cap: time.Second})}
	c, err := New(url, testCreds, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// recorder is a test server that records requests and answers from a script.
type recorder struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []string
	answer func(n int, w http.ResponseWriter, r *http.Request)
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r)
	rc.bodies = append(rc.bodies, string(b))
	n := len(rc.reqs)
	rc.mu.Unlock()
	rc.answer(n, w, r)
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

func serve(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) (*recorder, string) {
	rc := &recorder{answer: answer}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ok(data any) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"Code": "Success", "Message": "Success.", "Data": data, "TaskId": "t-1"})
	}
}

func TestGetSendsSignedFlattenedQuery(t *testing.T) {
	rc, url := serve(t, ok([]any{}))
	c, _ := newTestClient(t, url)
	params := map[string]any{"VdcId": "v 1", "Ids": []string{"a", "b"}, "Obj": map[string]any{"K": 2}, "Flag": true}
	if _, err := c.Call(context.Background(), "DescribeVdc", params, nil); err != nil {
		t.Fatal(err)
	}
	r := rc.reqs[0]
	if r.Method != http.MethodGet || r.URL.Path != "/network/" {
		t.Errorf("request = %s %s, want GET /network/", r.Method, r.URL.Path)
	}
	q := r.URL.Query()
	want := map[string]string{"Action": "DescribeVdc", "AccessKeyId": "AKID", "SignatureMethod": "HMAC-SHA1",
		"SignatureVersion": "1.0", "Version": "2019-08-08", "Timestamp": "2026-11-26T10:00:00Z",
		"VdcId": "v 1", "Ids.0": "a", "Ids.1": "b", "Obj.K": "2", "Flag": "true"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if strings.Contains(r.URL.RawQuery, "+") {
		t.Errorf("query encodes a space as +: %s", r.URL.RawQuery)
	}
	signed := map[string]string{}
	for k := range q {
		signed[k] = q.Get(k)
	}
	if got := Sign("GET", signed, testSecret); got != q.Get("Signature") {
		t.Errorf("Signature = %s, recomputed %s", q.Get("Signature"), got)
	}
}

func TestPostSendsJSONBodyAndCommonQueryOnly(t *testing.T) {
	rc, url := serve(t, ok(map[string]any{}))
	c, _ := newTestClient(t, url)
	id, err := c.CreateInstance(context.Background(), CreateInstanceRequest{RegionID: "CN_Beijing_A", VdcID: "v", Password: "pw", CPU: 2, AutoRenew: Ptr(0)})
	if err != nil || id != "t-1" {
		t.Fatalf("CreateInstance = %q, %v", id, err)
	}
	r := rc.reqs[0]
	if r.Method != http.MethodPost || r.URL.Path != "/ccs/" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request = %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
	}
	if r.URL.Query().Has("VdcId") {
		t.Errorf("POST parameters leaked into the query: %s", r.URL.RawQuery)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(rc.bodies[0]), &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"RegionId": "CN_Beijing_A", "VdcId": "v", "Password": "pw", "Cpu": 2.0, "AutoRenew": 0.0}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got)\n%s", diff)
	}
}

func TestErrorEnvelopeIsAPIError(t *testing.T) {
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 403, map[string]any{"Code": "IncorrectInstanceStatus", "Message": "The current status of the resource does not support this operation.", "RequestId": "req-9"})
	})
	c, _ := newTestClient(t, url)
	_, err := c.StopInstance(context.Background(), InstanceRequest{InstanceID: "i-1"})
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v (%T), want *APIError", err, err)
	}
	want := &APIError{HTTPStatus: 403, Code: "IncorrectInstanceStatus", Message: "The current status of the resource does not support this operation.", RequestID: "req-9", Action: "StopInstance"}
	if diff := cmp.Diff(want, ae); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if !IsCode(err, "incorrectinstancestatus") {
		t.Error("IsCode does not match case-insensitively")
	}
	if !strings.Contains(err.Error(), "RequestId req-9") {
		t.Errorf("message %q does not name the request", err)
	}
}

func TestSuccessCodeCaseInsensitive(t *testing.T) {
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"Code": "success", "Data": map[string]any{"TotalCost": 1.5}})
	})
	c, _ := newTestClient(t, url)
	d, err := c.DescribeBillInfo(context.Background(), DescribeBillInfoRequest{})
	if err != nil || d.TotalCost != 1.5 {
		t.Fatalf("DescribeBillInfo = %+v, %v", d, err)
	}
}

func TestCodeNotSuccessOn200IsAPIError(t *testing.T) {
	_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"Code": "InvalidParamater", "Message": "uid不存在"})
	})
	c, _ := newTestClient(t, url)
	_, err := c.GetMetering(context.Background(), GetMeteringRequest{EndTime: "20191101", UID: "x"})
	if !IsCode(err, "InvalidParamater") {
		t.Fatalf("err = %v", err)
	}
}

// fail answers status/code to the first failures requests, then succeeds.
func fail(status int, code string, failures int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		if n <= failures {
			writeJSON(w, status, map[string]any{"Code": code, "Message": "try later"})
			return
		}
		ok([]any{})(n, w, r)
	}
}

func TestRetries(t *testing.T) {
	tests := map[string]struct {
		status    int
		code      string
		action    string
		wantCalls int
		wantErr   bool
	}{
		"read retried on 500":                      {500, "InternalError", "DescribeVdc", 3, false},
		"read retried on 503":                      {503, "ServiceUnavailable", "DescribeInstances", 3, false},
		"read retried on throttling":               {429, "Throttling", "DescribeTask", 3, false},
		"read retried on throttling code with 400": {400, "Throttling.User", "DescribeVdc", 3, false},
		"write not retried on 500":                 {500, "InternalError", "CreateVdc", 1, true},
		"write retried on throttling":              {429, "Throttling", "DeleteInstance", 3, false},
		"client error not retried":                 {400, "InvalidVdcId.Malformed", "DescribeVdc", 1, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			rc, url := serve(t, fail(tc.status, tc.code, 2))
			c, clk := newTestClient(t, url)
			_, err := c.Call(context.Background(), tc.action, map[string]any{"VdcId": "v"}, nil)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if rc.count() != tc.wantCalls {
				t.Errorf("calls = %d, want %d", rc.count(), tc.wantCalls)
			}
			if got := len(clk.Sleeps()); got != tc.wantCalls-1 {
				t.Errorf("backoff sleeps = %d, want %d", got, tc.wantCalls-1)
			}
			nonces := map[string]bool{}
			for _, r := range rc.reqs {
				nonces[r.URL.Query().Get("SignatureNonce")] = true
			}
			if len(nonces) != rc.count() {
				t.Errorf("%d attempts used %d nonces; each attempt needs a fresh one", rc.count(), len(nonces))
			}
		})
	}
}

func TestRetriesGiveUp(t *testing.T) {
	rc, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 500, map[string]any{"Code": "InternalError"})
	})
	c, _ := newTestClient(t, url, WithRetries(3))
	_, err := c.DescribeVdc(context.Background(), DescribeVdcRequest{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 500 {
		t.Fatalf("err = %v", err)
	}
	if rc.count() != 4 {
		t.Errorf("calls = %d, want 4 (1 + 3 retries)", rc.count())
	}
}

func TestThrottlingSlowsTheLimiter(t *testing.T) {
	_, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n <= 2 {
			writeJSON(w, 429, map[string]any{"Code": "Throttling"})
			return
		}
		ok(nil)(n, w, r)
	})
	lim := NewLimiter(1000, 100)
	c, _ := newTestClient(t, url, WithLimiter(lim))
	if _, err := c.DescribeTask(context.Background(), "t"); err != nil {
		t.Fatal(err)
	}
	if r := lim.Rate(); r >= 1000 || r < 250 {
		t.Errorf("rate after two throttles and a success = %v, want 250 ≤ r < 1000", r)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	_, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, map[string]any{"Code": "Throttling"})
			return
		}
		ok(nil)(n, w, r)
	})
	c, clk := newTestClient(t, url)
	if _, err := c.DescribeTask(context.Background(), "t"); err != nil {
		t.Fatal(err)
	}
	if s := clk.Sleeps(); len(s) != 1 || s[0] != 7*time.Second {
		t.Errorf("sleeps = %v, want [7s]", s)
	}
}

// failFirstDial fails the first n dials as if the port were closed.
type failFirstDial struct {
	n     atomic.Int32
	inner http.RoundTripper
}

func (f *failFirstDial) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return f.inner.RoundTrip(r)
}

func TestWriteRetriedOnlyWhenNeverSent(t *testing.T) {
	rc, url := serve(t, ok(nil))
	rt := &failFirstDial{inner: http.DefaultTransport}
	rt.n.Store(2)
	c, _ := newTestClient(t, url, WithHTTPClient(&http.Client{Transport: rt}))
	if _, err := c.CreateVdc(context.Background(), CreateVdcRequest{RegionID: "CN_Beijing_A"}); err != nil {
		t.Fatalf("CreateVdc after two refused dials: %v", err)
	}
	if rc.count() != 1 {
		t.Errorf("server saw %d creates, want exactly 1", rc.count())
	}
}

func TestWriteNotRetriedWhenConnectionDropsAfterSend(t *testing.T) {
	rc, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close()
	})
	c, _ := newTestClient(t, url)
	_, err := c.CreateVdc(context.Background(), CreateVdcRequest{RegionID: "CN_Beijing_A"})
	var te *TransportError
	if !errors.As(err, &te) || !te.Sent {
		t.Fatalf("err = %v, want a TransportError with Sent", err)
	}
	if rc.count() != 1 {
		t.Errorf("server saw %d creates, want 1", rc.count())
	}
	if !strings.Contains(err.Error(), "may have been carried out") {
		t.Errorf("message %q does not warn that the write may have happened", err)
	}
	if strings.Contains(err.Error(), "Signature=") || strings.Contains(err.Error(), "AKID") {
		t.Errorf("message %q leaks the signed URL", err)
	}
}

func TestContextCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	_, url := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c, _ := newTestClient(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := c.DescribeVdc(ctx, DescribeVdcRequest{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestBadBodies(t *testing.T) {
	tests := map[string]struct {
		status int
		body   string
		want   string
	}{
		"HTML page":          {200, "<html>bad gateway</html>", "body is not JSON"},
		"truncated":          {200, `{"Code":"Success","Data":{"Instan`, "truncated"},
		"empty":              {200, "", "body is empty"},
		"wrong Data shape":   {200, `{"Code":"Success","Data":{"Instances":"x"}}`, "Data has an unexpected shape"},
		"proxy 502 non-JSON": {502, "<html>502</html>", "HTTP 502"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, url := serve(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			c, _ := newTestClient(t, url, WithRetries(1))
			_, err := c.DescribeInstances(context.Background(), DescribeInstancesRequest{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1", WithRetries(0))
	_, err := c.CreateVdc(context.Background(), CreateVdcRequest{RegionID: "x"})
	if err == nil {
		t.Fatal("want an error from a closed port")
	}
	for _, s := range []string{testSecret, "Signature"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains %q", err, s)
		}
	}
	if strings.Contains(testCreds.String(), testSecret) || strings.Contains(strings.ToLower(testCreds.GoString()), testSecret) {
		t.Error("Credentials print their secret")
	}
}

func TestUnknownActionSuggests(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1")
	_, err := c.Call(context.Background(), "DescribeInstance", nil, nil)
	if !errors.Is(err, ErrUnknownAction) || !strings.Contains(err.Error(), "DescribeInstances") {
		t.Errorf("err = %v", err)
	}
	if got := SuggestActions("describevdc", 3); len(got) == 0 || got[0] != "DescribeVdc" {
		t.Errorf("SuggestActions(describevdc) = %v", got)
	}
}

func TestListInstancesPages(t *testing.T) {
	_, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		var req DescribeInstancesRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		ok(map[string]any{"Instances": []map[string]any{{"InstanceId": "i" + string(rune('0'+n))}}, "PageNumber": n, "PageCount": 3})(n, w, r)
	})
	c, _ := newTestClient(t, url)
	all, err := c.ListInstances(context.Background(), DescribeInstancesRequest{VdcID: "v"}, 500)
	if err != nil || len(all) != 3 {
		t.Fatalf("ListInstances = %d instances, %v", len(all), err)
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, bad := range []string{"", "cdsapi.capitalonline.net", "ftp://x", "http://"} {
		if _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("ParseEndpoint(%q) accepted", bad)
		}
	}
	for _, good := range []string{"http://127.0.0.1:8765", "https://cdsapi.capitalonline.net/", "https://gateway.example/cds"} {
		if _, err := ParseEndpoint(good); err != nil {
			t.Errorf("ParseEndpoint(%q): %v", good, err)
		}
	}
	// The service path and the signed query are appended to the base URL:
	// a query or fragment would swallow them, and credentials in it would
	// be printed wherever the endpoint is named (errors, --dry-run).
	for bad, want := range map[string]string{
		"http://user:Secret-Pw@127.0.0.1:8765": "user:xxxxx@",
		"http://user:Secret-Pw@127.0.0.1:x":    "xxxxx@",
		"http://127.0.0.1:8765/?token=abc":     "query",
		"http://127.0.0.1:8765#frag":           "fragment",
	} {
		_, err := ParseEndpoint(bad)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Secret-Pw") {
			t.Errorf("ParseEndpoint(%q) = %v, want an error saying %q without the password", bad, err, want)
		}
	}
}

// TestThrottledWritesRetriedBounded: a write refused for the rate is
// repeated (the service did nothing) more often than other failures, but
// not for ever; every refusal slows the shared limiter down.
func TestThrottledWritesRetriedBounded(t *testing.T) {
	for _, tc := range []struct {
		refusals  int
		wantCalls int
		wantErr   bool
	}{{8, 9, false}, {20, throttleRetries + 1, true}} {
		rc, url := serve(t, fail(429, "Throttling", tc.refusals))
		c, _ := newTestClient(t, url)
		lim := NewLimiter(1e6, 10)
		c.limiter = lim
		_, err := c.Call(context.Background(), "CreateVdc", map[string]any{"RegionId": "r"}, nil)
		if (err != nil) != tc.wantErr || rc.count() != tc.wantCalls {
			t.Errorf("%d refusals: %d calls, err %v; want %d calls, error %v", tc.refusals, rc.count(), err, tc.wantCalls, tc.wantErr)
		}
		if lim.Rate() >= 1e6 {
			t.Errorf("%d refusals left the limiter at %v requests/s", tc.refusals, lim.Rate())
		}
	}
	if got := []int{DefaultBurst(20), DefaultBurst(5), DefaultBurst(4), DefaultBurst(1000)}; got[0] != 5 || got[1] != 2 || got[2] != 1 || got[3] != 10 {
		t.Errorf("DefaultBurst(20, 5, 4, 1000) = %v, want [5 2 1 10]", got)
	}
}

// TestWriteNeverResentByTheTransport: a GET write whose connection (a
// reused, keep-alive one) drops after the server read it is not sent again
// by net/http with the same signature: the server sees it once, and the
// caller hears that the outcome is unknown.
func TestWriteNeverResentByTheTransport(t *testing.T) {
	var writes atomic.Int32
	rc, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("Action") == "StopInstance" {
			writes.Add(1)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // the server acted, and the answer is lost
			}
			return
		}
		io.WriteString(w, `{"Code":"Success","Data":{"VdcList":[]}}`)
	})
	c, _ := newTestClient(t, url)
	ctx := context.Background()
	if _, err := c.Call(ctx, "DescribeVdc", nil, nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.Call(ctx, "StopInstance", map[string]any{"InstanceId": "i-1"}, nil)
	if err == nil {
		t.Fatal("StopInstance succeeded on a dropped connection")
	}
	if got := writes.Load(); got != 1 {
		t.Errorf("the server saw the write %d times, want once (%d requests in all)", got, rc.count())
	}
	if !OutcomeUnknown(err) {
		t.Errorf("error %v: want an outcome-unknown error", err)
	}
	if !strings.Contains(err.Error(), "may have been carried out") {
		t.Errorf("error %q does not say the request may have been carried out", err)
	}
}

// TestOutcomeUnknown: which write errors leave the outcome to be read.
func TestOutcomeUnknown(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&APIError{HTTPStatus: 500, Code: "InternalError"}, true},
		{&APIError{HTTPStatus: 503, Code: "ServiceUnavailable"}, true},
		{&APIError{HTTPStatus: 400, Code: "SignatureNonceUsed"}, true},
		{&APIError{HTTPStatus: 400, Code: "InvalidParameter"}, false},
		{&APIError{HTTPStatus: 429, Code: "Throttling"}, false},
		{&TransportError{Sent: true, Err: io.ErrUnexpectedEOF}, true},
		{&TransportError{Sent: false, Err: errors.New("connection refused")}, false},
		{&DecodeError{HTTPStatus: 200, Reason: "body is truncated"}, true},
		{&WaitError{What: "task 1", Err: io.EOF}, true},
		{&UnreachableError{Err: &TransportError{Sent: true}}, false},
		{errors.New("other"), false},
	}
	for _, tc := range tests {
		if got := OutcomeUnknown(tc.err); got != tc.want {
			t.Errorf("OutcomeUnknown(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestOutageRetriedUntilGiveUp: an API that answered once and then cannot
// be reached (restarting) is retried until the give-up time, however many
// attempts that takes; one that never answered (a wrong endpoint) fails
// after the usual retries, quickly.
func TestOutageRetriedUntilGiveUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answered bool
		want     int // requests the server sees: the first (if answered) and the last
	}{
		{"an outage after an answer", true, 2},
		{"never answered", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, url := serve(t, ok(nil))
			rt := &failFirstDial{inner: http.DefaultTransport}
			c, _ := newTestClient(t, url, WithHTTPClient(&http.Client{Transport: rt}), WithGiveUpAfter(time.Hour))
			if tc.answered {
				if _, err := c.DescribeTask(context.Background(), "t"); err != nil {
					t.Fatal(err)
				}
			}
			rt.n.Store(12) // refused three times as often as maxRetries allows
			_, err := c.DescribeTask(context.Background(), "t")
			switch {
			case tc.answered && err != nil:
				t.Fatalf("after an outage of 12 refused dials: %v", err)
			case !tc.answered && err == nil:
				t.Fatal("a never-answered endpoint was retried past maxRetries")
			case !tc.answered && rt.n.Load() != 12-5:
				t.Errorf("%d dials refused before giving up, want 5 (1 + 4 retries)", 12-rt.n.Load())
			}
			if rc.count() != tc.want {
				t.Errorf("server saw %d requests, want %d", rc.count(), tc.want)
			}
		})
	}
}
