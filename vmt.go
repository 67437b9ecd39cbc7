// Package vmt holds the domain of a vulnerability management process: reports,
// their statuses and taxonomy, who may see and change them, and the audit log
// that records every change. It imports nothing of the project; storage, HTTP
// and the command line are built around it.
package vmt

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the http package and to one
// exit code in the command line.
const (
	EINVALID         = "invalid"         // the input is wrong; Field says where
	ENOTFOUND        = "not_found"       // absent, or present but not visible to the caller
	ECONFLICT        = "conflict"        // the change clashes with the current state
	EUNAUTHENTICATED = "unauthenticated" // no valid credentials were given
	EFORBIDDEN       = "forbidden"       // visible to the caller, but the action is not theirs
	ETOOLARGE        = "too_large"       // a body or a field is over its limit
	ERATELIMIT       = "rate_limited"    // too many attempts
	EINTERNAL        = "internal"        // a fault of ours; the message is generic
	// EUNAVAILABLE: the store cannot take writes (or reads) now, for a
	// cause outside the request: a full disk, a read-only file system,
	// a database shutting down. Trying again later may succeed.
	EUNAVAILABLE = "store_unavailable"
)

// Error is a domain error: a code, a message meant for the caller and,
// for invalid input, the field at fault.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns the ENOTFOUND error for a kind of object. The message never
// says whether the object exists, so a private report and a missing one read
// the same.
func NotFound(kind string) *Error {
	return &Error{Code: ENOTFOUND, Message: kind + " not found"}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the caller-facing message of err. Internal errors get a
// generic message so that no detail of the store reaches a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
