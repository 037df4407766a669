package resources

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(mysqlKind{}) }

// mysqlKind is a MySQL database (/mysql/): its size, disk, accounts,
// parameters and backup policy.
type mysqlKind struct{}

func (mysqlKind) Name() string { return "mysql" }

func (mysqlKind) Fields() []Field {
	return []Field{
		{Name: "vdc"}, {Name: "network", Unobservable: true}, {Name: "name"}, {Name: "region"},
		{Name: "version"}, {Name: "architecture"},
		{Name: "cpu", Update: "ModifyDBInstanceSpec"}, {Name: "ram", Update: "ModifyDBInstanceSpec"},
		{Name: "disk_type", Unobservable: true}, {Name: "disk_size", Update: "ModifyDBInstanceSpec"},
		{Name: "port"}, {Name: "time_zone", Unobservable: true},
		{Name: "backup", Update: "ModifyDbBackupPolicy", Unobservable: true},
		{Name: "parameters", Update: "ModifyDBParameter"},
		{Name: "accounts", Update: "CreatePrivilegedAccount/ModifyDbPrivilege/DeleteDbPrivilege/DeleteDBAccount"},
	}
}

// mysqlArchitectures maps the stack's architecture to the catalogue's type.
var mysqlArchitectures = map[string]int{"basic": 0, "ha": 1}

func (mysqlKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	set := func(k string, v any) {
		if !out.Has(k) {
			out[k] = v
		}
	}
	set("region", region)
	set("port", int64(3306))
	set("time_zone", "+08:00")
	set("parameters", map[string]any{})
	set("accounts", []any{})
	params := map[string]any{}
	for k, v := range out.Map("parameters") {
		params[k] = paramText(v)
	}
	out["parameters"] = params
	out["accounts"] = normalizeAccounts(out.Maps("accounts"))
	if b := Inputs(out.Map("backup")); b != nil {
		if !b.Has("enabled") {
			b["enabled"] = true
		}
		var days []int
		for _, d := range b.List("weekdays") {
			days = append(days, Inputs{"d": d}.Int("d"))
		}
		sort.Ints(days)
		list := []any{}
		for i, d := range days {
			if i == 0 || d != days[i-1] {
				list = append(list, int64(d))
			}
		}
		b["weekdays"] = list
		out["backup"] = map[string]any(b)
	}
	return out
}

// paramText is a parameter value as the API holds it: text.
func paramText(v any) string {
	switch t := Canon(v).(type) {
	case string:
		return t
	case bool:
		if t {
			return "1"
		}
		return "0"
	default:
		return fmt.Sprint(t)
	}
}

// normalizeAccounts sorts accounts by name and privileges by database,
// with the type Normal by default; passwords are not in the inputs.
func normalizeAccounts(list []map[string]any) []any {
	out := []any{}
	for _, m := range list {
		a := Inputs(m)
		typ := a.String("type")
		if typ == "" {
			typ = "Normal"
		}
		privs := []any{}
		for _, p := range a.Maps("privileges") {
			privs = append(privs, map[string]any{"database": Inputs(p).String("database"), "privilege": Inputs(p).String("privilege")})
		}
		sort.Slice(privs, func(i, j int) bool {
			return privs[i].(map[string]any)["database"].(string) < privs[j].(map[string]any)["database"].(string)
		})
		acct := map[string]any{"name": a.String("name"), "type": typ, "privileges": privs}
		out = append(out, acct)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].(map[string]any)["name"].(string) < out[j].(map[string]any)["name"].(string)
	})
	return out
}

// SplitSecrets takes each account's password out of accounts: the secret
// "accounts.NAME.password" holds it, the inputs never do.
func (mysqlKind) SplitSecrets(field string, v any) (any, map[string]string) {
	if field != "accounts" {
		return v, nil
	}
	list, _ := Canon(v).([]any)
	secrets := map[string]string{}
	clean := make([]any, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			clean = append(clean, e)
			continue
		}
		c := map[string]any{}
		for k, x := range m {
			if k == "password" {
				if s, ok := x.(string); ok {
					secrets[AccountSecret(fmt.Sprint(m["name"]))] = s
				}
				continue
			}
			c[k] = x
		}
		clean = append(clean, c)
	}
	return clean, secrets
}

