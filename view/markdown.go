package view

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/cdstack/cdstack/planner"
)

// PlanMarkdown writes the plan for a pull-request comment: the summary
// counts, a table of the changes with their action and reason, and each
// change's fields in a collapsible block. Values are as the document holds
// them: sensitive ones are already "(sensitive)".
func PlanMarkdown(w io.Writer, p *planner.Document) {
	title := fmt.Sprintf("### cdstack plan: stack `%s`", p.Stack)
	if p.Workspace != "" {
		title += fmt.Sprintf(", workspace `%s`", p.Workspace)
	}
	fmt.Fprintf(w, "%s\n\n", title)
	var changes []*planner.Change
	for _, c := range p.Changes {
		if shown(c) {
			changes = append(changes, c)
		}
	}
	if len(changes) == 0 && len(p.Moves) == 0 {
		fmt.Fprint(w, "**No changes.** The cloud matches the stack.\n")
		if line := costLine(p); line != "" {
			fmt.Fprintf(w, "\n%s\n", line)
		}
	} else {
		fmt.Fprintf(w, "**%s**\n\n", summaryLine(p))
		if line := costLine(p); line != "" {
			fmt.Fprintf(w, "%s\n\n", line)
		}
		fmt.Fprint(w, "| | Address | Kind | Action | Why | Monthly cost |\n|---|---|---|---|---|---|\n")
		for _, m := range p.Moves {
			fmt.Fprintf(w, "| `->` | `%s` → `%s` | %s | move | %s | |\n", m.From, m.To, m.Kind, cell("moved: at "+m.Declared+"; the state only"))
		}
		for _, c := range changes {
			cost := ""
			if c.Cost != nil && c.Cost.NotPriced != "" {
				cost = "not priced"
			} else if c.Cost != nil {
				cost = signed(p.Cost.Currency, c.Cost.Delta())
			}
			fmt.Fprintf(w, "| `%s` | `%s` | %s | %s | %s | %s |\n", c.Action.Symbol(), c.Addr, c.Kind, c.Action, cell(Why(c)), cost)
		}
		for _, c := range changes {
			var body bytes.Buffer
			for _, line := range notes(p, c) {
				fmt.Fprintf(&body, "# %s\n", line)
			}
			changeBody(&body, c, "", Style{})
			if body.Len() == 0 {
				continue
			}
			fmt.Fprintf(w, "\n<details><summary><code>%s</code> %s %s</summary>\n\n", html(c.Addr), c.Kind, verbs[c.Action])
			fence := codeFence(body.String())
			fmt.Fprintf(w, "%sdiff\n%s%s\n\n</details>\n", fence, body.String(), fence)
		}
	}
	if len(p.Drift) > 0 {
		fmt.Fprint(w, "\n#### Drift\n\n")
		var body bytes.Buffer
		DriftText(&body, p.Drift, Style{})
		TenantsText(&body, p.Tenants, p.TenantResources, Style{})
		fence := codeFence(body.String())
		fmt.Fprintf(w, "%s\n%s%s\n", fence, body.String(), fence)
	}
}

// cell makes text safe in a table cell: no line breaks, pipes escaped.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(html(s), "|", `\|`)
}

// html escapes what Markdown renderers would take as HTML.
func html(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// codeFence is a backtick fence longer than any run of backticks in body,
// so a value cannot close the block early.
func codeFence(body string) string {
	longest, run := 0, 0
	for _, r := range body {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
