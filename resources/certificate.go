package resources

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(certificateKind{}) }

// certificateKind is a TLS certificate the load balancers serve
// (UploadCACertificate). Nothing about it changes in place: a new chain or
// key is a new certificate, made before the old one is deleted (see
// CreatesFirst) so the listeners that use it are switched over first.
//
// The API cannot rename a certificate. A replacement made while the old one
// holds the name is uploaded as NAME-new-xxxxxx and keeps that name: the
// kind reads it as NAME, and the next replacement takes NAME again.
type certificateKind struct{}

func (certificateKind) Name() string { return "certificate" }

func (certificateKind) Fields() []Field {
	return []Field{
		{Name: "name", Update: RecordOnly},
		// The chain is not in the listing; the service cannot change it.
		{Name: "certificate", Unobservable: true},
		{Name: "private_key", Sensitive: true, Unobservable: true},
	}
}

// CreateBeforeDestroyByDefault: a certificate's replacement is made first,
// whatever the stack says.
func (certificateKind) CreateBeforeDestroyByDefault() bool { return true }

func (certificateKind) Normalize(in Inputs, _ string) Inputs { return copyInputs(in) }

// tempSuffix is what the planner adds to a name a replacement is made under.
var tempSuffix = regexp.MustCompile(`-new-[0-9a-f]{6}$`)

// baseName is name without a temporary suffix.
func baseName(name string) string { return tempSuffix.ReplaceAllString(name, "") }

func (k certificateKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	c, ok := l.Certs[id]
	if !ok {
		return nil
	}
	attrs := Inputs{"name": c.CertificateName}
	unobserved(k, attrs, recorded)
	notAfter := ""
	if t := c.NotAfter(); !t.IsZero() {
		notAfter = t.UTC().Format(time.RFC3339)
	}
	return &Observation{ID: id, Attrs: attrs, Raw: c,
		Outputs: map[string]any{"id": id, "not_after": notAfter, "domains": orEmpty(toAny(c.Domains()))}}
}

// Replaces: every difference is a new certificate. The name's RecordOnly
// update is only how a replacement made under a temporary name is
// "renamed" (the planner asks for one; the API has none).
func (certificateKind) Replaces(string, Inputs, Inputs) bool { return true }

// Differs reads a name made under a temporary suffix as the name itself.
func (certificateKind) Differs(field string, desired, actual Inputs) bool {
	if field == "name" && desired.Has("name") {
		return baseName(actual.String("name")) != desired.String("name")
	}
	return defaultDiffers(field, desired, actual)
}

func (certificateKind) Scope(Inputs) string { return "" }

func (certificateKind) FindByName(l *Live, in Inputs) string {
	for id, c := range l.Certs {
		if c.CertificateName == in.String("name") {
			return id
		}
	}
	return ""
}

func (certificateKind) Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, _ Waiter) (string, error) {
	key, ok := secrets["private_key"]
	if !ok {
		return "", fmt.Errorf("certificate %s: private_key has no value", in.String("name"))
	}
	name := in.String("name")
	if _, err := c.UploadCACertificate(ctx, cloud.UploadCACertificateRequest{CertificateName: name,
		Certificate: in.String("certificate"), PrivateKey: key}); err != nil {
		return "", err
	}
	// The answer has no id: the name finds it.
	cert, err := c.CertificateByName(ctx, name)
	if err != nil {
		return "", fmt.Errorf("certificate %s uploaded; find it: %w", name, err)
	}
	if cert == nil {
		return "", fmt.Errorf("certificate %s uploaded, but DescribeCACertificates does not list it", name)
	}
	return cert.CertificateID, nil
}

// Update changes nothing in the cloud: only the name is in place, and the
// API cannot rename (see the kind's comment).
func (certificateKind) Update(context.Context, *cloud.Client, string, *Observation, Inputs, []string, map[string]string, Waiter) error {
	return nil
}

func (certificateKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	err := stepper(ctx, wait)(c.DeleteCACertificate(ctx, cloud.CertificateRequest{CertificateID: id}))
	if cloud.LBGone(err) {
		return nil
	}
	return err
}

// ExpiringSoon is how close to its end a certificate makes plan and drift warn.
const ExpiringSoon = 30 * 24 * time.Hour

// An Expiry is a certificate of the stack that ends within ExpiringSoon.
type Expiry struct {
	Addr     string
	ID       string
	Name     string
	NotAfter time.Time
}

// Expiring returns the certificates among ids (address → id) that end
// within ExpiringSoon of now (or have ended), by address.
func Expiring(l *Live, ids map[string]string, now time.Time) []Expiry {
	var out []Expiry
	for addr, id := range ids {
		c, ok := l.Certs[id]
		if !ok {
			continue
		}
		if t := c.NotAfter(); !t.IsZero() && t.Sub(now) <= ExpiringSoon {
			out = append(out, Expiry{Addr: addr, ID: id, Name: c.CertificateName, NotAfter: t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}

// A CreateFirster is a Kind whose replacements create the new resource
// before deleting the old one even when the stack does not say
// create_before_destroy (a certificate: listeners switch to the new one
// before the old one goes).
type CreateFirster interface {
	CreateBeforeDestroyByDefault() bool
}

// CreatesFirst reports whether k's replacements create first by default.
func CreatesFirst(k Kind) bool {
	cf, ok := k.(CreateFirster)
	return ok && cf.CreateBeforeDestroyByDefault()
}
