package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/cdstack/cdstack/cloud"
	"github.com/cdstack/cdstack/executor"
	"github.com/cdstack/cdstack/internal/suggest"
	"github.com/cdstack/cdstack/planner"
	"github.com/cdstack/cdstack/resources"
	"github.com/cdstack/cdstack/spec"
	"github.com/cdstack/cdstack/state"
)

// Flag names shared by the commands that use the state.
const (
	flagState       = "state"
	flagLockTimeout = "lock-timeout"
)

func stateFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: flagState, EnvVars: []string{"CDSTACK_STATE"},
			Usage: "the state: a file (default: .cdstack/<stack>.db beside the stack file) or etcd://host:2379[,host2:2379]/prefix"},
		&ucli.DurationFlag{Name: flagLockTimeout, Usage: "how long to wait for another cdstack to release the state (0: fail at once)"},
		&ucli.DurationFlag{Name: "lock-ttl", Value: 30 * time.Second, EnvVars: []string{"CDSTACK_LOCK_TTL"}, Usage: "etcd: how long a killed holder's lock outlives it"},
		&ucli.StringFlag{Name: "etcd-ca", EnvVars: []string{"CDSTACK_ETCD_CA"}, Usage: "etcd: CA certificate (PEM)"},
		&ucli.StringFlag{Name: "etcd-cert", EnvVars: []string{"CDSTACK_ETCD_CERT"}, Usage: "etcd: client certificate (PEM)"},
		&ucli.StringFlag{Name: "etcd-key", EnvVars: []string{"CDSTACK_ETCD_KEY"}, Usage: "etcd: client key (PEM); the user and password come from CDSTACK_ETCD_USERNAME and CDSTACK_ETCD_PASSWORD"},
	}
}

// A backend is a state store as the commands use it: bbolt or etcd.
type backend interface {
	state.Store
	state.Importer
	// Path names the state in messages (a file or an etcd URL).
	Path() string
	// Holder returns who holds the lock, if anyone.
	Holder() *state.LockInfo
	// ForceUnlock clears a stale lock.
	ForceUnlock() error
}

// openState opens the state named by --state (or beside the stack file).
// The caller closes it.
func openState(c *ucli.Context) (backend, error) {
	path, err := statePath(c)
	if err != nil {
		return nil, err
	}
	return openBackend(c, path)
}

func openBackend(c *ucli.Context, path string) (backend, error) {
	if !state.IsEtcdURL(path) {
		return state.OpenBolt(path), nil
	}
	return state.OpenEtcd(path, state.EtcdOptions{TTL: c.Duration("lock-ttl"), CA: c.String("etcd-ca"), Cert: c.String("etcd-cert"),
		Key: c.String("etcd-key"), Username: os.Getenv("CDSTACK_ETCD_USERNAME"), Password: os.Getenv("CDSTACK_ETCD_PASSWORD"),
		OpTimeout: c.Duration(flagOutage)})
}

// statePath is the state of the chosen workspace: --state as given (an
// etcd prefix gets /<workspace> outside the default workspace), or, beside
// the stack file, .cdstack/<stack>.db for the default workspace and
// .cdstack/<stack>.<workspace>.db for the others.
func statePath(c *ucli.Context) (string, error) {
	ws, err := workspace(c)
	if err != nil {
		return "", err
	}
	if p := c.String(flagState); p != "" {
		if state.IsEtcdURL(p) && ws != spec.DefaultWorkspace {
			return etcdWorkspace(p, ws)
		}
		return p, nil
	}
	file, err := spec.Find(".", c.String(flagFile))
	if err != nil {
		return "", fmt.Errorf("%w (or name the state with --state)", err)
	}
	s, err := spec.Load(file, spec.WithEnv(func(string) string { return "" }), spec.AllowUnset())
	if s == nil || s.Name == "" {
		if err == nil {
			err = errors.New("it names no stack")
		}
		return "", fmt.Errorf("cannot tell the state file from %s: %v", file, err)
	}
	return stateFileOf(file, s.Name, ws)
}

