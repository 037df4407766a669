package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

func showCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "display a saved plan without applying it",
		ArgsUsage: "plan.json",
		Description: "Prints the plan that plan --out saved, as text, as JSON, or as Markdown for a pull-request\n" +
			"comment. It reads nothing else: no stack, state or cloud.",
		Flags: planFormatFlags(),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return errors.New("show: name one saved plan (the file plan --out wrote)")
			}
			format, err := planFormat(c)
			if err != nil {
				return err
			}
			p, err := readPlan(c.Args().First())
			if err != nil {
				return err
			}
			return printPlan(c, p, format)
		},
	}
}
