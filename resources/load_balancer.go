package resources

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cdstack/cdstack/cloud"
)

func init() { register(lbKind{}) }

// lbKind is an HAProxy load balancer (负载均衡概览.md).
//
// cpu and ram name a size of the region's catalogue; cdstack resolves them
// to its PaasGoodsId. Listeners are one property: ModifyLoadBalancerStrategys
// overwrites the whole set, so every change sends all of them. Backends name
// an address (ip) or instances (ids): each instance's address on the load
// balancer's private network, so a backend list follows a count. Timeouts
// are durations ("5s", "500ms") sent as the API's value and unit.
// custom_config manages only the keys the stack names in the HAProxy
// configuration file.
type lbKind struct{}

func (lbKind) Name() string { return "load_balancer" }

func (lbKind) Fields() []Field {
	return []Field{
		{Name: "vdc"}, {Name: "name", Update: "ModifyLoadBalancerName"}, {Name: "region"},
		{Name: "cpu", Update: "ModifyLoadBalancerInstanceSpec"}, {Name: "ram", Update: "ModifyLoadBalancerInstanceSpec"},
		{Name: "network"}, {Name: "public_network"}, {Name: "public_segment", Unobservable: true},
		{Name: "listeners", Update: "ModifyLoadBalancerStrategys"},
		{Name: "custom_config", Update: "ModifyHaproxyCustomConfig"},
	}
}

// Listener defaults where the stack says nothing (the API requires each).
const (
	lbDefaultMaxConn        = 5000
	lbDefaultBackendMaxConn = 1000
	lbDefaultTimeout        = "30s"
	lbDefaultConnectTimeout = "5s"
)

func (lbKind) Normalize(in Inputs, region string) Inputs {
	out := copyInputs(in)
	if !out.Has("region") {
		out["region"] = region
	}
	if !out.Has("listeners") {
		out["listeners"] = []any{}
	}
	var ls []any
	for _, m := range out.Maps("listeners") {
		ls = append(ls, normalizeListener(m))
	}
	sortListeners(ls)
	out["listeners"] = orEmpty(ls)
	if cfg := out.Map("custom_config"); cfg != nil {
		norm := map[string]any{}
		for k, v := range cfg {
			if _, text := v.(string); text || isScalar(v) {
				norm[k] = scalarText(v)
			} else {
				norm[k] = v // a value not known yet
			}
		}
		out["custom_config"] = norm
	}
	return out
}

func isScalar(v any) bool {
	switch v.(type) {
	case int64, float64, bool:
		return true
	}
	return false
}

func scalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	default:
		return fmt.Sprint(t)
	}
}

func normalizeListener(m map[string]any) map[string]any {
	l := Inputs(copyInputs(m))
	set := func(k string, v any) {
		if !l.Has(k) {
			l[k] = v
		}
	}
	mode := strings.ToLower(l.String("mode"))
	if mode == "" {
		mode = "http"
	}
	l["mode"] = mode
	set("scheduler", "roundrobin")
	set("max_conn", int64(lbDefaultMaxConn))
	set("client_timeout", lbDefaultTimeout)
	set("server_timeout", lbDefaultTimeout)
	set("connect_timeout", lbDefaultConnectTimeout)
	for _, k := range []string{"client_timeout", "server_timeout", "connect_timeout"} {
		if s, ok := l[k].(string); ok {
			l[k] = canonicalDuration(s)
		}
	}
	set("acl_white_list", []any{})
	if mode == "http" {
		set("keep_alive", false)
		set("certificates", []any{})
		if sp := l.Map("session_persistence"); sp != nil {
			p := Inputs(sp)
			if !p.Has("mode") {
				p["mode"] = int64(1)
			}
			if !p.Has("max_idle") {
				p["max_idle"] = int64(0)
			}
			if !p.Has("max_life") {
				p["max_life"] = int64(0)
			}
			l["session_persistence"] = map[string]any(p)
		}
		delete(l, "source_ip")
	} else {
		set("source_ip", false)
		delete(l, "keep_alive")
		delete(l, "certificates")
		delete(l, "session_persistence")
	}
	var bs []any
	for _, b := range l.Maps("backends") {
		be := Inputs(b)
		if !be.Has("weight") {
			be["weight"] = int64(1)
		}
		if !be.Has("max_conn") {
			be["max_conn"] = int64(lbDefaultBackendMaxConn)
		}
		bs = append(bs, map[string]any(be))
	}
	l["backends"] = orEmpty(bs)
	return l
}

