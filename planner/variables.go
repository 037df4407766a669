package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cdstack/cdstack/spec"
)

// VariableDigests are SHA-256 digests of the values of s's non-sensitive
// variables that have one, by name: what a saved plan keeps to tell
// whether it is applied with the values it was made with. Sensitive
// values are never kept, not even as a digest (a short secret's digest
// can be guessed).
func VariableDigests(s *spec.Stack) map[string]string {
	out := map[string]string{}
	for name, v := range s.Variables {
		if v.Sensitive || v.Unset {
			continue
		}
		data, err := json.Marshal(v.Value)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		out[name] = hex.EncodeToString(sum[:16])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// CheckVariables refuses the saved plan p when s's non-sensitive variables
// have other values than p was made with (a plan saved by a cdstack that
// kept none is not checked).
func CheckVariables(p *Document, s *spec.Stack) error {
	if p.Variables == nil {
		return nil
	}
	now := VariableDigests(s)
	var differ []string
	for name, d := range p.Variables {
		if now[name] != d {
			differ = append(differ, name)
		}
	}
	for name := range now {
		if _, ok := p.Variables[name]; !ok {
			differ = append(differ, name)
		}
	}
	if len(differ) == 0 {
		return nil
	}
	slices.Sort(differ)
	differ = slices.Compact(differ)
	which := "the variable " + differ[0]
	if len(differ) > 1 {
		which = "the variables " + strings.Join(differ, ", ")
	}
	return fmt.Errorf("%w: the plan was made with another value of %s (--var, --var-file, env or default); apply it with the values it was made with, or plan again",
		ErrStalePlan, which)
}
