package cloud

import (
	"errors"
	"fmt"
	"strings"
	"time"
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

// An UnreachableError says the API did not answer within the client's
// give-up time (WithGiveUpAfter), however often it was asked.
type UnreachableError struct {
	Endpoint string
	Action   string
	Waited   time.Duration
	Err      error // the last failure
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("the API at %s is unreachable: %s gave up after %s: %v", e.Endpoint, e.Action, e.Waited.Round(time.Millisecond), e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// A WaitError says waiting on a change failed after the change was
// accepted: its outcome is unknown, not a failure.
type WaitError struct {
	What string // "task 123", "public network p to be deleted"
	Err  error
}

func (e *WaitError) Error() string { return fmt.Sprintf("wait for %s: %v", e.What, e.Err) }

func (e *WaitError) Unwrap() error { return e.Err }

// Unreachable reports whether err means the API could not be reached or
// could not serve (no answer, or a 5xx after the retries): an outage, as
// opposed to an answer about the request.
func Unreachable(err error) bool {
	var ue *UnreachableError
	var te *TransportError
	var ae *APIError
	var de *DecodeError
	return errors.As(err, &ue) || errors.As(err, &te) || errors.As(err, &ae) && ae.HTTPStatus >= 500 && !ae.Throttled() ||
		errors.As(err, &de) && de.HTTPStatus >= 500
}

// ErrUnknownAction is returned for an action name the reference does not have.
var ErrUnknownAction = errors.New("unknown action")

// OutcomeUnknown reports whether err, from a write, leaves unknown whether
// the cloud carried the write out: no answer after the request went out, a
// 5xx or an answer that is not the envelope (the server may have acted
// before it failed), a wait that failed after the call was accepted, or
// SignatureNonceUsed (the nonce is fresh for every attempt, so the server
// saw this request before: the first attempt arrived). Such an outcome is
// settled by reading the resource, never guessed; an API that stayed
// unreachable (*UnreachableError) is left to the next run.
func OutcomeUnknown(err error) bool {
	var te *TransportError
	var ae *APIError
	var de *DecodeError
	var we *WaitError
	var ue *UnreachableError
	switch {
	case errors.As(err, &ue):
		return false
	case errors.As(err, &we):
		return true
	case errors.As(err, &te):
		return te.Sent
	case errors.As(err, &ae):
		return ae.HTTPStatus >= 500 && !ae.Throttled() || strings.EqualFold(ae.Code, "SignatureNonceUsed")
	case errors.As(err, &de):
		return true
	}
	return false
}
