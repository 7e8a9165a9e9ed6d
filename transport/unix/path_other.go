//go:build !linux && !darwin && !ios && !freebsd && !netbsd && !openbsd && !dragonfly

package unix

// maxPathLen is the longest socket file path. Most other systems, Windows
// included, have a 108-byte sun_path, including the terminating NUL.
const maxPathLen = 107

// abstractNames reports whether '@name' abstract sockets exist here.
const abstractNames = false
