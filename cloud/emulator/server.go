package emulator

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"
)

// A Clock tells the emulator the time; cloud.FakeClock satisfies it.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configure a Server. The zero value is a fault-free cloud with
// instant tasks and no credentials (set AccessKeys).
type Options struct {
	// AccessKeys maps AccessKeyId → AccessKeySecret.
	AccessKeys map[string]string
	// Clock defaults to the system clock; tests inject a fake one.
	Clock Clock
	// Seed makes ids, MACs and injected faults reproducible (0: random).
	Seed uint64

	// TaskLatency is how long every task takes; TaskJitter adds up to that much at random.
	TaskLatency, TaskJitter time.Duration
	// Latency delays every answer; LatencyJitter adds up to that much at random.
	Latency, LatencyJitter time.Duration
	// FaultRate is the fraction of requests answered 503 before anything is done.
	FaultRate float64
	// ThrottleQPS answers 429 Throttling above this many requests a second (0: never).
	ThrottleQPS float64
	// TaskFailureRate is the fraction of tasks that end in ERROR (changing nothing).
	TaskFailureRate float64
	// KeepFailedInstances keeps the instance of a failed CreateInstance,
	// listed with status "error" (as some services do, and the official
	// provider expects), instead of leaving nothing.
	KeepFailedInstances bool

	// MaxVDCs is the account's VDC quota (default 100).
	MaxVDCs int
	// MaxPrivateNetworks is the per-VDC private network quota (default 10).
	MaxPrivateNetworks int
	// Arrears makes every purchase fail for lack of balance.
	Arrears bool
	// Balance and CreditLine are what DescribeAccountInfo reports (CNY;
	// default balance 10,000).
	Balance, CreditLine float64

	// NSGQuota is a security group's rule quota, IPs × ports summed over
	// its rules (default DefaultNSGQuota).
	NSGQuota int
	// LegacySecurityGroups serves the old *SecurityGroup* actions, which the
	// current service has disabled (for the 2024 SDK's conformance suite).
	LegacySecurityGroups bool

	// Store persists the world (nil: in memory only).
	Store *Store
}

// A Server is the local CDS cloud: an http.Handler serving /ccs/, /network/,
// /billing/ and /ccs-product/.
type Server struct {
	opts    Options
	clock   Clock
	limiter *rate.Limiter

	mu    sync.Mutex
	world *World
	calls map[string]int

	faultMu  sync.Mutex
	faultRng *rand.Rand

	// ahead is how far the world's time runs ahead of the clock (Advance).
	ahead atomic.Int64
}

// now is the world's time: the clock, plus what Advance added. Signatures
// are checked against the clock alone, so a client's timestamps stay good.
func (s *Server) now() time.Time { return s.clock.Now().Add(time.Duration(s.ahead.Load())) }

// Advance moves the world's time forward by d: tasks due meanwhile are
// done, and resources are billed for it (a month of spend in a test).
func (s *Server) Advance(d time.Duration) { s.ahead.Add(int64(d)) }

type handler func(s *Server, p params) (data any, taskID string, err *apiError)

// handlers maps every action of the reference to its implementation.
var handlers = map[string]handler{}

func register(action string, h handler) {
	if _, ok := routes[action]; !ok {
		panic("emulator: " + action + " has no route")
	}
	handlers[action] = h
}

// New returns a Server. With opts.Store the world is loaded from it.
func New(opts Options) (*Server, error) {
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.MaxVDCs == 0 {
		opts.MaxVDCs = 100
	}
	if opts.MaxPrivateNetworks == 0 {
		opts.MaxPrivateNetworks = 10
	}
	if opts.Balance == 0 {
		opts.Balance = 10000
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s := &Server{opts: opts, clock: opts.Clock, calls: map[string]int{}, world: newWorld(seed),
		faultRng: rand.New(rand.NewPCG(seed, 7))}
	if opts.ThrottleQPS > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(opts.ThrottleQPS), max(1, int(opts.ThrottleQPS)))
	}
	if opts.Store != nil {
		if err := opts.Store.load(s.world); err != nil {
			return nil, err
		}
		s.world.reseed(seed)
	}
	s.world.reindex()
	return s, nil
}

// Close writes what is left to write (nonces of requests that failed after
// authentication) and releases the store.
func (s *Server) Close() error {
	if s.opts.Store == nil {
		return nil
	}
	s.mu.Lock()
	err := s.persist()
	s.mu.Unlock()
	return errors.Join(err, s.opts.Store.Close())
}

