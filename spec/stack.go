package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// A Stack is a loaded, checked stack file.
type Stack struct {
	File    string // as given to Load
	Hash    string // sha256 of the file's bytes
	Version int
	Name    string
	Region  string
	// UnsetIsUnknown makes a variable loaded without a value (Unset)
	// evaluate as Unknown instead of failing: what drift needs, which
	// compares the state with the cloud and never uses a value.
	UnsetIsUnknown bool
	// Workspace is what ${workspace} stands for.
	Workspace string
	// Budget is budget.monthly (0: none), at BudgetPos.
	Budget    float64
	BudgetPos Pos

	Variables map[string]*Variable
	Resources map[string]*Resource
	Order     []string // resource names in file order
	Outputs   []*Output
	Warnings  Errors
	// Data are the data sources (data:), DataOrder their names in file
	// order; Stacks are the other stacks read (stacks:). See data.go and
	// stacks.go.
	Data      map[string]*DataSource
	DataOrder []string
	Stacks    map[string]*StackRef
	// Tenants are the other stacks that put resources in this stack's
	// VDCs (tenants:, tenants.go): drift reports what their states record
	// there as theirs, not as unmanaged.
	Tenants map[string]*StackRef
	// Moved are the moved: declarations in file order (moved.go).
	Moved []*Move
	// Components are the component uses by prefixed name (api, api.db);
	// Sources the content hash of each component file read, by path
	// (component.go).
	Components map[string]*Component
	Sources    map[string]string

	root     *Value
	external func(*Ref) (any, error)
	// componentRoots are the component files read, one per use and copy,
	// with their references in the stack's scope (ExternalRefs).
	componentRoots []componentRoot
	// component: root is a component file (checkComponentSchema).
	component bool
}

// A Resource is one entry of resources: (with count, several instances).
type Resource struct {
	Name     string
	Kind     string
	Pos      Pos
	Count    int // -1 without count
	CountPos Pos
	// CountUnknown: count comes from a variable without a value (only
	// with AllowUnset); Count is then 0 and indexes are not range-checked.
	CountUnknown bool
	// CountVar is the variable count comes from, if it does.
	CountVar   string
	Properties *Value
	DependsOn  []string
	Protect    bool
	// CreateBeforeDestroy makes a replacement create the new resource
	// before it deletes the old one.
	CreateBeforeDestroy bool
	// DeleteFirst is create_before_destroy: false written out: the stack
	// wants replacements deleted first even where cdstack would create
	// first (an instance behind a load balancer).
	DeleteFirst   bool
	IgnoreChanges []string
	Description   string
	// ForEach makes one copy per key (for_each); see foreach.go.
	ForEach ForEach
	value   *Value
}

// HasCount reports whether the resource was declared with count.
func (r *Resource) HasCount() bool { return r.Count >= 0 }

// Addresses returns the instance addresses: name, name[0] … name[n-1]
// (count), or name["key"] for each key in order (for_each).
func (r *Resource) Addresses() []string {
	if r.HasForEach() {
		return r.ForEach.addresses(r.Name)
	}
	if !r.HasCount() {
		return []string{r.Name}
	}
	out := make([]string, r.Count)
	for i := range out {
		out[i] = fmt.Sprintf("%s[%d]", r.Name, i)
	}
	return out
}

// An Output is a value printed after apply.
type Output struct {
	Name        string
	Value       *Value
	Sensitive   bool
	Description string
	Pos         Pos
}

// An Option changes how Load resolves variables.
type Option func(*loadConfig)

type loadConfig struct {
	vars       map[string]string
	files      []*VarFile
	getenv     func(string) string
	allowUnset bool
	workspace  string
}

// WithVars sets variables as --var name=value does.
func WithVars(vars map[string]string) Option { return func(c *loadConfig) { c.vars = vars } }

// WithVarFiles sets variables from files, as --var-file does: a later file
// wins over an earlier one; --var wins over all.
func WithVarFiles(files ...*VarFile) Option { return func(c *loadConfig) { c.files = files } }

// AllowUnset lets variables have no value: they are marked Unset, and what
// depends on them is checked only for what it can be without the value
// (validate without values, as a pull-request check needs no secrets).
func AllowUnset() Option { return func(c *loadConfig) { c.allowUnset = true } }

// WithWorkspace sets what ${workspace} is (default: DefaultWorkspace).
func WithWorkspace(name string) Option { return func(c *loadConfig) { c.workspace = name } }

// DefaultWorkspace is the workspace when none is chosen.
const DefaultWorkspace = "default"

// WithEnv replaces os.Getenv for env: variables.
func WithEnv(getenv func(string) string) Option { return func(c *loadConfig) { c.getenv = getenv } }

