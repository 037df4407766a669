package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The fixed credentials of the local cloud that `--endpoint local` starts.
// They protect nothing: the emulator listens on loopback only.
const (
	LocalAccessKeyID     = "cdstack-local"
	LocalAccessKeySecret = "cdstack-local-secret"
)

// A Running emulator serves a Server on a loopback listener. An attached
// one (Attached > 0) is another process's local cloud: URL is where that
// process serves it, Server is nil and Close does nothing.
type Running struct {
	URL      string
	Server   *Server
	Attached int // the serving process's pid
	srv      *http.Server
	done     chan error
	serving  string // the sidecar file naming this process, removed by Close
}

// Listen serves s on addr, which must be a loopback address (port 0 picks one).
func Listen(addr string, s *Server) (*Running, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	r := &Running{URL: "http://" + ln.Addr().String(), Server: s, done: make(chan error, 1),
		srv: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
	go func() { r.done <- r.srv.Serve(ln) }()
	return r, nil
}

// Close stops serving; the Server's store is closed too.
func (r *Running) Close() error {
	if r.Server == nil {
		return nil
	}
	if r.serving != "" {
		if sv, ok := readServing(r.serving); ok && sv.PID == os.Getpid() {
			os.Remove(r.serving)
		}
	}
	err := r.srv.Close()
	if e := <-r.done; e != nil && !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	return errors.Join(err, r.Server.Close())
}

// checkLoopback refuses addresses outside 127.0.0.0/8 and ::1: the local
// cloud is for this machine only.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("emulator: address %q is not a loopback address (use 127.0.0.1:PORT)", addr)
	}
	return nil
}

// StartLocal starts the local cloud for `--endpoint local`: world in the bbolt
// file path (its directory is created), fixed local credentials, an ephemeral
// loopback port. The process serving it names itself in path+".serving"
// (pid and URL); while it lives, another process attaches to it instead of
// opening the world file, which only one process can hold (so a cron drift
// check runs during an apply).
func StartLocal(path string, opts Options) (*Running, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("local cloud: %w", err)
	}
	servingPath := path + ".serving"
	if sv, ok := readServing(servingPath); ok && sv.alive() {
		return &Running{URL: sv.URL, Attached: sv.PID}, nil
	}
	st, err := OpenStore(path)
	if err != nil {
		if sv, ok := readServing(servingPath); ok && sv.alive() { // it started meanwhile
			return &Running{URL: sv.URL, Attached: sv.PID}, nil
		}
		return nil, err
	}
	opts.Store = st
	if opts.AccessKeys == nil {
		opts.AccessKeys = map[string]string{LocalAccessKeyID: LocalAccessKeySecret}
	}
	s, err := New(opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	r, err := Listen("127.0.0.1:0", s)
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := writeServing(servingPath, serving{PID: os.Getpid(), URL: r.URL}); err != nil {
		r.Close()
		return nil, fmt.Errorf("local cloud: %w", err)
	}
	r.serving = servingPath
	return r, nil
}

// serving is what the sidecar file says: who serves the local cloud, where.
type serving struct {
	PID int    `json:"pid"`
	URL string `json:"url"`
}

func readServing(path string) (serving, bool) {
	var sv serving
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &sv) != nil || sv.PID <= 0 || sv.URL == "" {
		return sv, false
	}
	return sv, true
}

// writeServing replaces the sidecar atomically.
func writeServing(path string, sv serving) error {
	b, _ := json.Marshal(sv)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// alive reports whether the serving process still runs and answers on its
// loopback port (a pid reused by another program does not).
func (sv serving) alive() bool {
	if sv.PID == os.Getpid() || syscall.Kill(sv.PID, 0) != nil {
		return false
	}
	u, err := url.Parse(sv.URL)
	if err != nil || checkLoopback(u.Host) != nil {
		return false
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
