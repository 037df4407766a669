package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cdstack/cdstack/internal/etcdtest"
	"github.com/cdstack/cdstack/state"
)

func TestMain(m *testing.M) {
	// What the commands learn of task durations stays with the tests.
	cache, err := os.MkdirTemp("", "cdstack-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("CDSTACK_CACHE_DIR", cache)
	bin, cleanup, err := buildCdstack()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cdstackBin = bin
	// The etcd the tests started is stopped when they end.
	code := etcdtest.StopAfter(m).Run()
	cleanup()
	os.RemoveAll(cache)
	os.Exit(code)
}

// TestScripts runs testdata/script/*.txtar. Each script gets $FAKE_API, a
// server that answers every action with the reference's example answer (or
// the current documents' for actions the reference lacks) and
// DeleteVdc VdcId=missing with the documented VdcNotFound error.
func TestScripts(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(serveReferenceExample))
	t.Cleanup(fake.Close)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", filepath.Dir(cdstackBin)+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("FAKE_API", fake.URL)
			examples, err := filepath.Abs(filepath.Join("..", "examples"))
			if err != nil {
				return err
			}
			env.Setenv("EXAMPLES", examples)
			env.Setenv("CDSTACK_CACHE_DIR", filepath.Join(env.WorkDir, ".cache"))
			// The README's example, as $WORK/quickstart.yaml.
			quickstart, err := os.ReadFile(filepath.Join("..", "examples", "quickstart.yaml"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(env.WorkDir, "quickstart.yaml"), quickstart, 0o644); err != nil {
				return err
			}
			// The databases example, as $WORK/app-with-databases.yaml.
			databases, err := os.ReadFile(filepath.Join("..", "examples", "app-with-databases.yaml"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(env.WorkDir, "app-with-databases.yaml"), databases, 0o644); err != nil {
				return err
			}
			// The web tier example, as $WORK/web-tier.yaml.
			webTier, err := os.ReadFile(filepath.Join("..", "examples", "web-tier.yaml"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(env.WorkDir, "web-tier.yaml"), webTier, 0o644); err != nil {
				return err
			}
			port, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("EMU_PORT", port)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitport":    cmdWaitPort,
			"waitfile":    cmdWaitFile,
			"seedstate":   cmdSeedState,
			"lockstate":   cmdLockState,
			"unlockstate": cmdUnlockState,
			"selfsigned":  cmdSelfSigned,
			"flipbit":     cmdFlipBit,
		},
	})
}

// waitBound is how long waitfile and waitport wait for what a background
// command does before failing the script: only a guard against a hang,
// never a measure of speed, so long enough for a race-instrumented run on a
// loaded two-core machine (20 s was not: readers_during_apply failed so).
const waitBound = 2 * time.Minute

// cmdWaitFile waits up to waitBound for a file to exist (a background
// command got that far).
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: waitfile PATH")
	}
	deadline := time.Now().Add(waitBound)
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// cmdWaitPort waits up to waitBound until 127.0.0.1:PORT accepts
// connections; negated, it checks the port stays closed for 10 s.
func cmdWaitPort(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: waitport PORT")
	}
	deadline := time.Now().Add(waitBound)
	if neg {
		deadline = time.Now().Add(10 * time.Second)
	}
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+args[0], 200*time.Millisecond)
		if err == nil {
			c.Close()
			if neg {
				ts.Fatalf("port %s is open", args[0])
			}
			return
		}
		if time.Now().After(deadline) {
			if !neg {
				ts.Fatalf("port %s did not open: %v", args[0], err)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cmdSeedState writes records into a state file: seedstate FILE RECORDS.json
// (a JSON list of state.Record).
func cmdSeedState(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: seedstate STATEFILE RECORDS.json")
	}
	var records []*state.Record
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[1])), &records))
	st := state.OpenBolt(ts.MkAbs(args[0]))
	ts.Check(st.Lock(context.Background(), state.LockInfo{Command: "seedstate"}, 0))
	_, err := st.Commit(context.Background(), state.Change{Put: records})
	ts.Check(err)
	ts.Check(st.Unlock())
}

// cmdFlipBit flips the lowest bit of the last byte of the first occurrence,
// in FILE, of the text held in TEXTFILE (an id): damage on disk.
// flipbit FILE TEXTFILE
func cmdFlipBit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: flipbit FILE TEXTFILE")
	}
	text := strings.TrimSpace(ts.ReadFile(args[1]))
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	i := bytes.Index(data, []byte(text))
	if text == "" || i < 0 {
		ts.Fatalf("%q is not in %s", text, args[0])
	}
	data[i+len(text)-1] ^= 1
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o600))
}

// heldStates are the states a script locked with lockstate; scripts run
// in parallel, so heldMu guards it.
var (
	heldMu     sync.Mutex
	heldStates = map[string]*state.Bolt{}
)

// cmdLockState holds a state's lock in the test process, as another cdstack
// would: lockstate FILE.
func cmdLockState(ts *testscript.TestScript, neg bool, args []string) {
	path := ts.MkAbs(args[0])
	st := state.OpenBolt(path)
	ts.Check(st.Lock(context.Background(), state.LockInfo{PID: os.Getpid(), Host: "build-7", User: "ci", Command: "cdstack apply",
		Since: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)}, 0))
	heldMu.Lock()
	defer heldMu.Unlock()
	heldStates[path] = st
}

// cmdUnlockState releases what lockstate took.
func cmdUnlockState(ts *testscript.TestScript, neg bool, args []string) {
	path := ts.MkAbs(args[0])
	heldMu.Lock()
	st := heldStates[path]
	delete(heldStates, path)
	heldMu.Unlock()
	if st == nil {
		ts.Fatalf("unlockstate %s: not locked by lockstate", args[0])
	}
	ts.Check(st.Unlock())
}

func serveReferenceExample(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	action := q.Get("Action")
	w.Header().Set("Content-Type", "application/json")
	if q.Get("Signature") == "" || q.Get("AccessKeyId") == "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "MissingParameter", "Message": "Signature is missing", "RequestId": "req-sig"})
		return
	}
	if action == "DeleteVdc" && q.Get("VdcId") == "missing" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "VdcNotFound", "Message": "the Vdc has deleted", "RequestId": "req-404"})
		return
	}
	body, err := os.ReadFile(filepath.Join("..", "cloud", "testdata", "reference", action+".json"))
	if os.IsNotExist(err) {
		// Actions the 2019 reference lacks (the NSG actions): the current
		// documents' example shapes.
		body, err = os.ReadFile(filepath.Join("..", "cloud", "testdata", "current", action+".json"))
	}
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "InvalidAction.NotFound", "Message": action})
		return
	}
	_, _ = w.Write(body)
}
