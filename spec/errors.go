package spec

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// A Pos is a place in a file; Line and Col count from 1. Line 0 is the
// file as a whole (a problem of the account, not of a line).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// An Error is one problem in a stack file. Warnings do not stop a command.
type Error struct {
	Pos     Pos    `json:"pos"`
	Path    string `json:"path,omitempty"` // resources.web.properties.cpu
	Msg     string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}

// Error prints "stack.yaml:12:5: resources.web.properties.cpu: 3 is not one of […]".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Warning {
		b.WriteString("warning: ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MarshalJSON writes an error flat: file, line, column, path, message, severity.
func (e *Error) MarshalJSON() ([]byte, error) {
	sev := "error"
	if e.Warning {
		sev = "warning"
	}
	return json.Marshal(struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Col      int    `json:"column"`
		Path     string `json:"path"`
		Msg      string `json:"message"`
		Severity string `json:"severity"`
	}{e.Pos.File, e.Pos.Line, e.Pos.Col, e.Path, e.Msg, sev})
}

// Errors are all the problems of a file, sorted by position.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders by file, line, column, then message.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return es[i].Msg < es[j].Msg
	})
}

// dedup drops an entry equal to the one before it (sorted): the copies of
// a component used with count report the same problem at the same chain.
func (es Errors) dedup() Errors {
	out := es[:0]
	for i, e := range es {
		if i > 0 && *e == *es[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// HasErrors reports whether any entry is not a warning.
func (es Errors) HasErrors() bool {
	for _, e := range es {
		if !e.Warning {
			return true
		}
	}
	return false
}

// Warnings returns the warnings only.
func (es Errors) Warnings() Errors {
	var out Errors
	for _, e := range es {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// diag collects errors while a file is read.
type diag struct{ errs Errors }

func (d *diag) errorf(pos Pos, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *diag) warnf(pos Pos, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...), Warning: true})
}
