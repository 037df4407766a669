package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/schemas"
	"github.com/cdstack/cdstack/spec"
)

func validateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "validate",
		Usage: "check a stack file without touching the cloud",
		Description: "Prints every problem as FILE:LINE:COL: PATH: MESSAGE, sorted by position, and exits 1\n" +
			"if there is any error; otherwise prints a one-line summary and exits 0.",
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
}

type summary struct {
	Stack     string `json:"stack"`
	Resources int    `json:"resources"`
	Instances int    `json:"instances"`
	Variables int    `json:"variables"`
	Outputs   int    `json:"outputs"`
}

func runValidate(c *ucli.Context) error {
	path, s, err := loadStack(c)
	var problems spec.Errors
	if err != nil && !errors.As(err, &problems) {
		return err
	}
	report := validateReport{FormatVersion: "1", File: path, Valid: err == nil, Errors: spec.Errors{}, Warnings: spec.Errors{}}
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
	fmt.Fprintf(c.App.Writer, "%s is valid: stack %s, %d resources (%d instances), %d variables, %d outputs\n",
		path, sm.Stack, sm.Resources, sm.Instances, sm.Variables, sm.Outputs)
	return nil
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
