package spec

import (
	"slices"
	"testing"
)

// TestOutboundTwins: the outbound twin of a direction-all rule takes the
// first priority above its rule that no rule and no earlier twin has.
func TestOutboundTwins(t *testing.T) {
	for _, tc := range []struct {
		prios []int
		all   []bool
		want  []int
	}{
		{[]int{10}, []bool{true}, []int{11}},
		{[]int{10, 11}, []bool{true, false}, []int{12, 0}},
		{[]int{10, 11, 12}, []bool{true, false, true}, []int{13, 0, 14}},
		// Placed in priority order, whatever the file order.
		{[]int{20, 10}, []bool{true, true}, []int{21, 11}},
		{[]int{11, 10}, []bool{true, true}, []int{13, 12}},
		{[]int{1000}, []bool{true}, []int{1001}}, // no room: the caller reports it
		{nil, nil, []int{}},
	} {
		if got := OutboundTwins(tc.prios, tc.all); !slices.Equal(got, tc.want) {
			t.Errorf("OutboundTwins(%v, %v) = %v, want %v", tc.prios, tc.all, got, tc.want)
		}
	}
}
