package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/topic"
)

// syncProcedure is the procedure pub calls after its messages. Whatever
// the answer (a server without such a handler says no_handler), it comes
// after the server has read every message sent before the call.
const syncProcedure = "sockipc.sync"

// publisher is the client of pub: it publishes, then makes sure that every
// message has reached the server.
type publisher struct {
	cl         *client.Client
	nodeCompat bool
	sent       int // messages handed to the client

	mu   sync.Mutex
	lost error // why the first lost connection ended
}

func newPublisher(ctx context.Context, path string, patient, nodeCompat bool) (*publisher, error) {
	p := &publisher{nodeCompat: nodeCompat}
	opts := []client.Option{
		clientName("pub"),
		client.OnDisconnect(func(err error) {
			if err == nil {
				err = topic.ErrConnectionLost
			}
			p.mu.Lock()
			if p.lost == nil {
				p.lost = err
			}
			p.mu.Unlock()
		}),
	}
	if nodeCompat {
		opts = append(opts, client.WithNodeCompat())
	}
	cl, err := dial(ctx, path, patient, nil, opts...)
	if err != nil {
		return nil, err
	}
	p.cl = cl
	return p, nil
}

// publish hands one message to the client.
func (p *publisher) publish(ctx context.Context, name string, payload []byte) error {
	err := p.cl.PublishRaw(ctx, name, payload)
	switch {
	case err == nil:
		p.sent++
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w, %s sent", ended(ctx), messages(p.sent))
	case errors.Is(err, topic.ErrNotConnected), errors.Is(err, topic.ErrClosed):
		return fmt.Errorf("connection lost after %s: %w", messages(p.sent), err)
	}
	return err
}

// sync returns once the server has read every message published so far
// (in the Node.js format, which has no round trip: once they are written
// to the socket), or fails if it may have missed some.
//
// A lost connection, even one that came back, fails sync: what was queued
// for it is gone.
func (p *publisher) sync(ctx context.Context) error {
	var err error
	if p.nodeCompat {
		err = p.cl.Flush(ctx)
	} else {
		var re *topic.RemoteError
		if _, err = p.cl.CallRaw(ctx, syncProcedure, nil); errors.As(err, &re) {
			err = nil
		}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w before the server confirmed %s", ended(ctx), messages(p.sent))
	}
	p.mu.Lock()
	if p.lost != nil {
		err = fmt.Errorf("connection lost: %w", p.lost)
	}
	p.mu.Unlock()
	if err != nil {
		return fmt.Errorf("the server may have missed some of %s: %w", messages(p.sent), err)
	}
	return nil
}

func (p *publisher) close() { p.cl.Close() }
