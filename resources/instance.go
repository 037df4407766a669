package resources

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(instanceKind{}) }

type instanceKind struct{}

func (instanceKind) Name() string { return "instance" }

func (instanceKind) Fields() []Field {
	return []Field{
		{Name: "vdc"}, {Name: "name", Update: "ModifyInstanceName"}, {Name: "instance_type", Update: "ModifyInstanceSpec"},
		{Name: "cpu", Update: "ModifyInstanceSpec"}, {Name: "ram", Update: "ModifyInstanceSpec"},
		{Name: "image", Update: "ResetImage", Destructive: true},
		{Name: "password", Update: "ResetInstancesPassword", Sensitive: true, Unobservable: true},
		{Name: "image_password", Update: RecordOnly, Sensitive: true, Unobservable: true},
		{Name: "system_disk", Update: "ExtendSystemDisk"},
		{Name: "region"},
		{Name: "charge_type", Update: "ModifyInstanceChargeType"},
		{Name: "auto_renew", Update: "ModifyInstanceChargeType", Unobservable: true},
		{Name: "prepaid_month", Update: "ModifyInstanceChargeType", Unobservable: true},
		{Name: "data_disks", Update: "CreateDisk/ResizeDisk/DeleteDisk"},
		{Name: "public_ip", Update: "ModifyIpAddress"},
		{Name: "private_ips", Update: "ModifyIpAddress"},
		{Name: "security_groups", Update: "JoinNSG/LeaveNSG (public group → public interface, private group → private ones)"},
		{Name: "power", Update: "StopInstance/StartInstance"},
		{Name: "tags", Update: "AddInstancesTags/DeleteInstancesTags"},
		// The current documents' options; DescribeInstances reports none of
		// them, so they are recorded, not observed.
		{Name: "user_data", Update: "ResetImage", Destructive: true, Sensitive: true, Unobservable: true},
		{Name: "public_key", Update: "ResetImage", Destructive: true, Unobservable: true},
		{Name: "deletion_protection", Update: "ModifyInstanceAttribute", Unobservable: true},
		{Name: "dedicated_host", Unobservable: true},
	}
}

func (instanceKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	set := func(k string, v any) {
		if !out.Has(k) {
			out[k] = v
		}
	}
	set("region", region)
	set("charge_type", "PostPaid")
	set("power", "running")
	set("public_ip", "")
	set("data_disks", []any{})
	set("private_ips", []any{})
	set("security_groups", []any{})
	if out.String("charge_type") == "PrePaid" {
		set("auto_renew", true)
		set("prepaid_month", int64(0))
	} else {
		delete(out, "auto_renew")
		delete(out, "prepaid_month")
	}
	var ips []any
	for _, m := range out.Maps("private_ips") {
		ip := Inputs(m)
		if !ip.Has("ip") {
			ip = Inputs{"network": m["network"], "ip": "auto"}
		}
		ips = append(ips, map[string]any(ip))
	}
	out["private_ips"] = orEmpty(ips)
	if groups := out.List("security_groups"); len(out.Strings("security_groups")) == len(groups) {
		out["security_groups"] = toAny(sortedStrings(out.Strings("security_groups")))
	}
	set("tags", []any{})
	if tags := out.List("tags"); len(out.Strings("tags")) == len(tags) {
		out["tags"] = toAny(slices.Compact(sortedStrings(out.Strings("tags"))))
	}
	if d := Inputs(out.Map("system_disk")); d != nil && !d.Has("type") {
		d["type"] = "system_disk"
		out["system_disk"] = map[string]any(d)
	}
	return out
}

