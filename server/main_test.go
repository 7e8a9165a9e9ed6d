package server_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"

	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/server"
)

// serveEnv, when set, makes the test binary a plain server on that path
// instead of running the tests: the crash test starts it as a subprocess
// and kills it.
const serveEnv = "SOCKIPC_TEST_SERVE"

func TestMain(m *testing.M) {
	if path := os.Getenv(serveEnv); path != "" {
		os.Exit(serveForever(path))
	}
	goleak.VerifyTestMain(m)
}

func serveForever(path string) int {
	srv, err := server.New(path, server.OnListening(func(string) { fmt.Println("listening") }))
	if err == nil {
		err = handleScaleProbes(srv)
	}
	if err == nil {
		err = srv.ListenAndServe(context.Background())
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
}

// startServerProcess runs this test binary as a server on path, in a
// process of its own, and returns once it listens.
func startServerProcess(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "listening\n", line)
	return cmd
}
