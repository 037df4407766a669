package spec

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// An Address names a resource or one instance of it: web, web[0] (count)
// or web["eu"] (for_each); a resource of a component is prefixed with the
// component's name: api.web[0]. It is written and parsed only here: every
// command that takes an address (--target, --replace, state, import,
// depends_on, moved) goes through ParseAddress, and String writes the one
// canonical form the state and the plan use.
type Address struct {
	Name  string
	Index int    // the copy number; -1 without [N]
	Key   string // the for_each key, when Keyed
	Keyed bool
}

// Instanced reports whether the address names one copy (web[0], web["a"])
// rather than a resource.
func (a Address) Instanced() bool { return a.Index >= 0 || a.Keyed }

// String writes the address in its canonical form.
func (a Address) String() string {
	switch {
	case a.Keyed:
		return a.Name + `["` + a.Key + `"]`
	case a.Index >= 0:
		return a.Name + "[" + strconv.Itoa(a.Index) + "]"
	}
	return a.Name
}

// KeyAddress is the address of the for_each copy key of resource name.
func KeyAddress(name, key string) string {
	return Address{Name: name, Index: -1, Key: key, Keyed: true}.String()
}

// ParseAddress reads an address: NAME, NAME[N] or NAME["KEY"] (NAME of
// a-z, 0-9 and '_', starting with a letter; KEY as CheckKey allows, in
// double quotes, as YAML and the shell need them quoted again). Inside a
// component NAME is prefixed with the component's: api.web[0], and a copy
// of a component with its number or key: api[1].web, api["eu"].web.
func ParseAddress(s string) (Address, error) {
	a := Address{Index: -1}
	var names []string
	rest := s
	for {
		n := 0
		for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= '0' && rest[n] <= '9' || rest[n] == '_') {
			n++
		}
		if !isName(rest[:n]) {
			return a, fmt.Errorf("address %q: want NAME, NAME[N] or NAME[\"KEY\"] (a name of a-z, 0-9 and '_' starting with a letter; inside a component, COMPONENT.NAME)", s)
		}
		step := Address{Name: rest[:n], Index: -1}
		rest = rest[n:]
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if strings.HasPrefix(rest, `["`) {
				end = strings.Index(rest, `"]`)
				if end >= 0 {
					end++
				}
			}
			if end < 0 {
				return a, fmt.Errorf("address %q: an unclosed [ (want NAME[N] or NAME[\"KEY\"])", s)
			}
			if err := step.instance(rest[1:end]); err != nil {
				return a, fmt.Errorf("address %q: %w", s, err)
			}
			rest = rest[end+1:]
		}
		if rest == "" {
			names = append(names, step.Name)
			a.Index, a.Key, a.Keyed = step.Index, step.Key, step.Keyed
			break
		}
		if !strings.HasPrefix(rest, ".") {
			return a, fmt.Errorf("address %q: want NAME, NAME[N] or NAME[\"KEY\"], joined by '.' inside components", s)
		}
		rest = rest[1:]
		names = append(names, step.String())
	}
	a.Name = strings.Join(names, ".")
	return a, nil
}

// instance reads what is between [ and ]: a copy's number or quoted key.
func (a *Address) instance(inner string) error {
	if strings.HasPrefix(inner, `"`) {
		if len(inner) < 2 || !strings.HasSuffix(inner, `"`) {
			return fmt.Errorf("a key is written in double quotes: NAME[\"KEY\"]")
		}
		key := inner[1 : len(inner)-1]
		if err := CheckKey(key); err != nil {
			return err
		}
		a.Key, a.Keyed = key, true
		return nil
	}
	if strings.HasPrefix(inner, "'") {
		return fmt.Errorf("a key is written in double quotes: %s[\"%s\"]", a.Name, strings.Trim(inner, "'"))
	}
	n, err := strconv.Atoi(inner)
	if err != nil || n < 0 || n > 100000 || strconv.Itoa(n) != inner {
		return fmt.Errorf("the index must be a whole number, or a key in double quotes")
	}
	a.Index = n
	return nil
}

// MustAddress parses an address the code itself made.
func mustAddress(s string) Address {
	a, err := ParseAddress(s)
	if err != nil {
		return Address{Name: s, Index: -1}
	}
	return a
}

// MaxKeyLength is the longest for_each key.
const MaxKeyLength = 64

// CheckKey says what is wrong with a for_each key, or nil: 1 to 64
// printable characters other than '"', '\', '[', ']', '{', '}' and '$' (a
// key is written inside addresses and ${…} references).
func CheckKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("a for_each key is empty")
	case len([]rune(key)) > MaxKeyLength:
		return fmt.Errorf("for_each key %q is longer than %d characters", key, MaxKeyLength)
	}
	for _, c := range key {
		if !unicode.IsPrint(c) || strings.ContainsRune(`"\[]{}$`, c) {
			return fmt.Errorf("for_each key %q holds %q: keys are printable text without '\"', '\\', '[', ']', '{', '}' and '$'", key, c)
		}
	}
	return nil
}

func isName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
