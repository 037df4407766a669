package spec

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The checks of this file refuse values the API refuses, which the schema
// cannot see because they are known only once references are resolved
// (a name made of ${each.key}, a password from a variable) or because the
// rule spans entries (a range whose ends are reversed, an account name used
// twice). Each value is checked per copy of its resource once it is known:
// without a variable's value (validate in a pull request) it is left to
// the plan, which checks it again with the value. A sensitive value is
// never printed.

// instanceName is the rule of instance and template names after references
// are resolved (the schema's pattern, without the ${…} it allows).
var instanceName = regexp.MustCompile(`^[A-Za-z0-9一-龥._-]+$`)

// MaxInstanceName is the longest instance or template name, in characters.
const MaxInstanceName = 64

// ValidInstancePassword reports whether pw is a password CreateInstance
// takes: 8–30 printable ASCII characters with at least three of upper case,
// lower case, digits and symbols (InvalidPassword.Malformed otherwise).
func ValidInstancePassword(pw string) bool {
	if len(pw) < 8 || len(pw) > 30 {
		return false
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case r > ' ' && r < 0x7f:
			other = true
		default:
			return false
		}
	}
	n := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			n++
		}
	}
	return n >= 3
}

// ValidDatabasePassword reports whether pw is a password the database
// services take (a MySQL account's, Redis's, MongoDB's): 8–30 characters.
func ValidDatabasePassword(pw string) bool {
	n := utf8.RuneCountInString(pw)
	return n >= 8 && n <= 30
}

// checkRefused checks r's values that the API would refuse, per copy.
func (s *Stack) checkRefused(r *Resource, path string, d *diag) {
	if r.Properties == nil || r.Properties.Kind != Map {
		return
	}
	props := path + ".properties"
	seen := map[string]bool{} // one error per property and message, not one per copy
	errorf := func(pos Pos, p, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)

		if !seen[p+"\x00"+msg] {
			seen[p+"\x00"+msg] = true
			d.errorf(pos, p, "%s", msg)
		}
	}
	for _, in := range r.Instances() {
		ctx := s.InstanceContext(in, nil)
		copyOf := ""
		if in.Addr != r.Name {
			copyOf = " (" + in.Addr + ")"
		}
		// which names the copy when v's value depends on it.
		which := func(v *Value) string {
			if perCopy(v) {
				return copyOf
			}
			return ""
		}
		known := func(v *Value) (any, bool) {
			if v == nil {
				return nil, false
			}
			x, err := v.Eval(ctx)
			return x, err == nil && Known(x)
		}
		switch r.Kind {
		case "instance", "template":
			if v := r.Properties.Get("name"); v != nil && v.Tmpl != nil {
				if x, ok := known(v); ok {
					name := fmt.Sprint(x)
					shown, copyOf := strconv.Quote(name), which(v)
					if s.showsSensitive(v) {
						shown = "(sensitive)"
					}
					switch {
					case !instanceName.MatchString(name):
						errorf(v.Pos, props+".name", "name %s%s: the %s name takes letters, digits, Chinese characters, '.', '_' and '-' only%s",
							shown, copyOf, r.Kind, eachHint(v))
					case utf8.RuneCountInString(name) > MaxInstanceName:
						errorf(v.Pos, props+".name", "name %s%s has %d characters; the %s name takes at most %d", shown, copyOf, utf8.RuneCountInString(name), r.Kind, MaxInstanceName)
					}
				}
			}
			if r.Kind == "instance" {
				if v := r.Properties.Get("password"); v != nil {
					if x, ok := known(v); ok {
						if pw, isStr := x.(string); isStr && pw != "" && !ValidInstancePassword(pw) {
							errorf(v.Pos, props+".password", "the password%s is not one CreateInstance takes: 8–30 printable ASCII characters with at least three of upper case, lower case, digits and symbols", which(v))
						}
					}
				}
			}
		case "redis", "mongodb":
			if v := r.Properties.Get("password"); v != nil {
				if x, ok := known(v); ok {
					if pw, isStr := x.(string); isStr && pw != "" && !ValidDatabasePassword(pw) {
						errorf(v.Pos, props+".password", "the password%s is not one the %s service takes: 8–30 characters", which(v), r.Kind)
					}
				}
			}
		case "mysql":
			s.checkAccounts(r.Properties.Get("accounts"), props+".accounts", which(r.Properties.Get("accounts")), known, errorf)
		case "security_group":
			s.checkRules(r.Properties.Get("rules"), props+".rules", which(r.Properties.Get("rules")), known, errorf)
		}
	}
}

// checkAccounts refuses a MySQL account name used twice in one database
// and a password the service does not take: each entry at its position
// when written in the file, else (a list from a variable) at the list's.
func (s *Stack) checkAccounts(v *Value, path, copyOf string, known func(*Value) (any, bool), errorf func(Pos, string, string, ...any)) {
	if v == nil {
		return
	}
	type field struct {
		val any
		pos Pos
	}
	var accounts []map[string]field
	if v.Kind == List {
		for _, ev := range v.List {
			acc := map[string]field{}
			if ev.Kind == Map {
				for _, k := range []string{"name", "password"} {
					if x, ok := known(ev.Get(k)); ok {
						acc[k] = field{x, ev.Get(k).Pos}
					}
				}
			}
			accounts = append(accounts, acc)
		}
	} else if x, ok := known(v); ok {
		list, _ := x.([]any)
		for _, e := range list {
			acc := map[string]field{}
			m, _ := e.(map[string]any)
			for _, k := range []string{"name", "password"} {
				if y, ok := m[k]; ok {
					acc[k] = field{y, v.Pos}
				}
			}
			accounts = append(accounts, acc)
		}
	}
	first := map[string]int{}
	for i, acc := range accounts {
		p := fmt.Sprintf("%s[%d]", path, i)
		if f, ok := acc["name"]; ok {
			name, _ := f.val.(string)
			if j, dup := first[name]; dup {
				errorf(f.pos, p+".name", "account %q%s is also account %d's (%s[%d]); an account name is unique in a database", name, copyOf, j, path, j)
			} else {
				first[name] = i
			}
		}
		if f, ok := acc["password"]; ok {
			if pw, isStr := f.val.(string); isStr && pw != "" && !ValidDatabasePassword(pw) {
				errorf(f.pos, p+".password", "the password of account %d%s is not one the mysql service takes: 8–30 characters", i, copyOf)
			}
		}
	}
}

