package planner

import (
	"strings"

	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// RegionOfVDC is the region of the VDC a resource names by vdc: an id of
// a VDC the cloud (live, when looked at) or the state knows, or a
// reference to a VDC this plan creates or replaces; "" when none says.
func (p *Document) RegionOfVDC(vdc any, snap *state.Snapshot, live *resources.Live) string {
	switch v := vdc.(type) {
	case string:
		if live != nil {
			if l := live.VDCs[v]; l != nil {
				return l.RegionID
			}
		}
		for _, rec := range snap.Resources {
			if rec.Kind == "vdc" && rec.ID == v {
				return resources.Inputs(rec.Inputs).String("region")
			}
		}
	case spec.Unknown:
		addr, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(v.Ref, "${"), "}"), ".")
		if c := p.Change(addr); c != nil {
			return resources.Inputs(c.After).String("region")
		}
	}
	return ""
}
