package reads

import (
	"context"
	"fmt"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
)

// Tenants reads the state of each tenant of the stack (tenants:), in name
// order, as a reader: no lock, never waiting on an apply there. A state
// that cannot be read (not applied yet, not a state, etcd unreachable) is
// never an error: the tenant is returned with Error set, and a warning at
// its state: line says that what it made is reported as unmanaged.
func Tenants(ctx context.Context, s *spec.Stack, open func(path string) (Source, error)) ([]*planner.Tenant, spec.Errors) {
	var out []*planner.Tenant
	var warnings spec.Errors
	for _, name := range s.TenantNames() {
		ref := s.Tenants[name]
		path := StatePath(s.File, ref)
		t := &planner.Tenant{Name: name, State: path}
		snap, err := readState(ctx, open, path)
		if err == nil && snap.Meta.Lineage == "" && snap.Meta.Serial == 0 {
			err = fmt.Errorf("state %s holds nothing (has that stack been applied?)", path)
		}
		if err != nil {
			t.Error = err.Error()
			warnings = append(warnings, &spec.Error{Pos: ref.StatePos, Path: "tenants." + name + ".state", Warning: true,
				Msg: fmt.Sprintf("tenant %q: %v; what it made in this stack's VDCs is reported as unmanaged", name, err)})
		} else {
			t.Serial, t.Snapshot = snap.Meta.Serial, snap
		}
		out = append(out, t)
	}
	return out, warnings
}