func sortListeners(ls []any) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, _ := ls[i].(map[string]any)
		b, _ := ls[j].(map[string]any)
		return fmt.Sprint(a["name"]) < fmt.Sprint(b["name"])
	})
}

// canonicalDuration writes a duration as whole seconds ("5s") when it is
// one, milliseconds ("500ms") otherwise; text that is not a duration is
// kept (the schema refuses it before this).
func canonicalDuration(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return s
	}
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
}

// apiTimeout is a canonical duration as the API's value and unit.
func apiTimeout(s string) (string, string) {
	if v, ok := strings.CutSuffix(s, "ms"); ok {
		return v, "ms"
	}
	return strings.TrimSuffix(s, "s"), "s"
}

// stackTimeout is the API's value and unit as a canonical duration.
func stackTimeout(v cloud.Str, unit string) string {
	if unit == "" {
		unit = "ms"
	}
	return canonicalDuration(string(v) + unit)
}

// LiveLB is a load balancer with its listeners and configuration (when
// they were read).
type LiveLB struct {
	cloud.LoadBalancer
	Listeners *cloud.Listeners
	Config    *cloud.HaproxyConfig
}

// addLBs lists load balancers and certificates as sc asks.
func (l *Live) addLBs(ctx context.Context, c *cloud.Client, sc Scope) error {
	if (sc.ListLBs || len(sc.LBs) > 0) && !l.ListedLBs {
		list, err := c.DescribeLoadBalancers(ctx, cloud.DescribeLoadBalancersRequest{})
		if err != nil {
			return fmt.Errorf("refresh load balancers: %w", err)
		}
		for i := range list {
			l.LBs[list[i].InstanceUUID] = &LiveLB{LoadBalancer: list[i]}
		}
		l.ListedLBs = true
		for _, id := range sortedStrings(sc.LBs) {
			if lb, ok := l.LBs[id]; ok {
				if err := lb.readDetails(ctx, c); err != nil {
					return err
				}
			}
		}
	}
	if sc.ListCerts && !l.ListedCerts {
		if err := l.addCerts(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (l *Live) addCerts(ctx context.Context, c *cloud.Client) error {
	list, err := c.DescribeCACertificates(ctx)
	if err != nil {
		return fmt.Errorf("refresh certificates: %w", err)
	}
	for i := range list {
		l.Certs[list[i].CertificateID] = &list[i]
	}
	l.ListedCerts = true
	return nil
}

// readDetails reads a load balancer's listeners and configuration file:
// the listing shows neither, and no batched call does.
func (lb *LiveLB) readDetails(ctx context.Context, c *cloud.Client) error {
	req := cloud.LoadBalancerRequest{InstanceUUID: lb.InstanceUUID}
	ls, err := c.DescribeLoadBalancerStrategys(ctx, req)
	if err != nil {
		return fmt.Errorf("refresh listeners of load balancer %s: %w", lb.InstanceUUID, err)
	}
	cfg, err := c.DescribeHaproxyCustomConfig(ctx, req)
	if err != nil {
		return fmt.Errorf("refresh configuration of load balancer %s: %w", lb.InstanceUUID, err)
	}
	lb.Listeners, lb.Config = ls, cfg
	return nil
}

// readBackLB reads one load balancer (with its VDC's instances, which its
// backends may name) or the certificates.
func (l *Live) readBackLB(ctx context.Context, c *cloud.Client, kind, id string, recorded *Recorded) error {
	if kind == "certificate" {
		return l.addCerts(ctx, c)
	}
	lb, err := c.LoadBalancer(ctx, id)
	if err != nil || lb == nil {
		return err
	}
	live := &LiveLB{LoadBalancer: *lb}
	if err := live.readDetails(ctx, c); err != nil {
		return err
	}
	l.LBs[id] = live
	if usesInstances(recorded) {
		ins, err := c.ListInstances(ctx, cloud.DescribeInstancesRequest{VdcID: lb.VdcID}, pageSize)
		if err != nil {
			return fmt.Errorf("read the instances behind load balancer %s: %w", id, err)
		}
		for i := range ins {
			l.Instances[ins[i].InstanceID] = &ins[i]
		}
	}
	return nil
}

// usesInstances reports whether a record's backends name instances.
func usesInstances(recorded *Recorded) bool {
	if recorded == nil {
		return false
	}
	for _, ls := range recorded.Inputs.Maps("listeners") {
		for _, b := range Inputs(ls).Maps("backends") {
			if Inputs(b).Has("instances") {
				return true
			}
		}
	}
	return false
}

func (k lbKind) Observe(l *Live, id string, recorded *Recorded) *Observation {
	lb, ok := l.LBs[id]
	if !ok {
		return nil
	}
	private, publics := "", []any{}
	for _, v := range lb.Vips {
		switch strings.ToLower(v.Type) {
		case "private":
			private = v.IP
		case "public":
			publics = append(publics, v.IP)
		}
	}
	attrs := Inputs{"vdc": lb.VdcID, "name": lb.InstanceName, "cpu": int64(lb.CPU), "ram": int64(lb.RAMGB())}
	if lb.RegionID != "" {
		attrs["region"] = lb.RegionID
	}
	if private != "" {
		if net := privateNetworkOf(l, lb.VdcID, private); net != "" {
			attrs["network"] = net
		}
	}
	if len(publics) > 0 {
		if pn := publicNetworkOf(l, lb.VdcID, fmt.Sprint(publics[0])); pn != "" {
			attrs["public_network"] = pn
		}
	}
	var rec Inputs
	if recorded != nil {
		rec = recorded.Inputs
	}
	if lb.Listeners != nil {
		attrs["listeners"] = observeListeners(l, lb, attrs.String("network"), rec)
	}
	if lb.Config != nil && rec != nil && rec.Has("custom_config") {
		cfg := map[string]any{}
		for key := range rec.Map("custom_config") {
			if v, ok := configValue(lb.Config.Configs, key); ok {
				cfg[key] = v
			}
		}
		attrs["custom_config"] = cfg
	}
	unobserved(k, attrs, recorded)
	if len(publics) == 0 {
		delete(attrs, "public_network")
		delete(attrs, "public_segment")
	}
	return &Observation{ID: id, Busy: !lb.Running(), Attrs: attrs, Raw: lb,
		Outputs: map[string]any{"id": id, "private_ip": private, "public_ips": publics, "status": lb.Status}}
}

// privateNetworkOf is the private network of vdc whose range holds ip.
func privateNetworkOf(l *Live, vdc, ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	for id, p := range l.Privates {
		if p.VdcID != vdc {
			continue
		}
		for _, seg := range p.Segments {
			first, _, _ := strings.Cut(seg, "~")
			if pfx, err := netip.ParsePrefix(first); err == nil && pfx.Masked().Contains(addr) {
				return id
			}
		}
		if p.Address != "" {
			if pfx, err := netip.ParsePrefix(fmt.Sprintf("%s/%d", p.Address, p.Mask)); err == nil && pfx.Contains(addr) {
				return id
			}
		}
	}
	return ""
}

// publicNetworkOf is the public network of vdc whose segments hold ip.
func publicNetworkOf(l *Live, vdc, ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	for id, p := range l.Publics {
		if p.VdcID != vdc {
			continue
		}
		for _, s := range p.Segments {
			if pfx, err := netip.ParsePrefix(fmt.Sprintf("%s/%d", s.Address, s.Mask)); err == nil && pfx.Contains(addr) {
				return id
			}
		}
	}
	return ""
}

// instanceIPs maps each address on network to the instance that holds it.
func instanceIPs(l *Live, network string) map[string]string {
	out := map[string]string{}
	for id, in := range l.Instances {
		for _, nic := range in.PrivateNetworkInterface {
			if nic.PrivateID == network && nic.IP != "" {
				out[nic.IP] = id
			}
		}
	}
	return out
}

// observeListeners shapes the live listeners like the stack's, grouping
// backends as the record does: a recorded backend of instances gathers the
// live servers at those instances' addresses on its port; the servers no
// recorded backend claims are shown by address.
func observeListeners(l *Live, lb *LiveLB, network string, rec Inputs) []any {
	recorded := map[string]Inputs{}
	for _, m := range rec.Maps("listeners") {
		recorded[Inputs(m).String("name")] = m
	}
	owner := instanceIPs(l, network)
	ipOf := map[string]string{}
	for ip, id := range owner {
		ipOf[id] = ip
	}
	var out []any
	for _, ls := range lb.Listeners.All() {
		m := map[string]any{"name": ls.ListenerName, "mode": strings.ToLower(ls.ListenerMode), "port": int64(ls.ListenerPort),
			"scheduler": ls.Scheduler, "max_conn": int64(ls.MaxConn), "acl_white_list": orEmpty(toAny(ls.AclWhiteList)),
			"client_timeout":  stackTimeout(ls.ClientTimeout, ls.ClientTimeoutUnit),
			"server_timeout":  stackTimeout(ls.ServerTimeout, ls.ServerTimeoutUnit),
			"connect_timeout": stackTimeout(ls.ConnectTimeout, ls.ConnectTimeoutUnit)}
		if m["mode"] == "http" {
			m["keep_alive"] = strings.EqualFold(ls.StickySession, "on")
			var certs []any
			for _, c := range ls.CertificateIds {
				certs = append(certs, c.CertificateID)
			}
			m["certificates"] = orEmpty(certs)
			if sp := ls.SessionPersistence; sp != nil && sp.Key != "" {
				p := map[string]any{"key": sp.Key, "mode": int64(sp.Mode), "max_idle": int64(0), "max_life": int64(0)}
				if sp.Timer != nil {
					p["max_idle"], p["max_life"] = int64(sp.Timer.MaxIdle), int64(sp.Timer.MaxLife)
				}
				m["session_persistence"] = p
			}
		} else {
			m["source_ip"] = strings.EqualFold(ls.EnableSourceIP, "on")
		}
		m["backends"] = groupBackends(ls.BackendServer, recorded[ls.ListenerName].Maps("backends"), ipOf)
		out = append(out, m)
	}
	sortListeners(out)
	return orEmpty(out)
}

func groupBackends(servers []cloud.BackendServer, recorded []map[string]any, ipOf map[string]string) []any {
	used := make([]bool, len(servers))
	claim := func(ip string, port int) *cloud.BackendServer {
		for i, s := range servers {
			if !used[i] && s.IP == ip && int(s.Port) == port {
				used[i] = true
				return &servers[i]
			}
		}
		return nil
	}
	server := func(s *cloud.BackendServer) (int64, int64) {
		w, _ := strconv.Atoi(strings.TrimSpace(string(s.Weight)))
		return int64(w), int64(s.MaxConn)
	}
	var out []any
	for _, rb := range recorded {
		b := Inputs(rb)
		port := b.Int("port")
		if b.Has("instances") {
			ids := []any{}
			var first *cloud.BackendServer
			for _, id := range b.Strings("instances") {
				if s := claim(ipOf[id], port); ipOf[id] != "" && s != nil {
					ids = append(ids, id)
					if first == nil {
						first = s
					}
				}
			}
			e := map[string]any{"instances": ids, "port": int64(port), "weight": b["weight"], "max_conn": b["max_conn"]}
			if first != nil {
				e["weight"], e["max_conn"] = server(first)
			}
			out = append(out, e)
			continue
		}
		if s := claim(b.String("ip"), port); s != nil {
			w, mc := server(s)
			out = append(out, map[string]any{"ip": s.IP, "port": int64(port), "weight": w, "max_conn": mc})
		}
	}
	for i := range servers {
		if !used[i] {
			w, mc := server(&servers[i])
			out = append(out, map[string]any{"ip": servers[i].IP, "port": int64(servers[i].Port), "weight": w, "max_conn": mc})
		}
	}
	return orEmpty(out)
}

// configValue returns the value of key in an HAProxy configuration file:
// the rest of the first line that starts with key and a space.
func configValue(cfg, key string) (string, bool) {
	for _, line := range strings.Split(cfg, "\n") {
		t := strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(t, key+" "); ok {
			return strings.TrimSpace(v), true
		}
		if t == key {
			return "", true
		}
	}
	return "", false
}

// setConfig sets each key of values in cfg: the first line of the key is
// rewritten, a key the file lacks is added at the end of its global
// section. Other lines are kept as they are.
func setConfig(cfg string, values map[string]any) string {
	lines := strings.Split(strings.TrimSuffix(cfg, "\n"), "\n")
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		line := "        " + key + " " + scalarText(values[key])
		done := false
		for i, l := range lines {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, key+" ") || t == key {
				lines[i], done = line, true
				break
			}
		}
		if done {
			continue
		}
		at := len(lines)
		inGlobal := false
		for i, l := range lines {
			if !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") && strings.TrimSpace(l) != "" {
				if inGlobal {
					at = i
					break
				}
				inGlobal = strings.TrimSpace(l) == "global"
			}
		}
		if !inGlobal && at == len(lines) && !strings.Contains(cfg, "global") {
			lines = append([]string{"global"}, lines...)
			at = 1
		}
		lines = append(lines[:at], append([]string{line}, lines[at:]...)...)
	}
	return strings.Join(lines, "\n") + "\n"
}