// AccountSecret is the secret name of an account's password.
func AccountSecret(name string) string { return "accounts." + name + ".password" }

func (k mysqlKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	d, ok := l.Databases[id]
	if !ok || d.Product != "mysql" {
		return nil
	}
	attrs := Inputs{"vdc": d.VdcID, "name": d.InstanceName, "region": d.RegionID, "version": string(d.Version),
		"cpu": int64(d.CPU), "ram": int64(d.RAMGB()), "disk_size": int64(d.Disks), "port": int64(d.Port)}
	if arch := mysqlArchitecture(&d.DBInstance); arch != "" {
		attrs["architecture"] = arch
	}
	var rec Inputs
	if recorded != nil {
		rec = recorded.Inputs
	}
	if d.Accounts != nil {
		attrs["accounts"] = observedAccounts(d.Accounts, rec)
	}
	if d.Parameters != nil {
		attrs["parameters"] = observedParameters(d.Parameters, rec)
	}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: dbBusy(d.Status), Attrs: attrs, Raw: d, Outputs: dbOutputs(id, d.IP, int(d.Port), d.Status)}
}

// mysqlArchitecture reads basic or ha from the sub-product, "" when unknown.
func mysqlArchitecture(d *cloud.DBInstance) string {
	key, name := strings.ToLower(d.SubProductKey), d.SubProductName
	switch {
	case strings.Contains(key, "replication") || strings.Contains(name, "高可用") || strings.Contains(name, "主从"):
		return "ha"
	case strings.Contains(key, "basic") || strings.Contains(name, "基础"):
		return "basic"
	}
	return ""
}

// observedAccounts are the live accounts the record manages, shaped like
// the stack's.
func observedAccounts(live []cloud.DBAccount, rec Inputs) []any {
	managed := map[string]bool{}
	for _, a := range rec.Maps("accounts") {
		managed[Inputs(a).String("name")] = true
	}
	var list []map[string]any
	for _, a := range live {
		if !managed[a.AccountName] {
			continue
		}
		privs := []any{}
		for _, p := range a.DatabasePrivileges {
			privs = append(privs, map[string]any{"database": p.DBName, "privilege": p.AccountPrivilegeType})
		}
		list = append(list, map[string]any{"name": a.AccountName, "type": a.AccountType, "privileges": privs})
	}
	return normalizeAccounts(list)
}

// observedParameters are the live values of the parameters the record names.
func observedParameters(live []cloud.DBParameter, rec Inputs) map[string]any {
	managed := rec.Map("parameters")
	out := map[string]any{}
	for _, p := range live {
		if _, ok := managed[p.Name]; ok {
			out[p.Name] = string(p.CurrentValue)
		}
	}
	return out
}

func (mysqlKind) Differs(field string, desired, actual Inputs) bool {
	switch field {
	case "version":
		return dbVersionDiffers(desired, actual)
	case "parameters":
		have := actual.Map(field)
		for k, v := range desired.Map(field) {
			if paramText(v) != paramText(have[k]) || have[k] == nil {
				return true
			}
		}
		return false
	}
	return defaultDiffers(field, desired, actual)
}

func (k mysqlKind) Replaces(field string, desired, actual Inputs) bool {
	if field == "disk_size" {
		return desired.Int(field) < actual.Int(field)
	}
	return defaultReplaces(k, field)
}

// ReplaceReason says why a change replaces the database.
func (mysqlKind) ReplaceReason(field string, desired, actual Inputs) string {
	switch field {
	case "name":
		return fmt.Sprintf("name: MySQL has no rename action (%s → %s)", actual.String("name"), desired.String("name"))
	case "disk_size":
		return fmt.Sprintf("disk_size: a MySQL disk only grows (%d GB → %d GB)", actual.Int(field), desired.Int(field))
	}
	return ""
}

func (mysqlKind) Scope(in Inputs) string { return in.String("vdc") }

func (mysqlKind) FindByName(l *Live, in Inputs) string { return findDatabase(l, "mysql", in) }

