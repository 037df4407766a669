package resources

import (
	"context"
	"fmt"
	"strings"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(redisKind{}) }

// redisKind is a Redis database. The documents give Redis no modify
// action: every change replaces it, the password's too.
type redisKind struct{}

func (redisKind) Name() string { return "redis" }

func (redisKind) Fields() []Field {
	return []Field{
		{Name: "vdc"}, {Name: "network", Unobservable: true}, {Name: "name"}, {Name: "region"},
		{Name: "version"}, {Name: "architecture"}, {Name: "ram"},
		{Name: "password", Sensitive: true, Unobservable: true}, {Name: "port"},
	}
}

// redisArchitectures maps the stack's architecture to the catalogue's type.
var redisArchitectures = map[string]int{"ha": 1, "cluster": 2, "economy": 3}

func (redisKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	if !out.Has("region") {
		out["region"] = region
	}
	if !out.Has("port") {
		out["port"] = int64(9736)
	}
	return out
}

func (k redisKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	d, ok := l.Databases[id]
	if !ok || d.Product != "redis" {
		return nil
	}
	attrs := Inputs{"vdc": d.VdcID, "name": d.InstanceName, "region": d.RegionID, "version": string(d.Version),
		"ram": int64(d.RAMGB()), "port": int64(d.Port)}
	if a := redisArchitecture(&d.DBInstance); a != "" {
		attrs["architecture"] = a
	}
	unobserved(k, attrs, recorded)
	return &Observation{ID: id, Busy: dbBusy(d.Status), Attrs: attrs, Raw: d, Outputs: dbOutputs(id, d.IP, int(d.Port), d.Status)}
}

// redisArchitecture reads ha, cluster or economy from the sub-product.
func redisArchitecture(d *cloud.DBInstance) string {
	key, name := strings.ToLower(d.SubProductKey), d.SubProductName
	switch {
	case strings.Contains(key, "economy") || strings.Contains(name, "经济"):
		return "economy"
	case strings.Contains(key, "cluster") || strings.Contains(name, "集群"):
		return "cluster"
	case strings.Contains(key, "replication") || strings.Contains(name, "主从"):
		return "ha"
	}
	return ""
}

func (redisKind) Differs(field string, desired, actual Inputs) bool {
	switch field {
	case "version":
		return dbVersionDiffers(desired, actual)
	case "password":
		return false // compared as a hash by the planner
	}
	return defaultDiffers(field, desired, actual)
}

func (k redisKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

// ReplaceReason says why: Redis has no modify action at all.
func (redisKind) ReplaceReason(field string, desired, actual Inputs) string {
	if field == "password" {
		return "password: the Redis API has no action that changes a password"
	}
	return fmt.Sprintf("%s: the Redis API has no modify action", field)
}

func (redisKind) Scope(in Inputs) string { return in.String("vdc") }

func (redisKind) FindByName(l *Live, in Inputs) string { return findDatabase(l, "redis", in) }

func (redisKind) Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, wait Waiter) (string, error) {
	rd := c.Redis()
	cfg, err := rd.DescribeAvailableDBConfig(ctx, in.String("region"))
	if err != nil {
		return "", err
	}
	arch, ok := cfg.Architecture(in.String("version"), redisArchitectures[in.String("architecture")])
	if !ok {
		return "", fmt.Errorf("redis: %s %s is not on sale in %s", in.String("version"), in.String("architecture"), in.String("region"))
	}
	goods, err := pickSize("redis", arch.Sizes(), 0, in.Int("ram"))
	if err != nil {
		return "", err
	}
	task, ids, err := rd.CreateDBInstance(ctx, cloud.CreateRedisRequest{RegionID: in.String("region"), VdcID: in.String("vdc"),
		BasePipeID: in.String("network"), InstanceName: in.String("name"), PaasGoodsID: goods, Password: secrets["password"],
		ServicePort: in.Int("port"), Amount: 1})
	if err != nil {
		return "", err
	}
	return createdID(ctx, wait, task, ids)
}

func (redisKind) Update(context.Context, *cloud.Client, string, *Observation, Inputs, []string, map[string]string, Waiter) error {
	return nil // every change replaces
}

func (redisKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.Redis().DeleteDBInstance(ctx, id))
}
