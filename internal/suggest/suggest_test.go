package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"regoin", "region", 2}, {"", "xyz", 3}, {"kitten", "sitting", 3}}
	for _, tc := range tests {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	c := []string{"region", "name", "net", "web[0]"}
	tests := map[string]string{"regoin": "region", "nmae": "name", "nett": "net", "web[9]": "web[0]", "zzzzzz": "", "x": ""}
	for in, want := range tests {
		if got := Closest(in, c, 2); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