func (mysqlKind) Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, wait Waiter) (string, error) {
	my := c.MySQL()
	cfg, err := my.DescribeAvailableDBConfig(ctx, in.String("region"))
	if err != nil {
		return "", err
	}
	arch, ok := cfg.Architecture(in.String("version"), mysqlArchitectures[in.String("architecture")])
	if !ok {
		return "", fmt.Errorf("mysql: %s %s is not on sale in %s", in.String("version"), in.String("architecture"), in.String("region"))
	}
	goods, err := pickSize("mysql", arch.Sizes(), in.Int("cpu"), in.Int("ram"))
	if err != nil {
		return "", err
	}
	task, ids, err := my.CreateDBInstance(ctx, cloud.CreateMySQLRequest{RegionID: in.String("region"), VdcID: in.String("vdc"),
		BasePipeID: in.String("network"), InstanceName: in.String("name"), PaasGoodsID: goods, DiskType: in.String("disk_type"),
		DiskValue: in.Int("disk_size"), TimeZone: in.String("time_zone"), ServicePort: in.Int("port"), Amount: 1})
	if err != nil {
		return "", err
	}
	id, err := createdID(ctx, wait, task, ids)
	if err != nil {
		return id, err
	}
	step := stepper(ctx, wait)
	if err := updateAccounts(ctx, my, id, nil, in.Maps("accounts"), nil, secrets, step); err != nil {
		return id, err
	}
	if err := setParameters(ctx, my, id, in.Map("parameters"), nil, step); err != nil {
		return id, err
	}
	if b := Inputs(in.Map("backup")); b != nil {
		if err := step(my.ModifyDbBackupPolicy(ctx, backupRequest(id, b))); err != nil {
			return id, fmt.Errorf("backup policy: %w", err)
		}
	}
	return id, nil
}

func backupRequest(id string, b Inputs) cloud.ModifyDbBackupPolicyRequest {
	days := []string{}
	for _, d := range b.List("weekdays") {
		days = append(days, fmt.Sprint(d))
	}
	return cloud.ModifyDbBackupPolicyRequest{InstanceUUID: id, DataBackups: cloud.DataBackups{TimeSlot: b.String("window"), DateList: days, Sign: boolInt(b.Bool("enabled", true))}}
}

// setParameters sets the parameters of want whose value differs from have.
func setParameters(ctx context.Context, my cloud.MySQL, id string, want, have map[string]any, step func(string, error) error) error {
	var set []cloud.ParameterValue
	for _, name := range sortedMapKeys(want) {
		if v := paramText(want[name]); have == nil || have[name] == nil || paramText(have[name]) != v {
			set = append(set, cloud.ParameterValue{Name: name, Value: v})
		}
	}
	if len(set) == 0 {
		return nil
	}
	if err := step(my.ModifyDBParameter(ctx, cloud.ModifyDBParameterRequest{InstanceUUID: id, Parameters: set})); err != nil {
		return fmt.Errorf("parameters: %w", err)
	}
	return nil
}

func sortedMapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// updateAccounts moves the accounts from have to want: creates the missing
// ones (and re-creates those whose password changed), grants and revokes
// rights, deletes the ones want no longer has.
func updateAccounts(ctx context.Context, my cloud.MySQL, id string, have, want []map[string]any, repass map[string]bool, secrets map[string]string, step func(string, error) error) error {
	byName := map[string]Inputs{}
	for _, a := range have {
		byName[Inputs(a).String("name")] = a
	}
	wanted := map[string]bool{}
	for _, m := range want {
		a := Inputs(m)
		name := a.String("name")
		wanted[name] = true
		old, exists := byName[name]
		if exists && (repass[name] || old.String("type") != a.String("type")) {
			if err := step(my.DeleteDBAccount(ctx, cloud.DeleteDBAccountRequest{InstanceUUID: id, AccountName: name})); err != nil {
				return fmt.Errorf("account %s: %w", name, err)
			}
			exists, old = false, nil
		}
		if !exists {
			pw, ok := secrets[AccountSecret(name)]
			if !ok {
				return fmt.Errorf("account %s: no password (set accounts[].password)", name)
			}
			if err := step(my.CreatePrivilegedAccount(ctx, cloud.CreatePrivilegedAccountRequest{InstanceUUID: id, AccountName: name,
				Password: pw, AccountType: a.String("type")})); err != nil {
				return fmt.Errorf("account %s: %w", name, err)
			}
		}
		if err := grant(ctx, my, id, name, old, a, step); err != nil {
			return err
		}
	}
	for _, a := range have {
		if name := Inputs(a).String("name"); !wanted[name] {
			if err := step(my.DeleteDBAccount(ctx, cloud.DeleteDBAccountRequest{InstanceUUID: id, AccountName: name})); err != nil {
				return fmt.Errorf("account %s: %w", name, err)
			}
		}
	}
	return nil
}

