package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sort"
	"strings"
	"time"
)

func init() {
	register("DescribeCACertificates", (*Server).describeCACertificates)
	register("DescribeCACertificate", (*Server).describeCACertificate)
	register("DeleteCACertificate", (*Server).deleteCACertificate)
	register("UploadCACertificate", (*Server).uploadCACertificate)
}

// A Certificate is an uploaded TLS certificate. What the service reports
// of it (dates, domains, issuer) is read from the PEM with crypto/x509 at
// upload. The private key is kept as the real service keeps it: it is
// what DescribeCACertificate answers as PirvateKey.
type Certificate struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	PEM          string    `json:"pem"`
	PrivateKey   string    `json:"private_key"`
	PublicKey    string    `json:"public_key"`
	Domains      []string  `json:"domains"`
	Brand        string    `json:"brand"`
	Organization string    `json:"organization"`
	Type         string    `json:"type"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	Created      time.Time `json:"created"`
}

// certTime is how the service writes a certificate's dates.
const certTime = "2006-01-02 15:04:05"

// certificateView is one certificate in DescribeCACertificates.
type certificateView struct {
	Brand           string `json:"Brand"`
	CertificateID   string `json:"CertificateId"`
	CertificateName string `json:"CertificateName"`
	CertificateType string `json:"CertificateType"`
	Domain          string `json:"Domain"`
	EndTime         string `json:"EndTime"`
	Organization    string `json:"Organization"`
	StartTime       string `json:"StartTime"`
	Valid           int    `json:"Valid"`
}

// certificateDetailView is DescribeCACertificate's answer, the private key
// field spelled as the document spells it.
type certificateDetailView struct {
	certificateView
	Certificate string `json:"Certificate"`
	PirvateKey  string `json:"PirvateKey"`
	PublicKey   string `json:"PublicKey"`
}

func (s *Server) certView(c *Certificate) certificateView {
	valid := 1
	switch now := s.now(); {
	case !now.Before(c.NotAfter):
		valid = 0
	case c.NotAfter.Sub(now) <= 30*24*time.Hour:
		valid = 2
	}
	return certificateView{Brand: c.Brand, CertificateID: c.ID, CertificateName: c.Name, CertificateType: c.Type,
		Domain: strings.Join(c.Domains, ","), StartTime: c.NotBefore.UTC().Format(certTime),
		EndTime: c.NotAfter.UTC().Format(certTime), Organization: c.Organization, Valid: valid}
}

func (s *Server) describeCACertificates(params) (any, string, *apiError) {
	list := make([]*Certificate, 0, len(s.world.Certs))
	for _, c := range s.world.Certs {
		list = append(list, c)
	}
	sortByCreated(list, func(c *Certificate) (time.Time, string) { return c.Created, c.ID })
	out := []certificateView{}
	for _, c := range list {
		out = append(out, s.certView(c))
	}
	return out, "", nil
}

// errLBNotFound is the document's 404 for an unknown load balancer or
// certificate.
func errLBNotFound(what, id string) *apiError {
	return errorf(404, "ResourceNotFound", "The %s %s does not exist.", what, id)
}

func (s *Server) certParam(p params) (*Certificate, *apiError) {
	id, e := p.need("CertificateId")
	if e != nil {
		return nil, errArgMissing("CertificateId")
	}
	c, ok := s.world.Certs[id]
	if !ok {
		return nil, errLBNotFound("certificate", id)
	}
	return c, nil
}

func (s *Server) describeCACertificate(p params) (any, string, *apiError) {
	c, e := s.certParam(p)
	if e != nil {
		return nil, "", e
	}
	return certificateDetailView{certificateView: s.certView(c), Certificate: c.PEM, PirvateKey: c.PrivateKey, PublicKey: c.PublicKey}, "", nil
}

func (s *Server) deleteCACertificate(p params) (any, string, *apiError) {
	c, e := s.certParam(p)
	if e != nil {
		return nil, "", e
	}
	var users []string
	for _, lb := range s.world.LBs {
		for _, l := range lb.Listeners {
			for _, ref := range l.Certificates {
				if ref == c.ID {
					users = append(users, lb.ID+" ("+l.Name+")")
				}
			}
		}
	}
	if len(users) > 0 {
		sort.Strings(users)
		return nil, "", errorf(409, "ResourceInUse", "Certificate %s is used by load balancer listener(s) %s.", c.ID, strings.Join(users, ", "))
	}
	delete(s.world.Certs, c.ID)
	s.world.touch("cert", c.ID)
	return nil, "", nil
}

// uploadCACertificate parses the chain and the key, checks that they
// belong together, and records the certificate. Names are unique per
// account: the answer has no id, so a name is how a client finds what it
// uploaded.
func (s *Server) uploadCACertificate(p params) (any, string, *apiError) {
	w := s.world
	name, e := p.need("CertificateName")
	if e != nil {
		return nil, "", errArgMissing("CertificateName")
	}
	chain, e := p.need("Certificate")
	if e != nil {
		return nil, "", errArgMissing("Certificate")
	}
	key, e := p.need("PrivateKey")
	if e != nil {
		return nil, "", errArgMissing("PrivateKey")
	}
	if len([]rune(name)) > 64 {
		return nil, "", errorf(400, "InvalidParameter", "CertificateName is longer than 64 characters.")
	}
	for _, c := range w.Certs {
		if c.Name == name {
			return nil, "", errorf(409, "ResourceInUse", "A certificate named %q exists already (%s).", name, c.ID)
		}
	}
	leaf, e := parseChain(chain)
	if e != nil {
		return nil, "", e
	}
	signer, e := parseKey(key)
	if e != nil {
		return nil, "", e
	}
	if !publicKeyEqual(leaf.PublicKey, signer.Public()) {
		return nil, "", errorf(400, "InvalidParameter", "PrivateKey does not belong to the certificate.")
	}
	pubDER, err := x509.MarshalPKIXPublicKey(leaf.PublicKey)
	if err != nil {
		return nil, "", errorf(400, "InvalidParameter", "Certificate: public key: %v", err)
	}
	c := &Certificate{ID: w.newID(), Name: name, PEM: chain, PrivateKey: key,
		PublicKey: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})),
		Domains:   leaf.DNSNames, Brand: leaf.Issuer.CommonName, NotBefore: leaf.NotBefore.UTC(),
		NotAfter: leaf.NotAfter.UTC(), Created: s.now(), Type: "DV"}
	if len(c.Domains) == 0 && leaf.Subject.CommonName != "" {
		c.Domains = []string{leaf.Subject.CommonName}
	}
	if len(leaf.Issuer.Organization) > 0 {
		c.Organization = leaf.Issuer.Organization[0]
	}
	if len(leaf.Subject.Organization) > 0 {
		c.Type = "OV"
	}
	w.Certs[c.ID] = c
	w.touch("cert", c.ID)
	return nil, "", nil
}

// parseChain reads the PEM chain; the first certificate is the leaf.
func parseChain(chain string) (*x509.Certificate, *apiError) {
	rest := []byte(chain)
	var leaf *x509.Certificate
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, errorf(400, "InvalidParameter", "Certificate holds a %s block; want CERTIFICATE blocks only.", b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errorf(400, "InvalidParameter", "Certificate is not a valid X.509 certificate: %v", err)
		}
		if leaf == nil {
			leaf = c
		}
	}
	if leaf == nil {
		return nil, errorf(400, "InvalidParameter", "Certificate holds no PEM CERTIFICATE block (each line must end with \\n).")
	}
	return leaf, nil
}

// parseKey reads a PKCS #1, PKCS #8 or SEC 1 private key.
func parseKey(key string) (crypto.Signer, *apiError) {
	b, _ := pem.Decode([]byte(key))
	if b == nil {
		return nil, errorf(400, "InvalidParameter", "PrivateKey holds no PEM block.")
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, errorf(400, "InvalidParameter", "PrivateKey is not a PKCS #1, PKCS #8 or EC private key.")
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, errorf(400, "InvalidParameter", "PrivateKey is of an unsupported type.")
	}
	return signer, nil
}

func publicKeyEqual(a, b crypto.PublicKey) bool {
	switch k := a.(type) {
	case *rsa.PublicKey:
		return k.Equal(b)
	case *ecdsa.PublicKey:
		return k.Equal(b)
	case ed25519.PublicKey:
		return k.Equal(b)
	}
	return false
}

// errArgMissing is the document's 400 for a missing parameter.
func errArgMissing(name string) *apiError {
	return errorf(400, "ArgMissing", "The parameter %s is required.", name)
}