func (k instanceKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	in, ok := l.Instances[id]
	if !ok {
		return nil
	}
	disks := []any{}
	diskIDs := []any{}
	for _, d := range in.Disks.DataDisks {
		disks = append(disks, map[string]any{"size": int64(d.Size), "type": d.Type})
		diskIDs = append(diskIDs, d.DiskID)
	}
	publicIP := ""
	var interfaces []any
	if n := in.PublicInterface(); n != nil {
		publicIP = n.IP
		interfaces = append(interfaces, map[string]any{"id": n.InterfaceID, "network": n.PublicID, "ip": n.IP, "mac": n.MAC, "connected": n.Connected == 1})
	}
	privates, privateIPs := []any{}, []any{}
	for _, n := range in.PrivateNetworkInterface {
		privates = append(privates, map[string]any{"network": n.PrivateID, "ip": n.IP})
		privateIPs = append(privateIPs, n.IP)
		interfaces = append(interfaces, map[string]any{"id": n.InterfaceID, "network": n.PrivateID, "ip": n.IP, "mac": n.MAC, "connected": n.Connected == 1})
	}
	power := string(in.Power())
	attrs := Inputs{"vdc": in.VdcID, "name": in.InstanceName, "cpu": int64(in.CPU), "ram": int64(in.RAM),
		"region": in.RegionID, "charge_type": in.InstanceChargeType, "data_disks": disks,
		"public_ip": publicIP, "private_ips": privates, "power": power, "security_groups": []any{}}
	// The documents show no image or instance type: the record's stand in
	// unless the service sends them.
	if in.ImageID != "" {
		attrs["image"] = in.ImageID
	}
	if in.InstanceType != "" {
		attrs["instance_type"] = in.InstanceType
	}
	if sd := in.Disks.SystemDisk; sd.Size > 0 {
		attrs["system_disk"] = map[string]any{"size": int64(sd.Size), "type": sd.Type}
	}
	tags := []string{}
	for _, t := range in.Tags {
		tags = append(tags, t.TagName)
	}
	attrs["tags"] = toAny(slices.Compact(sortedStrings(tags)))
	if power == "" {
		// A status that is no settled power state (a template being made
		// from it, a reboot): busy, and its power is what was recorded.
		delete(attrs, "power")
	}
	unobserved(k, attrs, recorded)
	observeMembership(l, in, attrs, recorded)
	return &Observation{ID: id, Busy: power == "" && !in.Failed(), Failed: in.Failed(), Attrs: attrs, Raw: in, Outputs: map[string]any{"id": id, "status": in.InstanceStatus,
		"public_ip": publicIP, "private_ips": privateIPs, "disk_ids": diskIDs, "interfaces": orEmpty(interfaces)}}
}

func (instanceKind) Differs(field string, desired, actual Inputs) bool {
	switch field {
	case "public_ip":
		if desired.String("public_ip") == "auto" {
			return actual.String("public_ip") == ""
		}
	case "private_ips":
		want, have := desired.Maps("private_ips"), actual.Maps("private_ips")
		if len(want) != len(have) {
			return true
		}
		for i := range want {
			if want[i]["network"] != have[i]["network"] || want[i]["ip"] != "auto" && want[i]["ip"] != have[i]["ip"] {
				return true
			}
		}
		return false
	case "security_groups", "tags":
		return !Equal(toAny(sortedStrings(desired.Strings(field))), toAny(sortedStrings(actual.Strings(field))))
	case "password":
		return false // compared as a hash by the planner
	case "system_disk":
		want, have := Inputs(desired.Map(field)), Inputs(actual.Map(field))
		if want == nil {
			return false // the image's default
		}
		return want.Int("size") != have.Int("size") && want.Has("size") || want.String("type") != have.String("type")
	}
	return defaultDiffers(field, desired, actual)
}