// grant gives a Normal account the rights of want it lacks and takes away
// those it has beyond them.
func grant(ctx context.Context, my cloud.MySQL, id, name string, have, want Inputs, step func(string, error) error) error {
	if want.String("type") != "Normal" {
		return nil
	}
	cur := map[string]string{}
	for _, p := range have.Maps("privileges") {
		cur[Inputs(p).String("database")] = Inputs(p).String("privilege")
	}
	var ops []cloud.DBOperation
	keep := map[string]bool{}
	for _, p := range want.Maps("privileges") {
		db, priv := Inputs(p).String("database"), Inputs(p).String("privilege")
		keep[db] = true
		if cur[db] != priv {
			ops = append(ops, cloud.DBOperation{DBName: db, Privilege: priv})
		}
	}
	if len(ops) > 0 {
		if err := step(my.ModifyDbPrivilege(ctx, cloud.ModifyDbPrivilegeRequest{InstanceUUID: id, AccountName: name, Operations: ops})); err != nil {
			return fmt.Errorf("account %s: %w", name, err)
		}
	}
	var drop []string
	for _, db := range sortedStringKeys(cur) {
		if !keep[db] {
			drop = append(drop, db)
		}
	}
	if len(drop) > 0 {
		if err := step(my.DeleteDbPrivilege(ctx, cloud.DeleteDbPrivilegeRequest{InstanceUUID: id, AccountName: name, DBNames: drop})); err != nil {
			return fmt.Errorf("account %s: %w", name, err)
		}
	}
	return nil
}

func sortedStringKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (mysqlKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, secrets map[string]string, wait Waiter) error {
	my, step := c.MySQL(), stepper(ctx, wait)
	changed := map[string]bool{}
	repass := map[string]bool{}
	for _, f := range fields {
		changed[f] = true
		if name, ok := strings.CutPrefix(f, "accounts."); ok {
			repass[strings.TrimSuffix(name, ".password")] = true
			changed["accounts"] = true
		}
	}
	if changed["cpu"] || changed["ram"] || changed["disk_size"] {
		if err := resizeMySQL(ctx, my, id, live.Attrs, to, step); err != nil {
			return err
		}
	}
	if changed["parameters"] {
		if err := setParameters(ctx, my, id, to.Map("parameters"), live.Attrs.Map("parameters"), step); err != nil {
			return err
		}
	}
	if b := Inputs(to.Map("backup")); changed["backup"] && b != nil {
		if err := step(my.ModifyDbBackupPolicy(ctx, backupRequest(id, b))); err != nil {
			return fmt.Errorf("backup policy: %w", err)
		}
	}
	if changed["accounts"] {
		if err := updateAccounts(ctx, my, id, live.Attrs.Maps("accounts"), to.Maps("accounts"), repass, secrets, step); err != nil {
			return err
		}
	}
	return nil
}

// resizeMySQL resizes a database or replica in one ModifyDBInstanceSpec:
// the new size's PaasGoodsId from DescribeModifiableDBSpec, and the disk GB
// to ADD (DiskValue is an increment, of the type the disk was bought with).
func resizeMySQL(ctx context.Context, my cloud.MySQL, id string, have, to Inputs, step func(string, error) error) error {
	req := cloud.ModifyMySQLSpecRequest{InstanceUUID: id}
	if to.Int("cpu") != have.Int("cpu") || to.Int("ram") != have.Int("ram") {
		spec, err := my.DescribeModifiableDBSpec(ctx, id)
		if err != nil {
			return err
		}
		if req.PaasGoodsID, err = pickSize("resize", spec.CPURAM, to.Int("cpu"), to.Int("ram")); err != nil {
			return err
		}
	}
	if add := to.Int("disk_size") - have.Int("disk_size"); add > 0 {
		req.DiskType, req.DiskValue = to.String("disk_type"), add
	}
	if req.PaasGoodsID == 0 && req.DiskValue == 0 {
		return nil
	}
	return step(my.ModifyDBInstanceSpec(ctx, req))
}

func (mysqlKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.MySQL().DeleteDBInstance(ctx, id))
}
