package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cdstack/cdstack/internal/suggest"
)

// A Component is one use of a component file (components: NAME: {source,
// inputs}). Its resources join the stack's under prefixed names
// (api.web, addressed api.web[0]); its outputs are what
// ${component.NAME.outputs.X} reads.
//
// A component file has version, inputs (declared like variables: type,
// default, sensitive, description; one without a default is required),
// data, resources, outputs and components of its own. Inside it,
// ${input.NAME} reads an input, ${web.id} its own resources and
// ${data.img.id} its own data sources (see DataSource). Every position inside a
// component names the chain of uses that led there:
// stack.yaml:12:5 → components/service.yaml:30:9.
type Component struct {
	Name   string // the prefixed name: api, or api.db for a nested one
	Source string // the source's path as read
	Pos    Pos    // of the use
	// Inputs are the declared inputs; Outputs the outputs' values, in the
	// scope of the stack (resource references prefixed).
	Inputs  map[string]*Variable
	Outputs map[string]*Value
	// copies: the use has count or for_each (its outputs are per copy):
	// Copies are they, in index or key order (keys, with forEach); unknown:
	// how many is not known (a variable without a value).
	copies  bool
	Copies  []*Component
	forEach bool
	keys    []string
	unknown bool
}

// MaxComponentDepth bounds how deeply components may use components.
const MaxComponentDepth = 16

// scope is where a file's references are resolved: the prefix of its
// resources, its inputs' values, the components it uses.
type scope struct {
	prefix     string // "" in the stack file, "api." inside api
	inputs     map[string]*Value
	components map[string]*Component
	local      map[string]bool // resource names of the file
	data       map[string]bool // data source names of the file
	// declared are the inputs the file declares: one without a value (a
	// required input not passed, reported with the use) is not unknown.
	declared map[string]bool
}

// A componentRoot is one component file as used (by use and copy name).
type componentRoot struct {
	name string
	root *Value
}

