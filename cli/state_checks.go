package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// sameKindAt refuses to move r to the address to of the resource name when
// the stack file declares that resource with another kind: the next plan
// would destroy r there and create the declared one. Without a readable
// stack file nothing is checked.
func sameKindAt(c *ucli.Context, name, to string, r *state.Record) error {
	_, s, err := loadStack(c, true)
	if err != nil || s == nil {
		return nil
	}
	declared := s.Resources[name]
	if declared == nil || declared.Kind == r.Kind {
		return nil
	}
	return fmt.Errorf("%s is %s in %s and %s is %s; move it to an address of %s",
		to, withArticle(declared.Kind), s.File, r.Addr, withArticle(r.Kind), withArticle(r.Kind))
}

// withArticle is "a vdc", "an instance".
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// sameState reports whether the states at a and b (files or etcd URLs)
// are one.
func sameState(a, b string) bool {
	if state.IsEtcdURL(a) || state.IsEtcdURL(b) {
		return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	infoA, errA := os.Stat(a)
	infoB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(infoA, infoB)
}

// copiesOf returns the addresses of the copies of the resource name in
// snap (web[0], web["a"]), or nil when name is not a plain name.
func copiesOf(snap *state.Snapshot, name string) []string {
	a, err := spec.ParseAddress(name)
	if err != nil || a.Instanced() {
		return nil
	}
	var out []string
	for _, addr := range snap.Addresses() {
		if pa, err := spec.ParseAddress(addr); err == nil && pa.Name == name && pa.Instanced() {
			out = append(out, addr)
		}
	}
	return out
}

// moveCopies moves every copy of the resource from to the resource name
// to, keeping their indexes and keys, in one commit (state mv web app, as
// moved: {from: web, to: app}).
func moveCopies(c *ucli.Context, st backend, snap *state.Snapshot, from, to string, copies []string) error {
	toAddr, err := spec.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("state mv: %w", err)
	}
	if toAddr.Instanced() {
		return fmt.Errorf("state mv: %s has copies: move them one by one, or to a resource name", from)
	}
	var moves []*planner.Move
	var shown []string
	for _, addr := range copies {
		pa, _ := spec.ParseAddress(addr)
		pa.Name = toAddr.Name
		target := pa.String()
		if _, taken := snap.Resources[target]; taken {
			return fmt.Errorf("%s is already in the state; remove it first", target)
		}
		r := snap.Resources[addr]
		if err := sameKindAt(c, toAddr.Name, target, r); err != nil {
			return fmt.Errorf("state mv: %w", err)
		}
		moves = append(moves, &planner.Move{From: addr, To: target, Kind: r.Kind, ID: r.ID})
		shown = append(shown, fmt.Sprintf("Moved %s to %s.", addr, target))
	}
	if _, err := st.Commit(c.Context, planner.MoveChange(snap, moves, time.Now().UTC())); err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, strings.Join(shown, "\n"))
	return nil
}
