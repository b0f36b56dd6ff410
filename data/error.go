package data

import "fmt"

// Error is a fault in a data file: the file, where in it, and what.
type Error struct {
	File   string
	Line   int   // 1-based line of a text file; 0 for a binary one
	Offset int64 // byte offset in a binary file, after decompression
	Msg    string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Msg)
}

// offsetError returns an *Error at a byte offset of a binary file.
func offsetError(file string, offset int64, format string, args ...any) *Error {
	return &Error{File: file, Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

// lineError returns an *Error on a line of a text file.
func lineError(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}
