package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTemplate(t *testing.T) {
	at := Pos{File: "f", Line: 3, Col: 10}
	tests := map[string]struct {
		in      string
		want    []Part
		wantErr string
	}{
		"plain":           {"hello", nil, ""},
		"whole attribute": {"${net.id}", []Part{{Ref: &Ref{Raw: "net.id", Addr: "net", Attr: "id", Idx: -1, Pos: Pos{"f", 3, 10}}}}, ""},
		"index":           {"${web[2].public_ip}", []Part{{Ref: &Ref{Raw: "web[2].public_ip", Addr: "web", Attr: "public_ip", Idx: 2, Pos: Pos{"f", 3, 10}}}}, ""},
		"splat":           {"${web[*].id}", []Part{{Ref: &Ref{Raw: "web[*].id", Addr: "web", Attr: "id", Idx: -1, Splat: true, Pos: Pos{"f", 3, 10}}}}, ""},
		"variable":        {"${var.count}", []Part{{Ref: &Ref{Raw: "var.count", Var: "count", Idx: -1, Pos: Pos{"f", 3, 10}}}}, ""},
		"count index":     {"${index}", []Part{{Ref: &Ref{Raw: "index", Index: true, Idx: -1, Pos: Pos{"f", 3, 10}}}}, ""},
		"spaces inside":   {"${ net.id }", []Part{{Ref: &Ref{Raw: "net.id", Addr: "net", Attr: "id", Idx: -1, Pos: Pos{"f", 3, 10}}}}, ""},
		"interpolation": {"web-${index}-${var.env}", []Part{{Lit: "web-"}, {Ref: &Ref{Raw: "index", Index: true, Idx: -1, Pos: Pos{"f", 3, 14}}},
			{Lit: "-"}, {Ref: &Ref{Raw: "var.env", Var: "env", Idx: -1, Pos: Pos{"f", 3, 23}}}}, ""},
		"escaped":          {"cost $${var.x} ${var.y}", []Part{{Lit: "cost ${var.x} "}, {Ref: &Ref{Raw: "var.y", Var: "y", Idx: -1, Pos: Pos{"f", 3, 25}}}}, ""},
		"only escaped":     {"$${not.a.ref}", nil, ""},
		"non-ASCII before": {"网-${index}", []Part{{Lit: "网-"}, {Ref: &Ref{Raw: "index", Index: true, Idx: -1, Pos: Pos{"f", 3, 12}}}}, ""},
		"unclosed":         {"a ${net.id", nil, "unclosed reference"},
		"empty":            {"${}", nil, "empty reference"},
		"malformed":        {"${net}", nil, "malformed reference ${net}"},
		"upper case":       {"${Net.id}", nil, "malformed reference"},
		"bad index":        {"${web[x].id}", nil, "malformed reference"},
		"huge index":       {"${web[99999999].id}", nil, "out of range"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tmpl, errs := parseTemplate(tc.in, at)
			if tc.wantErr != "" {
				if len(errs) == 0 || !strings.Contains(errs[0].msg, tc.wantErr) {
					t.Fatalf("errors = %v, want %q", errs, tc.wantErr)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors = %v", errs)
			}
			var got []Part
			if tmpl != nil {
				got = tmpl.Parts
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestFindCycles(t *testing.T) {
	tests := map[string]struct {
		graph map[string][]string
		want  [][]string
	}{
		"none":            {map[string][]string{"a": {"b"}, "b": {"c"}, "c": nil}, nil},
		"two":             {map[string][]string{"a": {"b"}, "b": {"a"}}, [][]string{{"a", "b", "a"}}},
		"three":           {map[string][]string{"c": {"a"}, "a": {"b"}, "b": {"c"}}, [][]string{{"a", "b", "c", "a"}}},
		"two separate":    {map[string][]string{"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"x"}}, [][]string{{"a", "b", "a"}, {"x", "y", "z", "x"}}},
		"diamond":         {map[string][]string{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": nil}, nil},
		"tail into cycle": {map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"b"}}, [][]string{{"b", "c", "b"}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, FindCycles(tc.graph)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
