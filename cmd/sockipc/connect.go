package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sockipc/sockipc/client"
)

// Connecting, for the client commands.
const (
	// connectTimeout bounds connecting when the command has no --timeout:
	// a command pointed at a socket nobody serves says so rather than
	// waiting for ever.
	connectTimeout = 5 * time.Second
	// handshakeTimeout is shorter than the library's default, so that a
	// socket that answers in another protocol is reported within
	// connectTimeout.
	handshakeTimeout = 2 * time.Second
)

// dial returns a client of the server at path, connected. Options given
// may not include OnConnectError, which dial sets. If setup is not nil, it
// runs before connecting, to subscribe: Connect returns once the server
// knows of the subscriptions. Unless patient, dial gives up after
// connectTimeout; otherwise only ctx bounds it.
func dial(ctx context.Context, path string, patient bool, setup func(*client.Client) error, opts ...client.Option) (*client.Client, error) {
	var mu sync.Mutex
	var last error
	opts = append([]client.Option{client.WithHandshakeTimeout(handshakeTimeout)}, opts...)
	opts = append(opts, client.OnConnectError(func(err error) {
		mu.Lock()
		last = err
		mu.Unlock()
	}))
	cl, err := client.New(path, opts...)
	if err != nil {
		return nil, err
	}
	if setup != nil {
		if err := setup(cl); err != nil {
			cl.Close()
			return nil, err
		}
	}
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if !patient {
		cctx, cancel = context.WithTimeoutCause(ctx, connectTimeout,
			fmt.Errorf("gave up after %v", connectTimeout))
	}
	defer cancel()
	err = cl.Connect(cctx)
	if err == nil {
		return cl, nil
	}
	cl.Close()
	if cctx.Err() == nil {
		return nil, fmt.Errorf("connect %s: %w", path, err)
	}
	why := context.Cause(cctx)
	if ctx.Err() != nil {
		why = ended(ctx)
	}
	mu.Lock()
	defer mu.Unlock()
	if last == nil {
		return nil, fmt.Errorf("connect %s: %w", path, why)
	}
	return nil, fmt.Errorf("connect %s: %w (%v)", path, last, why)
}

// clientName names the client of a command, as the server sees it.
func clientName(cmd string) client.Option { return client.WithName("sockipc " + cmd) }