// etcdWorkspace is the etcd state URL u with /ws added to its prefix. The
// names of the state's own keys cannot be workspaces there.
func etcdWorkspace(u, ws string) (string, error) {
	switch ws {
	case "meta", "resources", "journal", "history", "lock", "lockinfo":
		return "", fmt.Errorf("--workspace %s: with an etcd state a workspace is a key prefix, and %q is one of the state's own keys; choose another name", ws, ws)
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("state %q: %w", u, err)
	}
	parsed.Path = strings.TrimRight(parsed.Path, "/") + "/" + ws
	return parsed.String(), nil
}

// stateFileOf is the state file of workspace ws beside the stack file; a
// name that would put it anywhere but .cdstack/ is refused (the name checks
// of spec already make that impossible: this is the proof at the point of
// use).
func stateFileOf(stackFile, name, ws string) (string, error) {
	dir := filepath.Join(filepath.Dir(stackFile), ".cdstack")
	base := name
	if ws != spec.DefaultWorkspace {
		base += "." + ws
	}
	path := filepath.Join(dir, base+".db")
	if spec.CheckStackName(name) != nil || spec.CheckWorkspaceName(ws) != nil || filepath.Dir(path) != dir {
		return "", fmt.Errorf("stack name %q and workspace %q would put the state outside %s", name, ws, dir)
	}
	return path, nil
}

// lockInfo describes this command for whoever finds the state locked. It
// names the command and its positional arguments, never flag values (a
// --var may hold a secret).
func lockInfo(c *ucli.Context) state.LockInfo {
	host, _ := os.Hostname()
	info := state.LockInfo{PID: os.Getpid(), Host: host, Since: time.Now().UTC().Truncate(time.Second),
		Command: strings.TrimSpace(commandPath(c) + " " + strings.Join(c.Args().Slice(), " "))}
	if u, err := user.Current(); err == nil {
		info.User = u.Username
	}
	return info
}

// commandPath is "cdstack state rm": the command and its parents.
func commandPath(c *ucli.Context) string {
	var names []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" && ctx.Command.Name != c.App.Name {
			names = append([]string{ctx.Command.Name}, names...)
		}
	}
	return strings.Join(append([]string{"cdstack"}, names...), " ")
}

