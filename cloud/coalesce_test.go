package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// gatedFetch answers lookups by echoing ids ("gone" is never found), holding
// each request until the test releases it, and records the batches.
type gatedFetch struct {
	mu      sync.Mutex
	batches [][]string
	started chan struct{}
	release chan struct{}
	err     error
}

func (g *gatedFetch) fetch(_ context.Context, ids []string) (map[string]string, error) {
	g.mu.Lock()
	g.batches = append(g.batches, ids)
	g.mu.Unlock()
	g.started <- struct{}{}
	<-g.release
	out := map[string]string{}
	for _, id := range ids {
		if id != "gone" {
			out[id] = "value of " + id
		}
	}
	return out, g.err
}

func TestCoalescerBatchesWhatArrivesWhileARequestIsOut(t *testing.T) {
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{})}
	c := &coalescer[string]{max: 3, limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	ctx := context.Background()
	type answer struct {
		id, v string
		found bool
		err   error
	}
	answers := make(chan answer, 10)
	get := func(id string) {
		v, found, err := c.get(ctx, id)
		answers <- answer{id, v, found, err}
	}
	go get("a")
	<-g.started // the first lookup goes out alone and at once
	for _, id := range []string{"b", "c", "gone", "d", "b"} {
		go get(id)
	}
	// Wait until all five are queued behind the first request.
	for {
		c.mu.Lock()
		n := 0
		for _, chans := range c.waiting {
			n += len(chans)
		}
		c.mu.Unlock()
		if n == 5 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(g.release)
	got := map[string]answer{}
	for range 6 {
		a := <-answers
		if a.err != nil {
			t.Fatalf("%s: %v", a.id, a.err)
		}
		got[a.id] = a
	}
	if !got["b"].found || got["b"].v != "value of b" || got["gone"].found {
		t.Errorf("answers = %+v", got)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.batches) != 3 || len(g.batches[0]) != 1 || len(g.batches[1])+len(g.batches[2]) != 4 {
		t.Errorf("batches = %v, want [a] then the four other ids in batches of at most 3", g.batches)
	}
}

// gateClock's sleeps end when the test closes open.
type gateClock struct {
	FakeClock
	open chan time.Time
}

func (c *gateClock) After(time.Duration) <-chan time.Time { return c.open }

func TestCoalescerLingersForCompany(t *testing.T) {
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{})}
	close(g.release)
	clk := &gateClock{open: make(chan time.Time)}
	c := &coalescer[string]{max: 10, linger: 10 * time.Millisecond, clock: func() Clock { return clk },
		limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	var wg sync.WaitGroup
	for _, id := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, found, err := c.get(context.Background(), id); err != nil || !found || v != "value of "+id {
				t.Errorf("get(%s) = %q, %v, %v", id, v, found, err)
			}
		}()
	}
	for { // all three wait while the first lingers
		c.mu.Lock()
		n := len(c.order)
		c.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(clk.open)
	wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.batches) != 1 || len(g.batches[0]) != 3 {
		t.Errorf("batches = %v, want the three lookups in one", g.batches)
	}
}

func TestCoalescerGivesABatchErrorToEveryLookupInIt(t *testing.T) {
	boom := errors.New("boom")
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{}), err: boom}
	close(g.release)
	c := &coalescer[string]{max: 10, limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	if _, _, err := c.get(context.Background(), "a"); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestCoalescerLookupEndsWithItsContext(t *testing.T) {
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{})}
	defer close(g.release)
	c := &coalescer[string]{max: 10, limiter: func() *Limiter { return NewLimiter(0, 1) }, fetch: g.fetch}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-g.started; cancel() }()
	if _, _, err := c.get(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestInstanceListsIDsAndSplitsAroundAGoneOne: the lookup asks for the ids
// as the documented JSON list; a service that refuses the whole list because
// one instance is gone is asked again one by one.
// TestInstanceAsksOneStringIDEach: reads by id send InstanceId as one
// string (the documents' form), one request per id; a gone one is nil.
func TestInstanceAsksOneStringIDEach(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	var rc *recorder
	rc, url := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		body := []byte(rc.bodies[n-1])
		rc.mu.Unlock()
		var req struct {
			InstanceID string `json:"InstanceId"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSON(w, 400, map[string]any{"Code": "InvalidParameter", "Message": err.Error()})
			return
		}
		mu.Lock()
		asked = append(asked, req.InstanceID)
		mu.Unlock()
		if req.InstanceID == "gone" {
			writeJSON(w, 400, map[string]any{"Code": "InstanceNotFound", "Message": "the Instance has deleted"})
			return
		}
		list := []map[string]any{{"InstanceId": req.InstanceID, "InstanceName": "name-" + req.InstanceID}}
		writeJSON(w, 200, map[string]any{"Code": "Success", "Data": map[string]any{"Instances": list, "PageNumber": 1, "PageCount": 1}})
	})
	c, _ := newTestClient(t, url)
	got, err := c.describeInstancesByID(context.Background(), []string{"a", "gone", "b"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for id, in := range got {
		names[id] = in.InstanceName
	}
	if diff := cmp.Diff(map[string]string{"a": "name-a", "b": "name-b"}, names); diff != "" {
		t.Errorf("instances (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "gone", "b"}, asked); diff != "" {
		t.Errorf("requests (-want +got)\n%s", diff)
	}
	in, err := c.Instance(context.Background(), "gone")
	if in != nil || err != nil {
		t.Errorf("Instance(gone) = %v, %v; want nil, nil", in, err)
	}
	in, err = c.Instance(context.Background(), "a")
	if err != nil || in == nil || in.InstanceName != "name-a" {
		t.Errorf("Instance(a) = %v, %v", in, err)
	}
}

// TestLimiterTurnIsUsedOnce: the turn a coalesced batch took at the rate
// limiter lets one request out, not every page of a paged answer.
func TestLimiterTurnIsUsedOnce(t *testing.T) {
	ctx := withLimiterTurn(context.Background())
	if !takeLimiterTurn(ctx) {
		t.Fatal("the turn taken was not there")
	}
	if takeLimiterTurn(ctx) {
		t.Error("the same turn let a second request out")
	}
	if takeLimiterTurn(context.Background()) {
		t.Error("a context without a turn had one")
	}
}

// TestCoalescerTakesOneTurnPerBatch: a run takes a turn at the rate limiter
// for each batch it sends and none to find that nobody is left waiting.
func TestCoalescerTakesOneTurnPerBatch(t *testing.T) {
	g := &gatedFetch{started: make(chan struct{}, 10), release: make(chan struct{})}
	close(g.release)
	lim := NewLimiter(0.001, 2)
	c := &coalescer[string]{max: 10, limiter: func() *Limiter { return lim }, fetch: g.fetch}
	if _, _, err := c.get(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	for {
		c.mu.Lock()
		busy := c.busy
		c.mu.Unlock()
		if !busy {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if tokens := lim.lim.Tokens(); tokens < 0.99 || tokens > 1.01 {
		t.Errorf("%.2f of 2 turns left after one batch, want 1", tokens)
	}
}
