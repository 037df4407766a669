package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// TestSchemaAgainstMetaSchema validates stack.schema.json against the JSON
// Schema 2020-12 meta-schema.
func TestSchemaAgainstMetaSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	meta, err := c.Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.NewDecoder(bytes.NewReader(StackSchema)).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if err := meta.Validate(doc); err != nil {
		t.Fatalf("stack.schema.json breaks the meta-schema: %#v", err)
	}
	if _, err := schema(); err != nil {
		t.Fatal(err)
	}
}

// TestEveryPropertyHasADescription keeps editor help complete.
func TestEveryPropertyHasADescription(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(StackSchema, &doc); err != nil {
		t.Fatal(err)
	}
	// walk visits schemas only: a "properties" map holds schemas, it is not one.
	var walk func(path string, x any)
	walk = func(path string, x any) {
		m, ok := x.(map[string]any)
		if !ok {
			return
		}
		if props, ok := m["properties"].(map[string]any); ok {
			if m["additionalProperties"] == nil && m["type"] == "object" && path != "#/$defs/resource/properties/properties" {
				t.Errorf("%s: objects must say additionalProperties", path)
			}
			for name, p := range props {
				pm, _ := p.(map[string]any)
				if _, ok := pm["description"]; !ok {
					t.Errorf("%s/properties/%s has no description", path, name)
				}
				walk(path+"/properties/"+name, p)
			}
		}
		for _, k := range []string{"$defs"} {
			if defs, ok := m[k].(map[string]any); ok {
				for name, d := range defs {
					walk(path+"/"+k+"/"+name, d)
				}
			}
		}
		// if/then/else only narrow properties documented elsewhere.
		for _, k := range []string{"items", "additionalProperties"} {
			walk(path+"/"+k, m[k])
		}
		for _, k := range []string{"anyOf", "oneOf"} {
			if list, ok := m[k].([]any); ok {
				for i, e := range list {
					walk(fmt.Sprintf("%s/%s/%d", path, k, i), e)
				}
			}
		}
	}
	walk("#", doc)
}

func TestViolationMessages(t *testing.T) {
	base := func(props string) any {
		var doc any
		src := `{"version":1,"stack":"s","region":"CN_Beijing_A","resources":{"w":{"kind":"instance","properties":` + props + `}}}`
		dec := json.NewDecoder(bytes.NewReader([]byte(src)))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	ok := `"vdc":"v","name":"w","instance_type":"Standard","image":"x"`
	tests := map[string]struct {
		props string
		want  string
	}{
		"enum":           {`{` + ok + `,"cpu":3,"ram":1}`, "3 is not one of [1 2 4 8 10 16 32]"},
		"type":           {`{` + ok + `,"cpu":"two","ram":1}`, `"two" is a string, want an integer`},
		"unknown":        {`{` + ok + `,"cpu":1,"ram":1,"cpus":2}`, `unknown property "cpus"; did you mean "cpu"?`},
		"required":       {`{"vdc":"v"}`, `missing required property "name", "instance_type", "cpu", "ram", "image"`},
		"minimum":        {`{` + ok + `,"cpu":1,"ram":1,"data_disks":[{"size":5,"type":"ssd_disk"}]}`, "5 is less than the minimum 10"},
		"pattern":        {`{` + ok + `,"cpu":1,"ram":1,"public_ip":"300.1.1.1"}`, `"300.1.1.1" is not auto or an IPv4 address`},
		"reference form": {`{` + ok + `,"cpu":"${var.cpu}","ram":1}`, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			vs, err := Validate(base(tc.props))
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(vs) != 0 {
					t.Errorf("violations = %+v, want none", vs)
				}
				return
			}
			if len(vs) != 1 || vs[0].Message != tc.want {
				t.Errorf("violations = %+v, want one saying %q", vs, tc.want)
			}
		})
	}
}
