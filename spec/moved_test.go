package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const movedRes = "resources:\n  web:\n    kind: vdc\n    for_each: [a, b]\n    properties: {name: n}\n"

func TestMovedRead(t *testing.T) {
	s, err := Parse("s.yaml", []byte(head+movedRes+"moved:\n  - {from: \"web[0]\", to: 'web[\"a\"]'}\n  - {from: old, to: web}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range s.Moved {
		got = append(got, m.From+" -> "+m.To+" at "+m.Pos.String())
	}
	if diff := cmp.Diff([]string{`web[0] -> web["a"] at s.yaml:10:5`, "old -> web at s.yaml:11:5"}, got); diff != "" {
		t.Errorf("moves (-want +got)\n%s", diff)
	}
	whole := s.Moved[1]
	for addr, want := range map[string]string{"old": "web", "old[3]": "web[3]", `old["x"]`: `web["x"]`, "older": "", "web": ""} {
		if got, _ := whole.Target(addr); got != want {
			t.Errorf("Target(%s) = %q, want %q", addr, got, want)
		}
	}
	if got, ok := s.Moved[0].Target("web[1]"); ok {
		t.Errorf("a move of one copy takes web[1] to %s", got)
	}
}

func TestMovedErrors(t *testing.T) {
	tests := map[string]struct {
		moved string
		want  string
	}{
		"malformed from":   {"  - {from: \"web['a']\", to: web}\n", `s.yaml:10:12: moved[0].from: address "web['a']": a key is written in double quotes`},
		"malformed to":     {"  - {from: old, to: 'Web'}\n", `s.yaml:10:21: moved[0].to: address "Web": want NAME`},
		"to itself":        {"  - {from: old, to: old}\n", `moved: old to itself`},
		"moved twice":      {"  - {from: old, to: web}\n  - {from: old, to: web}\n", `s.yaml:11:12: moved[1].from: old is moved twice (first at line 10)`},
		"unknown target":   {"  - {from: old, to: app}\n", `s.yaml:10:21: moved[0].to: moved: the stack has no resource "app"`},
		"missing key":      {"  - {from: \"web[0]\", to: 'web[\"c\"]'}\n", `moved[0].to: moved: the stack has no web["c"]; web has web["a"], web["b"]`},
		"source declared":  {"  - {from: 'web[\"a\"]', to: 'web[\"b\"]'}\n", `s.yaml:10:12: moved[0].from: moved: web["a"] is still an address of the stack`},
		"resource kept":    {"  - {from: web, to: web2}\n", `moved: the stack has no resource "web2"`},
		"missing from key": {"  - {to: web}\n", `s.yaml:10:5: moved[0]: missing required property "from"`},
		// The path counts the entries as written, a refused one included.
		"after a refused entry": {"  - {from: old, to: old}\n  - {from: old2, to: app}\n", `s.yaml:11:22: moved[1].to: moved: the stack has no resource "app"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := strings.Join(problems(t, head+movedRes+"moved:\n"+tc.moved), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", got, tc.want)
			}
		})
	}
}
