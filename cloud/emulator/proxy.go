package emulator

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// ProxyHosts are the real API hosts the TLS proxy impersonates.
var ProxyHosts = []string{"cdsapi.capitalonline.net", "api.capitalonline.net"}

// A TLSProxy lets unmodified clients that hard-code the real host (the
// official SDKs, the Terraform provider) reach the emulator: it accepts HTTP
// CONNECT for ProxyHosts only, terminates TLS with a certificate signed by
// its own CA, and serves the emulator's API on the tunnel. Point a client at
// it with HTTPS_PROXY=http://ADDR and SSL_CERT_FILE=<CAPEM written out>.
type TLSProxy struct {
	handler http.Handler
	tlsConf *tls.Config
	// CAPEM is the CA certificate clients must trust.
	CAPEM []byte

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// NewTLSProxy makes a CA and a certificate for ProxyHosts.
func NewTLSProxy(handler http.Handler) (*TLSProxy, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cdstack local cloud CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: ProxyHosts[0]},
		DNSNames: ProxyHosts, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	cert := tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey}
	return &TLSProxy{
		handler: handler,
		tlsConf: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}},
		CAPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		conns:   map[net.Conn]bool{},
	}, nil
}

// Listen starts the proxy on a loopback addr and returns the address it got.
func (p *TLSProxy) Listen(addr string) (string, error) {
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("tls proxy: listen on %s: %w", addr, err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go p.serve(ln)
	return ln.Addr().String(), nil
}

// Close stops the proxy and its tunnels.
func (p *TLSProxy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
	if p.ln != nil {
		return p.ln.Close()
	}
	return nil
}

func (p *TLSProxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = true
		p.mu.Unlock()
		go func() {
			p.tunnel(c)
			p.mu.Lock()
			delete(p.conns, c)
			p.mu.Unlock()
		}()
	}
}

func (p *TLSProxy) tunnel(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	host, port, _ := net.SplitHostPort(req.Host)
	if req.Method != http.MethodConnect || port != "443" || !slices.Contains(ProxyHosts, host) {
		fmt.Fprintf(c, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nthe cdstack local cloud only tunnels CONNECT to %v on port 443\n", ProxyHosts)
		return
	}
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	tc := tls.Server(&bufferedConn{Conn: c, r: br}, p.tlsConf)
	srv := &http.Server{Handler: p.handler, ReadHeaderTimeout: 10 * time.Second}
	_ = srv.Serve(&oneConnListener{conn: tc, done: make(chan struct{})})
}

// bufferedConn reads what the bufio.Reader already holds before the socket.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b *bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// oneConnListener hands out one connection and then waits until it is closed.
type oneConnListener struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() { c = &closeNotifyConn{Conn: l.conn, done: l.done} })
	if c != nil {
		return c, nil
	}
	<-l.done
	return nil, errors.New("tunnel closed")
}

func (l *oneConnListener) Close() error   { return nil }
func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

type closeNotifyConn struct {
	net.Conn
	done chan struct{}
	once sync.Once
}

func (c *closeNotifyConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return c.Conn.Close()
}