// lockState opens the state and takes its lock, waiting --lock-timeout.
// Close releases both.
func lockState(c *ucli.Context) (backend, error) {
	st, err := openState(c)
	if err != nil {
		return nil, err
	}
	if err := st.Lock(c.Context, lockInfo(c), c.Duration(flagLockTimeout)); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// lockedSnapshot locks the state, settles what an interrupted run left in
// its journal (a writer always does, first) and reads it; the caller
// closes st.
func lockedSnapshot(c *ucli.Context) (st backend, snap *state.Snapshot, err error) {
	if st, err = lockState(c); err != nil {
		return nil, nil, err
	}
	if snap, err = st.Snapshot(c.Context); err == nil && len(snap.Journal) > 0 {
		var client *cloud.Client
		var closeCloud func()
		if client, closeCloud, err = connect(c); err == nil {
			err = settle(c, executor.New(client, st, nil))
			closeCloud()
		}
		if err == nil {
			snap, err = st.Snapshot(c.Context)
		}
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, snap, nil
}

// settle settles the journal's leftover entries with ex, saying what
// happened to each; entries it cannot settle yet make an error, and
// nothing new may start.
func settle(c *ucli.Context, ex *executor.Executor) error {
	settled, err := ex.Recover(c.Context)
	for _, done := range settled {
		fmt.Fprintf(c.App.Writer, "Settled the interrupted %s of %s: %s.\n", done.Entry.APIAction, done.Entry.Addr, done.Outcome)
	}
	if err != nil {
		return fmt.Errorf("an interrupted run left operations that cannot be settled yet; nothing new was started:\n%w", err)
	}
	return nil
}

func readState(c *ucli.Context) (*state.Snapshot, string, error) {
	st, err := openState(c)
	if err != nil {
		return nil, "", err
	}
	defer st.Close()
	snap, err := st.Snapshot(c.Context)
	return snap, st.Path(), err
}

func stateCommand() *ucli.Command {
	flags := append(stackFlags(), stateFlags()...)
	jsonFlag := &ucli.BoolFlag{Name: "json", Usage: "print JSON"}
	return &ucli.Command{
		Name:  "state",
		Usage: "inspect and edit the state (what cdstack remembers creating)",
		Subcommands: []*ucli.Command{
			{Name: "list", Usage: "list the addresses in the state", Flags: flags, Action: runStateList},
			{Name: "show", Usage: "show one record", ArgsUsage: "ADDR", Flags: append(flags, jsonFlag), Action: runStateShow},
			{Name: "rm", Usage: "forget resources without touching the cloud", ArgsUsage: "ADDR…",
				Flags: append(flags, &ucli.BoolFlag{Name: "force", Usage: "also forget protected resources"}), Action: runStateRm},
			{Name: "mv", Usage: "rename an address", ArgsUsage: "FROM TO", Flags: flags, Action: runStateMv},
			{Name: "history", Usage: "list the changes the state remembers", Flags: append(flags, jsonFlag), Action: runStateHistory},
			{Name: "pull", Usage: "print the whole state as JSON (no secrets)", Flags: flags, Action: runStatePull},
			{Name: "unlock", Usage: "clear a lock left by a killed cdstack (refused while it still runs; etcd: --force revokes the lease)",
				Flags: append(flags, &ucli.BoolFlag{Name: "force", Usage: "etcd: revoke the lock's lease"}), Action: runStateUnlock},
			{Name: "migrate", Usage: "copy the state to another backend (a file or etcd://…)", ArgsUsage: "--to URL",
				Flags: append(flags, &ucli.StringFlag{Name: "to", Required: true, Usage: "the destination state"},
					&ucli.BoolFlag{Name: "force", Usage: "overwrite a destination that is not empty"}), Action: runStateMigrate},
		},
	}
}

func runStateList(c *ucli.Context) error {
	snap, path, err := readState(c)
	if err != nil {
		return err
	}
	if len(snap.Resources) == 0 {
		fmt.Fprintf(c.App.ErrWriter, "cdstack: the state %s holds no resources\n", path)
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	for _, addr := range snap.Addresses() {
		r := snap.Resources[addr]
		mark, id := "", r.ID
		if r.Protect {
			mark = "protected"
		}
		if r.Missing {
			id = "(missing)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", addr, r.Kind, id, mark)
	}
	tw.Flush()
	if n := len(snap.Journal); n > 0 {
		fmt.Fprintf(c.App.ErrWriter, "cdstack: %d operation(s) of an interrupted run are pending; the next plan or apply settles them\n", n)
	}
	return nil
}

// pulledRecord is a record as show and pull print it: secret hashes become
// "(sensitive)" markers.
type pulledRecord struct {
	*state.Record
	SecretHashes map[string]string `json:"secret_hashes,omitempty"`
	Sensitive    []string          `json:"sensitive,omitempty"`
}

func pulled(r *state.Record) pulledRecord {
	p := pulledRecord{Record: r}
	for path := range r.SecretHashes {
		p.Sensitive = append(p.Sensitive, path)
	}
	sort.Strings(p.Sensitive)
	return p
}

func runStateShow(c *ucli.Context) error {
	if c.NArg() != 1 {
		return errors.New("state show: name one address")
	}
	snap, path, err := readState(c)
	if err != nil {
		return err
	}
	addr := c.Args().First()
	r, err := snap.Get(addr)
	if err != nil {
		return unknownAddress(addr, path, snap)
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, pulled(r))
	}
	w := c.App.Writer
	fmt.Fprintf(w, "# %s\n", addr)
	fmt.Fprintf(w, "kind:       %s\nid:         %s\n", r.Kind, r.ID)
	if r.Region != "" {
		fmt.Fprintf(w, "region:     %s\n", r.Region)
	}
	fmt.Fprintf(w, "protect:    %v\ncreated:    %s\nupdated:    %s\n", r.Protect, r.CreatedAt.Format(time.RFC3339), r.UpdatedAt.Format(time.RFC3339))
	if len(r.Deps) > 0 {
		fmt.Fprintf(w, "depends on: %s\n", strings.Join(r.Deps, ", "))
	}
	printMap(w, "inputs", r.Inputs, r.SecretHashes)
	printMap(w, "outputs", r.Outputs, nil)
	return nil
}

func printMap(w io.Writer, title string, m map[string]any, secrets map[string]string) {
	if len(m)+len(secrets) == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	keys := make([]string, 0, len(m)+len(secrets))
	for k := range m {
		keys = append(keys, k)
	}
	for k := range secrets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, secret := secrets[k]; secret {
			fmt.Fprintf(w, "  %s: (sensitive)\n", k)
			continue
		}
		b, _ := json.Marshal(m[k])
		fmt.Fprintf(w, "  %s: %s\n", k, b)
	}
}

func unknownAddress(addr, path string, snap *state.Snapshot) error {
	msg := fmt.Sprintf("%s: no address %q in the state", path, addr)
	var copies []string
	if _, err := spec.ParseAddress(addr); err != nil && !strings.HasPrefix(addr, resources.TagPrefix) {
		return fmt.Errorf("%s: %w", path, err)
	}
	how := "count"
	for _, a := range snap.Addresses() {
		if pa, err := spec.ParseAddress(a); err == nil && pa.Name == addr && pa.Instanced() {
			copies = append(copies, a)
			if pa.Keyed {
				how = "for_each"
			}
		}
	}
	if len(copies) > 0 {
		return fmt.Errorf("%s; %s has %s: name one of %s", msg, addr, how, strings.Join(copies, ", "))
	}
	return errors.New(msg + suggest.DidYouMean(addr, snap.Addresses()))
}

func runStateRm(c *ucli.Context) error {
	if c.NArg() == 0 {
		return errors.New("state rm: name at least one address")
	}
	st, snap, err := lockedSnapshot(c)
	if err != nil {
		return err
	}
	defer st.Close()
	var change state.Change
	for _, addr := range c.Args().Slice() {
		r, err := snap.Get(addr)
		if err != nil {
			return unknownAddress(addr, st.Path(), snap)
		}
		if r.Protect && !c.Bool("force") {
			return fmt.Errorf("%s is protected; remove it from the state anyway with --force", addr)
		}
		change.Delete = append(change.Delete, addr)
	}
	if _, err := st.Commit(c.Context, change); err != nil {
		return err
	}
	for _, addr := range change.Delete {
		r := snap.Resources[addr]
		fmt.Fprintf(c.App.Writer, "Removed %s (%s %s) from the state; it still exists in the cloud (cdstack import brings it back).\n", addr, r.Kind, r.ID)
	}
	return nil
}

func runStateMv(c *ucli.Context) error {
	if c.NArg() != 2 {
		return errors.New("state mv: want FROM TO")
	}
	from, to := c.Args().Get(0), c.Args().Get(1)
	if err := spec.CheckAddress(to); err != nil {
		return fmt.Errorf("state mv: %w", err)
	}
	st, snap, err := lockedSnapshot(c)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := snap.Get(from)
	if err != nil {
		if copies := copiesOf(snap, from); len(copies) > 0 {
			return moveCopies(c, st, snap, from, to, copies)
		}
		return unknownAddress(from, st.Path(), snap)
	}
	toAddr, err := spec.ParseAddress(to)
	if err != nil {
		return fmt.Errorf("state mv: %w", err)
	}
	to = toAddr.String()
	if _, taken := snap.Resources[to]; taken {
		return fmt.Errorf("%s is already in the state; remove it first", to)
	}
	if err := sameKindAt(c, toAddr.Name, to, r); err != nil {
		return fmt.Errorf("state mv: %w", err)
	}
	// As moved: does it, in one commit: what depended on the old address
	// depends on the new one (a destroy orders its deletes by them).
	change := planner.MoveChange(snap, []*planner.Move{{From: r.Addr, To: to, Kind: r.Kind, ID: r.ID}}, time.Now().UTC())
	if _, err := st.Commit(c.Context, change); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Moved %s to %s.\n", from, to)
	return nil
}

func runStateHistory(c *ucli.Context) error {
	st, err := openState(c)
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := st.History(c.Context)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if h == nil {
			h = []state.HistoryEntry{}
		}
		return writeJSON(c.App.Writer, h)
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIAL\tTIME\tCOMMAND\tADDED\tCHANGED\tREMOVED\tRECORDS")
	for _, e := range h {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\n", e.Serial, e.Time.Format(time.RFC3339), e.Command, e.Added, e.Changed, e.Removed, e.Records)
	}
	return tw.Flush()
}

func runStatePull(c *ucli.Context) error {
	snap, _, err := readState(c)
	if err != nil {
		return err
	}
	doc := struct {
		FormatVersion string                `json:"format_version"`
		Lineage       string                `json:"lineage"`
		Serial        uint64                `json:"serial"`
		Resources     []pulledRecord        `json:"resources"`
		Journal       []*state.JournalEntry `json:"journal"`
		// Exports are the outputs and reads of the last apply.
		Exports *state.Exports `json:"exports,omitempty"`
	}{FormatVersion: "1", Lineage: snap.Meta.Lineage, Serial: snap.Meta.Serial, Resources: []pulledRecord{}, Journal: snap.Journal, Exports: snap.Exports}
	for _, addr := range snap.Addresses() {
		doc.Resources = append(doc.Resources, pulled(snap.Resources[addr]))
	}
	return writeJSON(c.App.Writer, doc)
}

func runStateUnlock(c *ucli.Context) error {
	st, err := openState(c)
	if err != nil {
		return err
	}
	defer st.Close()
	if state.IsEtcdURL(st.Path()) && !c.Bool("force") {
		return fmt.Errorf("an etcd lock expires on its own %s after its holder stops (--lock-ttl); pass --force to revoke it now (a live holder's next commit then fails safely)", c.Duration("lock-ttl"))
	}
	holder := st.Holder()
	if err := st.ForceUnlock(); err != nil {
		var le *state.LockError
		if errors.As(err, &le) {
			return fmt.Errorf("%w\nthat process still holds the lock; stop it instead of unlocking", err)
		}
		return err
	}
	fmt.Fprintf(c.App.Writer, "Cleared the stale lock of %s.\n", holder)
	return nil
}

func runStateMigrate(c *ucli.Context) error {
	src, err := lockState(c)
	if err != nil {
		return err
	}
	defer src.Close()
	if sameState(src.Path(), c.String("to")) {
		return fmt.Errorf("state migrate: %s is the state being migrated; name another file or etcd URL", c.String("to"))
	}
	dst, err := openBackend(c, c.String("to"))
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := dst.Lock(c.Context, lockInfo(c), c.Duration(flagLockTimeout)); err != nil {
		return err
	}
	snap, err := src.Snapshot(c.Context)
	if err != nil {
		return err
	}
	existing, err := dst.Snapshot(c.Context)
	if err != nil {
		return err
	}
	if !existing.IsEmpty() && !c.Bool("force") {
		return fmt.Errorf("%s already holds a state (serial %d, %d records); pass --force to overwrite it", dst.Path(), existing.Meta.Serial, len(existing.Resources))
	}
	if err := dst.Import(c.Context, snap); err != nil {
		return fmt.Errorf("migrate to %s: %w", dst.Path(), err)
	}
	fmt.Fprintf(c.App.Writer, "Copied %d records (serial %d, lineage %s) from %s to %s.\n", len(snap.Resources), snap.Meta.Serial, snap.Meta.Lineage, src.Path(), dst.Path())
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
