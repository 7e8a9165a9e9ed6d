package server_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	h "github.com/sockipc/sockipc/internal/harness"
	"github.com/sockipc/sockipc/internal/testutil"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// The procedures a server started by serveForever answers, so that a test
// can measure it from another process.
var (
	heapProbe      = topic.NewProcedure[struct{}, uint64]("test.heap")
	broadcastProbe = topic.NewProcedure[int, int]("test.broadcast")
)

func handleScaleProbes(srv *server.Server) error {
	if _, err := topic.Handle(srv, heapProbe, func(context.Context, struct{}, topic.Peer) (uint64, error) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc, nil
	}); err != nil {
		return err
	}
	_, err := topic.Handle(srv, broadcastProbe, func(ctx context.Context, n int, _ topic.Peer) (int, error) {
		return len(srv.Clients()), topic.Publish(ctx, srv, h.A, h.Msg{N: n})
	})
	return err
}

// One server holds 5,000 connected clients, broadcasts one message that
// every client receives, and costs little per idle client. The server
// runs in its own process, so that its heap is its own.
func TestFiveThousandClients(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 clients: not in -short runs")
	}
	const n = 5000
	path := testutil.SocketPath(t)
	startServerProcess(t, path)

	ctx := testutil.Context(t, 5*time.Minute)
	probe := h.Client(t, path, nil)
	before, err := topic.Call(ctx, probe, heapProbe, struct{}{})
	require.NoError(t, err)

	var received atomic.Int64
	all := make(chan struct{})
	clients := make([]*client.Client, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range clients {
		cl, err := client.New(path, client.WithRetry(time.Millisecond, 10*time.Millisecond))
		require.NoError(t, err)
		clients[i] = cl
		_, err = topic.Subscribe(cl, h.A, func(ctx context.Context, m h.Msg, _ topic.Peer) {
			if m.N == 42 && received.Add(1) == n {
				close(all)
			}
		})
		require.NoError(t, err)
		wg.Go(func() {
			if err := cl.Connect(ctx); err != nil {
				errs <- err
			}
		})
	}
	t.Cleanup(func() {
		var wg sync.WaitGroup
		for _, cl := range clients {
			wg.Go(func() { cl.Close() })
		}
		wg.Wait()
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	count, err := topic.Call(ctx, probe, broadcastProbe, 42)
	require.NoError(t, err)
	require.Equal(t, n+1, count, "every client is connected")
	select {
	case <-all:
	case <-ctx.Done():
		t.Fatalf("%d of %d clients received the broadcast", received.Load(), n)
	}

	after, err := topic.Call(ctx, probe, heapProbe, struct{}{})
	require.NoError(t, err)
	perClient := (int64(after) - int64(before)) / n
	t.Logf("server heap: %d KiB before, %d KiB with %d idle clients: %d bytes per client",
		before>>10, after>>10, n, perClient)
	require.Less(t, perClient, int64(16<<10), "heap per idle client")
}
