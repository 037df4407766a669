package spec

import (
	"github.com/cdstack/cdstack/internal/suggest"
)

// A VarFile is a YAML file of variable values (name: value), as given with
// --var-file: its values keep their YAML types and positions.
type VarFile struct {
	Path   string
	values *Value
}

// ReadVarFile reads a variable file. Problems (not YAML, not a map,
// references) are Errors with positions.
func ReadVarFile(path string) (*VarFile, error) {
	data, err := readBounded("variable file", path)
	if err != nil {
		return nil, err
	}
	d := &diag{}
	v := parseYAML(path, data, d)
	if v != nil && v.Kind != Map {
		d.errorf(v.Pos, "", "a variable file is a map of variable names to values")
	}
	if v != nil && v.Kind == Map {
		for _, k := range v.Keys {
			for _, r := range k.Value.Refs() {
				d.errorf(r.Pos, k.Name, "a variable file holds plain values; %s is a reference", r)
			}
		}
	}
	if d.errs.Sort(); d.errs.HasErrors() {
		return nil, d.errs
	}
	return &VarFile{Path: path, values: v}, nil
}

// value returns the file's value for name, if it has one.
func (f *VarFile) value(name string) (*Value, bool) {
	k := f.values.Key(name)
	if k == nil {
		return nil, false
	}
	return k.Value, true
}

// checkNames reports the names the file sets that the stack does not declare.
func (f *VarFile) checkNames(s *Stack, d *diag) {
	for _, k := range f.values.Keys {
		if _, ok := s.Variables[k.Name]; !ok {
			d.errorf(k.Pos, k.Name, "the stack declares no variable %q%s", k.Name, suggest.DidYouMean(k.Name, sortedKeys(s.Variables)))
		}
	}
}