func (k lbKind) Replaces(field string, _, _ Inputs) bool { return defaultReplaces(k, field) }

// Differs compares custom_config on the keys the stack names only.
func (lbKind) Differs(field string, desired, actual Inputs) bool {
	if field == "custom_config" && desired.Has(field) {
		have := actual.Map(field)
		for k, v := range desired.Map(field) {
			if !Equal(v, have[k]) {
				return true
			}
		}
		return false
	}
	if field == "public_segment" && !desired.Has(field) {
		return false
	}
	return defaultDiffers(field, desired, actual)
}

func (lbKind) Scope(in Inputs) string { return in.String("vdc") }

func (lbKind) FindByName(l *Live, in Inputs) string {
	for id, lb := range l.LBs {
		if lb.VdcID == in.String("vdc") && lb.InstanceName == in.String("name") {
			return id
		}
	}
	return ""
}

// lbGoods resolves cpu and ram to the catalogue's PaasGoodsId.
func lbGoods(sizes []cloud.LBCpuRam, cpu, ram int, where string) (int, error) {
	if g := cloud.GoodsFor(sizes, cpu, ram); g != 0 {
		return g, nil
	}
	var have []string
	for _, s := range sizes {
		have = append(have, fmt.Sprintf("%d/%d", s.CPU, s.RAM))
	}
	return 0, fmt.Errorf("load balancer: %s sells no size of %d CPU and %d GB (cpu/ram on sale: %s)", where, cpu, ram, strings.Join(have, ", "))
}

