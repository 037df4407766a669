package view

import (
	"math"
	"testing"

	"github.com/cdstack/cdstack/planner"
)

// TestNoNegativeZeroInCostLines: an amount that rounds to nothing is
// ¥0.00, never -¥0.00, alone or as a change.
func TestNoNegativeZeroInCostLines(t *testing.T) {
	for _, v := range []float64{-0.0000001, -0.004, math.Copysign(0, -1), 598.60 - 598.60000000001} {
		if got := planner.Money("¥", v); got != "¥0.00" {
			t.Errorf("Money(%g) = %q, want ¥0.00", v, got)
		}
		if got := signed("¥", v); got != "+¥0.00" {
			t.Errorf("signed(%g) = %q, want +¥0.00", v, got)
		}
	}
	if got := signed("¥", -598.6); got != "-¥598.60" {
		t.Errorf("signed(-598.6) = %q", got)
	}
}
