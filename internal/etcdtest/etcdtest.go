// Package etcdtest starts real etcd servers on loopback for tests: one
// shared per test binary (Endpoint), stopped by Stop, and private ones a
// test may kill and restart (Start) to play an outage.
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

// A Server is an etcd process with its data directory and ports.
type Server struct {
	Endpoint     string // host:port for clients
	dataDir      string
	client, peer string
	cmd          *exec.Cmd
}

var (
	once     sync.Once
	shared   *Server
	startErr error
)

// Endpoint returns host:port of the shared etcd, starting it on first use.
// Without an etcd binary the test is skipped, except under CI, where it fails.
func Endpoint(t testing.TB) string {
	t.Helper()
	once.Do(func() { shared, startErr = newServer() })
	if startErr != nil {
		skipOrFail(t, startErr)
	}
	return shared.Endpoint
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("etcd is required in CI: %v", err)
	}
	t.Skipf("skipping: %v (install Debian's etcd-server to run the etcd tests)", err)
}

// Start starts a private etcd for t, stopped and removed when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := newServer()
	if err != nil {
		skipOrFail(t, err)
	}
	t.Cleanup(s.Stop)
	return s
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func newServer() (*Server, error) {
	if _, err := exec.LookPath("etcd"); err != nil {
		return nil, fmt.Errorf("no etcd binary on PATH")
	}
	client, err1 := freePort()
	peer, err2 := freePort()
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("no free port: %v %v", err1, err2)
	}
	dir, err := os.MkdirTemp("", "cdstack-etcd-*")
	if err != nil {
		return nil, err
	}
	s := &Server{Endpoint: fmt.Sprintf("127.0.0.1:%d", client), dataDir: dir,
		client: fmt.Sprintf("http://127.0.0.1:%d", client), peer: fmt.Sprintf("http://127.0.0.1:%d", peer)}
	if err := s.Restart(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Restart starts the server again on its ports and data (after Kill).
func (s *Server) Restart() error {
	cmd := exec.Command("etcd", "--name", "cdstack-test", "--data-dir", filepath.Join(s.dataDir, "data"),
		"--listen-client-urls", s.client, "--advertise-client-urls", s.client, "--listen-peer-urls", s.peer,
		"--initial-advertise-peer-urls", s.peer, "--initial-cluster", "cdstack-test="+s.peer, "--log-level", "error")
	log, _ := os.OpenFile(filepath.Join(s.dataDir, "etcd.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start etcd: %w", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.DialTimeout("tcp", s.Endpoint, 100*time.Millisecond); err == nil {
			conn.Close()
			time.Sleep(300 * time.Millisecond) // let it elect itself leader
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Kill()
	b, _ := os.ReadFile(filepath.Join(s.dataDir, "etcd.log"))
	return fmt.Errorf("etcd did not start: %s", strings.TrimSpace(string(b)))
}

// Kill ends the process at once (SIGKILL), keeping its data.
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_, _ = s.cmd.Process.Wait()
		s.cmd = nil
	}
}

// Stop kills the server and removes its data.
func (s *Server) Stop() {
	s.Kill()
	os.RemoveAll(s.dataDir)
}

// A TestingM runs a package's tests (*testing.M is one).
type TestingM interface{ Run() int }

// StopAfter wraps m so that the shared server is stopped when m's tests
// end: TestMain passes it to testscript.Main, which exits the process
// without returning.
func StopAfter(m TestingM) TestingM { return stopAfter{m} }

type stopAfter struct{ m TestingM }

func (s stopAfter) Run() int {
	defer Stop()
	return s.m.Run()
}

// Stop ends the shared server and removes its data (call from TestMain).
func Stop() {
	if shared != nil {
		shared.Stop()
	}
}