// pickSegment returns the segment of public network id that the load
// balancer takes its 3 addresses from: want when set, else the first with
// 3 free addresses.
func pickSegment(ctx context.Context, c *cloud.Client, vdc, id, want string) (string, error) {
	v, err := c.Vdc(ctx, vdc)
	if err != nil {
		return "", err
	}
	var pub *cloud.PublicNetwork
	for i := range v.PublicNetwork {
		if v != nil && v.PublicNetwork[i].PublicID == id {
			pub = &v.PublicNetwork[i]
		}
	}
	if pub == nil {
		return "", fmt.Errorf("load balancer: public network %s is not in VDC %s", id, vdc)
	}
	if want != "" {
		for _, s := range pub.Segments {
			if s.SegmentID == want {
				return want, nil
			}
		}
		return "", fmt.Errorf("load balancer: public_segment %s is not a segment of public network %s", want, id)
	}
	usage, err := c.DescribePublicIP(ctx, cloud.IPUsageRequest{VdcID: vdc, PublicID: id})
	if err != nil {
		return "", err
	}
	var counts []string
	for _, s := range pub.Segments {
		pfx, err := netip.ParsePrefix(fmt.Sprintf("%s/%d", s.Address, s.Mask))
		if err != nil {
			continue
		}
		free := 0
		for _, ip := range usage.UnusedList {
			if a, err := netip.ParseAddr(ip); err == nil && pfx.Contains(a) {
				free++
			}
		}
		if free >= LBPublicAddresses {
			return s.SegmentID, nil
		}
		counts = append(counts, fmt.Sprintf("%s (%s) has %d", s.SegmentID, pfx, free))
	}
	if len(counts) == 0 {
		counts = []string{"it has no segment"}
	}
	return "", fmt.Errorf("load balancer: needs %d free public addresses in one segment of public network %s (%s), but no segment has them: %s free; raise its ip_count or name a segment with public_segment",
		LBPublicAddresses, pub.Name, id, strings.Join(counts, ", "))
}

