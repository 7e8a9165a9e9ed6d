package unix

import "errors"

// Errors about socket paths. Each is returned wrapped with the path, so
// test for them with [errors.Is].
var (
	// ErrEmptyPath means the socket path, or the name after '@' of an
	// abstract socket, is empty.
	ErrEmptyPath = errors.New("unix: empty socket path")
	// ErrPortNumber means the socket path looks like a TCP port number,
	// such as "8080". A unix socket is named by a file path, such as
	// "/run/app.sock".
	ErrPortNumber = errors.New("unix: socket path looks like a port number, not a file path")
	// ErrPathTooLong means the path does not fit the operating system's
	// socket address: 107 bytes on Linux, 103 on macOS and the BSDs.
	ErrPathTooLong = errors.New("unix: socket path too long")
	// ErrAbstractUnsupported means the path names an abstract socket
	// ("@name") on an operating system other than Linux.
	ErrAbstractUnsupported = errors.New("unix: abstract socket names (@name) are supported on Linux only")
	// ErrNotSocket means Listen found a file that is not a socket at the
	// path. Listen never removes such a file.
	ErrNotSocket = errors.New("unix: path exists and is not a socket")
)
