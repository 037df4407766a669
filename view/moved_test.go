package view_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/view"
)

// TestPlanMoves: a plan that only moves addresses shows each move and is
// not "No changes", in text and in Markdown.
func TestPlanMoves(t *testing.T) {
	p := &planner.Document{Stack: "m", Changes: []*planner.Change{{Addr: `web["a"]`, Kind: "vdc", Action: planner.NoOp}},
		Moves: []*planner.Move{{From: "web[0]", To: `web["a"]`, Kind: "vdc", ID: "v-1", Declared: "stack.yaml:9:5"}}}
	var b bytes.Buffer
	view.PlanText(&b, p, view.Style{})
	for _, want := range []string{
		"-> web[0] vdc (v-1) will move to web[\"a\"]\n    # because of moved: at stack.yaml:9:5; only the state changes, the cloud is not touched\n",
		"Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to move.\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text plan:\n%s\nwant %q", b.String(), want)
		}
	}
	if strings.Contains(b.String(), "No changes") {
		t.Errorf("text plan says no changes:\n%s", b.String())
	}
	b.Reset()
	view.PlanMarkdown(&b, p)
	if want := "| `->` | `web[0]` → `web[\"a\"]` | vdc | move | moved: at stack.yaml:9:5; the state only | |\n"; !strings.Contains(b.String(), want) {
		t.Errorf("markdown plan:\n%s\nwant %q", b.String(), want)
	}
	if strings.Contains(b.String(), "No changes") {
		t.Errorf("markdown plan says no changes:\n%s", b.String())
	}
}
