// Package etcdtest starts a real etcd server on loopback for tests: one per
// test binary, in a temporary data directory, stopped by Stop.
package etcdtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	once     sync.Once
	endpoint string
	startErr error
	cmd      *exec.Cmd
	dataDir  string
)

// Endpoint returns host:port of a running etcd, starting it on first use.
// Without an etcd binary the test is skipped, except under CI, where it fails.
func Endpoint(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("etcd is required in CI: %v", startErr)
		}
		t.Skipf("skipping: %v (install Debian's etcd-server to run the etcd tests)", startErr)
	}
	return endpoint
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func start() {
	bin, err := exec.LookPath("etcd")
	if err != nil {
		startErr = fmt.Errorf("no etcd binary on PATH")
		return
	}
	client, err1 := freePort()
	peer, err2 := freePort()
	if err1 != nil || err2 != nil {
		startErr = fmt.Errorf("no free port: %v %v", err1, err2)
		return
	}
	dataDir, err = os.MkdirTemp("", "cdstack-etcd-*")
	if err != nil {
		startErr = err
		return
	}
	c, p := fmt.Sprintf("http://127.0.0.1:%d", client), fmt.Sprintf("http://127.0.0.1:%d", peer)
	cmd = exec.Command(bin, "--name", "cdstack-test", "--data-dir", filepath.Join(dataDir, "data"),
		"--listen-client-urls", c, "--advertise-client-urls", c, "--listen-peer-urls", p,
		"--initial-advertise-peer-urls", p, "--initial-cluster", "cdstack-test="+p, "--log-level", "error")
	log, _ := os.Create(filepath.Join(dataDir, "etcd.log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		startErr = fmt.Errorf("start etcd: %w", err)
		return
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", client), 100*time.Millisecond); err == nil {
			conn.Close()
			endpoint = fmt.Sprintf("127.0.0.1:%d", client)
			time.Sleep(300 * time.Millisecond) // let it elect itself leader
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(dataDir, "etcd.log"))
	startErr = fmt.Errorf("etcd did not start: %s", strings.TrimSpace(string(b)))
}

// A TestingM runs a package's tests (*testing.M is one).
type TestingM interface{ Run() int }

// StopAfter wraps m so that the server is stopped when m's tests end:
// TestMain passes it to testscript.Main, which exits the process without
// returning.
func StopAfter(m TestingM) TestingM { return stopAfter{m} }

type stopAfter struct{ m TestingM }

func (s stopAfter) Run() int {
	defer Stop()
	return s.m.Run()
}

// Stop ends the server and removes its data (call from TestMain).
func Stop() {
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	}
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
}
