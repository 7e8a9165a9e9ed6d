package wire

import "github.com/sockipc/sockipc/internal/msgpackcheck"

// maxDepth bounds the nesting of arrays and maps that skip walks through,
// so that hostile input cannot exhaust the stack.
const maxDepth = 32

// skip skips one MessagePack value of any type, whatever it contains, and
// returns the rest of b. It is how decoders step over the fields and keys
// that a later version of the protocol may add.
func skip(b []byte) ([]byte, error) { return msgpackcheck.Skip(b, maxDepth) }
