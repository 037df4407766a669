package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// workspaceOwner returns the lookup of a resource id in the states of the
// stack's other workspaces, for a plan that found a resource by name that
// its own state does not own; nil when --state names the state (its
// workspaces are not files beside the stack).
func workspaceOwner(c *ucli.Context) func(context.Context, *spec.Stack, string) string {
	if c.String(flagState) != "" {
		return nil
	}
	return ownerInWorkspaces
}

// ownerInWorkspaces says which record of another workspace's state file
// (.cdstack/<stack>.db, .cdstack/<stack>.<workspace>.db beside the stack
// file) holds id, as "net of workspace default (.cdstack/s.db)", or "".
// States it cannot read are passed over: this only words an error.
func ownerInWorkspaces(ctx context.Context, s *spec.Stack, id string) string {
	dir := filepath.Join(filepath.Dir(s.File), ".cdstack")
	paths, _ := filepath.Glob(filepath.Join(dir, s.Name+".*db"))
	sort.Strings(paths)
	for _, path := range paths {
		ws, ok := strings.CutSuffix(strings.TrimPrefix(filepath.Base(path), s.Name), ".db")
		switch {
		case !ok:
			continue
		case ws == "":
			ws = spec.DefaultWorkspace
		case strings.HasPrefix(ws, "."):
			ws = ws[1:]
		default:
			continue // another stack's name that begins with this one's
		}
		if ws == s.Workspace || spec.CheckWorkspaceName(ws) != nil {
			continue
		}
		snap, err := state.OpenBolt(path).Snapshot(ctx)
		if err != nil {
			continue
		}
		for _, r := range snap.Resources {
			if r.ID == id {
				return fmt.Sprintf("%s of workspace %s (%s)", r.Addr, ws, path)
			}
		}
	}
	return ""
}
