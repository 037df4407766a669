package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// CertificateTimeFormat is how the service writes a certificate's dates.
const CertificateTimeFormat = "2006-01-02 15:04:05"

// A Certificate is an uploaded TLS certificate as the load balancer service
// shows it. Valid is 0 expired, 1 valid, 2 expiring within 30 days.
//
// DescribeCACertificate also answers the private key (the document spells
// the field PirvateKey): a Certificate has no field for it and its
// UnmarshalJSON never keeps it, so it cannot reach a record, a plan or a log
// through this type.
type Certificate struct {
	CertificateID   string `json:"CertificateId"`
	CertificateName string `json:"CertificateName"`
	CertificateType string `json:"CertificateType"`
	Brand           string `json:"Brand"`
	Domain          string `json:"Domain"`
	Organization    string `json:"Organization"`
	StartTime       string `json:"StartTime"`
	EndTime         string `json:"EndTime"`
	Valid           Int    `json:"Valid"`
	// Certificate (the PEM chain) and PublicKey come only from
	// DescribeCACertificate.
	Certificate string `json:"Certificate,omitempty"`
	PublicKey   string `json:"PublicKey,omitempty"`
}

// UnmarshalJSON decodes a certificate, dropping the private key whatever
// its spelling (PirvateKey, PrivateKey).
func (c *Certificate) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k := range m {
		if SensitiveKey(k) {
			delete(m, k)
		}
	}
	clean, err := json.Marshal(m)
	if err != nil {
		return err
	}
	type plain Certificate
	var p plain
	if err := json.Unmarshal(clean, &p); err != nil {
		return err
	}
	*c = Certificate(p)
	return nil
}

// SensitiveKey reports whether a JSON key names a secret: a password or a
// private key (also as the document misspells it, PirvateKey).
func SensitiveKey(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "password") || strings.Contains(l, "privatekey") || strings.Contains(l, "pirvatekey") ||
		strings.Contains(l, "private_key")
}

// NotAfter returns EndTime as a time (UTC), zero when it does not parse.
func (c *Certificate) NotAfter() time.Time {
	t, err := time.Parse(CertificateTimeFormat, c.EndTime)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Domains returns the certificate's domains: Domain may hold several,
// separated by commas.
func (c *Certificate) Domains() []string {
	var out []string
	for _, d := range strings.FieldsFunc(c.Domain, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, d)
	}
	return out
}

// DescribeCACertificates lists the account's certificates (GET /lb).
func (c *Client) DescribeCACertificates(ctx context.Context) ([]Certificate, error) {
	var d List[Certificate]
	if _, err := c.Call(ctx, "DescribeCACertificates", nil, &d); err != nil {
		return nil, err
	}
	return d, nil
}

// CertificateRequest names one certificate.
type CertificateRequest struct {
	CertificateID string `json:"CertificateId"`
}

// DescribeCACertificate returns one certificate with its PEM chain (never
// its private key: see Certificate).
func (c *Client) DescribeCACertificate(ctx context.Context, r CertificateRequest) (*Certificate, error) {
	var d Certificate
	if _, err := c.Call(ctx, "DescribeCACertificate", r, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// DeleteCACertificate deletes a certificate no listener uses. It answers at
// once (an empty TaskId).
func (c *Client) DeleteCACertificate(ctx context.Context, r CertificateRequest) (string, error) {
	return c.task(ctx, "DeleteCACertificate", r)
}

// UploadCACertificateRequest uploads a certificate (POST /lb). PrivateKey
// is a secret: String and GoString leave it out, so the request can be
// printed.
type UploadCACertificateRequest struct {
	CertificateName string `json:"CertificateName"`
	Certificate     string `json:"Certificate"`
	PrivateKey      string `json:"PrivateKey"`
}

// String prints the request without the key.
func (r UploadCACertificateRequest) String() string {
	return fmt.Sprintf("UploadCACertificate{CertificateName:%q PrivateKey:(sensitive)}", r.CertificateName)
}

// GoString is String.
func (r UploadCACertificateRequest) GoString() string { return r.String() }

// UploadCACertificate uploads a certificate. The service answers no id:
// find it by name (CertificateByName).
func (c *Client) UploadCACertificate(ctx context.Context, r UploadCACertificateRequest) (string, error) {
	return c.task(ctx, "UploadCACertificate", r)
}

// CertificateByName returns the certificate named name, or nil. Names are
// unique per account (the emulator refuses a second; see its doc).
func (c *Client) CertificateByName(ctx context.Context, name string) (*Certificate, error) {
	list, err := c.DescribeCACertificates(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].CertificateName == name {
			return &list[i], nil
		}
	}
	return nil, nil
}
