package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdstack/cdstack/resources"
)

// TestImportRecordsOnlyWhatTheSchemaAccepts: a value the cloud reports in a
// form the stack schema refuses is replaced by the stack's, or left out,
// and the note says what the cloud reported.
func TestImportRecordsOnlyWhatTheSchemaAccepts(t *testing.T) {
	reported := func() resources.Inputs {
		return resources.Inputs{"vdc": "v1", "name": "web", "cpu": int64(2), "ram": int64(4), "region": "CN_Beijing_A",
			"instance_type": "Standard", "image": "Centos_7.6_64", "power": "running",
			// A system disk type reported under a data disk.
			"data_disks": []any{map[string]any{"size": int64(100), "type": "system_disk"}}}
	}
	stack := resources.Inputs{"data_disks": []any{map[string]any{"size": int64(100), "type": "ssd_disk"}}}

	attrs := reported()
	notes := schemaSafe("instance", "CN_Beijing_A", attrs, stack)
	if diff := cmp.Diff(stack["data_disks"], attrs["data_disks"]); diff != "" {
		t.Errorf("data_disks (-want +got)\n%s", diff)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], `"system_disk"`) || !strings.Contains(notes[0], "recorded as the stack has it") {
		t.Errorf("notes = %q", notes)
	}

	attrs = reported()
	notes = schemaSafe("instance", "CN_Beijing_A", attrs, nil)
	if attrs.Has("data_disks") || len(notes) != 1 || !strings.Contains(notes[0], "not recorded") {
		t.Errorf("without a stack value: attrs %v, notes %q", attrs, notes)
	}
	if left := refusedFields("instance", "CN_Beijing_A", attrs); len(left) != 0 {
		t.Errorf("the record still holds values the schema refuses: %v", left)
	}

	good := reported()
	good["data_disks"] = stack["data_disks"]
	if notes := schemaSafe("instance", "CN_Beijing_A", good, stack); len(notes) != 0 {
		t.Errorf("a valid import has notes: %q", notes)
	}
}
