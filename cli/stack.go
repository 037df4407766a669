package cli

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/spec"
)

// Flag names of the stack flags.
const (
	flagFile      = "file"
	flagVar       = "var"
	flagVarFile   = "var-file"
	flagWorkspace = "workspace"
)

// stackFlags are the flags of every command that reads a stack file.
func stackFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: flagFile, Aliases: []string{"f"}, Usage: "the stack file (default: stack.yaml or cdstack.yaml here)"},
		&ucli.StringSliceFlag{Name: flagVar, Usage: "set a variable: name=value (repeatable; wins over --var-file)"},
		&ucli.StringSliceFlag{Name: flagVarFile, Usage: "set variables from a YAML file of name: value (repeatable; a later file wins)"},
		&ucli.StringFlag{Name: flagWorkspace, EnvVars: []string{"CDSTACK_WORKSPACE"}, Value: spec.DefaultWorkspace,
			Usage: "the environment: its own state (.cdstack/<stack>.<workspace>.db) and the value of ${workspace}"},
	}
}

// workspace is --workspace, checked: it becomes part of a file name.
func workspace(c *ucli.Context) (string, error) {
	ws := c.String(flagWorkspace)
	if ws == "" {
		return spec.DefaultWorkspace, nil
	}
	if err := spec.CheckWorkspaceName(ws); err != nil {
		return "", fmt.Errorf("--workspace: %w", err)
	}
	return ws, nil
}

// varName is what a variable's name may look like, to echo in an error.
var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// loadStack finds and loads the stack named by -f with the --var and
// --var-file values; with allowUnset, variables may have no value
// (validate). The error is spec.Errors when the files have problems.
func loadStack(c *ucli.Context, allowUnset bool) (string, *spec.Stack, error) {
	path, err := spec.Find(".", c.String(flagFile))
	if err != nil {
		return "", nil, err
	}
	ws, err := workspace(c)
	if err != nil {
		return path, nil, err
	}
	opts := []spec.Option{spec.WithEnv(os.Getenv), spec.WithWorkspace(ws)}
	vars := map[string]string{}
	for _, kv := range c.StringSlice(flagVar) {
		name, value, ok := strings.Cut(kv, "=")
		if !ok && !varName.MatchString(kv) {
			// Likely a value where name=value belongs: it may be a secret.
			return path, nil, errors.New(`--var: want name=value (this one has no "=")`)
		}
		if !ok || name == "" {
			return path, nil, fmt.Errorf("--var %q: want name=value", name)
		}
		vars[name] = value
	}
	opts = append(opts, spec.WithVars(vars))
	var files []*spec.VarFile
	var problems spec.Errors
	for _, name := range c.StringSlice(flagVarFile) {
		f, err := spec.ReadVarFile(name)
		var errs spec.Errors
		switch {
		case errors.As(err, &errs):
			problems = append(problems, errs...)
		case err != nil:
			return path, nil, err
		default:
			files = append(files, f)
		}
	}
	if len(problems) > 0 {
		return path, nil, problems
	}
	opts = append(opts, spec.WithVarFiles(files...))
	if allowUnset {
		opts = append(opts, spec.AllowUnset())
	}
	s, err := spec.Load(path, opts...)
	return path, s, err
}
