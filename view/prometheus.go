package view

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/cdstack/cdstack/planner"
)

// Prometheus writes drift in the text format node_exporter's textfile
// collector reads: drifted resources per kind and class, and the run's time.
func Prometheus(w io.Writer, stack string, items []*planner.DriftItem, at time.Time) {
	counts := map[[2]string]int{}
	for _, d := range items {
		counts[[2]string{d.Kind, d.Class}]++
	}
	kinds := []string{"instance", "mongodb", "mysql", "mysql_readonly", "private_network", "public_network", "redis", "security_group", "template", "vdc"}
	fmt.Fprintln(w, "# HELP cdstack_drift_resources Resources whose live state differs from the state, by kind and class.")
	fmt.Fprintln(w, "# TYPE cdstack_drift_resources gauge")
	var keys [][2]string
	for _, k := range kinds {
		for _, c := range []string{planner.DriftModified, planner.DriftDeleted, planner.DriftUnmanaged} {
			keys = append(keys, [2]string{k, c})
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "cdstack_drift_resources{stack=%q,kind=%q,class=%q} %d\n", stack, k[0], k[1], counts[k])
	}
	reads := map[string]int{}
	for _, d := range items {
		if d.Class == planner.DriftRead {
			reads[d.Kind]++
		}
	}
	fmt.Fprintln(w, "# HELP cdstack_drift_reads Values the stack reads and does not own (data sources, other stacks' outputs) that changed since its last apply, by source.")
	fmt.Fprintln(w, "# TYPE cdstack_drift_reads gauge")
	for _, src := range []string{"data", "stack"} {
		fmt.Fprintf(w, "cdstack_drift_reads{stack=%q,source=%q} %d\n", stack, src, reads[src])
	}
	fmt.Fprintln(w, "# HELP cdstack_drift_last_run_timestamp_seconds When drift was last checked.")
	fmt.Fprintln(w, "# TYPE cdstack_drift_last_run_timestamp_seconds gauge")
	fmt.Fprintf(w, "cdstack_drift_last_run_timestamp_seconds{stack=%q} %d\n", stack, at.Unix())
}
