package cloud

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchedCloud answers DescribeInstances with listings[min(n, last)] (n the
// listing's number) and DescribeTask with the task's status, counting both.
type watchedCloud struct {
	mu       sync.Mutex
	listings [][]map[string]any
	status   string
	message  string
	listed   int
	asked    int
	started  string // the action that answers a TaskId
}

func (wc *watchedCloud) answer(_ int, w http.ResponseWriter, r *http.Request) {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	switch r.URL.Query().Get("Action") {
	case "DescribeInstances":
		list := wc.listings[min(wc.listed, len(wc.listings)-1)]
		wc.listed++
		writeJSON(w, 200, map[string]any{"Code": "Success", "Data": map[string]any{"Instances": list, "PageNumber": 1, "PageCount": 1, "Total": len(list)}})
	case "DescribeTask":
		wc.asked++
		writeJSON(w, 200, map[string]any{"Code": "Success", "Message": wc.message, "Data": map[string]any{"Status": wc.status, "ResourceIds": []string{"i-9"}, "TaskType": "CreateInstance"}})
	case wc.started:
		writeJSON(w, 200, map[string]any{"Code": "Success", "TaskId": "task-1"})
	default:
		writeJSON(w, 400, map[string]any{"Code": "InvalidAction", "Message": r.URL.Query().Get("Action")})
	}
}

func listed(id, name, status string) []map[string]any {
	return []map[string]any{{"InstanceId": id, "InstanceName": name, "InstanceStatus": status, "VdcId": "vdc-1"}}
}

// TestWatchEndsOnFailureAtTheFirstLookThatKnows: a wait that watches the
// listing asks the task, and ends with its error, at the first look where
// the instance shows a failure status or is gone (create) or settled back
// (delete), not at the wait's timeout; the clock is scripted, so the bound
// on the time waited is the schedule's, not the machine's.
func TestWatchEndsOnFailureAtTheFirstLookThatKnows(t *testing.T) {
	tests := map[string]struct {
		listings  [][]map[string]any
		deleting  bool
		wantLooks int
	}{
		"create: vanished":        {[][]map[string]any{listed("i-1", "web", "creating"), listed("i-1", "web", "creating"), {}}, false, 3},
		"create: listed as error": {[][]map[string]any{listed("i-1", "web", "creating"), listed("i-1", "web", "error")}, false, 2},
		"delete: settled back":    {[][]map[string]any{listed("i-1", "web", "deleting"), listed("i-1", "web", "running")}, true, 2},
		"delete: listed as error": {[][]map[string]any{listed("i-1", "web", "deleting"), listed("i-1", "web", "ERROR")}, true, 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			wc := &watchedCloud{listings: tc.listings, status: "ERROR", message: "insufficient stock in CN_Beijing_A"}
			_, url := serve(t, wc.answer)
			c, clk := newTestClient(t, url)
			start := clk.Now()
			_, err := WaitTask(context.Background(), c, "task-9", WaitClock(clk), WaitFirstPoll(time.Second),
				c.WatchInstance("vdc-1", "web", "i-1", tc.deleting))
			var tf *TaskFailedError
			if !errors.As(err, &tf) {
				t.Fatalf("err = %v, want the task's failure", err)
			}
			for _, want := range []string{"task-9", "CreateInstance", "insufficient stock in CN_Beijing_A"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
			if wc.listed != tc.wantLooks || wc.asked != 1 {
				t.Errorf("listed %d times and asked the task %d times; want %d and 1", wc.listed, wc.asked, tc.wantLooks)
			}
			if waited := clk.Now().Sub(start); waited > time.Minute {
				t.Errorf("the wait ended after %s of scripted time; want its first looks", waited)
			}
		})
	}
}

// TestWatchAsksNotWhileBusy: while the instance is listed in a transitional
// status the task is not asked.
func TestWatchAsksNotWhileBusy(t *testing.T) {
	wc := &watchedCloud{listings: [][]map[string]any{listed("i-1", "web", "creating"), listed("i-1", "web", "creating"), listed("i-1", "web", "running")}, status: "FINISH"}
	_, url := serve(t, wc.answer)
	c, clk := newTestClient(t, url)
	if _, err := WaitTask(context.Background(), c, "task-1", WaitClock(clk), WaitFirstPoll(time.Second), c.WatchInstance("vdc-1", "web", "", false)); err != nil {
		t.Fatal(err)
	}
	if wc.listed != 3 || wc.asked != 1 {
		t.Errorf("listed %d times and asked the task %d times; want 3 and 1", wc.listed, wc.asked)
	}
}

// TestListingSaysHowTheTaskEnded: a create whose instance the listing
// shows running, or a delete whose instance it no longer lists, ends the
// wait without asking the task (the create's id is the listed one); the
// listing speaks only for the action the watch is for, and a name listed
// twice leaves it to the task.
func TestListingSaysHowTheTaskEnded(t *testing.T) {
	twins := append(listed("i-1", "web", "running"), listed("i-2", "web", "running")...)
	tests := map[string]struct {
		action    string
		listings  [][]map[string]any
		deleting  bool
		wantAsked int
		wantID    string
	}{
		"create: listed running":           {"CreateInstance", [][]map[string]any{listed("i-1", "web", "creating"), listed("i-1", "web", "running")}, false, 0, "i-1"},
		"create: a twin":                   {"CreateInstance", [][]map[string]any{twins}, false, 1, "i-9"},
		"delete: gone":                     {"DeleteInstance", [][]map[string]any{listed("i-1", "web", "deleting"), {}}, true, 0, "i-1"},
		"another action's task: asked":     {"StopInstance", [][]map[string]any{listed("i-1", "web", "stopping"), listed("i-1", "web", "stop")}, false, 1, "i-9"},
		"delete, another action's: asked":  {"StopInstance", [][]map[string]any{{}}, true, 1, "i-9"},
		"create: not listed yet: asked":    {"CreateInstance", [][]map[string]any{{}}, false, 1, "i-9"},
		"create: listed stopped: finished": {"CreateInstance", [][]map[string]any{listed("i-1", "web", "stop")}, false, 0, "i-1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			wc := &watchedCloud{listings: tc.listings, status: "FINISH", started: tc.action}
			_, url := serve(t, wc.answer)
			c, _ := newTestClient(t, url)
			ctx := context.Background()
			resp, err := c.Call(ctx, tc.action, InstanceRequest{InstanceID: "i-1"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			done, err := c.WaitTask(ctx, resp.TaskID, c.WatchInstance("vdc-1", "web", "i-1", tc.deleting))
			if err != nil {
				t.Fatal(err)
			}
			if wc.asked != tc.wantAsked || done.ResourceID != tc.wantID || done.Status != TaskFinish {
				t.Errorf("asked the task %d times, ended %s with %q; want %d and %q", wc.asked, done.Status, done.ResourceID, tc.wantAsked, tc.wantID)
			}
		})
	}
}

// TestWatchAsksTheTaskWhenTheListingIsOverdue: a resource still listed
// busy three times past when such tasks end has its task asked all the
// same (a listing stuck in a status the watch reads as busy cannot hold a
// wait to its timeout), once per doubling of the time waited.
func TestWatchAsksTheTaskWhenTheListingIsOverdue(t *testing.T) {
	wc := &watchedCloud{listings: [][]map[string]any{listed("i-1", "web", "deleted")}, status: "FINISH"}
	_, url := serve(t, wc.answer)
	c, clk := newTestClient(t, url)
	start := clk.Now()
	if _, err := WaitTask(context.Background(), c, "task-1", WaitClock(clk), WaitFirstPoll(time.Second), c.WatchInstance("vdc-1", "", "i-1", true)); err != nil {
		t.Fatal(err)
	}
	if waited := clk.Now().Sub(start); wc.asked != 1 || waited < 3*time.Second || waited > 6*time.Second {
		t.Errorf("asked the task %d times, after %s; want once, between 3 and 6 times the expected 1s", wc.asked, waited)
	}
}
