package cloud

import "context"

// Pages are a listing's page counters as an answer gives them: at the top
// level of the answer (the current documents: PageNumber, PageCount,
// Total beside Data) or inside Data (DescribeInstances). Zero when absent.
type Pages struct {
	Number, Count, Total int
}

// maxPages bounds a listing against a service that ignores PageNumber and
// answers new items forever.
const maxPages = 10000

// listPages gathers a paged listing: page(n) answers page n (from 1) and
// its counters; key names an item. It stops after the page the counters
// call the last (PageCount), once Total items are in, at a page with no
// items, or at a page that adds no item not seen before (a service that
// ignores PageNumber, or answers no counters). It never reads counters
// inside the items: the documents' examples show PageCount 0 there.
func listPages[T any](ctx context.Context, page func(ctx context.Context, n int) ([]T, Pages, error), key func(T) string) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	for n := 1; n <= maxPages; n++ {
		items, p, err := page(ctx, n)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, it := range items {
			if k := key(it); !seen[k] {
				seen[k] = true
				all = append(all, it)
				added++
			}
		}
		switch {
		case added == 0:
			return all, nil
		case p.Count > 0 && n >= p.Count:
			return all, nil
		case p.Total > 0 && len(all) >= p.Total:
			return all, nil
		}
	}
	return all, nil
}
