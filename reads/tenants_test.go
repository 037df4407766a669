package reads

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// fakeSource is a state opened for reading.
type fakeSource struct{ snap *state.Snapshot }

func (f fakeSource) Snapshot(context.Context) (*state.Snapshot, error) { return f.snap, nil }
func (f fakeSource) Close() error                                      { return nil }

// TestTenants: each tenant's state is read in name order; one that cannot
// be read (no such file, nothing in it, etcd down) is returned with the
// reason and a warning at its state: line, and never fails the read.
func TestTenants(t *testing.T) {
	src := "version: 1\nstack: platform\nregion: CN_Beijing_A\ntenants:\n" +
		"  app: {state: \"etcd://127.0.0.1:2379/teams/app\", workspace: prod}\n" +
		"  down: {state: \"etcd://127.0.0.1:2379/teams/down\"}\n" +
		"  empty: {state: \"etcd://127.0.0.1:2379/teams/empty\"}\n" +
		"  missing: {state: ../nowhere/missing.db}\n" +
		"resources: {}\n"
	s, err := spec.Parse(filepath.Join("p", "p.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	app := &state.Snapshot{Meta: state.Meta{Lineage: "l", Serial: 4}, Resources: map[string]*state.Record{"web": {Addr: "web", Kind: "instance", ID: "i1"}}}
	open := func(path string) (Source, error) {
		switch path {
		case "etcd://127.0.0.1:2379/teams/app/prod":
			return fakeSource{app}, nil
		case "etcd://127.0.0.1:2379/teams/empty":
			return fakeSource{&state.Snapshot{Resources: map[string]*state.Record{}}}, nil
		}
		return nil, errors.New("cannot reach etcd: context deadline exceeded")
	}
	tenants, warnings := Tenants(context.Background(), s, open)
	if len(tenants) != 4 {
		t.Fatalf("%d tenants, want 4", len(tenants))
	}
	if a := tenants[0]; a.Name != "app" || a.State != "etcd://127.0.0.1:2379/teams/app/prod" || a.Serial != 4 || a.Snapshot != app || a.Error != "" {
		t.Errorf("app: %+v", a)
	}
	wantErr := map[string]string{
		"down":    "state etcd://127.0.0.1:2379/teams/down cannot be read: cannot reach etcd: context deadline exceeded",
		"empty":   "state etcd://127.0.0.1:2379/teams/empty holds nothing (has that stack been applied?)",
		"missing": "state nowhere/missing.db cannot be read: there is no such file (has that stack been applied?)",
	}
	for _, tn := range tenants[1:] {
		if tn.Error != wantErr[tn.Name] || tn.Snapshot != nil {
			t.Errorf("%s: error %q, want %q (snapshot %v)", tn.Name, tn.Error, wantErr[tn.Name], tn.Snapshot)
		}
	}
	want := []string{
		`p/p.yaml:6:17: warning: tenants.down.state: tenant "down": ` + wantErr["down"] + `; what it made in this stack's VDCs is reported as unmanaged`,
		`p/p.yaml:7:18: warning: tenants.empty.state: tenant "empty": ` + wantErr["empty"] + `; what it made in this stack's VDCs is reported as unmanaged`,
		`p/p.yaml:8:20: warning: tenants.missing.state: tenant "missing": ` + wantErr["missing"] + `; what it made in this stack's VDCs is reported as unmanaged`,
	}
	if len(warnings) != len(want) {
		t.Fatalf("warnings %v, want %d", warnings, len(want))
	}
	for i, w := range warnings {
		if !w.Warning || w.Error() != want[i] {
			t.Errorf("warning %d:\n got %s\nwant %s", i, w.Error(), want[i])
		}
	}
}
