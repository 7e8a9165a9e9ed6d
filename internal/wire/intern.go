package wire

import "unicode/utf8"

// Interning limits. A connection sees few distinct topics and peer ids, so
// the table rarely fills; the limits only cap what a hostile peer can make
// a connection hold (at most about internMaxEntries*internMaxLen bytes).
const (
	internMaxEntries = 4096 // distinct strings kept per decoder
	internMaxLen     = 128  // longer strings are never kept
)

// interner turns byte strings into Go strings, reusing the string made the
// first time a value was seen, so that decoding a known topic or id does
// not allocate. It is not safe for concurrent use.
type interner struct {
	m map[string]string
}

// intern returns b as a string, or false if b is not valid UTF-8. It
// allocates only for a value it has not seen before, or once the table is
// full. Only valid strings enter the table, so a value found there needs no
// second check.
func (in *interner) intern(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", true
	}
	if s, ok := in.m[string(b)]; ok { // this lookup does not allocate
		return s, true
	}
	if !utf8.Valid(b) {
		return "", false
	}
	s := string(b)
	if len(b) > internMaxLen {
		return s, true
	}
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < internMaxEntries {
		in.m[s] = s
	}
	return s, true
}
