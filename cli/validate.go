package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/schemas"
	"github.com/cdstack/cdstack/spec"
)

func validateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "validate",
		Usage: "check a stack file without touching the cloud",
		Description: "Prints every problem as FILE:LINE:COL: PATH: MESSAGE, sorted by position, and exits 1\n" +
			"if there is any error; otherwise prints a one-line summary and exits 0.\n" +
			"Variables need no values: without one, everything that does not depend on it is checked\n" +
			"and the variables a plan will need are listed (a pull-request check needs no secrets).",
		Flags:  append(stackFlags(), &ucli.BoolFlag{Name: "json", Usage: "print the result as a JSON document"}),
		Action: runValidate,
	}
}

// validateReport is the --json document.
type validateReport struct {
	FormatVersion string      `json:"format_version"`
	File          string      `json:"file"`
	Valid         bool        `json:"valid"`
	Errors        spec.Errors `json:"errors"`
	Warnings      spec.Errors `json:"warnings"`
	Summary       *summary    `json:"summary,omitempty"`
	// Needs are the variables without a value: a plan needs them.
	Needs []neededVariable `json:"needs"`
}

// neededVariable is a variable validate checked without a value.
type neededVariable struct {
	Name      string `json:"name"`
	Env       string `json:"env,omitempty"`
	Sensitive bool   `json:"sensitive,omitempty"`
	// How says how to give it a value.
	How string `json:"how"`
	// Counts are the resources whose count it gives: their indexes are
	// range-checked once it has a value.
	Counts []string `json:"counts,omitempty"`
	// ForEach are the resources whose for_each it gives: their keys are
	// checked once it has a value.
	ForEach []string `json:"for_each,omitempty"`
}

type summary struct {
	Stack     string `json:"stack"`
	Resources int    `json:"resources"`
	Instances int    `json:"instances"`
	Variables int    `json:"variables"`
	Outputs   int    `json:"outputs"`
}

func runValidate(c *ucli.Context) error {
	path, s, err := loadStack(c, true)
	var problems spec.Errors
	if err != nil && !errors.As(err, &problems) {
		return err
	}
	report := validateReport{FormatVersion: "1", File: path, Valid: err == nil, Errors: spec.Errors{}, Warnings: spec.Errors{}, Needs: []neededVariable{}}
	for _, p := range problems {
		if p.Warning {
			report.Warnings = append(report.Warnings, p)
		} else {
			report.Errors = append(report.Errors, p)
		}
	}
	if err == nil {
		report.Warnings = append(report.Warnings, s.Warnings...)
		report.Summary = &summary{Stack: s.Name, Resources: len(s.Resources), Instances: len(s.Addresses()),
			Variables: len(s.Variables), Outputs: len(s.Outputs)}
		report.Needs = needs(s)
	}
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
		if !report.Valid {
			return exitCode(1, nil)
		}
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(c.App.ErrWriter, p.Error())
	}
	if !report.Valid {
		return exitCode(1, fmt.Errorf("%s: %d error(s)", path, len(report.Errors)))
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(c.App.ErrWriter, w.Error())
	}
	sm := report.Summary
	fmt.Fprintf(c.App.Writer, "%s is valid: stack %s, %s (%s), %s, %s\n", path, sm.Stack, counted(sm.Resources, "resource"),
		counted(sm.Instances, "address"), counted(sm.Variables, "variable"), counted(sm.Outputs, "output"))
	if len(report.Needs) > 0 {
		fmt.Fprintln(c.App.Writer, "Checked without values; a plan needs:")
		for _, n := range report.Needs {
			fmt.Fprintf(c.App.Writer, "  %s (%s)", n.Name, n.How)
			if len(n.Counts) > 0 {
				fmt.Fprintf(c.App.Writer, ": the count of %s, whose indexes are checked once it is set", strings.Join(n.Counts, ", "))
			}
			if len(n.ForEach) > 0 {
				fmt.Fprintf(c.App.Writer, ": the for_each of %s, whose keys are checked once it is set", strings.Join(n.ForEach, ", "))
			}
			fmt.Fprintln(c.App.Writer)
		}
	}
	return nil
}

// needs lists the variables without a value and the counts they give.
func needs(s *spec.Stack) []neededVariable {
	out := []neededVariable{}
	for _, v := range s.Unset() {
		n := neededVariable{Name: v.Name, Env: v.Env, Sensitive: v.Sensitive, How: v.HowToSet()}
		for _, name := range s.Names() {
			if r := s.Resources[name]; r.CountUnknown && r.CountVar == v.Name {
				n.Counts = append(n.Counts, name)
			}
			if r := s.Resources[name]; r.ForEach.Unknown && r.ForEach.Var == v.Name {
				n.ForEach = append(n.ForEach, name)
			}
		}
		out = append(out, n)
	}
	return out
}

func schemaCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "schema",
		Usage: "print the stack file's JSON Schema (for editors)",
		Action: func(c *ucli.Context) error {
			_, err := c.App.Writer.Write(schemas.StackSchema)
			return err
		},
	}
}

// counted says "1 resource", "2 resources".
func counted(n int, noun string) string {
	if n != 1 {
		noun += map[bool]string{true: "es", false: "s"}[strings.HasSuffix(noun, "s")]
	}
	return fmt.Sprintf("%d %s", n, noun)
}
