package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/internal/suggest"
)

// permuteArgs moves a command's flags in front of its positional arguments,
// so `cdstack api DescribeVdc VdcId=x --dry-run` works as the usage lines
// show: urfave/cli/v2 stops reading flags at the first positional argument.
// Everything after "--" stays as it is.
func permuteArgs(app *ucli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// Global flags up to the command name.
	n := skipFlags(app.Flags, rest)
	out = append(out, rest[:n]...)
	rest = rest[n:]
	cmds := app.Commands
	var cmd *ucli.Command
	pathLen := 0
	for len(rest) > 0 {
		next := findCommand(cmds, rest[0])
		if next == nil {
			break
		}
		cmd = next
		pathLen++
		out = append(out, rest[0])
		rest = rest[1:]
		cmds = cmd.Subcommands
	}
	if cmd == nil {
		return append(out, rest...)
	}
	var globals, flags, positional []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i:]...)
			break
		}
		if !isFlag(a) {
			positional = append(positional, a)
			continue
		}
		defs, dst := cmd.Flags, &flags
		if !hasFlag(cmd.Flags, a) && hasFlag(app.Flags, a) {
			defs, dst = app.Flags, &globals
		}
		*dst = append(*dst, a)
		if takesValue(defs, a) && !strings.Contains(a, "=") && i+1 < len(rest) {
			i++
			*dst = append(*dst, rest[i])
		}
	}
	// Global flags go before the command name.
	cmdStart := len(out) - pathLen
	withGlobals := append(append(append([]string{}, out[:cmdStart]...), globals...), out[cmdStart:]...)
	withGlobals = append(withGlobals, flags...)
	return append(withGlobals, positional...)
}

// skipFlags returns how many leading tokens of args are flags (with values).
func skipFlags(defs []ucli.Flag, args []string) int {
	i := 0
	for i < len(args) && isFlag(args[i]) {
		if takesValue(defs, args[i]) && !strings.Contains(args[i], "=") {
			i++
		}
		i++
	}
	return min(i, len(args))
}

func flagName(a string) string {
	name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
	return name
}

func hasFlag(defs []ucli.Flag, a string) bool {
	name := flagName(a)
	for _, f := range defs {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' && a != "--" }

func findCommand(cmds []*ucli.Command, name string) *ucli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the flag token a names a non-boolean flag.
func takesValue(defs []ucli.Flag, a string) bool {
	name := flagName(a)
	for _, f := range defs {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*ucli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}

// unknownCommand says which word of args is not a command where one is
// expected, with the closest command, or nil.
func unknownCommand(app *ucli.App, args []string) error {
	if len(args) < 2 {
		return nil
	}
	rest := args[1:]
	n := skipFlags(app.Flags, rest)
	for _, a := range rest[:n] {
		if isFlag(a) && !hasFlag(app.Flags, a) {
			return nil // the flag parser reports it
		}
	}
	rest = rest[n:]
	cmds, path := app.Commands, ""
	for len(rest) > 0 && !isFlag(rest[0]) && len(cmds) > 0 {
		word := rest[0]
		cmd := findCommand(cmds, word)
		if cmd == nil {
			var names []string
			for _, c := range cmds {
				if !c.Hidden {
					names = append(names, c.Name)
				}
			}
			msg := fmt.Sprintf("unknown command %q", path+word)
			if best := suggest.Closest(word, names, 2); best != "" {
				msg += fmt.Sprintf("; did you mean %q?", path+best)
			}
			return fmt.Errorf("%s (see cdstack %s--help)", msg, path)
		}
		if cmd.Action != nil {
			return nil // its own arguments follow
		}
		cmds, path, rest = cmd.Subcommands, path+cmd.Name+" ", rest[1:]
	}
	return nil
}

// flagSuggestion is "; did you mean --x?" for the flag an error from the
// flag parser names, among the command's and the global flags, or "".
func flagSuggestion(c *ucli.Context, err error) string {
	_, bad, ok := strings.Cut(err.Error(), "flag provided but not defined: ")
	if !ok {
		return ""
	}
	var names []string
	for _, fs := range [][]ucli.Flag{c.App.Flags, commandFlags(c)} {
		for _, f := range fs {
			names = append(names, f.Names()...)
		}
	}
	if best := suggest.Closest(strings.TrimLeft(bad, "-"), names, 2); best != "" {
		return fmt.Sprintf("; did you mean --%s?", best)
	}
	return ""
}

func commandFlags(c *ucli.Context) []ucli.Flag {
	if c.Command == nil {
		return nil
	}
	return c.Command.Flags
}

// commandName returns the name of the top-level command args run ("" when
// none), after the global flags.
func commandName(app *ucli.App, args []string) string {
	if len(args) < 2 {
		return ""
	}
	rest := args[1:]
	rest = rest[skipFlags(app.Flags, rest):]
	if len(rest) == 0 {
		return ""
	}
	if cmd := findCommand(app.Commands, rest[0]); cmd != nil {
		return cmd.Name
	}
	return ""
}
