package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/internal/nodeinterop"
	"github.com/sockipc/sockipc/internal/testutil"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestNodeClientTalksToServer runs the server with -n 3 and the Node.js
// client beside it, as the README shows, and checks what both print. The
// client finds the npm package in testdata/node when this folder has no
// node_modules of its own.
func TestNodeClientTalksToServer(t *testing.T) {
	nodeDir := nodeinterop.Require(t)
	path := testutil.SocketPath(t)
	ctx := testutil.Context(t, 30*time.Second)

	var out bytes.Buffer
	served := make(chan error, 1)
	go func() { served <- run(ctx, path, 3, &out) }()

	cmd := exec.CommandContext(ctx, "node", "client.js", path, "ada")
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(nodeDir, "node_modules"))
	clientOut, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", clientOut)
	require.NoError(t, testutil.Recv(t, served, 30*time.Second), "the server stops by itself")
	require.NoError(t, ctx.Err(), "the server stopped before the deadline")

	for _, want := range []string{
		"connected\nwelcome: you are client ",
		"reply #1: got it: hello from Node.js\n",
		"reply #2: got it: ünïcødé, 漢字 and 👋 travel too\n",
		`news: ada said "bye"` + "\nclosed\n",
	} {
		require.Contains(t, string(clientOut), want)
	}
	for _, want := range []string{
		"listening on " + path + "\n",
		` connected` + "\n",
		`ada (client `,
		`) says "ünïcødé, 漢字 and 👋 travel too"` + "\n",
		" left\nstopped\n",
	} {
		require.Contains(t, out.String(), want)
	}
	require.False(t, strings.Contains(out.String(), "error"), "%s", out.String())
}
