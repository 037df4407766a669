package resources

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/cloud/emulator"
)

func TestCanonicalDuration(t *testing.T) {
	for in, want := range map[string]string{"5s": "5s", "500ms": "500ms", "1000ms": "1s", "1m": "60s", "1500ms": "1500ms", "0s": "0s", "soon": "soon"} {
		if got := canonicalDuration(in); got != want {
			t.Errorf("canonicalDuration(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string][2]string{"5s": {"5", "s"}, "500ms": {"500", "ms"}, "60s": {"60", "s"}} {
		if v, u := apiTimeout(in); v != want[0] || u != want[1] {
			t.Errorf("apiTimeout(%q) = %s %s, want %v", in, v, u, want)
		}
	}
	if got := stackTimeout("1000", "ms"); got != "1s" {
		t.Errorf("stackTimeout(1000 ms) = %q", got)
	}
}

// TestSetConfig: only the named keys change; a missing key joins global.
func TestSetConfig(t *testing.T) {
	cfg := "global\n        maxconn 150000\n        nbthread 2\ndefaults\n        timeout connect 5000\n"
	got := setConfig(cfg, map[string]any{"maxconn": "90000", "timeout connect": "3000", "tune.bufsize": "32768"})
	want := "global\n        maxconn 90000\n        nbthread 2\n        tune.bufsize 32768\ndefaults\n        timeout connect 3000\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("setConfig (-want +got)\n%s", diff)
	}
	for key, want := range map[string]string{"maxconn": "90000", "timeout connect": "3000", "nbthread": "2"} {
		if v, ok := configValue(got, key); !ok || v != want {
			t.Errorf("configValue(%q) = %q, %v", key, v, ok)
		}
	}
	if _, ok := configValue(got, "nope"); ok {
		t.Error("configValue found a key the file lacks")
	}
}

// TestLBDiffersOnNamedKeys: custom_config compares the stack's keys only.
func TestLBDiffersOnNamedKeys(t *testing.T) {
	k := Registry["load_balancer"]
	actual := Inputs{"custom_config": map[string]any{"maxconn": "90000", "nbthread": "4"}}
	if k.Differs("custom_config", Inputs{"custom_config": map[string]any{"maxconn": "90000"}}, actual) {
		t.Error("a key the stack does not name made a difference")
	}
	if !k.Differs("custom_config", Inputs{"custom_config": map[string]any{"maxconn": "1"}}, actual) {
		t.Error("a changed key was not seen")
	}
}

// TestLBNormalize: defaults, canonical durations, listeners by name.
func TestLBNormalize(t *testing.T) {
	got := Registry["load_balancer"].Normalize(Inputs{"name": "lb", "custom_config": map[string]any{"maxconn": int64(90000)},
		"listeners": []any{
			map[string]any{"name": "web", "mode": "http", "port": int64(80), "client_timeout": "1000ms",
				"session_persistence": map[string]any{"key": "srv"}, "backends": []any{map[string]any{"ip": "10.0.0.2", "port": int64(80)}}},
			map[string]any{"name": "db", "mode": "tcp", "port": int64(5432)},
		}}, "CN_Beijing_A")
	want := Inputs{"name": "lb", "region": "CN_Beijing_A", "custom_config": map[string]any{"maxconn": "90000"}, "listeners": []any{
		map[string]any{"name": "db", "mode": "tcp", "port": int64(5432), "scheduler": "roundrobin", "max_conn": int64(5000),
			"client_timeout": "30s", "server_timeout": "30s", "connect_timeout": "5s", "acl_white_list": []any{}, "source_ip": false, "backends": []any{}},
		map[string]any{"name": "web", "mode": "http", "port": int64(80), "scheduler": "roundrobin", "max_conn": int64(5000),
			"client_timeout": "1s", "server_timeout": "30s", "connect_timeout": "5s", "acl_white_list": []any{}, "keep_alive": false,
			"certificates": []any{}, "session_persistence": map[string]any{"key": "srv", "mode": int64(1), "max_idle": int64(0), "max_life": int64(0)},
			"backends": []any{map[string]any{"ip": "10.0.0.2", "port": int64(80), "weight": int64(1), "max_conn": int64(1000)}}},
	}}
	if diff := cmp.Diff(map[string]any(want), map[string]any(got)); diff != "" {
		t.Errorf("Normalize (-want +got)\n%s", diff)
	}
}

// TestGroupBackends: live servers gather under the record's backends; a
// server removed outside drops out of its group; unclaimed ones show by
// address.
func TestGroupBackends(t *testing.T) {
	ipOf := map[string]string{"i-1": "10.0.0.2", "i-2": "10.0.0.3"}
	recorded := []map[string]any{
		{"instances": []any{"i-1", "i-2"}, "port": int64(80), "weight": int64(10), "max_conn": int64(100)},
		{"ip": "10.0.0.9", "port": int64(22), "weight": int64(1), "max_conn": int64(10)},
	}
	srv := func(ip string, port int, w string) cloud.BackendServer {
		return cloud.BackendServer{IP: ip, Port: cloud.Int(port), Weight: cloud.Str(w), MaxConn: 100}
	}
	tests := map[string]struct {
		live []cloud.BackendServer
		want []any
	}{
		"as recorded": {[]cloud.BackendServer{srv("10.0.0.3", 80, "10"), srv("10.0.0.2", 80, "10"), srv("10.0.0.9", 22, "1")}, []any{
			map[string]any{"instances": []any{"i-1", "i-2"}, "port": int64(80), "weight": int64(10), "max_conn": int64(100)},
			map[string]any{"ip": "10.0.0.9", "port": int64(22), "weight": int64(1), "max_conn": int64(100)}}},
		"one removed by hand, one added": {[]cloud.BackendServer{srv("10.0.0.2", 80, "10"), srv("10.0.0.50", 80, "3")}, []any{
			map[string]any{"instances": []any{"i-1"}, "port": int64(80), "weight": int64(10), "max_conn": int64(100)},
			map[string]any{"ip": "10.0.0.50", "port": int64(80), "weight": int64(3), "max_conn": int64(100)}}},
		"a weight changed by hand": {[]cloud.BackendServer{srv("10.0.0.2", 80, "7"), srv("10.0.0.3", 80, "7"), srv("10.0.0.9", 22, "1")}, []any{
			map[string]any{"instances": []any{"i-1", "i-2"}, "port": int64(80), "weight": int64(7), "max_conn": int64(100)},
			map[string]any{"ip": "10.0.0.9", "port": int64(22), "weight": int64(1), "max_conn": int64(100)}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := groupBackends(tc.live, recorded, ipOf)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestExpiring(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l := NewLive()
	l.Certs["soon"] = &cloud.Certificate{CertificateID: "soon", CertificateName: "a", EndTime: "2026-12-20 00:00:00"}
	l.Certs["later"] = &cloud.Certificate{CertificateID: "later", CertificateName: "b", EndTime: "2027-06-01 00:00:00"}
	l.Certs["gone"] = &cloud.Certificate{CertificateID: "gone", CertificateName: "c", EndTime: "2026-11-01 00:00:00"}
	got := Expiring(l, map[string]string{"x": "soon", "y": "later", "z": "gone"}, now)
	if len(got) != 2 || got[0].Addr != "x" || got[1].Addr != "z" || got[0].NotAfter.Day() != 20 {
		t.Errorf("Expiring = %+v", got)
	}
}

// TestPickSegmentSaysWhatIsFree: a public network without 3 free
// addresses in one segment is refused with how many are needed, the
// network, and each segment's free count.
func TestPickSegmentSaysWhatIsFree(t *testing.T) {
	_, url := emulated(t, emulator.Options{})
	c := testClient(t, url)
	ctx := context.Background()
	wait := func(ctx context.Context, id string) (*cloud.Task, error) { return c.WaitTask(ctx, id) }
	vdc, err := Registry["vdc"].Create(ctx, c, Inputs{"name": "v", "region": "CN_Beijing_A"}, nil, wait)
	if err != nil {
		t.Fatal(err)
	}
	pn := Registry["public_network"]
	pub, err := pn.Create(ctx, c, pn.Normalize(Inputs{"vdc": vdc, "name": "wan", "bandwidth_type": "Bandwidth_BGP", "qos": int64(5), "ip_count": int64(4)}, "CN_Beijing_A"), nil, wait)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pickSegment(ctx, c, vdc, pub, "")
	want := regexp.MustCompile(`^load balancer: needs 3 free public addresses in one segment of public network wan \(` + regexp.QuoteMeta(pub) +
		`\), but no segment has them: [^ ]+ \(198\.18\.[0-9.]+/30\) has 1 free; raise its ip_count or name a segment with public_segment$`)
	if err == nil || !want.MatchString(err.Error()) {
		t.Errorf("error = %v, want %s", err, want)
	}
}
