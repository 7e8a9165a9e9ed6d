//go:build darwin || ios || freebsd || netbsd || openbsd || dragonfly

package unix

// maxPathLen is the longest socket file path: sun_path holds 104 bytes,
// including the terminating NUL.
const maxPathLen = 103

// abstractNames reports whether '@name' abstract sockets exist here.
const abstractNames = false
