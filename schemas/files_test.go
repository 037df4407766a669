package schemas_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cdstack/cdstack/schemas"
)

// editorView is what an editor checks a YAML file as: the file decoded
// as it is, references left as text.
func editorView(t *testing.T, src []byte) any {
	t.Helper()
	var y any
	if err := yaml.Unmarshal(src, &y); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestExampleFilesAgainstSchema: every stack and component file of
// examples/ passes the one schema as an editor sees it (a variable file,
// which has no version, is not a stack file and is left out).
func TestExampleFilesAgainstSchema(t *testing.T) {
	var stacks, comps int
	err := filepath.WalkDir("../examples", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, _ := editorView(t, src).(map[string]any)
		if _, ok := doc["version"]; !ok {
			return nil // a variable file
		}
		if _, ok := doc["stack"]; ok {
			stacks++
		} else {
			comps++
		}
		vs, err := schemas.Validate(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			t.Errorf("%s: %s: %s", path, strings.Join(v.Path, "."), v.Message)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if stacks < 6 || comps < 1 {
		t.Errorf("checked %d stack files and %d component files; the examples have more", stacks, comps)
	}
}

// TestStackOrComponentFile: a file with stack: is a stack file (region
// required, no inputs); one without is a component file (what only a stack
// has is refused: region, budget, variables, moved, stacks).
func TestStackOrComponentFile(t *testing.T) {
	const stack = "version: 1\nstack: s\nregion: CN_Beijing_A\nresources: {}\n"
	const comp = "version: 1\nresources:\n  net: {kind: vdc, properties: {name: \"${input.name}\"}}\n"
	tests := map[string]struct {
		src  string
		want []string // path: message, each; none: valid
	}{
		"stack file":                  {stack + "variables: {n: {default: 1}}\nbudget: {monthly: 10}\nmoved: [{from: a, to: b}]\nstacks: {p: {state: p.db}}\ntenants: {app: {state: a.db}}\ncomponents: {api: {source: c.yaml, count: 2}}\ndata: {img: {kind: image, filter: {name: x}}}\n", nil},
		"component without inputs":    {comp, nil},
		"component with everything":   {comp + "inputs: {name: {type: string}}\ndata: {img: {kind: image, filter: {name: \"${input.name}\"}}}\noutputs: {id: \"${net.id}\"}\ncomponents: {db: {source: db.yaml, for_each: [a]}}\n", nil},
		"stack file without region":   {"version: 1\nstack: s\nresources: {}\n", []string{`: missing required property "region"`}},
		"stack file with inputs":      {stack + "inputs: {a: {}}\n", []string{`inputs: a stack file (one with stack:) has no inputs: only a component file has inputs`}},
		"component with region":       {comp + "region: CN_Beijing_A\n", []string{`region: region belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component with a budget":     {comp + "budget: {monthly: 1}\n", []string{`budget: budget belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component with variables":    {comp + "variables: {a: {}}\n", []string{`variables: variables belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component with moved":        {comp + "moved: [{from: a, to: b}]\n", []string{`moved: moved belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component with stacks":       {comp + "stacks: {p: {state: p.db}}\n", []string{`stacks: stacks belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component with tenants":      {comp + "tenants: {app: {state: a.db}}\n", []string{`tenants: tenants belongs to a stack file (one with stack:); a component file has version, inputs, data, resources, outputs and components`}},
		"component without resources": {"version: 1\ninputs: {a: {}}\n", []string{`: missing required property "resources"`}},
		"component with a bad input":  {comp + "inputs: {name: {type: text}}\n", []string{`inputs.name.type: "text" is not one of`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			vs, err := schemas.Validate(editorView(t, []byte(tc.src)))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, strings.Join(v.Path, ".")+": "+v.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("violations %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("violation %q, want %q", got[i], tc.want[i])
				}
			}
		})
	}
}
