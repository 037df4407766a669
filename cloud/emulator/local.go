package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// The fixed credentials of the local cloud that `--endpoint local` starts.
// They protect nothing: the emulator listens on loopback only.
const (
	LocalAccessKeyID     = "cdstack-local"
	LocalAccessKeySecret = "cdstack-local-secret"
)

// A Running emulator serves a Server on a loopback listener.
type Running struct {
	URL    string
	Server *Server
	srv    *http.Server
	done   chan error
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
// loopback port.
func StartLocal(path string, opts Options) (*Running, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("local cloud: %w", err)
	}
	st, err := OpenStore(path)
	if err != nil {
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
	return r, nil
}
