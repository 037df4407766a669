package spec

import "testing"

func TestParseAddress(t *testing.T) {
	good := map[string]Address{
		"web":                 {Name: "web", Index: -1},
		"web[0]":              {Name: "web", Index: 0},
		"web[12]":             {Name: "web", Index: 12},
		`web["eu"]`:           {Name: "web", Index: -1, Key: "eu", Keyed: true},
		`web["a b"]`:          {Name: "web", Index: -1, Key: "a b", Keyed: true},
		`web["10.0"]`:         {Name: "web", Index: -1, Key: "10.0", Keyed: true},
		"api.web[1]":          {Name: "api.web", Index: 1},
		"a.b.c":               {Name: "a.b.c", Index: -1},
		"api[0].web":          {Name: "api[0].web", Index: -1},
		`api["e.u"].web["x"]`: {Name: `api["e.u"].web`, Index: -1, Key: "x", Keyed: true},
	}
	for in, want := range good {
		got, err := ParseAddress(in)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("ParseAddress(%q).String() = %q", in, got.String())
		}
	}
	bad := map[string]string{
		"":            "want NAME",
		"Web":         "want NAME",
		"web[":        "unclosed",
		"web[x]":      "whole number",
		"web[-1]":     "whole number",
		"web[01]":     "whole number",
		"web['eu']":   `written in double quotes: web["eu"]`,
		`web[""]`:     "key is empty",
		`web["a"b"]`:  `holds '"'`,
		`web["${x}"]`: `holds '$'`,
		"tag:x":       "want NAME",
		"api..web":    "want NAME",
		".web":        "want NAME",
		"api[0]web":   "joined by '.'",
		"api[x].web":  "whole number",
	}
	for in, want := range bad {
		if _, err := ParseAddress(in); err == nil || !contains(err.Error(), want) {
			t.Errorf("ParseAddress(%q) = %v; want an error containing %q", in, err, want)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}