// readComponents reads the components: a file (the stack, or a component
// at prefix) uses, depth first, and adds their resources to the stack.
// chain lists the sources being read, outermost first, to refuse cycles.
// The uses' input values are in parent's scope; the uses are added to
// parent.components as they are read, so a use may pass the outputs of one
// written before it.
func (s *Stack) readComponents(list *Value, dir string, parent *scope, chain []string, d *diag) {
	if list == nil || list.Kind != Map {
		return
	}
	prefix, out := parent.prefix, parent.components
	for _, k := range list.Keys {
		use := k.Value
		if use == nil || use.Kind != Map {
			continue // the schema says what is wrong
		}
		path := strings.TrimSuffix(prefix, ".")
		src := use.Get("source")
		if src == nil || src.Kind != String || src.Tmpl != nil {
			continue
		}
		// count and for_each make copies of the whole component: api[0].web,
		// api["eu"].web; ${index} and ${each.…} in its inputs are the copy's.
		instances := []Instance{{Addr: k.Name, Index: -1}}
		multi := use.Key("count") != nil || use.Key("for_each") != nil
		if multi {
			tmp := &Resource{Name: k.Name, Pos: k.Pos, Count: -1, value: use}
			mark := len(d.errs)
			s.checkCount(tmp, d)
			s.checkForEach(tmp, d)
			for _, e := range d.errs[mark:] { // the checks are a resource's
				if rest, ok := strings.CutPrefix(e.Path, "resources."); ok {
					e.Path = "components." + rest
				}
			}
			instances = tmp.Instances()
			out[k.Name] = &Component{Name: prefix + k.Name, Pos: k.Pos, copies: true, forEach: tmp.HasForEach(), keys: tmp.ForEach.Keys,
				unknown: tmp.CountUnknown || tmp.ForEach.Unknown}
		}
		file := src.Str
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			abs = file
		}
		for i, c := range chain {
			if c == abs {
				names := append(append([]string{}, chain[i:]...), abs)
				for j := range names {
					names[j] = filepath.Base(names[j])
				}
				d.errorf(src.Pos, "components."+k.Name+".source", "component sources form a cycle: %s", strings.Join(names, " → "))
				abs = ""
				break
			}
		}
		if abs == "" {
			continue
		}
		if len(chain) > MaxComponentDepth {
			d.errorf(src.Pos, "components."+k.Name+".source", "components nest deeper than %d", MaxComponentDepth)
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				d.errorf(src.Pos, "components."+k.Name+".source", "component source %s does not exist", file)
			} else {
				d.errorf(src.Pos, "components."+k.Name+".source", "component source: %v", err)
			}
			continue
		}
		sum := sha256.Sum256(data)
		s.Sources[file] = hex.EncodeToString(sum[:])
		for _, inst := range instances {
			name := prefix + inst.Addr
			root := parseYAML(k.Pos.String()+" → "+file, data, d)
			if root == nil {
				continue
			}
			if root.Kind != Map {
				d.errorf(root.Pos, "", "a component file is a map with version, inputs, resources and outputs")
				continue
			}
			if x := root.Key("stack"); x != nil {
				d.errorf(x.Pos, "stack", "a component file has no stack: it is part of the stack that uses it")
			}
			for _, x := range root.Keys {
				switch x.Name {
				case "version", "inputs", "data", "resources", "outputs", "components", "stack":
				default:
					d.errorf(x.Pos, x.Name, "a component file has version, inputs, data, resources, outputs and components; %s belongs to the stack (pass what it gives as an input)", x.Name)
				}
			}
			c := &Component{Name: name, Source: file, Pos: k.Pos, Inputs: map[string]*Variable{}, Outputs: map[string]*Value{}}
			if ins := root.Get("inputs"); ins != nil && ins.Kind == Map {
				for _, ik := range ins.Keys {
					c.Inputs[ik.Name] = readVariable(ik)
				}
			}
			// The use's input values are in the parent's scope.
			given := map[string]*Value{}
			if ins := use.Get("inputs"); ins != nil && ins.Kind == Map {
				for _, ik := range ins.Keys {
					if multi {
						ik = &Key{Name: ik.Name, Pos: ik.Pos, Value: forInstance(ik.Value, inst)}
					}
					s.rewrite(ik.Value, parent, d)
					decl, ok := c.Inputs[ik.Name]
					if !ok {
						d.errorf(ik.Pos, "components."+k.Name+".inputs."+ik.Name, "component %s (%s) has no input %q%s", path+k.Name, file, ik.Name, suggest.DidYouMean(ik.Name, sortedKeys(c.Inputs)))
						continue
					}
					checkInput(decl, ik.Value, "components."+k.Name+".inputs."+ik.Name, d)
					if decl.Sensitive && !s.sensitiveRef(ik.Value) {
						d.errorf(ik.Value.Pos, "components."+k.Name+".inputs."+ik.Name, "input %q is sensitive: pass a sensitive variable, ${var.NAME}, not a value written in the file", ik.Name)
					}
					given[ik.Name] = ik.Value
				}
			}
			values := map[string]*Value{}
			for _, in := range sortedKeys(c.Inputs) {
				decl := c.Inputs[in]
				switch {
				case given[in] != nil:
					values[in] = given[in]
				case decl.Default != nil:
					values[in] = decl.Default
				default:
					d.errorf(k.Pos, "components."+k.Name+".inputs", "component %s: input %q is required (declared at %s)", k.Name, in, decl.Pos)
				}
			}
			s.checkComponentSchema(root, file, d)
			inner := &scope{prefix: name + ".", inputs: values, local: map[string]bool{}, data: map[string]bool{}, declared: map[string]bool{}, components: map[string]*Component{}}
			for in := range c.Inputs {
				inner.declared[in] = true
			}
			res := root.Get("resources")
			if res != nil && res.Kind == Map {
				for _, rk := range res.Keys {
					inner.local[rk.Name] = true
				}
			}
			// The component's data sources are its own: one per use and
			// copy, read as the stack's are (api.data.img).
			if data := root.Get("data"); data != nil && data.Kind == Map {
				for _, dk := range data.Keys {
					inner.data[dk.Name] = true
				}
				for _, dk := range data.Keys {
					s.rewrite(dk.Value, inner, d)
				}
				s.readDataAt(data, inner.prefix)
			}
			s.componentRoots = append(s.componentRoots, componentRoot{name: name, root: root})
			s.readComponents(root.Get("components"), filepath.Dir(file), inner, append(chain, abs), d)
			if res != nil && res.Kind == Map {
				for _, rk := range res.Keys {
					s.rewrite(rk.Value, inner, d)
					if deps := rk.Value.Get("depends_on"); deps != nil && deps.Kind == List {
						for _, e := range deps.List {
							if e.Kind == String && e.Tmpl == nil {
								e.Str = inner.prefix + e.Str
							}
						}
					}
					r := readResource(rk)
					r.Name = inner.prefix + rk.Name
					s.Resources[r.Name] = r
					s.Order = append(s.Order, r.Name)
				}
			}
			if outs := root.Get("outputs"); outs != nil && outs.Kind == Map {
				for _, ok := range outs.Keys {
					v := ok.Value
					if v != nil && v.Kind == Map && v.Get("value") != nil {
						v = v.Get("value")
					}
					s.rewrite(v, inner, d)
					c.Outputs[ok.Name] = v
				}
			}
			if multi {
				out[k.Name].Copies = append(out[k.Name].Copies, c)
			} else {
				out[k.Name] = c
			}
			s.Components[name] = c
		}
	}
}

