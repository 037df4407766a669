package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Limits that keep a hostile or broken file from exhausting the machine.
const (
	// MaxFileSize is the largest stack file read.
	MaxFileSize = 16 << 20
	maxDepth    = 64
	// maxExpanded bounds the values aliases produce: a file of any size
	// within MaxFileSize is read, an alias bomb is not.
	maxExpanded = 200_000
)

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

// parseYAML reads one YAML document into a Value tree.
func parseYAML(file string, data []byte, d *diag) *Value {
	start := Pos{File: file, Line: 1, Col: 1}
	if len(data) > MaxFileSize {
		d.errorf(start, "", "the file is %d bytes; stack files are limited to %d MiB", len(data), MaxFileSize>>20)
		return nil
	}
	if pos, ok := binaryAt(file, data); ok {
		d.errorf(pos, "", "the file is not UTF-8 text (control or invalid byte here)")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(start, "", "the file is empty")
		} else {
			d.errorf(yamlErrorPos(file, data, err), "", "invalid YAML: %s", yamlMessage(err))
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(Pos{File: file, Line: extra.Line, Col: extra.Column}, "", "a stack file holds one YAML document; remove the second (---)")
		return nil
	}
	c := &converter{file: file, d: d}
	v := c.value(&doc, 0, nil)
	if c.expanded > maxExpanded {
		return nil // reported once; the rest would only be follow-on errors
	}
	return v
}

// binaryAt finds the first byte that has no place in a text file.
func binaryAt(file string, data []byte) (Pos, bool) {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return Pos{File: file, Line: line, Col: col}, true
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Pos{}, false
}

// yamlErrorPos is where err, from decoding data, puts the problem.
func yamlErrorPos(file string, data []byte, err error) Pos {
	p := Pos{File: file, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			p.Col, _ = strconv.Atoi(m[2])
		}
		if parserProblem(yamlMessage(err)) {
			// yaml.v3 counts the lines of its parser's errors from 0 (only
			// its scanner's from 1): the line that opened what is left
			// unclosed, or past the end when it is the end of the file.
			p.Line++
			lines := bytes.Count(data, []byte("\n"))
			if len(data) > 0 && data[len(data)-1] != '\n' {
				lines++
			}
			p.Line = max(min(p.Line, lines), 1)
		}
	}
	return p
}

// parserProblems begin the messages of yaml.v3's parser, as opposed to its
// scanner's.
var parserProblems = []string{
	"did not find expected <", "did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ", "found undefined tag handle",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
}

func parserProblem(msg string) bool {
	for _, p := range parserProblems {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

var yamlPrefix = regexp.MustCompile(`^yaml: (line \d+(, column \d+)?: )?`)

func yamlMessage(err error) string { return yamlPrefix.ReplaceAllString(err.Error(), "") }

type converter struct {
	file     string
	d        *diag
	aliases  int // aliases being expanded around the current node
	expanded int // values produced by alias expansion
}

func (c *converter) pos(n *yaml.Node) Pos { return Pos{File: c.file, Line: n.Line, Col: n.Column} }

// value converts n; path is for messages.
func (c *converter) value(n *yaml.Node, depth int, path []string) *Value {
	if c.aliases > 0 {
		c.expanded++
	}
	if c.expanded > maxExpanded {
		if c.expanded == maxExpanded+1 {
			c.d.errorf(c.pos(n), joinPath(path), "aliases expand to more than %d values (an alias bomb?)", maxExpanded)
		}
		return &Value{Kind: Null, Pos: c.pos(n)}
	}
	if depth > maxDepth {
		c.d.errorf(c.pos(n), joinPath(path), "nesting deeper than %d levels", maxDepth)
		return &Value{Kind: Null, Pos: c.pos(n)}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.d.errorf(c.pos(n), "", "the file is empty")
			return nil
		}
		return c.value(n.Content[0], depth, path)
	case yaml.AliasNode:
		c.aliases++
		defer func() { c.aliases-- }()
		return c.value(n.Alias, depth+1, path)
	case yaml.MappingNode:
		return c.mapping(n, depth, path)
	case yaml.SequenceNode:
		v := &Value{Kind: List, Pos: c.pos(n), List: []*Value{}}
		for i, e := range n.Content {
			v.List = append(v.List, c.value(e, depth+1, append(path, strconv.Itoa(i))))
		}
		return v
	case yaml.ScalarNode:
		return c.scalar(n, path)
	}
	c.d.errorf(c.pos(n), joinPath(path), "unsupported YAML node")
	return &Value{Kind: Null, Pos: c.pos(n)}
}

func (c *converter) mapping(n *yaml.Node, depth int, path []string) *Value {
	v := &Value{Kind: Map, Pos: c.pos(n), Keys: []*Key{}}
	seen := map[string]Pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.AliasNode {
			kn = kn.Alias
		}
		if kn.Kind != yaml.ScalarNode {
			c.d.errorf(c.pos(kn), joinPath(path), "a key must be a plain string")
			continue
		}
		if kn.Tag == "!!merge" || kn.Value == "<<" && kn.Style == 0 {
			c.d.errorf(c.pos(kn), joinPath(path), "merge keys (<<) are not supported; repeat the properties or use a variable")
			continue
		}
		name := kn.Value
		if first, dup := seen[name]; dup {
			c.d.errorf(c.pos(kn), joinPath(path), "duplicate key %q (first at line %d, column %d)", name, first.Line, first.Col)
			continue
		}
		seen[name] = c.pos(kn)
		v.Keys = append(v.Keys, &Key{Name: name, Pos: c.pos(kn), Value: c.value(vn, depth+1, append(path, name))})
	}
	return v
}

