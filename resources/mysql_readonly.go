package resources

import (
	"context"
	"fmt"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(mysqlReadOnlyKind{}) }

// mysqlReadOnlyKind is a read-only replica of an ha MySQL database. Its id
// appears only in its source's RoGroups (ServiceId).
type mysqlReadOnlyKind struct{}

func (mysqlReadOnlyKind) Name() string { return "mysql_readonly" }

func (mysqlReadOnlyKind) Fields() []Field {
	return []Field{
		{Name: "source"}, {Name: "name"},
		{Name: "cpu", Update: "ModifyDBInstanceSpec"}, {Name: "ram", Update: "ModifyDBInstanceSpec"},
		{Name: "disk_type", Unobservable: true}, {Name: "disk_size", Update: "ModifyDBInstanceSpec"},
		{Name: "port"},
	}
}

func (mysqlReadOnlyKind) Normalize(in Inputs, _ string) Inputs { return copyInputs(in) }

func (k mysqlReadOnlyKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	r, ok := l.Replicas[id]
	if !ok {
		return nil
	}
	attrs := Inputs{"source": r.SourceID, "name": r.ServiceName, "cpu": int64(r.CPU), "ram": int64(r.RAM) / 1024, "port": int64(r.Port)}
	if r.Disks > 0 {
		attrs["disk_size"] = int64(r.Disks) // not in the documents' RoGroups
	}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: dbBusy(r.Status), Attrs: attrs, Raw: r, Outputs: dbOutputs(id, r.IP, int(r.Port), r.Status)}
}

func (mysqlReadOnlyKind) Differs(field string, desired, actual Inputs) bool {
	if field == "port" && !desired.Has("port") {
		return false // the source's port by default
	}
	return defaultDiffers(field, desired, actual)
}

func (k mysqlReadOnlyKind) Replaces(field string, desired, actual Inputs) bool {
	if field == "disk_size" {
		return desired.Int(field) < actual.Int(field)
	}
	return defaultReplaces(k, field)
}

// ReplaceReason says why a change replaces the replica.
func (mysqlReadOnlyKind) ReplaceReason(field string, desired, actual Inputs) string {
	switch field {
	case "name":
		return fmt.Sprintf("name: MySQL has no rename action (%s → %s)", actual.String("name"), desired.String("name"))
	case "disk_size":
		return fmt.Sprintf("disk_size: a MySQL disk only grows (%d GB → %d GB)", actual.Int(field), desired.Int(field))
	}
	return ""
}

func (mysqlReadOnlyKind) Scope(in Inputs) string { return in.String("source") }

func (mysqlReadOnlyKind) FindByName(l *Live, in Inputs) string {
	for id, r := range l.Replicas {
		if r.SourceID == in.String("source") && r.ServiceName == in.String("name") {
			return id
		}
	}
	return ""
}

func (mysqlReadOnlyKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	my := c.MySQL()
	cfg, err := my.DescribeAvailableReadOnlyConfig(ctx, in.String("source"))
	if err != nil {
		return "", err
	}
	goods, err := pickSize("mysql_readonly", cfg.Sizes(), in.Int("cpu"), in.Int("ram"))
	if err != nil {
		return "", err
	}
	task, ids, err := my.CreateReadOnlyDBInstance(ctx, cloud.CreateReadOnlyRequest{InstanceUUID: in.String("source"), InstanceName: in.String("name"),
		PaasGoodsID: goods, DiskType: in.String("disk_type"), DiskValue: in.Int("disk_size"), ServicePort: in.Int("port"), Amount: 1})
	if err != nil {
		return "", err
	}
	return createdID(ctx, wait, task, ids)
}

func (mysqlReadOnlyKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, _ []string, _ map[string]string, wait Waiter) error {
	return resizeMySQL(ctx, c.MySQL(), id, live.Attrs, to, stepper(ctx, wait))
}

func (mysqlReadOnlyKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.MySQL().DeleteDBInstance(ctx, id))
}