// forInstance copies an input value of a component use with ${index},
// ${each.key} and ${each.value} replaced by what they are in copy in.
func forInstance(v *Value, in Instance) *Value {
	if v == nil {
		return nil
	}
	cp := *v
	switch v.Kind {
	case List:
		cp.List = make([]*Value, len(v.List))
		for i, e := range v.List {
			cp.List[i] = forInstance(e, in)
		}
	case Map:
		cp.Keys = make([]*Key, len(v.Keys))
		for i, k := range v.Keys {
			cp.Keys[i] = &Key{Name: k.Name, Pos: k.Pos, Value: forInstance(k.Value, in)}
		}
	case String:
		if v.Tmpl == nil {
			break
		}
		if ref := v.Tmpl.Whole(); ref != nil && (ref.Index && in.Index >= 0 || ref.Each != "" && in.Each) {
			return literal(ref, in, v.Pos)
		}
		var parts []Part
		var text strings.Builder
		hasRef := false
		for _, p := range v.Tmpl.Parts {
			if r := p.Ref; r != nil && (r.Index && in.Index >= 0 || r.Each != "" && in.Each) {
				lit := literal(r, in, r.Pos)
				s := lit.Str
				if lit.Kind != String {
					s = fmt.Sprint(lit.Plain())
				}
				parts = append(parts, Part{Lit: s})
				text.WriteString(s)
				continue
			}
			if p.Ref != nil {
				cr := *p.Ref
				parts = append(parts, Part{Ref: &cr})
				text.WriteString(cr.String())
				hasRef = true
				continue
			}
			parts = append(parts, p)
			text.WriteString(p.Lit)
		}
		cp.Str, cp.Tmpl = text.String(), nil
		if hasRef {
			cp.Tmpl = &Template{Parts: mergeLits(parts)}
		}
	}
	return &cp
}

// literal is the value ${index} or ${each.…} has in copy in.
func literal(r *Ref, in Instance, pos Pos) *Value {
	var x any
	switch {
	case r.Index:
		x = int64(in.Index)
	case r.Each == "key":
		x = in.Key
	case r.Attr != "":
		if m, ok := in.Value.(map[string]any); ok {
			x = m[r.Attr]
		}
	default:
		x = in.Value
	}
	return valueOf(x, pos)
}

