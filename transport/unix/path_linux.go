package unix

// maxPathLen is the longest socket file path: sun_path holds 108 bytes,
// including the terminating NUL.
const maxPathLen = 107

// abstractNames reports whether '@name' abstract sockets exist here.
const abstractNames = true
