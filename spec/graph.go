package spec

import (
	"sort"
	"strings"
)

// Dependencies returns the resources name must come after: those its
// properties reference, its depends_on, and, for an instance with a
// public_ip, the public networks of the stack in the same VDC (its address
// comes from one of them: they are created before it and deleted after).
// Self-references and unknown names are left out (they are errors of their
// own).
func (s *Stack) Dependencies(name string) []string {
	r, ok := s.Resources[name]
	if !ok {
		return nil
	}
	set := map[string]bool{}
	for _, ref := range r.Properties.Refs() {
		if ref.IsResource() && ref.Addr != name && s.Resources[ref.Addr] != nil {
			set[ref.Addr] = true
		}
	}
	for _, dep := range r.DependsOn {
		dep, _ = SplitAddress(dep) // web["eu"]: after all of web
		if dep != name && s.Resources[dep] != nil {
			set[dep] = true
		}
	}
	for _, pn := range s.publicNetworksOf(r) {
		set[pn] = true
	}
	return sortedKeys(set)
}

// publicNetworksOf are the public networks an instance with a public_ip
// draws its address from: those whose vdc is written as the instance's.
func (s *Stack) publicNetworksOf(r *Resource) []string {
	ip, vdc := r.Properties.Get("public_ip"), r.Properties.Get("vdc")
	if r.Kind != "instance" || ip == nil || ip.Kind == String && ip.Str == "" || vdc == nil || vdc.Kind != String {
		return nil
	}
	var out []string
	for name, other := range s.Resources {
		if v := other.Properties.Get("vdc"); other.Kind == "public_network" && v != nil && v.Kind == String && v.Str == vdc.Str {
			out = append(out, name)
		}
	}
	return out
}

// Graph returns every resource's dependencies.
func (s *Stack) Graph() map[string][]string {
	g := make(map[string][]string, len(s.Resources))
	for name := range s.Resources {
		g[name] = s.Dependencies(name)
	}
	return g
}

// FindCycles returns each dependency cycle of g once, as the names in order
// with the first repeated at the end, starting from its smallest name.
func FindCycles(g map[string][]string) [][]string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	seen := map[string]bool{}
	var cycles [][]string
	var visit func(n string)
	visit = func(n string) {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range g[n] {
			switch color[m] {
			case white:
				visit(m)
			case grey:
				i := len(stack) - 1
				for stack[i] != m {
					i--
				}
				cyc := rotate(append([]string(nil), stack[i:]...))
				key := strings.Join(cyc, ">")
				if !seen[key] {
					seen[key] = true
					cycles = append(cycles, append(cyc, cyc[0]))
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
	}
	for _, n := range sortedKeys(g) {
		if color[n] == white {
			visit(n)
		}
	}
	sort.Slice(cycles, func(i, j int) bool { return strings.Join(cycles[i], ">") < strings.Join(cycles[j], ">") })
	return cycles
}

// rotate starts a cycle at its smallest name.
func rotate(c []string) []string {
	min := 0
	for i := range c {
		if c[i] < c[min] {
			min = i
		}
	}
	return append(c[min:], c[:min]...)
}

func (s *Stack) checkCycles(d *diag) {
	for _, cyc := range FindCycles(s.Graph()) {
		r := s.Resources[cyc[0]]
		d.errorf(r.Pos, "resources."+r.Name, "dependency cycle: %s", strings.Join(cyc, " → "))
	}
}
