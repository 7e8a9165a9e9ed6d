package topic

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest topic or procedure name, in bytes.
const MaxNameLen = 256

// Topic is a named stream of messages of type T.
//
// The zero Topic is invalid; make one with [New].
type Topic[T any] struct {
	name  string
	boxes boxes[T]
}

// New returns the topic called name, carrying values of type T.
//
// A name is 1 to [MaxNameLen] bytes of valid UTF-8, made of printable
// characters and no white space. Dots are allowed and are the usual way to
// group names ("chat.hello", "jobs.done"); they have no special meaning to
// routing. New panics on an invalid name, like regexp.MustCompile: topics
// are declared as package variables, and a bad name is a programming error
// best found at start-up. Use [ValidateName] to check a name first.
func New[T any](name string) Topic[T] {
	if err := ValidateName(name); err != nil {
		panic(err)
	}
	return Topic[T]{name: name, boxes: newBoxes[T]()}
}

// Name returns the topic's name, as it travels on the wire.
func (t Topic[T]) Name() string { return t.name }

// String returns the topic's name.
func (t Topic[T]) String() string { return t.name }

// ValidateName reports whether name is a valid topic or procedure name, and
// if not, why.
func ValidateName(name string) error {
	if len(name) <= MaxNameLen && printableASCII(name) {
		return nil // the common case, checked without decoding runes
	}
	switch {
	case name == "":
		return fmt.Errorf("sockipc: invalid name: empty")
	case len(name) > MaxNameLen:
		return fmt.Errorf("sockipc: invalid name %.20q...: %d bytes, longer than %d", name, len(name), MaxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("sockipc: invalid name %q: not valid UTF-8", name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) {
			return fmt.Errorf("sockipc: invalid name %q: contains white space", name)
		}
		if !unicode.IsPrint(r) {
			return fmt.Errorf("sockipc: invalid name %q: contains non-printable character %U", name, r)
		}
	}
	return nil
}

// printableASCII reports whether name is non-empty and made of printable
// ASCII characters other than space.
func printableASCII(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
