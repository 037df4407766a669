package cloud

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultEndpoint is the public API's base URL.
const DefaultEndpoint = "https://cdsapi.capitalonline.net"

// maxBody bounds how much of an answer is read; listings of thousands of
// instances stay far below it.
const maxBody = 64 << 20

// A Client calls the CDS API: it signs each request, sends it through the
// shared Limiter, retries what is safe to retry and decodes the envelope.
// It is safe for concurrent use.
type Client struct {
	base *url.URL
	// regional: each request goes to its region's entry point
	// (regions.go); defaultRegion is for requests that name none.
	regional      bool
	defaultRegion string
	resolve       func(region string) string
	creds         Credentials
	http          *http.Client
	limiter       *Limiter
	clock         Clock
	nonce         func() string
	maxRetries    int
	backoff       Backoff
	userAgent     string
	giveUp        time.Duration
	// answered: the API has answered this client once (anything but a
	// transport failure). From then on, an API that cannot be reached is
	// an outage, retried until giveUp; before, a wrong endpoint fails after
	// maxRetries.
	answered      atomic.Bool
	tasks         taskLearning
	instances     coalescer[*Instance]
	listings      vdcListings
	vdcViews      coalescer[[]Vdc]                   // VDC listings for waits (listing_watch.go)
	nsgAttributes coalescer[groupRead[NSGAttribute]] // nsg_share.go
	nsgMembers    coalescer[groupRead[NSGMembers]]
	dbListings    coalescer[[]DBInstance] // database listings for waits (listing_watch.go)
	lbListings    coalescer[[]LoadBalancer]
	tplListings   coalescer[[]Template] // templates by name, for waits
	catalog       *catalogCache
	// views keeps the VDCs read by id (shared_reads.go).
	views  recentVdcs
	primed primedReads
}

// An Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (its Timeout is the per-attempt timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithTimeout sets the per-attempt timeout (default 60 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.http.Timeout = d } }

// WithLimiter shares l with other clients (default: 20 requests/s, burst 5).
func WithLimiter(l *Limiter) Option { return func(c *Client) { c.limiter = l } }

// WithClock replaces the clock used for timestamps and retry sleeps.
func WithClock(clk Clock) Option { return func(c *Client) { c.clock = clk } }

// WithNonce replaces the SignatureNonce generator (tests and `api --nonce`).
func WithNonce(f func() string) Option { return func(c *Client) { c.nonce = f } }

// WithRetries sets how many times a retryable request is repeated (default 4).
func WithRetries(n int) Option { return func(c *Client) { c.maxRetries = max(n, 0) } }

// WithGiveUpAfter bounds how long one request keeps trying an API that does
// not answer, retries and their waits included (default 2 min); then the
// call fails with an *UnreachableError.
func WithGiveUpAfter(d time.Duration) Option { return func(c *Client) { c.giveUp = d } }

// WithBackoff sets the retry backoff schedule.
func WithBackoff(b Backoff) Option { return func(c *Client) { c.backoff = b } }

// New returns a Client for the base URL endpoint (http or https, without the
// service path) signing with creds.
func New(endpoint string, creds Credentials, opts ...Option) (*Client, error) {
	base, err := ParseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:       base,
		creds:      creds,
		http:       &http.Client{Timeout: 60 * time.Second},
		limiter:    NewLimiter(20, DefaultBurst(20)),
		clock:      SystemClock{},
		nonce:      randomNonce,
		maxRetries: 4,
		backoff:    Backoff{Base: 200 * time.Millisecond, Cap: 5 * time.Second},
		userAgent:  "cdstack",
		giveUp:     2 * time.Minute,
	}
	c.tasks.host = base.Hostname()
	c.instances = coalescer[*Instance]{max: instanceBatch, linger: instanceLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.describeInstancesByID}
	c.listings.coalescer = coalescer[[]Instance]{max: instanceBatch, linger: listingLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.listVDCInstances, keep: true}
	c.vdcViews = coalescer[[]Vdc]{max: instanceBatch, linger: listingLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.listVDCViews, keep: true}
	c.dbListings = coalescer[[]DBInstance]{max: instanceBatch, linger: listingLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.listProducts, keep: true}
	c.lbListings = coalescer[[]LoadBalancer]{max: instanceBatch, linger: listingLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.listLoadBalancers, keep: true}
	c.tplListings = coalescer[[]Template]{max: instanceBatch, linger: listingLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: c.listTemplatesNamed, keep: true}
	c.nsgAttributes = coalescer[groupRead[NSGAttribute]]{max: instanceBatch, linger: groupLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: groupReads(c.describeNSGAttribute)}
	c.nsgMembers = coalescer[groupRead[NSGMembers]]{max: instanceBatch, linger: groupLinger,
		clock: func() Clock { return c.clock }, limiter: func() *Limiter { return c.limiter }, fetch: groupReads(c.describeNSGMembers)}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// ParseEndpoint checks that endpoint is an absolute http(s) URL with a host.
func ParseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil {
		if strings.Contains(endpoint, "@") {
			// url's error quotes the whole text, credentials included.
			return nil, fmt.Errorf("endpoint %q: not a URL", redactUserinfo(endpoint))
		}
		return nil, fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q: want an http:// or https:// URL such as %s", u.Redacted(), DefaultEndpoint)
	}
	// The service path and the signed query are appended to it: a query or
	// fragment would swallow them, and credentials would be printed
	// wherever the endpoint is named (errors, api --dry-run).
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("endpoint %q: a user or password in the URL is not used by the API and would be shown in messages; requests are signed with CDS_SECRET_ID and CDS_SECRET_KEY", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("endpoint %q: want the base URL without a query", endpoint)
	case u.Fragment != "":
		return nil, fmt.Errorf("endpoint %q: want the base URL without a fragment", endpoint)
	}
	return u, nil
}

// redactUserinfo hides what stands between "://" and the last "@" of s.
func redactUserinfo(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	at := strings.LastIndex(rest, "@")
	if !ok || at < 0 {
		return s
	}
	return scheme + "://xxxxx" + rest[at:]
}

// Endpoint returns the base URL the client talks to.
func (c *Client) Endpoint() string { return c.base.String() }

// Limiter returns the shared request budget.
func (c *Client) Limiter() *Limiter { return c.limiter }

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// A Prepared request is fully signed and ready to send. String prints it as
// `api --dry-run` shows it; the secret appears only through the signature.
type Prepared struct {
	Action ActionSpec
	Method string
	URL    string
	Body   []byte // POST only
}

// Prepare signs a call to action with params: a struct with json tags, a
// map[string]any, or nil. For GET the params go in the query (lists flattened
// as Key.0, Key.1, objects as Key.Field); for POST they are the JSON body and
// the query holds only the common parameters. The body is not signed.
func (c *Client) Prepare(action string, params any) (*Prepared, error) {
	spec, ok := LookupAction(action)
	if !ok {
		return nil, unknownAction(action)
	}
	return c.prepare(c.EndpointFor(context.Background(), params), spec, params, c.nonce(), c.clock.Now())
}

// PrepareAt is Prepare with a fixed nonce and timestamp, so a signature can be
// reproduced.
func (c *Client) PrepareAt(action string, params any, nonce string, ts time.Time) (*Prepared, error) {
	spec, ok := LookupAction(action)
	if !ok {
		return nil, unknownAction(action)
	}
	return c.prepare(c.EndpointFor(context.Background(), params), spec, params, nonce, ts)
}

func unknownAction(name string) error {
	if s := SuggestActions(name, 3); len(s) > 0 {
		return fmt.Errorf("%w %q; did you mean %s?", ErrUnknownAction, name, strings.Join(s, ", "))
	}
	return fmt.Errorf("%w %q (see `cdstack api --list`)", ErrUnknownAction, name)
}

