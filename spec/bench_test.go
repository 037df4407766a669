package spec

import (
	"strings"
	"testing"
)

// BenchmarkValidateManyReferences loads a stack whose one string holds
// 500,000 references: parsing, checking and positioning them must stay
// linear (it was quadratic: 11 minutes).
func BenchmarkValidateManyReferences(b *testing.B) {
	const refs = 500_000
	src := "version: 1\nstack: big\nregion: CN_Beijing_A\nvariables:\n  x: {default: a}\nresources:\n  net:\n    kind: vdc\n    properties:\n      name: \"" +
		strings.Repeat("${var.x}", refs) + "\"\n"
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		s, err := Parse("big.yaml", []byte(src))
		if s == nil {
			b.Fatalf("not loaded: %v", err)
		}
	}
	b.ReportMetric(float64(refs), "refs")
}