func (c *converter) scalar(n *yaml.Node, path []string) *Value {
	v := &Value{Pos: c.pos(n)}
	tag := n.ShortTag()
	switch tag {
	case "!!null":
		v.Kind = Null
	case "!!bool":
		v.Kind = Bool
		if err := n.Decode(&v.Bool); err != nil {
			c.d.errorf(v.Pos, joinPath(path), "%v", err)
		}
	case "!!int":
		v.Kind = Int
		if err := n.Decode(&v.Int); err != nil {
			c.d.errorf(v.Pos, joinPath(path), "integer %s is out of range", n.Value)
		}
	case "!!float":
		v.Kind = Float
		if err := n.Decode(&v.Float); err != nil {
			c.d.errorf(v.Pos, joinPath(path), "%v", err)
			return v
		}
		if msg := checkFloat(v); msg != "" {
			c.d.errorf(v.Pos, joinPath(path), "%s is %s", n.Value, msg)
		}
	case "!!str", "!!timestamp", "!!binary":
		v.Kind = String
		v.Str = n.Value
		if tag == "!!binary" {
			c.d.errorf(v.Pos, joinPath(path), "binary values (!!binary) are not supported")
		}
		off := 0
		if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
			off = 1
		}
		t, errs := parseTemplate(v.Str, Pos{File: c.file, Line: n.Line, Col: n.Column + off})
		for _, e := range errs {
			c.d.errorf(e.pos, joinPath(path), "%s", e.msg)
		}
		v.Tmpl, v.TmplErr = t, len(errs) > 0
		if t == nil {
			v.Str = unescape(v.Str)
		}
	default:
		c.d.errorf(v.Pos, joinPath(path), "custom YAML tag %s is not supported: editors could not check it against the schema", n.Tag)
		v.Kind = Null
	}
	return v
}

// MaxExactInt is the largest magnitude a number written with a fraction or
// an exponent may have: beyond it a float64 no longer holds every integer,
// and no property of a stack is that large.
const MaxExactInt = 1 << 53

// checkFloat makes a float written without a fraction an integer (3.0,
// 1e1, 2e0: as YAML reads them, floats), so count and the integer
// properties take them as the numbers they are. It says what is wrong with a
// float no stack can use: an infinity, NaN, or one too large to be exact.
// v keeps Float's value and FloatForm, so a variable's default 3.0 is still a
// number.
func checkFloat(v *Value) string {
	f := v.Float
	switch {
	case math.IsNaN(f):
		return "not a number (NaN); write a finite number"
	case math.IsInf(f, 0):
		return "infinite; write a finite number"
	case math.Abs(f) > MaxExactInt:
		return fmt.Sprintf("out of range: numbers in a stack file are at most %d in magnitude", int64(MaxExactInt))
	case f == math.Trunc(f):
		v.Kind, v.Int, v.FloatForm = Int, int64(f), true
		if v.Int == 0 {
			v.Int = 0 // -0.0 is 0
		}
	}
	return ""
}