// Calls returns how many authenticated requests each action received.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// ResetCalls zeroes the call counters.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// Mutate runs f on the world under the lock, as an out-of-band change (a
// colleague using the console), and persists what it touched via Touch.
func (s *Server) Mutate(f func(w *World, touch func(bucket, id string))) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	f(s.world, s.world.touch)
	s.world.reindex()
	return s.persist()
}

// View runs f on the world under the lock, after settling due tasks.
func (s *Server) View(f func(w *World)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	f(s.world)
}

func (s *Server) persist() error {
	defer func() { s.world.dirty = map[string]map[string]bool{} }()
	if s.opts.Store == nil {
		return nil
	}
	return s.opts.Store.save(s.world)
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString()
	s.delay()
	if s.limiter != nil && !s.limiter.Allow() {
		writeError(w, requestID, errorf(http.StatusTooManyRequests, "Throttling", "Request was denied due to request throttling."))
		return
	}
	if s.fault() {
		writeError(w, requestID, errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server (injected)."))
		return
	}
	service := strings.Trim(r.URL.Path, "/")
	if !knownService(service) {
		writeError(w, requestID, errorf(http.StatusNotFound, "InvalidService.NotFound", "No service at %s; use /ccs/, /network/, /billing/, /ccs-product/, /mysql/, /redis/, /mongodb/v1/ or /mongodb/.", r.URL.Path))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		writeError(w, requestID, errorf(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "Method %s is not supported.", r.Method))
		return
	}
	q := r.URL.Query()
	if e := s.authenticate(r.Method, q); e != nil {
		writeError(w, requestID, e)
		return
	}
	action := q.Get("Action")
	// The database services' actions share names: they are routed by
	// service path and name (mysql/DescribeDBInstances).
	if _, qualified := routes[service+"/"+action]; qualified {
		action = service + "/" + action
	}
	rt, ok := routes[action]
	h := handlers[action]
	if !ok || h == nil {
		writeError(w, requestID, errorf(http.StatusNotFound, "InvalidAction.NotFound", "The action %q does not exist.", action))
		return
	}
	if rt.service != service {
		writeError(w, requestID, errorf(http.StatusNotFound, "InvalidAction.NotFound", "The action %s is served under /%s/, not /%s/.", action, rt.service, service))
		return
	}
	if r.Method != rt.method {
		writeError(w, requestID, errBadMethod(action, rt.method))
		return
	}
	var body = r.Body
	if r.Method == http.MethodGet {
		body = nil
	}
	p, e := parseParams(q, body)
	if e != nil {
		writeError(w, requestID, e)
		return
	}

	s.mu.Lock()
	s.calls[action]++
	s.settle()
	data, taskID, e := h(s, p)
	perr := s.persist()
	s.mu.Unlock()

	if perr != nil {
		writeError(w, requestID, errorf(500, "InternalError", "persist the world: %v", perr))
		return
	}
	if e != nil {
		writeError(w, requestID, e)
		return
	}
	code := "Success"
	if rt.service == svcBilling {
		code = "success" // as the reference's billing examples answer
	}
	if data == nil {
		data = map[string]any{}
	}
	message := "Success."
	if m, ok := data.(messenger); ok && m.message() != "" {
		message = m.message()
	}
	answer := map[string]any{"Code": code, "Message": message, "Data": data, "TaskId": taskID, "RequestId": requestID}
	if p, ok := data.(pager); ok {
		answer["PageNumber"], answer["PageCount"], answer["Total"] = p.pages()
	}
	writeJSON(w, http.StatusOK, answer)
}

// A messenger is an answer's Data that says its own Message (a failed
// task says why it failed).
type messenger interface{ message() string }

// A pager is a listing's Data whose page counters go beside it, as the
// current documents answer DescribeVdc: page number, page count, total.
type pager interface{ pages() (int, int, int) }

func (s *Server) delay() {
	d := s.opts.Latency
	if j := s.opts.LatencyJitter; j > 0 {
		s.faultMu.Lock()
		d += time.Duration(s.faultRng.Int64N(int64(j)))
		s.faultMu.Unlock()
	}
	if d > 0 {
		time.Sleep(d)
	}
}

func (s *Server) fault() bool {
	if s.opts.FaultRate <= 0 {
		return false
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faultRng.Float64() < s.opts.FaultRate
}

func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	writeJSON(w, e.Status, map[string]any{"Code": e.Code, "Message": e.Message, "RequestId": requestID})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
