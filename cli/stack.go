package cli

import (
	"fmt"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/spec"
)

// stackFlags are the flags of every command that reads a stack file.
func stackFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the stack file (default: stack.yaml or cdstack.yaml here)"},
		&ucli.StringSliceFlag{Name: "var", Usage: "set a variable: name=value (repeatable)"},
	}
}

// loadStack finds and loads the stack named by -f with the --var values.
// The error is spec.Errors when the file has problems.
func loadStack(c *ucli.Context) (string, *spec.Stack, error) {
	path, err := spec.Find(".", c.String("file"))
	if err != nil {
		return "", nil, err
	}
	vars := map[string]string{}
	for _, kv := range c.StringSlice("var") {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return path, nil, fmt.Errorf("--var %q: want name=value", strings.SplitN(kv, "=", 2)[0])
		}
		vars[name] = value
	}
	s, err := spec.Load(path, spec.WithVars(vars), spec.WithEnv(os.Getenv))
	return path, s, err
}