// DefaultFiles are tried in order when no file is named.
var DefaultFiles = []string{"stack.yaml", "cdstack.yaml"}

// ErrNoStackFile says no stack file was named and none of DefaultFiles exists.
var ErrNoStackFile = errors.New("no stack file: pass -f FILE, or create stack.yaml in this directory")

// Find returns path if set, else the first of DefaultFiles in dir.
func Find(dir, path string) (string, error) {
	if path != "" {
		return path, nil
	}
	for _, f := range DefaultFiles {
		p := filepath.Join(dir, f)
		if _, err := os.Stat(p); err == nil {
			if dir == "." || dir == "" {
				return f, nil
			}
			return p, nil
		}
	}
	return "", ErrNoStackFile
}

// Load reads and checks the stack file at path. On problems the error is
// Errors (every problem, sorted by position, warnings included).
func Load(path string, opts ...Option) (*Stack, error) {
	data, err := readBounded("stack file", path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, opts...)
}

// Parse checks a stack file's content; file names it in positions.
func Parse(file string, data []byte, opts ...Option) (*Stack, error) {
	cfg := loadConfig{getenv: os.Getenv, workspace: DefaultWorkspace}
	for _, o := range opts {
		o(&cfg)
	}
	d := &diag{}
	sum := sha256.Sum256(data)
	s := &Stack{File: file, Hash: hex.EncodeToString(sum[:]), Workspace: cfg.workspace, Variables: map[string]*Variable{}, Resources: map[string]*Resource{},
		Data: map[string]*DataSource{}, Stacks: map[string]*StackRef{}, Tenants: map[string]*StackRef{}, Components: map[string]*Component{}, Sources: map[string]string{}}
	s.root = parseYAML(file, data, d)
	if s.root != nil {
		if s.root.Kind != Map {
			d.errorf(s.root.Pos, "", "a stack file is a map with version, stack, region and resources")
		} else {
			s.read(d)
			for name := range cfg.vars {
				if _, ok := s.Variables[name]; !ok {
					d.errorf(Pos{File: file, Line: 1, Col: 1}, "", "--var %s: the stack declares no variable %q", name, name)
				}
			}
			for _, f := range cfg.files {
				f.checkNames(s, d)
			}
			for _, name := range sortedKeys(s.Variables) {
				s.Variables[name].resolve(&cfg, d)
			}
			// After the variables: a use's count or for_each may be one.
			s.readRootComponents(d)
			s.check(d)
		}
	}
	d.errs.Sort()
	d.errs = d.errs.dedup()
	if d.errs.HasErrors() {
		return s, d.errs
	}
	s.Warnings = d.errs
	return s, nil
}

// MaxStackName is the longest stack name.
const MaxStackName = 63

var stackName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// CheckStackName says what is wrong with a stack name, or nil: 1 to 63 of
// a-z, 0-9, '_' and '-', starting with a letter or digit. Such a name is one
// path element: the state file it names stays in .cdstack/.
func CheckStackName(name string) error { return checkName("stack", name) }

// CheckWorkspaceName says what is wrong with a workspace name, or nil: the
// same rule as a stack name, as it becomes part of the state file's name.
func CheckWorkspaceName(name string) error { return checkName("workspace", name) }

func checkName(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("the %s's name is empty", what)
	case len(name) > MaxStackName:
		return fmt.Errorf("the %s's name is %d characters long; at most %d", what, len(name), MaxStackName)
	case !stackName.MatchString(name):
		return fmt.Errorf("%q is not a %s name: a-z, 0-9, '_' and '-', starting with a letter or digit", name, what)
	}
	return nil
}

