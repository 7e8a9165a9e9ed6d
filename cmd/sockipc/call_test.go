package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

type addArgs struct{ A, B int }

var (
	add  = topic.NewProcedure[addArgs, int]("math.add")
	slow = topic.NewProcedure[struct{}, struct{}]("slow")
)

// startGoServer starts a server in the test process, with the procedure
// math.add, on path.
func startGoServer(t *testing.T, path string) *server.Server {
	t.Helper()
	srv, err := server.New(path)
	require.NoError(t, err)
	_, err = topic.Handle(srv, add, func(_ context.Context, a addArgs, _ topic.Peer) (int, error) {
		if a.A < 0 || a.B < 0 {
			return 0, topic.NewError("negative", "no negative numbers")
		}
		return a.A + a.B, nil
	})
	require.NoError(t, err)
	_, err = topic.Handle(srv, slow, func(ctx context.Context, _ struct{}, _ topic.Peer) (struct{}, error) {
		<-ctx.Done() // the caller's deadline
		return struct{}{}, ctx.Err()
	})
	require.NoError(t, err)
	require.NoError(t, srv.Listen())
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(context.Background())
	}()
	t.Cleanup(func() {
		srv.Close()
		<-served
	})
	return srv
}

func TestCall(t *testing.T) {
	t.Parallel()
	path := socketPath(t)
	startGoServer(t, path)

	res := runCmd(t, nil, "call", path, "math.add", `{"A":1,"B":2}`)
	require.Equal(t, 0, res.code, res.stderr)
	require.Equal(t, "3\n", res.stdout)
	require.Empty(t, res.stderr)

	res = runCmd(t, nil, "call", path, "math.add", `{"A":-1,"B":2}`)
	require.Equal(t, 1, res.code)
	require.Empty(t, res.stdout)
	require.Equal(t, "sockipc: call: math.add failed: negative: no negative numbers\n", res.stderr)

	res = runCmd(t, nil, "call", "--timeout", "5s", path, "math.sub", `[1,2]`)
	require.Equal(t, 1, res.code)
	require.Contains(t, res.stderr, "sockipc: call: math.sub failed: no_handler")
}

func TestCallTimeout(t *testing.T) {
	t.Parallel()
	path := socketPath(t)
	startGoServer(t, path)
	res := runCmd(t, nil, "call", "--timeout", "1s", path, "slow", "{}")
	require.Equal(t, 1, res.code)
	require.Equal(t, "sockipc: call: slow: timed out after 1s\n", res.stderr)
}