// LBPublicAddresses is how many addresses of its segment a load balancer
// with a public network takes.
const LBPublicAddresses = 3

// apiListeners builds the whole listener set to send, resolving each
// backend instance to its address on network.
func apiListeners(ctx context.Context, c *cloud.Client, in Inputs) (httpL, tcpL []cloud.Listener, err error) {
	network := in.String("network")
	for _, m := range in.Maps("listeners") {
		l := Inputs(m)
		ls := cloud.Listener{ListenerName: l.String("name"), ListenerMode: l.String("mode"), ListenerPort: cloud.Int(l.Int("port")),
			Scheduler: l.String("scheduler"), MaxConn: cloud.Int(l.Int("max_conn")), AclWhiteList: l.Strings("acl_white_list")}
		if ls.AclWhiteList == nil {
			ls.AclWhiteList = cloud.List[string]{}
		}
		v, u := apiTimeout(l.String("client_timeout"))
		ls.ClientTimeout, ls.ClientTimeoutUnit = cloud.Str(v), u
		v, u = apiTimeout(l.String("server_timeout"))
		ls.ServerTimeout, ls.ServerTimeoutUnit = cloud.Str(v), u
		v, u = apiTimeout(l.String("connect_timeout"))
		ls.ConnectTimeout, ls.ConnectTimeoutUnit = cloud.Str(v), u
		ls.BackendServer = cloud.List[cloud.BackendServer]{}
		for _, bm := range l.Maps("backends") {
			b := Inputs(bm)
			ips := []string{}
			if b.Has("instances") {
				for _, id := range b.Strings("instances") {
					ip, err := instanceAddress(ctx, c, id, network)
					if err != nil {
						return nil, nil, err
					}
					ips = append(ips, ip)
				}
			} else {
				ips = append(ips, b.String("ip"))
			}
			for _, ip := range ips {
				ls.BackendServer = append(ls.BackendServer, cloud.BackendServer{IP: ip, Port: cloud.Int(b.Int("port")),
					Weight: cloud.Str(strconv.Itoa(b.Int("weight"))), MaxConn: cloud.Int(b.Int("max_conn"))})
			}
		}
		if ls.ListenerMode == "http" {
			ls.StickySession = onOff(l.Bool("keep_alive", false))
			ls.CertificateIds = cloud.List[cloud.ListenerCertificate]{}
			for _, id := range l.Strings("certificates") {
				ls.CertificateIds = append(ls.CertificateIds, cloud.ListenerCertificate{CertificateID: id})
			}
			if sp := Inputs(l.Map("session_persistence")); sp != nil {
				p := &cloud.SessionPersistence{Key: sp.String("key"), Mode: cloud.Int(sp.Int("mode"))}
				p.Timer = &struct {
					MaxIdle cloud.Int `json:"MaxIdle"`
					MaxLife cloud.Int `json:"MaxLife"`
				}{cloud.Int(sp.Int("max_idle")), cloud.Int(sp.Int("max_life"))}
				ls.SessionPersistence = p
			}
			httpL = append(httpL, ls)
		} else {
			ls.EnableSourceIP, ls.EnableRepeaterMode = onOff(l.Bool("source_ip", false)), "off"
			tcpL = append(tcpL, ls)
		}
	}
	return httpL, tcpL, nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// instanceAddress is the address instance id has on private network.
func instanceAddress(ctx context.Context, c *cloud.Client, id, network string) (string, error) {
	in, err := c.Instance(ctx, id)
	if err != nil {
		return "", fmt.Errorf("load balancer backend %s: %w", id, err)
	}
	if in == nil {
		return "", fmt.Errorf("load balancer backend: instance %s does not exist", id)
	}
	for _, nic := range in.PrivateNetworkInterface {
		if nic.PrivateID == network && nic.IP != "" {
			return nic.IP, nil
		}
	}
	return "", fmt.Errorf("load balancer backend: instance %s has no address on private network %s (the load balancer's network)", id, network)
}

func (lbKind) Create(ctx context.Context, c *cloud.Client, in Inputs, _ map[string]string, wait Waiter) (string, error) {
	region := in.String("region")
	spec, err := c.DescribeLoadBalancersSpec(ctx, cloud.RegionRequest{RegionID: region})
	if err != nil {
		return "", err
	}
	goods, err := lbGoods(spec.Sizes(), in.Int("cpu"), in.Int("ram"), region)
	if err != nil {
		return "", err
	}
	req := cloud.CreateLoadBalancerRequest{RegionID: region, VdcID: in.String("vdc"), BasePipeID: in.String("network"),
		InstanceName: in.String("name"), PaasGoodsID: goods, Amount: 1,
		Ips: []cloud.LBNetwork{{PipeType: "private", PipeID: in.String("network"), IsVip: cloud.Ptr(1)}}}
	if pub := in.String("public_network"); pub != "" {
		seg, err := pickSegment(ctx, c, in.String("vdc"), pub, in.String("public_segment"))
		if err != nil {
			return "", err
		}
		req.Ips = append(req.Ips, cloud.LBNetwork{PipeType: "public", PipeID: pub, SegmentID: seg})
	}
	// The listeners' backends are resolved before anything is bought.
	httpL, tcpL, err := apiListeners(ctx, c, in)
	if err != nil {
		return "", err
	}
	task, id, err := c.CreateLoadBalancer(ctx, req)
	if err != nil {
		return "", err
	}
	if id, err = waitID(ctx, wait, task, id); err != nil {
		return id, err
	}
	if len(httpL)+len(tcpL) > 0 {
		if err := stepper(ctx, wait)(c.ModifyLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
			HTTPListeners: httpL, TCPListeners: tcpL})); err != nil {
			return id, err
		}
	}
	if cfg := in.Map("custom_config"); len(cfg) > 0 {
		return id, updateConfig(ctx, c, id, cfg, wait)
	}
	return id, nil
}

