//go:build !unix

package transport

// TryWriteBatch implements [TryWriter]; without unix sockets it never
// writes inline, and leaves everything to WriteBatch.
func (c *streamConn) TryWriteBatch(bufs [][]byte) (int, error) {
	if c.closed.Load() {
		return 0, errClosed
	}
	return 0, nil
}

type tryWrite struct{}
