package cloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
)

// Str decodes a JSON string or number as text. The service sends some fields
// (TaskId, Qos, Period, timestamps) as strings in one answer and numbers in
// another.
type Str string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *Str) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = Str(v)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9' || b[0] == 't' || b[0] == 'f'):
		*s = Str(b)
	default:
		return fmt.Errorf("want a string or number, got %s", b)
	}
	return nil
}

// Int decodes a JSON number or a numeric string ("20", "") as an integer.
type Int int64

// UnmarshalJSON accepts a number, a numeric string, "" or null.
func (n *Int) UnmarshalJSON(b []byte) error {
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" || s == "None" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(string(s), 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %s", b)
	}
	*n = Int(f)
	return nil
}

// Float decodes a JSON number or numeric string as a float64.
type Float float64

// UnmarshalJSON accepts a number, a numeric string, "" or null.
func (f *Float) UnmarshalJSON(b []byte) error {
	var s Str
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		return fmt.Errorf("want a number, got %s", b)
	}
	*f = Float(v)
	return nil
}

// List decodes a JSON list, one object (an empty one meaning none), null or
// an empty text as a list: fields the 2019 reference shows as one object
// (PublicNetworkInterface: {}) are lists in the current service.
type List[T any] []T

// UnmarshalJSON accepts a list, an object, null or "".
func (l *List[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0, bytes.Equal(b, []byte("null")), bytes.Equal(b, []byte(`""`)):
		*l = nil
	case b[0] == '[':
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*l = items
	case b[0] == '{':
		var item T
		if err := json.Unmarshal(b, &item); err != nil {
			return err
		}
		*l = nil
		if !reflect.ValueOf(&item).Elem().IsZero() {
			*l = List[T]{item}
		}
	default:
		return fmt.Errorf("want a list or an object, got %s", snippet(b))
	}
	return nil
}

// Ptr returns a pointer to v, for optional request fields where the zero
// value is meaningful (AutoRenew: 0).
func Ptr[T any](v T) *T { return &v }
