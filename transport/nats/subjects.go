package nats

import (
	"fmt"
	"strings"
)

// The subjects of one listener name, under the transport's prefix (see
// docs/PROTOCOL.md, "Subject layout"):
//
//	<prefix>.<name>.accept     dial requests and claims, to the listener
//	<prefix>.<name>.s.<id>     frames to the server side of connection <id>
//	<prefix>.<name>.c.<id>     frames to the client side of connection <id>
//
// The listener picks the server-side id, the dialer the client-side one;
// both are random NUIDs, so the two ids of one connection differ.
type subjects struct{ base string }

func newSubjects(prefix, name string) subjects { return subjects{base: prefix + "." + name} }

func (s subjects) accept() string          { return s.base + ".accept" }
func (s subjects) server(id string) string { return s.base + ".s." + id }
func (s subjects) client(id string) string { return s.base + ".c." + id }

// checkName reports whether s can be a part of a subject: one or more
// tokens separated by dots, none empty, with no whitespace and no wildcard.
func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalidName, what)
	}
	if strings.ContainsAny(s, " \t\r\n\f\v*>") {
		return fmt.Errorf("%w: %s %q holds whitespace or a wildcard ('*', '>')", ErrInvalidName, what, s)
	}
	for tok := range strings.SplitSeq(s, ".") {
		if tok == "" {
			return fmt.Errorf("%w: %s %q has an empty token (a leading, trailing or double dot)", ErrInvalidName, what, s)
		}
	}
	return nil
}
