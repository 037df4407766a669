package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/schemas"
)

// schemaSafe makes the imported attrs of a kind ones the stack file's
// schema accepts: a field whose value the cloud reported in a form the
// schema refuses (a system disk type under a data disk, a type the schema
// does not list) takes the stack's value when the stack has one, and is
// left out of the record otherwise. It returns one plain sentence per
// such field, saying what the cloud reported.
func schemaSafe(kind string, region string, attrs, desired resources.Inputs) []string {
	bad := refusedFields(kind, region, attrs)
	var notes []string
	for _, f := range bad {
		reported, _ := json.Marshal(attrs[f])
		if v, ok := desired[f]; ok && len(refusedFields(kind, region, resources.Inputs{f: v})) == 0 {
			attrs[f] = v
			notes = append(notes, fmt.Sprintf("%s: the cloud reports %s, which a stack file cannot hold; recorded as the stack has it", f, reported))
			continue
		}
		delete(attrs, f)
		notes = append(notes, fmt.Sprintf("%s: the cloud reports %s, which a stack file cannot hold; not recorded", f, reported))
	}
	return notes
}

// refusedFields returns the properties of attrs the schema refuses for
// kind (ignoring missing required ones: the import fills those).
func refusedFields(kind, region string, attrs resources.Inputs) []string {
	b, err := json.Marshal(attrs)
	if err != nil {
		return nil
	}
	var props any
	if err := json.Unmarshal(b, &props); err != nil {
		return nil
	}
	doc := map[string]any{"version": 1, "stack": "import", "region": region,
		"resources": map[string]any{"r": map[string]any{"kind": kind, "properties": props}}}
	vs, err := schemas.Validate(doc)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range vs {
		if v.Keyword == "required" || len(v.Path) < 4 || v.Path[0] != "resources" || v.Path[2] != "properties" {
			continue
		}
		if f := v.Path[3]; !seen[f] && attrs.Has(f) {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// importNotes writes the notes of schemaSafe.
func importNotes(notes []string) string {
	if len(notes) == 0 {
		return ""
	}
	return "Not as the cloud reports it:\n  " + strings.Join(notes, "\n  ") + "\n"
}