func (k instanceKind) Replaces(field string, desired, actual Inputs) bool {
	switch field {
	case "data_disks":
		want, have := desired.Maps(field), actual.Maps(field)
		for i := 0; i < len(want) && i < len(have); i++ {
			if want[i]["type"] != have[i]["type"] || Inputs(want[i]).Int("size") < Inputs(have[i]).Int("size") {
				return true // a disk cannot change type or shrink
			}
		}
		return false
	case "public_ip":
		return actual.String("public_ip") == "" && desired.String("public_ip") != ""
	case "private_ips":
		want, have := desired.Maps(field), actual.Maps(field)
		if len(want) != len(have) {
			return true
		}
		for i := range want {
			if want[i]["network"] != have[i]["network"] {
				return true
			}
		}
		return false
	case "password", "tags":
		return false // ResetInstancesPassword, Add/DeleteInstancesTags
	case "system_disk":
		// ExtendSystemDisk only grows it and keeps its type.
		want, have := Inputs(desired.Map(field)), Inputs(actual.Map(field))
		return want != nil && have != nil && (want.Int("size") < have.Int("size") || want.String("type") != have.String("type"))
	}
	return defaultReplaces(k, field)
}

// ReplaceReason says why changing field replaces the resource, when the
// Field table does not say it all.
func (instanceKind) ReplaceReason(field string, desired, actual Inputs) string {
	if field != "system_disk" {
		return ""
	}
	want, have := Inputs(desired.Map(field)), Inputs(actual.Map(field))
	if want.String("type") != have.String("type") {
		return fmt.Sprintf("system_disk: the type cannot change in place (%s → %s)", have.String("type"), want.String("type"))
	}
	return fmt.Sprintf("system_disk: a system disk only grows (%d GB → %d GB)", have.Int("size"), want.Int("size"))
}

func (instanceKind) Scope(in Inputs) string { return in.String("vdc") }

func (instanceKind) FindByName(l *Live, in Inputs) string {
	for id, x := range l.Instances {
		if x.VdcID == in.String("vdc") && x.InstanceName == in.String("name") {
			return id
		}
	}
	return ""
}

func (instanceKind) Create(ctx context.Context, c *cloud.Client, in Inputs, secrets map[string]string, wait Waiter) (string, error) {
	req := cloud.CreateInstanceRequest{RegionID: in.String("region"), VdcID: in.String("vdc"), Password: secrets["password"],
		InstanceName: in.String("name"), InstanceChargeType: in.String("charge_type"), CPU: in.Int("cpu"), RAM: in.Int("ram"),
		InstanceType: in.String("instance_type"), ImageID: in.String("image"), Amount: 1}
	if customImage(in["image"]) {
		req.ImagePassword = secrets["image_password"]
	}
	req.UserData = userData(secrets)
	req.PublicKey = in.String("public_key")
	req.DedicatedHostID = in.String("dedicated_host")
	if in.Has("deletion_protection") {
		req.DeletionProtection = cloud.Ptr(in.Bool("deletion_protection", false))
	}
	if in.String("charge_type") == "PrePaid" {
		req.AutoRenew, req.PrepaidMonth = cloud.Ptr(boolInt(in.Bool("auto_renew", true))), cloud.Ptr(in.Int("prepaid_month"))
	}
	for _, d := range in.Maps("data_disks") {
		req.DataDisks = append(req.DataDisks, cloud.DiskSpec{Size: Inputs(d).Int("size"), Type: Inputs(d).String("type")})
	}
	if ip := in.String("public_ip"); ip != "" {
		req.PublicIP = []string{ip}
	}
	if d := Inputs(in.Map("system_disk")); d != nil {
		req.SystemDisk = &cloud.DiskSpec{Size: d.Int("size"), Type: d.String("type")}
	}
	req.LabelNames = in.Strings("tags")
	for _, p := range in.Maps("private_ips") {
		req.PrivateIP = append(req.PrivateIP, cloud.PrivateIPSpec{PrivateID: Inputs(p).String("network"), IP: []string{Inputs(p).String("ip")}})
	}
	pipes, late, err := createPipes(ctx, c, in)
	if err != nil {
		return "", err
	}
	req.SecurityGroups = pipes
	task, err := c.CreateInstance(ctx, req)
	if len(pipes) > 0 && (cloud.IsCode(err, "InvalidPipeId.NotFound") || cloud.IsCode(err, "InvalidSecurityGroupType.Mismatch")) {
		// A network guessed wrong (the VDC changed since it was read):
		// refused before anything was made; the groups join afterwards.
		req.SecurityGroups, pipes, late = nil, nil, in.Strings("security_groups")
		task, err = c.CreateInstance(ctx, req)
	}
	if err != nil {
		return "", err
	}
	id, err := waitID(ctx, wait, task, "")
	if err != nil {
		return "", err
	}
	step := stepper(ctx, wait)
	if err := checkBindings(ctx, c, id, pipes); err != nil {
		return id, err
	}
	if len(late) > 0 {
		if err := setMembership(ctx, c, id, in.Strings("security_groups")); err != nil {
			return id, err
		}
	}
	if in.String("power") == "stopped" {
		if err := step(c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: id})); err != nil {
			return id, err
		}
	}
	return id, nil
}