func (c *Client) prepare(base *url.URL, spec ActionSpec, params any, nonce string, ts time.Time) (*Prepared, error) {
	q := map[string]string{
		"Action":           spec.Name,
		"AccessKeyId":      c.creds.AccessKeyID,
		"SignatureMethod":  SignatureMethod,
		"SignatureNonce":   nonce,
		"SignatureVersion": SignatureVersion,
		"Timestamp":        ts.UTC().Format(TimestampFormat),
		"Version":          APIVersion,
	}
	p := &Prepared{Action: spec, Method: spec.Method}
	if spec.Method == http.MethodGet {
		flat, err := FlattenParams(params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		for k, v := range flat {
			if _, common := q[k]; common || k == "Signature" {
				return nil, fmt.Errorf("%s: parameter %s is set by the signer", spec.Name, k)
			}
			q[k] = v
		}
	} else {
		body, err := encodeBody(params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		p.Body = body
	}
	p.URL = base.String() + "/" + string(spec.Service) + "/?" + SignedQuery(spec.Method, q, c.creds.AccessKeySecret)
	return p, nil
}

func encodeBody(params any) ([]byte, error) {
	switch v := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		return v, nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("encode body: %w", err)
	}
	return b, nil
}

// FlattenParams turns params into query parameters: scalars as their text,
// lists as Key.0, Key.1, …, objects as Key.Field, nulls dropped.
func FlattenParams(params any) (map[string]string, error) {
	out := map[string]string{}
	if params == nil {
		return out, nil
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("parameters must be an object, not %s", string(raw))
	}
	for k, val := range obj {
		flatten(k, val, out)
	}
	return out, nil
}

func flatten(key string, v any, out map[string]string) {
	switch t := v.(type) {
	case nil:
	case string:
		out[key] = t
	case json.Number:
		out[key] = t.String()
	case bool:
		out[key] = strconv.FormatBool(t)
	case []any:
		for i, e := range t {
			flatten(key+"."+strconv.Itoa(i), e, out)
		}
	case map[string]any:
		for k, e := range t {
			flatten(key+"."+k, e, out)
		}
	}
}

// A Response is a successful answer: the decoded envelope and the raw body.
type Response struct {
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	TaskID     string
	Data       json.RawMessage
	Body       []byte
	// Pages are the top-level page counters of a listing's answer.
	Pages Pages
	// Sent is when the answered request went out, past the rate limiter:
	// the answer tells how the service stood about then.
	Sent time.Time
}

// envelope is the JSON shape every answer shares.
type envelope struct {
	Code      string          `json:"Code"`
	Message   string          `json:"Message"`
	Data      json.RawMessage `json:"Data"`
	TaskID    Str             `json:"TaskId"`
	RequestID string          `json:"RequestId"`
	// The page counters of a listing (the current documents put them
	// beside Data).
	PageNumber Int `json:"PageNumber"`
	PageCount  Int `json:"PageCount"`
	Total      Int `json:"Total"`
}

// A TransportError is a failure to get any answer. Sent is false only when
// the request provably never reached the server (the connection was never
// made), which is what makes a write safe to repeat.
type TransportError struct {
	Action string
	Sent   bool
	Err    error
}

func (e *TransportError) Error() string {
	if e.Sent {
		return fmt.Sprintf("%s: no answer from the API (the request may have been carried out): %v", e.Action, e.Err)
	}
	return fmt.Sprintf("%s: cannot reach the API: %v", e.Action, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Call sends action with params and decodes the answer's Data into out (a
// pointer, or nil to skip). Reads are retried on transport errors, 5xx and
// throttling; writes only when they provably never reached the server.
func (c *Client) Call(ctx context.Context, action string, params, out any) (*Response, error) {
	spec, ok := LookupAction(action)
	if !ok {
		return nil, unknownAction(action)
	}
	if _, ok := earlierSince(ctx); ok {
		return nil, errNoEarlier // earlier_reads.go: no request
	}
	var lastErr error
	var first time.Time // when the first attempt went out: the give-up time counts from it
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			delay := c.backoff.Delay(attempt-1, retryAfter(lastErr))
			if waited := time.Since(first); c.giveUp > 0 && waited+delay > c.giveUp && Unreachable(lastErr) {
				return nil, &UnreachableError{Endpoint: c.Endpoint(), Action: action, Waited: waited, Err: lastErr}
			}
			if err := c.sleep(ctx, delay); err != nil {
				return nil, fmt.Errorf("%s: %w (last error: %v)", action, err, lastErr)
			}
		}
		// A coalesced lookup took its turn before it gathered its batch.
		if !takeLimiterTurn(ctx) {
			if err := c.limiter.Wait(ctx); err != nil {
				if lastErr != nil {
					return nil, fmt.Errorf("%s: %w (last error: %v)", action, err, lastErr)
				}
				return nil, fmt.Errorf("%s: %w", action, err)
			}
		}
		sent := c.clock.Now()
		if first.IsZero() {
			first = time.Now()
		}
		resp, err := c.attempt(ctx, spec, params, first)
		if te := (*TransportError)(nil); !errors.As(err, &te) {
			c.answered.Store(true)
		}
		if err == nil {
			resp.Sent = sent
			if resp.TaskID != "" {
				c.tasks.record(resp.TaskID, action, params)
			}
			c.limiter.Succeeded()
			if out != nil && len(resp.Data) > 0 && string(resp.Data) != "null" {
				if err := json.Unmarshal(resp.Data, out); err != nil {
					return resp, &DecodeError{Action: action, HTTPStatus: resp.HTTPStatus, Reason: "Data has an unexpected shape", Err: err}
				}
			}
			return resp, nil
		}
		lastErr = err
		var ae *APIError
		if errors.As(err, &ae) && ae.Throttled() {
			c.limiter.Throttled()
		}
		if ctx.Err() != nil || attempt >= c.retriesFor(err) || !retryable(spec, err) {
			if waited := time.Since(first); c.giveUp > 0 && waited >= c.giveUp && Unreachable(err) && ctx.Err() == nil {
				return nil, &UnreachableError{Endpoint: c.Endpoint(), Action: action, Waited: waited, Err: err}
			}
			return nil, err
		}
	}
}

// throttleRetries is how often a request refused for the rate is repeated:
// more than other failures, since the limiter slows down with each, and the
// request was not carried out.
const throttleRetries = 10

// retriesFor is how many retries err allows: an API that answered before
// and now cannot be reached is retried until the give-up time (an outage:
// --outage-timeout), not only maxRetries times.
func (c *Client) retriesFor(err error) int {
	var ae *APIError
	if errors.As(err, &ae) && ae.Throttled() && c.maxRetries > 0 {
		return max(c.maxRetries, throttleRetries)
	}
	var te *TransportError
	if errors.As(err, &te) && c.maxRetries > 0 && c.giveUp > 0 && c.answered.Load() {
		return math.MaxInt
	}
	return c.maxRetries
}

// attempt makes one attempt, cut off when the give-up time counted from
// first runs out (an API that accepts connections and never answers).
func (c *Client) attempt(ctx context.Context, spec ActionSpec, params any, first time.Time) (*Response, error) {
	if c.giveUp <= 0 {
		return c.once(ctx, spec, params)
	}
	actx, cancel := context.WithDeadline(ctx, first.Add(c.giveUp))
	defer cancel()
	resp, err := c.once(actx, spec, params)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		// The give-up time ran out, not the caller's context: that is the
		// API not answering, as a transport error that may have been sent.
		return nil, &TransportError{Action: spec.Name, Sent: true, Err: fmt.Errorf("no answer within %s", c.giveUp)}
	}
	return resp, err
}

