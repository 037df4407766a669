package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/reads"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// A stackEdge is one stack reading another's outputs.
type stackEdge struct {
	from, to string // node keys
	outputs  []string
}

// A stackNode is a stack in the graph: this one, or a state read.
type stackNode struct {
	key, name, state string
	serial           uint64
	problem          string
}

// graphStacks draws which stacks read which: this stack's stacks: entries,
// then, from each state read, the stacks its last apply read (recorded in
// its exports), and so on. States are read without their lock. A recorded
// relative path is taken from the current directory.
func graphStacks(c *ucli.Context, s *spec.Stack) error {
	nodes := map[string]*stackNode{}
	var edges []stackEdge
	self := &stackNode{key: "(this stack)", name: s.Name}
	if st, err := statePath(c); err == nil {
		self.state = st
	}
	nodes[self.key] = self
	type visit struct {
		from string
		to   string // state path
		outs []string
	}
	var queue []visit
	for _, name := range s.StackNames() {
		outs := sortedOutputs(s.OutputsRead(name))
		queue = append(queue, visit{self.key, reads.StatePath(s.File, s.Stacks[name]), outs})
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if v.to == self.state {
			v.to = self.key // a stack that reads this one back
		}
		edges = append(edges, stackEdge{from: v.from, to: v.to, outputs: v.outs})
		if _, seen := nodes[v.to]; seen {
			continue
		}
		n := &stackNode{key: v.to, state: v.to}
		nodes[v.to] = n
		snap, err := readOther(c, v.to)
		switch {
		case err != nil:
			n.problem = err.Error()
			continue
		case snap.Exports == nil:
			n.problem = "no outputs recorded"
			continue
		}
		n.name, n.serial = snap.Exports.Stack, snap.Meta.Serial
		for _, name := range sortedKeys(snap.Exports.Stacks) {
			r := snap.Exports.Stacks[name]
			queue = append(queue, visit{v.to, r.State, sortedKeys(r.Outputs)})
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].from != edges[j].from {
			return edges[i].from < edges[j].from
		}
		return edges[i].to < edges[j].to
	})
	w := c.App.Writer
	switch c.String("format") {
	case "dot":
		writeStacksDOT(w, nodes, edges)
	case "text":
		writeStacksText(w, nodes, edges)
	default:
		return fmt.Errorf("--format %q: want text or dot", c.String("format"))
	}
	return nil
}

// readOther reads a state as a reader (no lock).
func readOther(c *ucli.Context, path string) (*state.Snapshot, error) {
	if !state.IsEtcdURL(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, err
		}
	}
	st, err := openBackend(c, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(c.Context)
}

func (n *stackNode) label() string {
	name := n.name
	if name == "" {
		name = "?"
	}
	return name
}

func (n *stackNode) detail() string {
	switch {
	case n.problem != "":
		return "state " + n.state + ": " + n.problem
	case n.key == "(this stack)":
		return "this stack"
	}
	return fmt.Sprintf("state %s, serial %d", n.state, n.serial)
}

func writeStacksText(w io.Writer, nodes map[string]*stackNode, edges []stackEdge) {
	if len(edges) == 0 {
		fmt.Fprintf(w, "%s reads no other stack\n", nodes["(this stack)"].label())
		return
	}
	for _, e := range edges {
		from, to := nodes[e.from], nodes[e.to]
		fmt.Fprintf(w, "%s → %s: %s (%s)\n", from.label(), to.label(), strings.Join(e.outputs, ", "), to.detail())
	}
}

func writeStacksDOT(w io.Writer, nodes map[string]*stackNode, edges []stackEdge) {
	fmt.Fprintln(w, "digraph stacks {")
	fmt.Fprintln(w, "  rankdir = \"BT\";")
	for _, key := range sortedKeys(nodes) {
		n := nodes[key]
		fmt.Fprintf(w, "  %q [label=%q];\n", key, n.label()+"\n"+n.detail())
	}
	for _, e := range edges {
		fmt.Fprintf(w, "  %q -> %q [label=%q];\n", e.from, e.to, strings.Join(e.outputs, ", "))
	}
	fmt.Fprintln(w, "}")
}

func sortedOutputs(m map[string]*spec.Ref) []string { return sortedKeys(m) }

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
