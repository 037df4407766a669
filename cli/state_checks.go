package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

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
