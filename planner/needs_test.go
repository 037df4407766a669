package planner_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/state"
)

// TestPlanSaysWhichSecretAnActionNeeds: a change whose actions need the
// instance's password (CreateInstance, ResetImage, ModifyIpAddress) or a
// custom image's password (CreateInstance, ResetImage from a template) is
// refused at plan time when the stack leaves it out, naming the property
// and the action; with the value given, the plan goes on.
func TestPlanSaysWhichSecretAnActionNeeds(t *testing.T) {
	const tpl = "0f6bd1e8-1b27-4f4a-9d3e-4c9b3a2e1a10"
	noPassword := func(src string) string { return strings.Replace(src, "password: Planner-Passw0rd, ", "", 1) }
	tests := map[string]struct {
		edit    func(string) string
		applied bool
		want    string // "" for no error
	}{
		"create without password": {noPassword, false, "web: CreateInstance needs the instance's password"},
		"create with password":    {nil, false, ""},
		"new image without password": {func(src string) string {
			return strings.Replace(noPassword(src), "Centos_7.6_64", "Ubuntu_16.04_64", 1)
		}, true, "web: ResetImage needs the instance's password"},
		"new address without password": {func(src string) string {
			return strings.Replace(noPassword(src), `{network: "${lan.id}"}`, `{network: "${lan.id}", ip: 10.7.0.9}`, 1)
		}, true, "web: ModifyIpAddress needs the instance's password"},
		"untouched without password": {noPassword, true, ""},
		"template without image password": {func(src string) string {
			return strings.Replace(src, "Centos_7.6_64", tpl, 1)
		}, false, "web: CreateInstance needs the custom image's password"},
		"template with image password": {func(src string) string {
			return strings.Replace(src, "image: Centos_7.6_64,", "image: "+tpl+", image_password: Image-Passw0rd,", 1)
		}, false, ""},
		"reinstall from a template without image password": {func(src string) string {
			return strings.Replace(src, "Centos_7.6_64", tpl, 1)
		}, true, "web: ResetImage needs the custom image's password"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			snap := &state.Snapshot{Resources: map[string]*state.Record{}}
			if tc.applied {
				snap = applied()
			}
			_, err := planner.Plan(planner.Input{Stack: stack(t, true, tc.edit), Snapshot: snap})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ne *planner.NeedError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a NeedError saying %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "${var.") {
				t.Errorf("err = %v: does not say which variable to set", err)
			}
		})
	}
}
