// Package suggest finds the name a user probably meant, for "did you mean"
// hints in error messages.
package suggest

import (
	"fmt"
	"sort"
)

// Distance is the Levenshtein edit distance between a and b (in bytes).
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the candidate nearest to s within maxDist edits (and
// fewer edits than s has bytes, so a one-letter name suggests nothing), or "".
// Ties go to the candidate that sorts first.
func Closest(s string, candidates []string, maxDist int) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	best, bestD := "", maxDist+1
	for _, c := range sorted {
		if d := Distance(s, c); d < bestD && d < len(s) {
			best, bestD = c, d
		}
	}
	return best
}

// DidYouMean is `; did you mean "x"?` for the candidate within two edits of
// s, or "": the tail of an error message.
func DidYouMean(s string, candidates []string) string {
	if best := Closest(s, candidates, 2); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}
