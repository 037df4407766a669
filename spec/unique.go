package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// uniqueScope says, by kind, where a name must be unique: cdstack finds a
// resource whose create answer was lost by its name there, so two
// resources of the stack with one name would be one to recovery.
var uniqueScope = map[string]string{
	"vdc":             "region",
	"public_network":  "vdc",
	"private_network": "vdc",
	"instance":        "vdc",
	"security_group":  "", // the account
	"template":        "",
}

// checkUniqueNames refuses two resources (or two copies of one) of a kind
// with the same name in the same scope, naming both positions. A name or
// scope known only after apply is not compared.
func (s *Stack) checkUniqueNames(d *diag) {
	type first struct {
		addr string
		pos  Pos
	}
	seen := map[string]first{}
	for _, name := range s.Order {
		r := s.Resources[name]
		scopeProp, checked := uniqueScope[r.Kind]
		if !checked || r.CountUnknown {
			continue
		}
		nv := r.Properties.Get("name")
		if nv == nil || nv.Kind != String {
			continue
		}
		copies := []int{-1}
		if r.HasCount() {
			copies = copies[:0]
			for i := 0; i < r.Count; i++ {
				copies = append(copies, i)
			}
		}
		for _, idx := range copies {
			text, ok := s.knownText(nv, idx)
			if !ok {
				continue
			}
			scope := s.Region
			if scopeProp != "" {
				sv := r.Properties.Get(scopeProp)
				switch {
				case sv == nil && scopeProp == "region":
				case sv == nil || sv.Kind != String:
					continue
				default:
					// A reference's text stands for the resource it names:
					// "${net.id}" is the same VDC wherever it is written.
					if scope, ok = s.scopeText(sv, idx); !ok {
						continue
					}
				}
			} else {
				scope = ""
			}
			addr := r.Name
			if idx >= 0 {
				addr = fmt.Sprintf("%s[%d]", r.Name, idx)
			}
			key := r.Kind + "\x00" + scope + "\x00" + text
			f, dup := seen[key]
			if !dup {
				seen[key] = first{addr, nv.Pos}
				continue
			}
			where := "in its VDC"
			switch scopeProp {
			case "region":
				where = "in its region"
			case "":
				where = "in the account"
			}
			path := "resources." + r.Name + ".properties.name"
			if f.pos == nv.Pos {
				d.errorf(nv.Pos, path, "%s and %s are both named %q: %s's name must be unique %s (cdstack finds it again by its name); put ${index} in the name",
					f.addr, addr, text, withArticle(r.Kind), where)
				break // one message for all copies
			}
			d.errorf(nv.Pos, path, "%s is named %q, as %s is (line %d, column %d): %s's name must be unique %s (cdstack finds it again by its name)",
				addr, text, f.addr, f.pos.Line, f.pos.Col, withArticle(r.Kind), where)
		}
	}
}

// knownText is v's text for copy idx when it is known before apply: plain
// text, ${index}, ${workspace} and variables with a value.
func (s *Stack) knownText(v *Value, idx int) (string, bool) {
	if v.Tmpl == nil {
		return v.Str, true
	}
	var b strings.Builder
	for _, p := range v.Tmpl.Parts {
		switch {
		case p.Ref == nil:
			b.WriteString(p.Lit)
		case p.Ref.Index && idx >= 0:
			b.WriteString(strconv.Itoa(idx))
		case p.Ref.Workspace:
			b.WriteString(s.Workspace)
		case p.Ref.Var != "":
			vr := s.Variables[p.Ref.Var]
			if vr == nil || vr.Value == nil {
				return "", false
			}
			val, ok := p.Ref.subscriptedKnown(vr.Value)
			if !ok {
				return "", false
			}
			b.WriteString(fmt.Sprint(val))
		default:
			return "", false
		}
	}
	return b.String(), true
}

// scopeText is the text of a scope property (a reference to a VDC, as
// written, with ${index} and variables filled in).
func (s *Stack) scopeText(v *Value, idx int) (string, bool) {
	if v.Tmpl == nil {
		return v.Str, true
	}
	var b strings.Builder
	for _, p := range v.Tmpl.Parts {
		switch {
		case p.Ref == nil:
			b.WriteString(p.Lit)
		case p.Ref.IsResource():
			if p.Ref.Splat {
				return "", false
			}
			b.WriteString(p.Ref.Addr)
			if p.Ref.Idx >= 0 {
				fmt.Fprintf(&b, "[%d]", p.Ref.Idx)
			}
			b.WriteString("." + p.Ref.Attr + p.Ref.SubscriptText())
		default:
			t, ok := s.knownText(&Value{Kind: String, Tmpl: &Template{Parts: []Part{p}}}, idx)
			if !ok {
				return "", false
			}
			b.WriteString(t)
		}
	}
	return b.String(), true
}
