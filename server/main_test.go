package server_test

import (
	"context"
	"fmt"
	"os"
	"testing"

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