func updateConfig(ctx context.Context, c *cloud.Client, id string, values map[string]any, wait Waiter) error {
	cur, err := c.DescribeHaproxyCustomConfig(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})
	if err != nil {
		return err
	}
	next := setConfig(cur.Configs, values)
	if next == cur.Configs {
		return nil
	}
	return stepper(ctx, wait)(c.ModifyHaproxyCustomConfig(ctx, cloud.ModifyHaproxyCustomConfigRequest{InstanceUUID: id, Configs: next}))
}

func (lbKind) Update(ctx context.Context, c *cloud.Client, id string, _ *Observation, to Inputs, fields []string, _ map[string]string, wait Waiter) error {
	has := func(f string) bool {
		for _, x := range fields {
			if x == f {
				return true
			}
		}
		return false
	}
	if has("name") {
		if err := stepper(ctx, wait)(c.ModifyLoadBalancerName(ctx, cloud.ModifyLoadBalancerNameRequest{InstanceUUID: id, InstanceName: to.String("name")})); err != nil {
			return err
		}
	}
	if has("cpu") || has("ram") {
		spec, err := c.DescribeLoadBalancersModifySpec(ctx, cloud.LoadBalancerRequest{InstanceUUID: id})
		if err != nil {
			return err
		}
		goods, err := lbGoods(spec.CpuRam, to.Int("cpu"), to.Int("ram"), "load balancer "+id)
		if err != nil {
			return err
		}
		if err := stepper(ctx, wait)(c.ModifyLoadBalancerInstanceSpec(ctx, cloud.ModifyLoadBalancerInstanceSpecRequest{InstanceUUID: id, PaasGoodsID: goods})); err != nil {
			return err
		}
	}
	if has("listeners") {
		httpL, tcpL, err := apiListeners(ctx, c, to)
		if err != nil {
			return err
		}
		// The whole set: the call overwrites what is there.
		if err := stepper(ctx, wait)(c.ModifyLoadBalancerStrategys(ctx, cloud.ModifyLoadBalancerStrategysRequest{InstanceUUID: id,
			HTTPListeners: httpL, TCPListeners: tcpL})); err != nil {
			return err
		}
	}
	if has("custom_config") {
		if err := updateConfig(ctx, c, id, to.Map("custom_config"), wait); err != nil {
			return err
		}
	}
	return nil
}