// valueOf makes a Value of a plain Go value.
func valueOf(x any, pos Pos) *Value {
	v := &Value{Pos: pos}
	switch t := x.(type) {
	case string:
		v.Kind, v.Str = String, t
	case int64:
		v.Kind, v.Int = Int, t
	case float64:
		v.Kind, v.Float = Float, t
	case bool:
		v.Kind, v.Bool = Bool, t
	case []any:
		v.Kind = List
		for _, e := range t {
			v.List = append(v.List, valueOf(e, pos))
		}
	case map[string]any:
		v.Kind = Map
		for _, k := range sortedKeys(t) {
			v.Keys = append(v.Keys, &Key{Name: k, Pos: pos, Value: valueOf(t[k], pos)})
		}
	}
	return v
}

// checkComponentSchema checks a component file against the schema, with
// its own resources for the types of references.
func (s *Stack) checkComponentSchema(root *Value, file string, d *diag) {
	local := &Stack{File: file, root: root, component: true, Workspace: s.Workspace, Region: s.Region, Variables: map[string]*Variable{},
		Resources: map[string]*Resource{}, Data: map[string]*DataSource{}, Stacks: map[string]*StackRef{}}
	if res := root.Get("resources"); res != nil && res.Kind == Map {
		for _, k := range res.Keys {
			local.Resources[k.Name] = readResource(k)
		}
	}
	local.readData(root.Get("data"))
	local.checkSchema(d)
}

// checkInput checks a literal input value against its declared type (a
// reference is checked where it is used).
func checkInput(decl *Variable, v *Value, path string, d *diag) {
	if v == nil || v.Kind == String && v.Tmpl != nil {
		return
	}
	ok := true
	switch decl.Type {
	case "string":
		ok = v.Kind == String
	case "integer":
		ok = v.Kind == Int
	case "number":
		ok = v.Kind == Int || v.Kind == Float
	case "boolean":
		ok = v.Kind == Bool
	case "list":
		ok = v.Kind == List
	case "map":
		ok = v.Kind == Map
	}
	if !ok {
		shown := fmt.Sprint(v.Plain())
		if decl.Sensitive {
			shown = "(sensitive)"
		}
		d.errorf(v.Pos, path, "input %q is a %s (%s), want %s (declared at %s)", decl.Name, v.Kind, shown, decl.Type, decl.Pos)
	}
}

// rewrite puts the references of v in the stack's scope: a component's
// resource references get its prefix, ${input.X} becomes the input's
// value and ${component.NAME.outputs.X} the output's.
func (s *Stack) rewrite(v *Value, sc *scope, d *diag) {
	if v == nil {
		return
	}
	switch v.Kind {
	case List:
		for _, e := range v.List {
			s.rewrite(e, sc, d)
		}
	case Map:
		for _, k := range v.Keys {
			s.rewrite(k.Value, sc, d)
		}
	case String:
		if v.Tmpl != nil {
			s.rewriteTemplate(v, sc, d)
		}
	}
}

func (s *Stack) rewriteTemplate(v *Value, sc *scope, d *diag) {
	if ref := v.Tmpl.Whole(); ref != nil && (ref.Input != "" || ref.Component != "") {
		if x := sc.lookup(ref, d); x != nil {
			pos := v.Pos
			*v = *x
			if v.Kind != String || v.Tmpl == nil {
				v.Pos = pos // a literal is reported where it is used
			}
		}
		return
	}
	var parts []Part
	changed := false
	for _, p := range v.Tmpl.Parts {
		r := p.Ref
		if r == nil {
			parts = append(parts, p)
			continue
		}
		switch {
		case r.Input != "" || r.Component != "":
			changed = true
			x := sc.lookup(r, d)
			switch {
			case x == nil: // reported; the reference stays, so the value is not known
				parts = append(parts, p)
			case x.Kind == String && x.Tmpl != nil:
				parts = append(parts, x.Tmpl.Parts...)
			case x.Kind == String:
				parts = append(parts, Part{Lit: x.Str})
			case x.Kind == Int || x.Kind == Float || x.Kind == Bool:
				parts = append(parts, Part{Lit: fmt.Sprint(x.Plain())})
			default:
				d.errorf(r.Pos, "", "%s is a %s; only text, numbers and booleans go inside text", r, x.Kind)
				parts = append(parts, Part{Lit: r.String()})
			}
			continue
		case sc.prefix == "":
		case r.Addr != "":
			r.Addr = sc.prefix + r.Addr
			r.Raw = sc.prefix + r.Raw
			changed = true
		case r.Data != "":
			if !sc.data[r.Data] {
				// Prefixed all the same: never the stack's of that name.
				d.errorf(r.Pos, "", "unknown data source %q in %s%s", r.Data, r, suggest.DidYouMean(r.Data, sortedKeys(sc.data)))
			}
			r.Data = sc.prefix + "data." + r.Data
			r.Raw = sc.prefix + r.Raw
			changed = true
		case r.Var != "":
			d.errorf(r.Pos, "", "%s: a component reads its inputs, ${input.NAME}; variables belong to the stack that passes them", r)
		case r.IsExternal():
			d.errorf(r.Pos, "", "%s: a component reads its own data sources; the data sources of the stack and other stacks are read by the stack and passed as inputs", r)
		}
		parts = append(parts, Part{Ref: r})
	}
	if !changed {
		return
	}
	var text strings.Builder
	hasRef := false
	for _, p := range parts {
		if p.Ref != nil {
			hasRef = true
			text.WriteString(p.Ref.String())
		} else {
			text.WriteString(p.Lit)
		}
	}
	v.Str = text.String()
	v.Tmpl = nil
	if hasRef {
		v.Tmpl = &Template{Parts: mergeLits(parts)}
	}
}

