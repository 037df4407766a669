package emulator

import (
	"fmt"
	"net/http"
)

// An apiError is an answer other than success: HTTP status, Code, Message.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Documented errors (reference), and the choices where it is silent (see doc.go).
var (
	errIncomplete = func(name string) *apiError {
		return errorf(400, "IncompleteParamter", "Some fields can not be null in this request: %s.", name)
	}
	errMalformed = func(code, param string) *apiError {
		return errorf(400, code, "The specified parameter %q is not valid.", param)
	}
	errInstanceNotFound = func(id string) *apiError {
		return errorf(400, "InstanceNotFound", "the Instance has deleted: %s", id)
	}
	errInstanceBusy = func(id, status string) *apiError {
		return errorf(403, "IncorrectInstanceStatus", "The current status of the resource does not support this operation: instance %s is %s.", id, status)
	}
	errVdcNotFound = func(id string) *apiError { return errorf(400, "VdcNotFound", "the Vdc has deleted: %s", id) }
)

func errBadMethod(action, want string) *apiError {
	return errorf(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "%s must be called with %s.", action, want)
}
