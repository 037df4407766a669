package spec

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// readTenants reads tenants: the other stacks that put resources in this
// stack's VDCs. An entry has the shape of a stacks: entry (a StackRef):
// drift reads its state, without its lock, and reports what it records in
// this stack's VDCs as that stack's, not as unmanaged.
func (s *Stack) readTenants(v *Value) { readStackRefs(v, s.Tenants) }

// checkTenants checks the tenants: entries: a state written as a plain
// path or etcd URL, and no entry naming this stack itself.
func (s *Stack) checkTenants(d *diag) {
	for _, name := range s.TenantNames() {
		t := s.Tenants[name]
		path := "tenants." + name
		if name == s.Name {
			d.errorf(t.Pos, path, "tenant %q is this stack itself (stack: %s): its own resources are owned by its records; name the other stacks that put resources in its VDCs", name, s.Name)
		}
		v := s.root.Get("tenants").Get(name).Get("state")
		if v == nil || v.Kind != String {
			continue // the schema says what is wrong
		}
		if v.Tmpl != nil || v.TmplErr {
			d.errorf(v.Pos, path+".state", "a tenant's state takes no references (${…}): it is read before anything is evaluated; write the path or URL")
			continue
		}
		if msg := checkStateLocation(v.Str); msg != "" {
			d.errorf(v.Pos, path+".state", "%s", msg)
		}
	}
}

// checkStateLocation says what is wrong with a state written in a stack
// file (a file path, or etcd:// / etcds:// with hosts and a key prefix),
// or "".
func checkStateLocation(loc string) string {
	scheme, _, hasScheme := strings.Cut(loc, "://")
	if !hasScheme {
		return ""
	}
	const want = "want a file path or etcd://host:2379[,host2:2379]/prefix (etcds:// for TLS)"
	u, err := url.Parse(loc)
	if (scheme != "etcd" && scheme != "etcds") || err != nil || u.Host == "" {
		return fmt.Sprintf("%q is not a state: %s", loc, want)
	}
	if strings.Trim(u.Path, "/") == "" {
		return fmt.Sprintf("%q names no key prefix: write it as %s://%s/teams/NAME", loc, scheme, u.Host)
	}
	return ""
}

// TenantNames returns the names of the tenants (tenants:), sorted.
func (s *Stack) TenantNames() []string {
	return slices.Sorted(maps.Keys(s.Tenants))
}
