package unix

import "fmt"

// ValidatePath checks that path can name a unix socket on this operating
// system, and returns an error wrapping [ErrEmptyPath], [ErrPortNumber],
// [ErrPathTooLong] or [ErrAbstractUnsupported] if not. Listen and Dial call
// it first, so that a bad path fails with a clear error rather than an
// obscure one from the kernel.
//
// A path starting with '@' names a Linux abstract socket. It may be one
// byte longer than a file path, since it needs no terminating NUL.
func ValidatePath(path string) error {
	abstract := isAbstract(path)
	limit := maxPathLen
	if abstract {
		limit++
	}
	switch {
	case path == "":
		return ErrEmptyPath
	case abstract && !abstractNames:
		return fmt.Errorf("%w: %q", ErrAbstractUnsupported, path)
	case path == "@":
		return fmt.Errorf("%w: %q has no name after '@'", ErrEmptyPath, path)
	case looksLikePort(path):
		return fmt.Errorf("%w: %q", ErrPortNumber, path)
	case len(path) > limit:
		return fmt.Errorf("%w: %q is %d bytes, the limit is %d", ErrPathTooLong, path, len(path), limit)
	}
	return nil
}

// isAbstract reports whether path names an abstract socket.
func isAbstract(path string) bool { return len(path) > 0 && path[0] == '@' }

// looksLikePort reports whether path is a port number such as "8080" or
// ":8080".
func looksLikePort(path string) bool {
	if len(path) > 0 && path[0] == ':' {
		path = path[1:]
	}
	if path == "" {
		return false
	}
	for _, c := range []byte(path) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