// checkRules refuses NSG rule addresses that are not an address or CIDR,
// and ports outside 1–65535 or ranges whose ends are reversed.
func (s *Stack) checkRules(v *Value, path, copyOf string, known func(*Value) (any, bool), errorf func(Pos, string, string, ...any)) {
	if v == nil || v.Kind != List {
		return
	}
	for i, rv := range v.List {
		if rv.Kind != Map {
			continue
		}
		if t := rv.Get("rule_type"); t != nil && t.Kind == String && strings.EqualFold(t.Str, "mac") {
			continue // a mac rule is refused as such (checkSecurityGroup)
		}
		rp := fmt.Sprintf("%s[%d]", path, i)
		// Each entry, at its own position when it is written as one.
		entries := func(k string, split bool, check func(string) string) {
			ev := rv.Get(k)
			if ev == nil {
				return
			}
			var vals []*Value
			if ev.Kind == List {
				vals = ev.List
			} else {
				vals = []*Value{ev}
			}
			for n, one := range vals {
				ep := rp + "." + k
				if ev.Kind == List {
					ep = fmt.Sprintf("%s[%d]", ep, n)
				}
				if schemaChecks(k, one) {
					continue
				}
				x, ok := known(one)
				if !ok {
					continue
				}
				var items []any
				switch t := x.(type) {
				case []any:
					items = t
				default:
					items = []any{t}
				}
				for _, it := range items {
					str := fmt.Sprint(it)
					parts := []string{str}
					if split {
						parts = strings.Split(str, ";")
					}
					for _, part := range parts {
						if why := check(strings.TrimSpace(part)); why != "" {
							shown := strconv.Quote(strings.TrimSpace(part))
							if s.showsSensitive(one) {
								shown = "(sensitive)"
							}
							errorf(one.Pos, ep, "%s %s%s: %s", k, shown, copyOf, why)
						}
					}
				}
			}
		}
		entries("addresses", false, badAddress)
		entries("target_address", true, badAddress)
		entries("ports", false, badPort)
		entries("local_port", false, badPort)
	}
}

// badAddress says why s is not an address or CIDR; "" when it is one.
func badAddress(s string) string {
	if strings.Contains(s, "/") {
		if _, err := netip.ParsePrefix(s); err != nil {
			return "not a CIDR (an address, /, and a prefix length up to 32 for IPv4 or 128 for IPv6), such as 10.0.0.0/8"
		}
		return ""
	}
	if _, err := netip.ParseAddr(s); err != nil {
		return "not an address or CIDR, such as 10.0.0.5 or 10.0.0.0/8"
	}
	return ""
}

// badPort says why s is not 0 (every port), a port 1–65535 or a range
// lo-hi of them with lo ≤ hi; "" when it is one.
func badPort(s string) string {
	lo, hi, isRange := strings.Cut(s, "-")
	port := func(t string) (int, bool) {
		n, err := strconv.Atoi(t)
		return n, err == nil && n >= 1 && n <= 65535 && !strings.HasPrefix(t, "+")
	}
	if !isRange {
		if s == "0" {
			return ""
		}
		if _, ok := port(s); !ok {
			return "not 0 (every port) or a port 1–65535"
		}
		return ""
	}
	a, okA := port(lo)
	b, okB := port(hi)
	switch {
	case !okA || !okB:
		return "a range takes two ports 1–65535, such as 8000-8080"
	case a > b:
		return fmt.Sprintf("the range ends before it starts; write %d-%d", b, a)
	}
	return ""
}

// sensitiveRef reports whether v refers to a sensitive variable, so its
// value must not be shown.
func (s *Stack) showsSensitive(v *Value) bool {
	for _, ref := range v.Refs() {
		if vr := s.Variables[ref.Var]; ref.Var != "" && vr != nil && vr.Sensitive {
			return true
		}
	}
	return false
}

// eachHint says where a bad name's text comes from when it is for_each's
// key.
func eachHint(v *Value) string {
	for _, ref := range v.Refs() {
		if ref.Each == "key" {
			return "; it is made of ${each.key}: change the for_each keys"
		}
	}
	return ""
}

// perCopy reports whether v's value may differ between copies: it uses
// ${index} or ${each…}.
func perCopy(v *Value) bool {
	if v == nil {
		return false
	}
	for _, ref := range v.Refs() {
		if ref.Index || ref.Each != "" || ref.EachKey {
			return true
		}
	}
	return false
}

// schemaPort is the schema's pattern of a port written as text.
var schemaPort = regexp.MustCompile(`^(0|[1-9][0-9]{0,4}(-[1-9][0-9]{0,4})?)$`)

// schemaChecks reports whether the schema already refuses what is wrong
// with the literal port v (a number out of range, text of another shape),
// so it is not reported twice.
func schemaChecks(k string, v *Value) bool {
	if k != "ports" && k != "local_port" || v.Tmpl != nil {
		return false
	}
	return v.Kind == Int || v.Kind == String && !schemaPort.MatchString(v.Str)
}