func (k instanceKind) Update(ctx context.Context, c *cloud.Client, id string, live *Observation, to Inputs, fields []string, secrets map[string]string, wait Waiter) error {
	step := stepper(ctx, wait)
	changed := map[string]bool{}
	for _, f := range fields {
		changed[f] = true
	}
	// Renames and the password answer at once or with one task each.
	if changed["name"] {
		if err := step(c.ModifyInstanceName(ctx, cloud.ModifyInstanceNameRequest{InstanceID: id, InstanceName: to.String("name")})); err != nil {
			return err
		}
	}
	if pw, ok := secrets["password"]; changed["password"] && ok {
		tasks, err := c.ResetInstancesPassword(ctx, cloud.ResetInstancesPasswordRequest{InstanceIDs: []string{id}, Password: pw})
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if err := step(t, nil); err != nil {
				return err
			}
		}
	}
	// Power off first when going to stopped, power on last when going to running.
	if changed["power"] && to.String("power") == "stopped" {
		if err := step(c.StopInstance(ctx, cloud.InstanceRequest{InstanceID: id})); err != nil {
			return err
		}
	}
	if changed["charge_type"] || changed["auto_renew"] || changed["prepaid_month"] {
		req := cloud.ModifyInstanceChargeTypeRequest{InstanceID: id, InstanceChargeType: to.String("charge_type")}
		if to.String("charge_type") == "PrePaid" {
			req.AutoRenew, req.PrepaidMonth = cloud.Ptr(boolInt(to.Bool("auto_renew", true))), cloud.Ptr(to.Int("prepaid_month"))
		}
		if err := step(c.ModifyInstanceChargeType(ctx, req)); err != nil {
			return err
		}
	}
	if changed["cpu"] || changed["ram"] || changed["instance_type"] {
		req := cloud.ModifyInstanceSpecRequest{InstanceID: id, CPU: to.Int("cpu"), RAM: to.Int("ram")}
		if changed["instance_type"] {
			req.InstanceType = to.String("instance_type")
		}
		if err := step(c.ModifyInstanceSpec(ctx, req)); err != nil {
			return err
		}
	}
	if changed["deletion_protection"] {
		if err := step(c.ModifyInstanceAttribute(ctx, cloud.ModifyInstanceAttributeRequest{InstanceIDs: []string{id}, DeletionProtection: to.Bool("deletion_protection", false)})); err != nil {
			return err
		}
	}
	if changed["image"] || changed["user_data"] || changed["public_key"] {
		// A reinstall: the documents take the new user data and key only here.
		req := cloud.ResetImageRequest{InstanceID: id, ImageID: to.String("image"), Password: secrets["password"],
			UserData: userData(secrets), PublicKey: to.String("public_key")}
		if customImage(to["image"]) {
			req.ImagePassword = secrets["image_password"]
		}
		if err := step(c.ResetImage(ctx, req)); err != nil {
			return err
		}
	}
	cur, ok := live.Raw.(*cloud.Instance)
	if !ok {
		return fmt.Errorf("instance %s: no live view to update from", id)
	}
	if changed["data_disks"] {
		if err := updateDisks(ctx, c, id, cur, to.Maps("data_disks"), step); err != nil {
			return err
		}
	}
	if d := Inputs(to.Map("system_disk")); changed["system_disk"] && d != nil {
		if err := step(c.ExtendSystemDisk(ctx, cloud.ExtendSystemDiskRequest{InstanceID: id, Size: d.Int("size")})); err != nil {
			return err
		}
	}
	if changed["tags"] {
		if err := updateTags(ctx, c, id, live.Attrs.Strings("tags"), to.Strings("tags"), step); err != nil {
			return err
		}
	}
	if nic := cur.PublicInterface(); changed["public_ip"] && nic != nil {
		addr := to.String("public_ip")
		if addr == "" {
			addr = "None"
		}
		if addr != "auto" {
			if err := step(c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic.InterfaceID, Address: addr, Password: secrets["password"]})); err != nil {
				return err
			}
		}
	}
	if changed["private_ips"] {
		for i, p := range to.Maps("private_ips") {
			if i >= len(cur.PrivateNetworkInterface) {
				break
			}
			nic := cur.PrivateNetworkInterface[i]
			if ip := Inputs(p).String("ip"); ip != "auto" && ip != nic.IP {
				if err := step(c.ModifyIPAddress(ctx, cloud.ModifyIPAddressRequest{InstanceID: id, InterfaceID: nic.InterfaceID, Address: ip, Password: secrets["password"]})); err != nil {
					return err
				}
			}
		}
	}
	if changed["security_groups"] {
		if err := setMembership(ctx, c, id, to.Strings("security_groups")); err != nil {
			return err
		}
	}
	if changed["power"] && to.String("power") == "running" {
		if err := step(c.StartInstance(ctx, cloud.InstanceRequest{InstanceID: id})); err != nil {
			return err
		}
	}
	return nil
}

