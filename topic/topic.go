package topic

import (
	"fmt"
	"reflect"
	"sync"
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
	boxes *sync.Pool // of *T, shared by the topics of type T (see box)
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
	return Topic[T]{name: name, boxes: boxPool[T]()}
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

// boxPools holds, for each message type, a pool of values to encode
// messages from: a message passed to the codec through an interface would
// otherwise be copied to the heap for every publish.
var boxPools sync.Map // reflect.Type -> *sync.Pool

func boxPool[T any]() *sync.Pool {
	t := reflect.TypeFor[T]()
	if p, ok := boxPools.Load(t); ok {
		return p.(*sync.Pool)
	}
	p, _ := boxPools.LoadOrStore(t, &sync.Pool{New: func() any { return new(T) }})
	return p.(*sync.Pool)
}

// box returns a pointer to a copy of msg, to encode; unbox gives it back.
func (t Topic[T]) box(msg T) *T {
	if t.boxes == nil {
		p := new(T)
		*p = msg
		return p
	}
	p := t.boxes.Get().(*T)
	*p = msg
	return p
}

func (t Topic[T]) unbox(p *T) {
	if t.boxes != nil {
		var zero T
		*p = zero // keep nothing the message referred to
		t.boxes.Put(p)
	}
}