func mergeLits(parts []Part) []Part {
	var out []Part
	for _, p := range parts {
		if n := len(out); p.Ref == nil && n > 0 && out[n-1].Ref == nil {
			out[n-1].Lit += p.Lit
			continue
		}
		out = append(out, p)
	}
	return out
}

// lookup returns what ${input.X} or ${component.NAME.outputs.X} stands for
// in sc, or reports why nothing.
func (sc *scope) lookup(r *Ref, d *diag) *Value {
	if r.Input != "" {
		if sc.prefix == "" {
			d.errorf(r.Pos, "", "%s is only defined inside a component file; the stack has variables: ${var.NAME}", r)
			return nil
		}
		x, ok := sc.inputs[r.Input]
		if !ok && !sc.declared[r.Input] {
			d.errorf(r.Pos, "", "unknown input %q in %s%s", r.Input, r, suggest.DidYouMean(r.Input, sortedKeys(sc.inputs)))
		}
		return x
	}
	c, ok := sc.components[r.Component]
	if !ok {
		d.errorf(r.Pos, "", "unknown component %q in %s%s", r.Component, r, suggest.DidYouMean(r.Component, sortedKeys(sc.components)))
		return nil
	}
	if c.copies {
		return sc.copyOutput(c, r, d)
	}
	if r.Idx >= 0 || r.Keyed || r.Splat {
		d.errorf(r.Pos, "", "component %q has no count or for_each: use ${component.%s.outputs.%s}", r.Component, r.Component, r.Attr)
		return nil
	}
	x, ok := c.Outputs[r.Attr]
	if !ok {
		d.errorf(r.Pos, "", "component %q has no output %q in %s; it has %s", r.Component, r.Attr, r, strings.Join(sortedKeys(c.Outputs), ", "))
	}
	return x
}