// updateTags puts on the tags of want the instance lacks and takes off
// those it has beyond want, by id (one DescribeTags). The tags exist: the
// plan creates missing ones first.
func updateTags(ctx context.Context, c *cloud.Client, id string, have, want []string, step func(string, error) error) error {
	ids, err := tagIDs(ctx, c)
	if err != nil {
		return err
	}
	var add, del []string
	for _, t := range want {
		if !slices.Contains(have, t) {
			if ids[t] == "" {
				return fmt.Errorf("tag %q does not exist", t)
			}
			add = append(add, ids[t])
		}
	}
	for _, t := range have {
		if !slices.Contains(want, t) && ids[t] != "" {
			del = append(del, ids[t])
		}
	}
	if len(add) > 0 {
		if err := step(c.AddInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: add})); err != nil {
			return err
		}
	}
	if len(del) > 0 {
		return step(c.DeleteInstancesTags(ctx, cloud.InstancesTagsRequest{InstanceIDs: []string{id}, TagIDs: del}))
	}
	return nil
}

func updateDisks(ctx context.Context, c *cloud.Client, id string, cur *cloud.Instance, want []map[string]any, step func(string, error) error) error {
	have := cur.Disks.DataDisks
	for i := 0; i < len(want) && i < len(have); i++ {
		if size := Inputs(want[i]).Int("size"); size > int(have[i].Size) {
			if err := step(c.ResizeDisk(ctx, cloud.ResizeDiskRequest{InstanceID: id, DiskID: have[i].DiskID, DataSize: size})); err != nil {
				return err
			}
		}
	}
	if len(want) > len(have) {
		var add []cloud.DiskSpec
		for _, d := range want[len(have):] {
			add = append(add, cloud.DiskSpec{Size: Inputs(d).Int("size"), Type: Inputs(d).String("type")})
		}
		if err := step(c.CreateDisk(ctx, cloud.CreateDiskRequest{InstanceID: id, DataDisks: add})); err != nil {
			return err
		}
	}
	if len(have) > len(want) {
		var drop []string
		for _, d := range have[len(want):] {
			drop = append(drop, d.DiskID)
		}
		if err := step(c.DeleteDisk(ctx, cloud.DeleteDiskRequest{InstanceID: id, DiskIDs: drop})); err != nil {
			return err
		}
	}
	return nil
}

