package resources

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

// A LiveDatabase is a MySQL, Redis or MongoDB database as its product's
// listing shows it, with the MySQL accounts and parameters when they were
// read (nil when not).
type LiveDatabase struct {
	cloud.DBInstance
	Product    string
	Accounts   []cloud.DBAccount
	Parameters []cloud.DBParameter
}

// A LiveReplica is a MySQL read-only replica and its source.
type LiveReplica struct {
	cloud.DBReadOnly
	SourceID string
	Source   *cloud.DBInstance
}

// ProductOf returns the database product of a kind ("" for the others).
func ProductOf(kind string) string {
	switch kind {
	case "mysql", "mysql_readonly":
		return "mysql"
	case "redis", "mongodb":
		return kind
	}
	return ""
}

// listDatabases lists one product's databases: one DescribeDBInstances
// (it takes no region and lists every region).
func listDatabases(ctx context.Context, c *cloud.Client, product string, r cloud.DescribeDBInstancesRequest) ([]cloud.DBInstance, error) {
	switch product {
	case "mysql":
		return c.MySQL().DescribeDBInstances(ctx, r)
	case "redis":
		return c.Redis().DescribeDBInstances(ctx, r)
	case "mongodb":
		return c.MongoDB().DescribeDBInstances(ctx, r)
	}
	return nil, fmt.Errorf("database product %q is unknown", product)
}

// addDatabaseList indexes a product's listing and the replicas in it.
func (l *Live) addDatabaseList(product string, list []cloud.DBInstance) {
	for i := range list {
		d := &list[i]
		l.Databases[d.InstanceUUID] = &LiveDatabase{DBInstance: *d, Product: product}
		for _, r := range d.RoGroups {
			l.Replicas[r.ServiceID] = &LiveReplica{DBReadOnly: r, SourceID: d.InstanceUUID, Source: &l.Databases[d.InstanceUUID].DBInstance}
		}
	}
}

// addDatabases makes the database calls of sc: one listing per product,
// then the accounts and parameters of the MySQL databases that manage them.
func (l *Live) addDatabases(ctx context.Context, c *cloud.Client, sc Scope) error {
	for _, product := range slices.Compact(sortedStrings(sc.Products)) {
		if l.ListedProducts[product] {
			continue // listed for the refresh already (extend)
		}
		list, err := listDatabases(ctx, c, product, cloud.DescribeDBInstancesRequest{})
		if err != nil {
			return fmt.Errorf("refresh %s databases: %w", product, err)
		}
		l.addDatabaseList(product, list)
		l.ListedProducts[product] = true
	}
	return l.addMySQLDetails(ctx, c, sc.DBAccounts, sc.DBParameters)
}

// addMySQLDetails reads the accounts and parameters of databases in the view.
func (l *Live) addMySQLDetails(ctx context.Context, c *cloud.Client, accounts, parameters []string) error {
	for _, id := range slices.Compact(sortedStrings(accounts)) {
		d := l.Databases[id]
		if d == nil || d.Product != "mysql" {
			continue
		}
		list, err := c.MySQL().DescribeDBAccount(ctx, id)
		if err != nil {
			return fmt.Errorf("refresh accounts of MySQL %s: %w", id, err)
		}
		d.Accounts = orEmptyAccounts(list)
	}
	for _, id := range slices.Compact(sortedStrings(parameters)) {
		d := l.Databases[id]
		if d == nil || d.Product != "mysql" {
			continue
		}
		list, err := c.MySQL().DescribeDBParameter(ctx, id)
		if err != nil {
			return fmt.Errorf("refresh parameters of MySQL %s: %w", id, err)
		}
		d.Parameters = list
	}
	return nil
}

func orEmptyAccounts(l []cloud.DBAccount) []cloud.DBAccount {
	if l == nil {
		return []cloud.DBAccount{}
	}
	return l
}

// readBackDatabase reads one database (a replica: its source) by id.
func (l *Live) readBackDatabase(ctx context.Context, c *cloud.Client, kind, id string, recorded *Recorded) error {
	product, lookup := ProductOf(kind), id
	if kind == "mysql_readonly" {
		lookup = ""
		if recorded != nil {
			lookup = recorded.Inputs.String("source")
		}
	}
	list, err := listDatabases(ctx, c, product, cloud.DescribeDBInstancesRequest{InstanceUUID: lookup})
	if err != nil {
		return err
	}
	l.addDatabaseList(product, list)
	l.ListedProducts[product] = true
	if kind != "mysql" || recorded == nil {
		return nil
	}
	var accounts, parameters []string
	if len(recorded.Inputs.Maps("accounts")) > 0 {
		accounts = []string{id}
	}
	if len(recorded.Inputs.Map("parameters")) > 0 {
		parameters = []string{id}
	}
	return l.addMySQLDetails(ctx, c, accounts, parameters)
}

// DatabaseScope adds to sc what observing a recorded database needs.
func DatabaseScope(sc *Scope, kind, id string, recorded Inputs) {
	p := ProductOf(kind)
	if p == "" {
		return
	}
	sc.Products = append(sc.Products, p)
	if kind != "mysql" || id == "" {
		return
	}
	if len(recorded.Maps("accounts")) > 0 {
		sc.DBAccounts = append(sc.DBAccounts, id)
	}
	if len(recorded.Map("parameters")) > 0 {
		sc.DBParameters = append(sc.DBParameters, id)
	}
}

// dbBusy reports whether a database is being changed.
func dbBusy(status string) bool { return !strings.EqualFold(status, "RUNNING") }

// findDatabase returns the id of the live database of product named like
// in within its VDC.
func findDatabase(l *Live, product string, in Inputs) string {
	var ids []string
	for id, d := range l.Databases {
		if d.Product == product && d.VdcID == in.String("vdc") && d.InstanceName == in.String("name") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// sizeName names a size as the catalogue does (2C4G; Redis: 4G).
func sizeName(cpu, ram int) string {
	if cpu == 0 {
		return fmt.Sprintf("%dG", ram)
	}
	return fmt.Sprintf("%dC%dG", cpu, ram)
}

// sizeNames lists the sizes on sale, for an error.
func sizeNames(sizes []cloud.DBSize) string {
	var out []string
	for _, s := range sizes {
		out = append(out, sizeName(int(s.CPU), int(s.RAM)))
	}
	return strings.Join(out, ", ")
}

// pickSize resolves cpu and ram to a size on sale and its PaasGoodsId.
func pickSize(what string, sizes []cloud.DBSize, cpu, ram int) (int, error) {
	s, ok := cloud.FindSize(sizes, cpu, ram)
	if !ok {
		return 0, fmt.Errorf("%s: no %s size on sale (on sale: %s)", what, sizeName(cpu, ram), sizeNames(sizes))
	}
	return int(s.PaasGoodsID), nil
}

// createdID waits for a create's task and returns the new database's id:
// the task's ResourceId, or the id the answer named.
func createdID(ctx context.Context, wait Waiter, task string, ids []string) (string, error) {
	fallback := ""
	if len(ids) > 0 {
		fallback = ids[0]
	}
	return waitID(ctx, wait, task, fallback)
}

// dbVersionDiffers compares versions as the catalogue names them with
// versions as listings show them ("8.0" and "8.0.26").
func dbVersionDiffers(desired, actual Inputs) bool {
	if !desired.Has("version") {
		return false
	}
	return !cloud.VersionMatches(desired.String("version"), actual.String("version"))
}

// dbOutputs are the attributes every database exports.
func dbOutputs(id, ip string, port int, status string) map[string]any {
	return map[string]any{"id": id, "ip": ip, "port": int64(port), "status": status}
}