func (lbKind) Delete(ctx context.Context, c *cloud.Client, id string, _ Inputs, wait Waiter) error {
	err := stepper(ctx, wait)(c.DeleteLoadBalancer(ctx, cloud.LoadBalancerRequest{InstanceUUID: id}))
	if cloud.LBGone(err) {
		return nil
	}
	return err
}

// InstanceAddresses are the addresses an instance's recorded outputs
// hold: its private ones and its public one.
func InstanceAddresses(outputs map[string]any) []string {
	out := Inputs(outputs).Strings("private_ips")
	if ip := Inputs(outputs).String("public_ip"); ip != "" {
		out = append(out, ip)
	}
	return out
}

// BackendsUse reports whether listeners (a load balancer's listeners
// property, observed or recorded) send to instance id: a backend lists it
// among its instances, or names one of its addresses ips.
func BackendsUse(listeners any, id string, ips []string) bool {
	for _, ls := range listMaps(listeners) {
		for _, b := range Inputs(ls).Maps("backends") {
			be := Inputs(b)
			if be.Has("instances") && slices.Contains(be.Strings("instances"), id) || be.Has("ip") && slices.Contains(ips, be.String("ip")) {
				return true
			}
		}
	}
	return false
}

// DropBackends returns listeners without the backends at instances ids or
// at addresses ips: what a load balancer sends to while those instances
// are deleted and made again.
func DropBackends(listeners any, ids, ips []string) []any {
	out := []any{}
	for _, ls := range listMaps(listeners) {
		l := copyInputs(ls)
		bs := []any{}
		for _, b := range Inputs(ls).Maps("backends") {
			be := Inputs(copyInputs(b))
			switch {
			case be.Has("instances"):
				kept := []any{}
				for _, id := range be.Strings("instances") {
					if !slices.Contains(ids, id) {
						kept = append(kept, id)
					}
				}
				be["instances"] = kept
			case slices.Contains(ips, be.String("ip")):
				continue
			}
			bs = append(bs, map[string]any(be))
		}
		l["backends"] = bs
		out = append(out, map[string]any(l))
	}
	return out
}

func listMaps(v any) []map[string]any {
	return Inputs{"v": Canon(v)}.Maps("v")
}