// readRootComponents reads the stack's components and puts the stack's own
// references to them in scope.
func (s *Stack) readRootComponents(d *diag) {
	root := &scope{components: map[string]*Component{}}
	s.readComponents(s.root.Get("components"), filepath.Dir(s.File), root, []string{absPath(s.File)}, d)
	for _, name := range s.Order {
		if r := s.Resources[name]; !strings.Contains(name, ".") && r.value != nil {
			s.rewrite(r.value, root, d)
		}
	}
	for _, o := range s.Outputs {
		s.rewrite(o.Value, root, d)
	}
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// sensitiveRef reports whether v is exactly a sensitive variable.
func (s *Stack) sensitiveRef(v *Value) bool {
	if v == nil || v.Tmpl == nil || v.Tmpl.Whole() == nil {
		return false
	}
	vr, ok := s.Variables[v.Tmpl.Whole().Var]
	return ok && vr.Sensitive
}

// checkComponentOutputs checks the references of each component's outputs,
// read by the stack or not.
func (s *Stack) checkComponentOutputs(d *diag) {
	for _, name := range sortedKeys(s.Components) {
		c := s.Components[name]
		for _, out := range sortedKeys(c.Outputs) {
			for _, pr := range c.Outputs[out].PathRefs("components." + name + ".outputs." + out) {
				s.checkRef(pr.Ref, nil, pr.Path, d)
			}
		}
	}
}

// componentCopy sets which copy ${component.NAME[…].outputs.X} reads from
// what is between the brackets ("" for none): Idx, Key or Splat as for a
// resource's. It returns what is wrong, or "".
func (r *Ref) componentCopy(sel string) string {
	switch {
	case sel == "":
	case sel == "*":
		r.Splat = true
	case strings.HasPrefix(sel, `"`):
		key := strings.Trim(sel, `"`)
		if err := CheckKey(key); err != nil {
			return err.Error() + " in ${" + r.Raw + "}"
		}
		r.Key, r.Keyed = key, true
	default:
		n, err := strconv.Atoi(sel)
		if err != nil || n > MaxCount {
			return "index " + sel + " is out of range in ${" + r.Raw + "}"
		}
		r.Idx = n
	}
	return ""
}

// copyOutput is what ${component.NAME[…].outputs.X} stands for when the use
// has count or for_each: one copy's output, or with [*] the list of every
// copy's in index or key order.
func (sc *scope) copyOutput(c *Component, r *Ref, d *diag) *Value {
	name, attr := r.Component, r.Attr
	one := func(sel string) string { return fmt.Sprintf("${component.%s[%s].outputs.%s}", name, sel, attr) }
	all := one("*")
	if c.unknown {
		return nil // how many copies is not known without the variable's value
	}
	output := func(cp *Component) *Value {
		x, ok := cp.Outputs[attr]
		if !ok {
			d.errorf(r.Pos, "", "component %q has no output %q in %s; it has %s", name, attr, r, strings.Join(sortedKeys(cp.Outputs), ", "))
		}
		return x
	}
	first := `"KEY"`
	if len(c.keys) > 0 {
		first = strconv.Quote(c.keys[0])
	}
	switch {
	case r.Splat:
		list := &Value{Kind: List, Pos: r.Pos}
		for _, cp := range c.Copies {
			x := output(cp)
			if x == nil {
				return nil
			}
			list.List = append(list.List, x)
		}
		return list
	case c.forEach && r.Idx >= 0:
		d.errorf(r.Pos, "", "component %q has for_each: name a copy by its key, %s, or all with %s", name, one(first), all)
	case c.forEach && !r.Keyed:
		d.errorf(r.Pos, "", "component %q has for_each: use %s for one copy or %s for all", name, one(first), all)
	case c.forEach:
		i := slices.Index(c.keys, r.Key)
		if i < 0 {
			d.errorf(r.Pos, "", "%s: component %q has no key %q; it has %s%s", r, name, r.Key, describeCopies(c), suggest.DidYouMean(r.Key, c.keys))
			return nil
		}
		return output(c.Copies[i])
	case r.Keyed:
		d.errorf(r.Pos, "", "component %q has count: name a copy by its number, %s, or all with %s", name, one("0"), all)
	case r.Idx < 0:
		d.errorf(r.Pos, "", "component %q has count: use %s for one copy or %s for all", name, one("0"), all)
	case r.Idx >= len(c.Copies):
		d.errorf(r.Pos, "", "%s is out of range: component %q has %s", r, name, describeCopies(c))
	default:
		return output(c.Copies[r.Idx])
	}
	return nil
}

// describeCopies lists a use's copies for a message.
func describeCopies(c *Component) string {
	var names []string
	for _, cp := range c.Copies {
		names = append(names, cp.Name)
	}
	switch len(names) {
	case 0:
		return "no copies"
	case 1:
		return "1 copy, " + names[0]
	}
	if c.forEach {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%d copies, %s and %s", len(names), strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
