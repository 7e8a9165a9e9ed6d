package main

import (
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServeSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			path, hub := serve(t)
			sub := subscribe(t, path)
			_, err := os.Stat(path)
			require.NoError(t, err)

			require.NoError(t, hub.cmd.Process.Signal(sig))
			require.Equal(t, 0, hub.wait(t), "serve: %s", hub.stderr)
			_, err = os.Stat(path)
			require.ErrorIs(t, err, os.ErrNotExist, "the socket file is removed")
			require.Contains(t, hub.stderr.String(), "msg=stopped")
			sub.stderr.waitFor(t, "sockipc: sub: connection lost")

			require.NoError(t, sub.cmd.Process.Signal(syscall.SIGTERM))
			require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
		})
	}
}

func TestServeVerbose(t *testing.T) {
	t.Parallel()
	path, hub := serve(t, "-v")
	require.Equal(t, 0, runCmd(t, nil, "pub", path, "t", `{"k":[1,2]}`).code)
	line := hub.stderr.waitFor(t, "msg=message")
	require.Contains(t, line, `topic=t`)
	require.Contains(t, line, `message="{\"k\":[1,2]}"`)
	hub.stderr.waitFor(t, `msg="client disconnected"`)
}

// A second serve on a live socket fails, and leaves the first alone.
func TestServeInUse(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	res := runCmd(t, nil, "serve", path)
	require.Equal(t, 1, res.code)
	require.Contains(t, res.stderr, "address already in use")
	require.Equal(t, 0, runCmd(t, nil, "pub", path, "t", "1").code)
}
