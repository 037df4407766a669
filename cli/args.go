package cli

import (
	"strings"

	ucli "github.com/urfave/cli/v2"
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
