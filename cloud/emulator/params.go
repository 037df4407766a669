package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// params are a request's action parameters: the query (without the common
// parameters, Key.N lists folded back) and, for POST, the JSON body.
type params map[string]any

// maxRequestBody bounds a POST body.
const maxRequestBody = 8 << 20

func parseParams(q url.Values, body io.Reader) (params, *apiError) {
	p := params{}
	flat := map[string]string{}
	for k := range q {
		if !isCommon(k) {
			flat[k] = q.Get(k)
		}
	}
	for k, v := range unflatten(flat) {
		p[k] = v
	}
	if body == nil {
		return p, nil
	}
	raw, err := io.ReadAll(io.LimitReader(body, maxRequestBody+1))
	if err != nil {
		return nil, errorf(400, "InvalidParameter.Body", "cannot read the request body: %v", err)
	}
	if len(raw) > maxRequestBody {
		return nil, errorf(413, "InvalidParameter.Body", "the request body is larger than %d bytes", maxRequestBody)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, errorf(400, "InvalidParameter.Body", "the request body is not a JSON object: %v", err)
	}
	for k, v := range obj {
		p[k] = v
	}
	return p, nil
}

// unflatten folds Key.0, Key.1, Key.0.Field back into lists and objects.
func unflatten(flat map[string]string) map[string]any {
	root := map[string]any{}
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.Split(k, ".")
		cur := root
		for i, part := range parts {
			if i == len(parts)-1 {
				cur[part] = flat[k]
				break
			}
			next, ok := cur[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[part] = next
			}
			cur = next
		}
	}
	return listify(root).(map[string]any)
}

// listify turns objects whose keys are 0..n-1 into lists.
func listify(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, e := range m {
		m[k] = listify(e)
	}
	if len(m) == 0 {
		return m
	}
	list := make([]any, len(m))
	for k, e := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= len(m) {
			return m
		}
		list[i] = e
	}
	return list
}

// has reports whether name was sent with a non-empty value.
func (p params) has(name string) bool {
	v, ok := p[name]
	if !ok || v == nil {
		return false
	}
	if s, isStr := v.(string); isStr && s == "" {
		return false
	}
	return true
}

// str returns name as text ("" when absent); numbers are accepted.
func (p params) str(name string) string {
	switch v := p[name].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// regionParam reads a RegionId the catalogue knows.
func regionParam(p params) (string, *apiError) {
	region, e := p.need("RegionId")
	if e != nil {
		return "", e
	}
	if Regions[region] == "" {
		return "", errMalformed("InvalidRegionId.Malformed", "RegionId")
	}
	return region, nil
}

// need returns name as text or the documented missing-parameter error.
func (p params) need(name string) (string, *apiError) {
	if !p.has(name) {
		return "", errIncomplete(name)
	}
	return p.str(name), nil
}

// integer returns name as an int; ok is false when absent. A value that is
// not an integer is a malformed-parameter error.
func (p params) integer(name string) (n int, ok bool, e *apiError) {
	if !p.has(name) {
		return 0, false, nil
	}
	s := strings.TrimSpace(p.str(name))
	switch s {
	case "true":
		return 1, true, nil
	case "false":
		return 0, true, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int(f)) {
			return 0, true, errorf(400, "InvalidParameter", "The parameter %s must be an integer, not %q.", name, s)
		}
		v = int(f)
	}
	return v, true, nil
}

// list returns name as a list: a JSON list, a JSON-encoded list in a string
// (the reference types DataDisks as a string), or one scalar as a list of one.
func (p params) list(name string) ([]any, *apiError) {
	v, ok := p[name]
	if !ok || v == nil {
		return nil, nil
	}
	switch t := v.(type) {
	case []any:
		return t, nil
	case map[string]any:
		return []any{t}, nil
	case string:
		s := strings.TrimSpace(t)
		if s == "" {
			return nil, nil
		}
		if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var x any
			if err := dec.Decode(&x); err != nil {
				return nil, errorf(400, "InvalidParameter", "The parameter %s is not valid JSON: %v", name, err)
			}
			return params{name: x}.list(name)
		}
		return []any{s}, nil
	default:
		return []any{t}, nil
	}
}

// strings returns name as a list of strings.
func (p params) strings(name string) ([]string, *apiError) {
	l, err := p.list(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, params{"v": e}.str("v"))
	}
	return out, nil
}

// objects returns name as a list of parameter objects.
func (p params) objects(name string) ([]params, *apiError) {
	l, err := p.list(name)
	if err != nil {
		return nil, err
	}
	out := make([]params, 0, len(l))
	for i, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, errorf(400, "InvalidParameter", "%s[%d] must be an object, not %v", name, i, e)
		}
		out = append(out, params(m))
	}
	return out, nil
}

// page returns PageNumber and PageSize with defaults and the page size cap.
func (p params) page(defaultSize int) (number, size int, e *apiError) {
	number, ok, e := p.integer("PageNumber")
	if e != nil {
		return 0, 0, e
	}
	if !ok || number < 1 {
		number = 1
	}
	size, ok, e = p.integer("PageSize")
	if e != nil {
		return 0, 0, e
	}
	if !ok || size < 1 {
		size = defaultSize
	}
	if size > MaxPageSize {
		return 0, 0, errorf(400, "InvalidParameter.PageSize", "PageSize %d is larger than %d.", size, MaxPageSize)
	}
	return number, size, nil
}

// MaxPageSize caps PageSize on every listing action (the reference is silent).
const MaxPageSize = 1000

// paginate returns the window of n items for a page and the page count.
func paginate(n, number, size int) (lo, hi, pages int) {
	pages = (n + size - 1) / size
	lo = min((number-1)*size, n)
	hi = min(lo+size, n)
	return lo, hi, pages
}

// oneOf returns the allowed spelling of v, matched without regard to case:
// the documents' own samples and the official provider send BandwIdth for
// Bandwidth.
func oneOf(v string, allowed ...string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a, true
		}
	}
	return v, false
}

// empty reports whether no parameter has a value.
func (p params) empty() bool {
	for k := range p {
		if p.has(k) {
			return false
		}
	}
	return true
}