// retryable decides whether err may be repeated for spec: reads on
// transport errors, 5xx and throttling; writes when they provably never
// reached the server, or when the service refused them for its rate (429
// Throttling is answered before anything is done).
func retryable(spec ActionSpec, err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return spec.ReadOnly || !te.Sent
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return spec.ReadOnly && ae.Retryable() || ae.Throttled()
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return spec.ReadOnly && de.HTTPStatus >= 500
	}
	return false
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.clock.After(d):
		return nil
	}
}

// once makes one signed attempt.
func (c *Client) once(ctx context.Context, spec ActionSpec, params any) (*Response, error) {
	p, err := c.prepare(c.EndpointFor(ctx, params), spec, params, c.nonce(), c.clock.Now())
	if err != nil {
		return nil, err
	}
	var body io.Reader
	if p.Body != nil {
		body = bytes.NewReader(p.Body)
	}
	req, err := http.NewRequestWithContext(ctx, p.Method, p.URL, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Name, err)
	}
	oneShot(req)
	if p.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	hr, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, ctx.Err())
		}
		return nil, &TransportError{Action: spec.Name, Sent: !neverSent(err), Err: redactURL(err)}
	}
	defer hr.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(hr.Body, maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, ctx.Err())
		}
		return nil, &DecodeError{Action: spec.Name, HTTPStatus: hr.StatusCode, Reason: "body is truncated", Snippet: snippet(raw), Err: redactURL(err)}
	}
	return decodeAnswer(spec.Name, hr, raw)
}

