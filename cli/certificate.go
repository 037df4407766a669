package cli

import (
	"fmt"
	"io"
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
	for _, e := range resources.Expiring(live, ids, now) {
		when := fmt.Sprintf("expires on %s (in %d days)", e.NotAfter.UTC().Format("2006-01-02 15:04 MST"), int(e.NotAfter.Sub(now).Hours()/24))
		if !e.NotAfter.After(now) {
			when = fmt.Sprintf("expired on %s", e.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
		}
		fmt.Fprintf(w, "cdstack: warning: certificate %s (%s, %s) %s; upload a renewed one (a changed certificate is replaced before the listeners switch to it)\n",
			e.Addr, e.Name, e.ID, when)
	}
}
