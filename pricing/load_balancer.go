package pricing

import "github.com/cdstack/cdstack/planner"

// notPricedKinds are the kinds no current document prices: 负载均衡概览.md
// has no price action and the bill's price table no load balancer line.
// Their changes say so, and the totals name them, rather than count them
// as free.
var notPricedKinds = map[string]string{
	"load_balancer": "the documents give no price for load balancers (负载均衡概览.md has no price action)",
}

// notPriced says why ch's resource has no price, or "" when it has one or
// is gone after the plan.
func notPriced(ch *planner.Change) string {
	if ch.Action == planner.Delete {
		return ""
	}
	return notPricedKinds[ch.Kind]
}