// oneShot makes a request one that net/http never sends twice. Its
// Transport repeats a "replayable" request (a GET, or a body it can rewind)
// by itself when a reused connection fails before the answer: with the
// same signature and nonce, after the server may already have acted. A
// body with no GetBody that is not http.NoBody is not replayable; for a GET
// it is empty, so nothing more goes on the wire. Every repeat is then the
// Client's, freshly signed (a read the transport repeated was refused as
// SignatureNonceUsed), or the executor's, after reading the cloud.
func oneShot(req *http.Request) {
	if req.Body == nil || req.Body == http.NoBody {
		req.Body = io.NopCloser(emptyReader{})
	}
	req.GetBody = nil
}

// emptyReader is an empty body that is not http.NoBody.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }

// decodeAnswer turns an HTTP answer into a Response or an error.
func decodeAnswer(action string, hr *http.Response, raw []byte) (*Response, error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		reason := "body is not JSON"
		var se *json.SyntaxError
		if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && len(bytes.TrimSpace(raw)) > 0 && (raw[0] == '{' || raw[0] == '[')) {
			reason = "body is truncated or malformed JSON"
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			reason = "body is empty"
		}
		if hr.StatusCode >= 300 {
			return nil, &APIError{HTTPStatus: hr.StatusCode, Code: http.StatusText(hr.StatusCode), Message: reason + ": " + snippet(raw), RequestID: hr.Header.Get("X-Request-Id"), Action: action}
		}
		return nil, &DecodeError{Action: action, HTTPStatus: hr.StatusCode, Reason: reason, Snippet: snippet(raw), Err: err}
	}
	if hr.StatusCode < 200 || hr.StatusCode >= 300 || !successCode(env.Code) {
		ae := &APIError{HTTPStatus: hr.StatusCode, Code: env.Code, Message: env.Message, RequestID: env.RequestID, Action: action}
		if ae.Code == "" {
			ae.Code = http.StatusText(hr.StatusCode)
		}
		if ra := hr.Header.Get("Retry-After"); ra != "" {
			if s, err := strconv.Atoi(ra); err == nil {
				return nil, &retryAfterError{APIError: ae, after: time.Duration(s) * time.Second}
			}
		}
		return nil, ae
	}
	return &Response{
		HTTPStatus: hr.StatusCode, Code: env.Code, Message: env.Message, RequestID: env.RequestID,
		TaskID: string(env.TaskID), Data: env.Data, Body: raw,
		Pages: Pages{Number: int(env.PageNumber), Count: int(env.PageCount), Total: int(env.Total)},
	}, nil
}

// successCode accepts "Success" in any case (billing answers "success") and
// "0000", which DescribeSecurityGroups documents as its success code.
func successCode(code string) bool {
	return strings.EqualFold(code, "Success") || code == "0000"
}

// retryAfterError carries the server's Retry-After next to the APIError.
type retryAfterError struct {
	*APIError
	after time.Duration
}

func (e *retryAfterError) Unwrap() error { return e.APIError }

func retryAfter(err error) time.Duration {
	var ra *retryAfterError
	if errors.As(err, &ra) {
		return ra.after
	}
	return 0
}

// neverSent reports whether err happened before any byte of the request could
// reach the server: the dial failed (refused, no route, DNS).
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// redactURL strips the signed URL from *url.Error so no message carries the
// query (which holds the AccessKeyId, nonce and signature).
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func snippet(b []byte) string {
	const n = 120
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
