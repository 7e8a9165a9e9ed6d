package nodeinterop_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// childServerEnv, when set to a socket path, makes the test binary run a
// Go server in the Node.js mode on that path instead of the tests: the
// crash test starts it as a child process so that it can SIGKILL it.
const childServerEnv = "SOCKIPC_NODEINTEROP_CHILD_SERVER"

func TestMain(m *testing.M) {
	if path := os.Getenv(childServerEnv); path != "" {
		os.Exit(runChildServer(path))
	}
	goleak.VerifyTestMain(m)
}

// runChildServer serves until stdin ends (or the process is killed),
// printing events the way the Node.js scripts do.
func runChildServer(path string) int {
	var mu sync.Mutex
	emit := func(ev map[string]string) {
		b, _ := json.Marshal(ev)
		mu.Lock()
		defer mu.Unlock()
		os.Stdout.Write(append(b, '\n'))
	}
	srv, err := server.New(path, server.WithNodeCompat(),
		server.OnConnect(func(p topic.Peer) { emit(map[string]string{"event": "connection", "client": p.ID}) }))
	if err == nil {
		err = srv.Listen()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go srv.Serve(context.Background())
	emit(map[string]string{"event": "listening"})
	for sc := bufio.NewScanner(os.Stdin); sc.Scan(); {
	}
	srv.Close()
	return 0
}
