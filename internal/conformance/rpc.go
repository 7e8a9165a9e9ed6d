package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

func call(t *testing.T, e env) {
	srv, addr := e.server(t)
	h.HandleAdd(t, srv)
	cl := e.client(t, addr, nil)
	sum, err := topic.Call(testutil.Context(t, h.Timeout), cl, h.Add, h.AddArgs{A: 2, B: 3})
	require.NoError(t, err)
	require.Equal(t, 5, sum)
}

func remoteErrorCarriesCode(t *testing.T, e env) {
	srv, addr := e.server(t)
	h.HandleAdd(t, srv)
	cl := e.client(t, addr, nil)
	_, err := topic.Call(testutil.Context(t, h.Timeout), cl, h.Add, h.AddArgs{A: -1, B: 0})
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "negative", re.Code)
	assert.Equal(t, "-1 is negative", re.Message)
}

func noHandler(t *testing.T, e env) {
	_, addr := e.server(t)
	cl := e.client(t, addr, nil)
	_, err := topic.Call(testutil.Context(t, h.Timeout), cl, h.Add, h.AddArgs{A: 1, B: 2})
	require.ErrorIs(t, err, topic.ErrNoHandler)
	re, ok := errors.AsType[*topic.RemoteError](err)
	require.True(t, ok)
	assert.Equal(t, topic.CodeNoHandler, re.Code)
}

// Many calls at once from several clients, each answered with its own
// result.
func concurrentCalls(t *testing.T, e env) {
	const clients, calls = 3, 100
	srv, addr := e.server(t)
	h.HandleAdd(t, srv)
	ctx := testutil.Context(t, h.Timeout)
	var wg sync.WaitGroup
	errs := make(chan error, clients*calls)
	for c := range clients {
		cl := e.client(t, addr, nil)
		for i := range calls {
			wg.Go(func() {
				a, b := c*1000, i
				sum, err := topic.Call(ctx, cl, h.Add, h.AddArgs{A: a, B: b})
				if err == nil && sum != a+b {
					err = fmt.Errorf("%d+%d: got %d", a, b, sum)
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func serverCallsClient(t *testing.T, e env) {
	srv, addr := e.server(t)
	cl := e.client(t, addr, func(c *client.Client) {
		_, err := topic.Handle(c, h.WhoAmI, func(ctx context.Context, _ struct{}, from topic.Peer) (string, error) {
			if !from.IsServer() {
				return "", errors.New("expected the server")
			}
			return c.ID(), nil
		})
		require.NoError(t, err)
	})
	id, err := server.Call(testutil.Context(t, h.Timeout), srv, cl.ID(), h.WhoAmI, struct{}{})
	require.NoError(t, err)
	require.Equal(t, cl.ID(), id)
}
