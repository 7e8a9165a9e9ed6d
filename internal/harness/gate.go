package harness

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

// Gate is a unix socket transport whose connections' writes can be held:
// while the gate is shut, a write waits until it opens again or the
// connection closes. It simulates a peer that stopped reading, or a write
// stuck in the kernel.
type Gate struct {
	unix    *unix.Transport
	mu      sync.Mutex
	open    chan struct{} // closed while the gate is open
	waiting chan struct{} // gets a value each time a write starts waiting
}

// NewGate returns a transport with its gate open.
func NewGate() *Gate {
	g := &Gate{unix: unix.New(), open: make(chan struct{}), waiting: make(chan struct{}, 1)}
	close(g.open)
	return g
}

// Shut makes writes wait.
func (g *Gate) Shut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

// Open lets writes through again.
func (g *Gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

// Waiting receives a value when a write starts waiting at the shut gate.
func (g *Gate) Waiting() <-chan struct{} { return g.waiting }

func (g *Gate) wait(closed <-chan struct{}) error {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	select {
	case <-open:
		return nil
	default:
	}
	select {
	case g.waiting <- struct{}{}:
	default:
	}
	select {
	case <-open:
		return nil
	case <-closed:
		return net.ErrClosed
	}
}

// Listen implements transport.Transport.
func (g *Gate) Listen(addr string) (transport.Listener, error) {
	return nil, errors.New("harness: Gate only dials")
}

// Dial implements transport.Transport.
func (g *Gate) Dial(ctx context.Context, addr string) (transport.Conn, error) {
	c, err := g.unix.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &gateConn{Conn: c, g: g, closed: make(chan struct{})}, nil
}

type gateConn struct {
	transport.Conn
	g      *Gate
	once   sync.Once
	closed chan struct{}
}

func (c *gateConn) WriteMessage(p []byte) error {
	if err := c.g.wait(c.closed); err != nil {
		return err
	}
	return c.Conn.WriteMessage(p)
}

func (c *gateConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
