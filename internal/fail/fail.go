// Package fail is Fyr's one error type: a code that maps to an HTTP status and
// an exit code, the field at fault when there is one, and a message for people.
//
// The message is English and also kept as its constant format and arguments
// (Format, Args), so that the edge (internal/web) can look the format up in
// another language's catalogue and format again: a service never needs to
// know who reads it. Formats must therefore be constant literals, never built
// with Sprintf; a test in internal/web finds every one and asks for its
// translation.
package fail

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code classifies an error. The list is append-only: clients depend on it.
type Code string

const (
	Invalid      Code = "invalid"      // the request is wrong; Field names what
	NotFound     Code = "not_found"    // the thing asked for does not exist
	Conflict     Code = "conflict"     // the request does not fit the current state
	Unauthorized Code = "unauthorized" // not logged in, or bad credentials
	Forbidden    Code = "forbidden"    // logged in, but the role does not allow it
	TooMany      Code = "too_many"     // rate limited
	Internal     Code = "internal"     // our fault; details are logged, not shown
	TooLarge     Code = "too_large"    // the request body is over the route's limit
	Unsupported  Code = "unsupported"  // a body of a kind the route does not take (an upload where none is expected)
	Unavailable  Code = "unavailable"  // cannot be done now (e.g. the storage is full); nothing was changed, try again later
)

// Codes lists every code (append-only, as the codes themselves).
var Codes = []Code{Invalid, NotFound, Conflict, Unauthorized, Forbidden, TooMany, Internal, TooLarge, Unsupported, Unavailable}

// Error is an error a user can act on.
type Error struct {
	Code    Code   `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Problems lists every fault of a bulk input (a CSV import), each with
	// its line and field, so that all of them can be fixed in one go.
	Problems []Problem `json:"problems,omitempty"`
	// Format and Args are Message before formatting, for translation.
	// Empty Format: Message is itself the constant text.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

// Problem is one fault of a bulk input.
type Problem struct {
	File    string `json:"file,omitempty"` // which input, when there are several
	Line    int    `json:"line"`           // 1 is the first line (a CSV header); 0 for the whole input
	Field   string `json:"field"`
	Message string `json:"message"`
	Format  string `json:"-"` // as in Error
	Args    []any  `json:"-"`
}

// Problemf returns a problem with a field; At places it in a file.
func Problemf(field, format string, args ...any) Problem {
	return Problem{Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// At places the problem on a line of a file.
func (p Problem) At(file string, line int) Problem {
	p.File, p.Line = file, line
	return p
}

// ProblemOf turns a check's error into a problem with a field, keeping
// its format for translation.
func ProblemOf(field string, err error) Problem {
	var e *Error
	if errors.As(err, &e) && e.Field == "" {
		return Problem{Field: field, Message: e.Message, Format: e.Format, Args: e.Args}
	}
	return Problem{Field: field, Message: err.Error()}
}

// Err is the problem as an Invalid error naming its field.
func (p Problem) Err() error {
	return &Error{Code: Invalid, Field: p.Field, Message: p.Message, Format: p.Format, Args: p.Args}
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File + ": ")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Field returns an Invalid error about one field.
func Field(field, format string, args ...any) error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// New returns an error with a code and no field.
func New(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Errorf returns an Invalid error without a field: a check's verdict
// about a value, to which the caller adds the field (ProblemOf, or an
// argument of Field, which translates it in turn).
func Errorf(format string, args ...any) error {
	return New(Invalid, format, args...)
}

// As finds the *Error in err's chain; anything else is an internal error.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "internal error", Format: "internal error"}
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Text checks a text field: present when required, valid UTF-8, at most
// max characters (not bytes: å counts once).
func Text(field, v string, max int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return Field(field, "is required")
	}
	if !utf8.ValidString(v) {
		return Field(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return Field(field, "is %d characters long; at most %d are allowed", n, max)
	}
	return nil
}

// First returns the first non-nil error: checks listed in the order a
// person reads the form.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
