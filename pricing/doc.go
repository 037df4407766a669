// Package pricing says what a stack costs: the monthly estimate of a plan,
// change by change, from the API's own quotes, and what the stack actually
// spent in a month, from the bill.
//
// Estimates:
//   - A month is 730 hours. DescribeInstancePrice quotes PostPaid instances
//     by the hour (× 730) and PrePaid ones for the months bought (÷ the
//     months); VDCBandwidthUnitPrice quotes fixed bandwidth per Mbps and
//     addresses per address, by the day (× 730/24).
//   - Traffic, DataPackage and Bandwidth_95 bandwidth is billed by use: its
//     unit price is shown, marked usage-based, and left out of the figures
//     (the addresses of such a network are still priced by the day).
//   - One quote per distinct configuration and per (region, bandwidth type,
//     billing method): a thousand identical instances cost one call.
//   - VDCs, private networks, security groups and tags have no price;
//     templates have no quote action, so they are not priced.
//   - Load balancers have no documented price (负载均衡概览.md has no price
//     action): each such change carries Cost.NotPriced with why, the plan's
//     totals list them in CostSummary.NotPriced and leave them out, so a
//     load balancer is never counted as free. Certificates are uploaded
//     files with no charge of their own.
//   - The currency is the one the quotes name (¥ when none does).
//   - Quotes come through the client's catalogue cache. A plan that buys
//     nothing (Buys false: no changes, or only deletes) asks for none: it is
//     priced from the cache whatever the quotes' age, or not at all
//     (cloud.ErrNotCached).
//   - Before: a record the plan updates or replaces is priced as the cloud
//     shows it (a size changed by hand), every other as recorded.
//
// Spend (cdstack cost): one DescribeBill for the month, joined with the
// state's resource ids; a public network's address segments are billed
// under their own ids and are counted to their network. Bill items in the
// stack's VDCs that no record holds are the unmanaged spend.
package pricing
