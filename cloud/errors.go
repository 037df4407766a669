package cloud

import (
	"errors"
	"fmt"
	"strings"
)

// An APIError is an answer from the service that is not a success: an HTTP
// status outside 2xx, or a body whose Code is not "Success". Callers branch on
// Code (errors.As, then e.Code == "IncorrectInstanceStatus").
type APIError struct {
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	Action     string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Action, e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	fmt.Fprintf(&b, " (HTTP %d", e.HTTPStatus)
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", RequestId %s", e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// Throttled reports whether the service refused the call for its rate.
func (e *APIError) Throttled() bool {
	if e.HTTPStatus == 429 {
		return true
	}
	c := strings.ToLower(e.Code)
	return strings.HasPrefix(c, "throttling") || c == "requestlimitexceeded" || c == "toomanyrequests"
}

// Retryable reports whether repeating the same read could succeed: throttling
// and server-side failures (5xx).
func (e *APIError) Retryable() bool {
	return e.Throttled() || e.HTTPStatus >= 500
}

// IsCode reports whether err is an APIError with the given code (compared
// case-insensitively, as the service is not consistent about case).
func IsCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && strings.EqualFold(ae.Code, code)
}

// A DecodeError says the service answered with something that is not the
// expected JSON: an HTML error page from a proxy, a truncated body, or a Data
// field of the wrong shape.
type DecodeError struct {
	Action     string
	HTTPStatus int
	Reason     string // "body is not JSON", "body is truncated", …
	Snippet    string // the first bytes of the body, for the human reading it
	Err        error
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d: %s", e.Action, e.HTTPStatus, e.Reason)
	if e.Snippet != "" {
		msg += fmt.Sprintf(" (body starts %q)", e.Snippet)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// ErrUnknownAction is returned for an action name the reference does not have.
var ErrUnknownAction = errors.New("unknown action")
