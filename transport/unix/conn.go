package unix

import (
	"net"

	"github.com/sockipc/sockipc/transport"
)

// conn is a connection on a unix socket: a stream Conn that also knows
// who its peer is.
type conn struct {
	transport.Conn
	creds    transport.Credentials
	credsErr error
}

var (
	_ transport.CredentialsConn = (*conn)(nil)
	_ transport.TryWriter       = (*conn)(nil)
	_ transport.BufferedReader  = (*conn)(nil)
	_ transport.ReadInterrupter = (*conn)(nil)
)

// newConn wraps c, reading the peer's credentials once, now.
func newConn(c *net.UnixConn, f transport.Framing) *conn {
	creds, err := peerCredentials(c)
	return &conn{Conn: transport.NewStreamConn(c, f), creds: creds, credsErr: err}
}

// PeerCredentials returns the identity of the peer process as the kernel
// recorded it when the connection was made.
func (c *conn) PeerCredentials() (transport.Credentials, error) {
	return c.creds, c.credsErr
}

// WriteBatch implements [transport.BatchWriter].
func (c *conn) WriteBatch(bufs [][]byte) error {
	return c.Conn.(transport.BatchWriter).WriteBatch(bufs)
}

// TryWriteBatch implements [transport.TryWriter].
func (c *conn) TryWriteBatch(bufs [][]byte) (int, error) {
	return c.Conn.(transport.TryWriter).TryWriteBatch(bufs)
}

// Buffered implements [transport.BufferedReader].
func (c *conn) Buffered() bool {
	return c.Conn.(transport.BufferedReader).Buffered()
}

// NextBuffered implements [transport.NextBufferedReader].
func (c *conn) NextBuffered() bool {
	return c.Conn.(transport.NextBufferedReader).NextBuffered()
}

// InterruptRead implements [transport.ReadInterrupter].
func (c *conn) InterruptRead() { c.Conn.(transport.ReadInterrupter).InterruptRead() }

// ResumeRead implements [transport.ReadInterrupter].
func (c *conn) ResumeRead() { c.Conn.(transport.ReadInterrupter).ResumeRead() }
