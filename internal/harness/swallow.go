package harness

import (
	"context"
	"sync/atomic"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

// Swallow is a unix socket transport whose connections can stop sending:
// once Freeze is called, every frame they write is dropped, while the
// socket stays open. It simulates a peer process that froze.
type Swallow struct {
	unix   *unix.Transport
	frozen atomic.Bool
}

// NewSwallow returns a working transport.
func NewSwallow() *Swallow { return &Swallow{unix: unix.New()} }

// Freeze makes every connection of the transport drop what it writes.
func (s *Swallow) Freeze() { s.frozen.Store(true) }

// Listen implements transport.Transport.
func (s *Swallow) Listen(addr string) (transport.Listener, error) {
	ln, err := s.unix.Listen(addr)
	if err != nil {
		return nil, err
	}
	return swallowListener{ln, s}, nil
}

// Dial implements transport.Transport.
func (s *Swallow) Dial(ctx context.Context, addr string) (transport.Conn, error) {
	c, err := s.unix.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	return swallowConn{c, s}, nil
}

type swallowListener struct {
	transport.Listener
	s *Swallow
}

func (l swallowListener) Accept() (transport.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return swallowConn{c, l.s}, nil
}

type swallowConn struct {
	transport.Conn
	s *Swallow
}

func (c swallowConn) WriteMessage(p []byte) error {
	if c.s.frozen.Load() {
		return nil
	}
	return c.Conn.WriteMessage(p)
}