func (instanceKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	return stepper(ctx, wait)(c.DeleteInstance(ctx, cloud.DeleteInstanceRequest{InstanceIDs: []string{id}}))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Needs says which sensitive properties the instance's actions send: the
// current documents require Password on CreateInstance, ResetImage and
// ModifyIpAddress, and ImagePassword on CreateInstance and ResetImage for
// a custom image.
func (instanceKind) Needs(desired Inputs, fields []string, create bool) []Need {
	custom := customImage(desired["image"])
	if create {
		out := []Need{{"password", "CreateInstance"}}
		if custom {
			out = append(out, Need{"image_password", "CreateInstance"})
		}
		return out
	}
	var out []Need
	add := func(n Need) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, f := range fields {
		switch f {
		case "image", "user_data", "public_key":
			add(Need{"password", "ResetImage"})
			if custom {
				add(Need{"image_password", "ResetImage"})
			}
		case "public_ip", "private_ips":
			add(Need{"password", "ModifyIpAddress"})
		}
	}
	return out
}

// customImage reports whether image names a custom image (a template, by
// id, or a reference not known yet) rather than a public image by name
// (Centos_7.9_64).
func customImage(image any) bool {
	s, ok := image.(string)
	if !ok {
		return true
	}
	return looksLikeID(s)
}

// looksLikeID reports whether s has the shape of the service's ids (a
// UUID, 8-4-4-4-12 hex digits).
func looksLikeID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'):
			return false
		}
	}
	return true
}

// userData is the API's form of the stack's user_data (cloud-init, plain
// text): a list of base64 strings, here of one; nil without any.
func userData(secrets map[string]string) []string {
	if secrets["user_data"] == "" {
		return nil
	}
	return []string{base64.StdEncoding.EncodeToString([]byte(secrets["user_data"]))}
}

// UpdatedOutputs: ModifyIpAddress changes the addresses an instance
// exports, and a disk added in place (data_disks) its disk_ids.
func (instanceKind) UpdatedOutputs(fields []string) []string {
	var out []string
	for _, f := range fields {
		switch f {
		case "private_ips":
			out = append(out, "private_ips", "interfaces")
		case "public_ip":
			out = append(out, "public_ip", "interfaces")
		case "data_disks":
			out = append(out, "disk_ids")
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// A MovedAddress is an address an update in place takes from an instance
// (ModifyIpAddress): From on Network ("public" for the public interface)
// becomes To ("" when the public address is removed).
type MovedAddress struct{ From, To, Network string }

// MovedAddresses are the addresses of an instance (actual: its observed
// attributes) that an update to desired takes from it in place: a private
// address whose interface is given another, and a public one changed or
// removed. An interface left "auto" keeps its address.
func MovedAddresses(desired, actual Inputs) []MovedAddress {
	var out []MovedAddress
	want, have := desired.Maps("private_ips"), actual.Maps("private_ips")
	for i := 0; i < len(want) && i < len(have); i++ {
		old, ip := Inputs(have[i]).String("ip"), Inputs(want[i]).String("ip")
		if old != "" && ip != "auto" && ip != old && want[i]["network"] == have[i]["network"] {
			out = append(out, MovedAddress{From: old, To: ip, Network: Inputs(have[i]).String("network")})
		}
	}
	if old, ip := actual.String("public_ip"), desired.String("public_ip"); old != "" && ip != "auto" && ip != old {
		out = append(out, MovedAddress{From: old, To: ip, Network: "public"})
	}
	return out
}