// read takes the stack apart; the schema reports structural problems, so
// read only skips what it cannot use.
func (s *Stack) read(d *diag) {
	r := s.root
	if v := r.Get("version"); v != nil && v.Kind == Int {
		s.Version = int(v.Int)
	}
	if v := r.Get("stack"); v != nil && v.Kind == String {
		// The name becomes a file name: it takes no references and must be
		// a plain name, or the stack has none (and nothing touches disk).
		// (The schema reports a bad name's characters or length.)
		if len(v.Refs()) > 0 || v.TmplErr {
			d.errorf(v.Pos, "stack", "the stack's name takes no references (${…}): it names the state file; write a plain name")
		} else if CheckStackName(v.Str) == nil {
			s.Name = v.Str
		}
	}
	if v := r.Get("region"); v != nil && v.Kind == String {
		s.Region = v.Str
	}
	if b := r.Get("budget"); b != nil && b.Kind == Map {
		if m := b.Get("monthly"); m != nil && (m.Kind == Int || m.Kind == Float) {
			s.Budget, s.BudgetPos = float64(m.Int)+m.Float, m.Pos
		}
	}
	if vars := r.Get("variables"); vars != nil && vars.Kind == Map {
		for _, k := range vars.Keys {
			s.Variables[k.Name] = readVariable(k)
		}
	}
	if res := r.Get("resources"); res != nil && res.Kind == Map {
		for _, k := range res.Keys {
			s.Resources[k.Name] = readResource(k)
			s.Order = append(s.Order, k.Name)
		}
	}
	s.readData(r.Get("data"))
	s.readStacks(r.Get("stacks"))
	s.readTenants(r.Get("tenants"))
	s.readMoved(r.Get("moved"), d)
	if outs := r.Get("outputs"); outs != nil && outs.Kind == Map {
		for _, k := range outs.Keys {
			o := &Output{Name: k.Name, Pos: k.Pos, Value: k.Value}
			if k.Value != nil && k.Value.Kind == Map && k.Value.Get("value") != nil {
				o.Value = k.Value.Get("value")
				if sv := k.Value.Get("sensitive"); sv != nil && sv.Kind == Bool {
					o.Sensitive = sv.Bool
				}
				if dv := k.Value.Get("description"); dv != nil && dv.Kind == String {
					o.Description = dv.Str
				}
			}
			s.Outputs = append(s.Outputs, o)
		}
	}
}

func readResource(k *Key) *Resource {
	r := &Resource{Name: k.Name, Pos: k.Pos, Count: -1, value: k.Value, Properties: &Value{Kind: Map, Pos: k.Pos}}
	v := k.Value
	if v == nil || v.Kind != Map {
		return r
	}
	if x := v.Get("kind"); x != nil && x.Kind == String {
		r.Kind = x.Str
	}
	if x := v.Get("properties"); x != nil && x.Kind == Map {
		r.Properties = x
	}
	if x := v.Get("protect"); x != nil && x.Kind == Bool {
		r.Protect = x.Bool
	}
	if x := v.Get("create_before_destroy"); x != nil && x.Kind == Bool {
		r.CreateBeforeDestroy, r.DeleteFirst = x.Bool, !x.Bool
	}
	if x := v.Get("description"); x != nil && x.Kind == String {
		r.Description = x.Str
	}
	if x := v.Get("depends_on"); x != nil && x.Kind == List {
		for _, e := range x.List {
			if e.Kind == String {
				r.DependsOn = append(r.DependsOn, e.Str)
			}
		}
	}
	if x := v.Get("ignore_changes"); x != nil && x.Kind == List {
		for _, e := range x.List {
			if e.Kind == String {
				r.IgnoreChanges = append(r.IgnoreChanges, e.Str)
			}
		}
	}
	return r
}

// Names returns the resource names sorted.
func (s *Stack) Names() []string { return sortedKeys(s.Resources) }

// Addresses returns every instance address, sorted.
func (s *Stack) Addresses() []string {
	var out []string
	for _, name := range s.Names() {
		out = append(out, s.Resources[name].Addresses()...)
	}
	return out
}

// Unset returns the variables that have no value, sorted (only with
// AllowUnset).
func (s *Stack) Unset() []*Variable {
	var out []*Variable
	for _, name := range sortedKeys(s.Variables) {
		if v := s.Variables[name]; v.Unset {
			out = append(out, v)
		}
	}
	return out
}

// UsesVariable reports whether any reference names variable name.
func (s *Stack) UsesVariable(name string) bool {
	v, ok := s.Variables[name]
	return ok && v.used
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readBounded reads the stack or variable file at path (what names it):
// only a regular file of at most MaxFileSize bytes, checked before anything
// is read, so a device (/dev/zero), a FIFO or a huge file is refused at once.
func readBounded(what, path string) ([]byte, error) {
	check := func(fi fs.FileInfo) error {
		switch {
		case fi.IsDir():
			return fmt.Errorf("%s %s is a directory; name a file", what, path)
		case !fi.Mode().IsRegular():
			return fmt.Errorf("%s %s is not a regular file but %s; name a file", what, path, fileType(fi.Mode()))
		case fi.Size() > MaxFileSize:
			return fmt.Errorf("%s %s is %d bytes; files are limited to %d MiB", what, path, fi.Size(), MaxFileSize>>20)
		}
		return nil
	}
	// Looked at before it is opened: opening a FIFO waits for a writer.
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s %s does not exist", what, path)
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := check(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := check(fi); err != nil { // replaced in between
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s %s grew beyond %d MiB while it was read", what, path, MaxFileSize>>20)
	}
	return data, nil
}

// fileType names what a file that is not a regular file is.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
