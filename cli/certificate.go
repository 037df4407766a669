package cli

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
)

// warnExpiring writes a warning for each certificate of p that ends within
// 30 days (resources.ExpiringSoon) or has ended: plan and drift say it
// with the date, so a renewal is planned before clients see an expired one.
func warnExpiring(w io.Writer, p *planner.Document, live *resources.Live, now time.Time) {
	if w == nil || live == nil {
		return
	}
	ids := map[string]string{}
	for _, c := range p.Changes {
		// One the plan deletes or replaces (a renewal) is not warned about.
		if c.Kind == "certificate" && c.ID != "" && c.Action != planner.Delete && c.Action != planner.Replace {
			ids[c.Addr] = c.ID
		}
	}
	expiring := resources.Expiring(live, ids, now)
	// A certificate the plan uploads is read from its PEM.
	for _, c := range p.Changes {
		if c.Kind != "certificate" || c.Action != planner.Create && c.Action != planner.Replace {
			continue
		}
		if t, ok := pemNotAfter(c.After["certificate"]); ok && t.Sub(now) <= resources.ExpiringSoon {
			name, _ := c.After["name"].(string)
			expiring = append(expiring, resources.Expiry{Addr: c.Addr, ID: "to be uploaded", Name: name, NotAfter: t})
		}
	}
	printExpiring(w, expiring, now)
}

// printExpiring writes one warning per certificate, by address.
func printExpiring(w io.Writer, expiring []resources.Expiry, now time.Time) {
	sort.SliceStable(expiring, func(i, j int) bool { return expiring[i].Addr < expiring[j].Addr })
	for _, e := range expiring {
		when := fmt.Sprintf("expires on %s (in %d days)", e.NotAfter.UTC().Format("2006-01-02 15:04 MST"), int(e.NotAfter.Sub(now).Hours()/24))
		if !e.NotAfter.After(now) {
			when = fmt.Sprintf("expired on %s", e.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
		}
		fmt.Fprintf(w, "cdstack: warning: certificate %s (%s, %s) %s; upload a renewed one (a changed certificate is replaced before the listeners switch to it)\n",
			e.Addr, e.Name, e.ID, when)
	}
}

// pemNotAfter is the end date of the first certificate of a PEM chain.
func pemNotAfter(v any) (time.Time, bool) {
	text, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	b, _ := pem.Decode([]byte(text))
	if b == nil || b.Type != "CERTIFICATE" {
		return time.Time{}, false
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return time.Time{}, false
	}
	return c.NotAfter, true
}
