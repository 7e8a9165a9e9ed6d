// Command resilience shows a client riding out an unreliable server.
//
// The server says hello to every client that connects, and goes away a
// moment after its first client arrives; a replacement starts shortly
// after, on the same socket path. The client reports every change: failed
// attempts, connect, disconnect, reconnect.
//
// Run the whole story in one program (it ends after two restarts):
//
//	go run ./examples/resilience
//
// or play both parts in two terminals, and stop them with Ctrl-C:
//
//	go run ./examples/resilience -role server -socket /tmp/resilience.sock
//	go run ./examples/resilience -role client -socket /tmp/resilience.sock
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

var hello = topic.New[string]("hello")

func main() {
	role := flag.String("role", "demo", "demo, server or client")
	socket := flag.String("socket", "", "socket path (demo: a temporary one)")
	restarts := flag.Int("restarts", 2, "demo: how many times the server restarts")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch *role {
	case "demo":
		err = demo(ctx, *socket, *restarts)
	case "server":
		err = unreliableServers(ctx, *socket, -1)
	case "client":
		err = noisyClient(ctx, *socket, nil)
	default:
		err = fmt.Errorf("unknown role %q", *role)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// demo runs the servers and one client until the client has reconnected
// after every restart.
func demo(ctx context.Context, path string, restarts int) error {
	if path == "" {
		dir, err := os.MkdirTemp("", "resilience")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "resilience.sock")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	serversCtx, stopServers := context.WithCancel(ctx)
	defer stopServers()
	servers := make(chan error, 1)
	go func() { servers <- unreliableServers(serversCtx, path, restarts+1) }()

	reconnects := make(chan struct{}, restarts)
	clientCtx, stopClient := context.WithCancel(ctx)
	defer stopClient()
	clientDone := make(chan error, 1)
	go func() { clientDone <- noisyClient(clientCtx, path, reconnects) }()
	for range restarts {
		select {
		case <-reconnects:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	stopClient()
	if err := <-clientDone; err != nil {
		return err
	}
	stopServers() // the last one would otherwise stay until the timeout
	return <-servers
}

// unreliableServers runs n servers one after the other (n < 0: until ctx
// ends). Each closes a second after its first client connects; the next
// starts a second after that.
func unreliableServers(ctx context.Context, path string, n int) error {
	for num := 1; n < 0 || num <= n; num++ {
		if err := unreliableServer(ctx, path, num, num == n); err != nil {
			return err
		}
		if ctx.Err() != nil || num == n {
			return nil
		}
		fmt.Printf("server %d: closed; a replacement starts in 1s\n", num)
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

func unreliableServer(ctx context.Context, path string, num int, last bool) error {
	firstClient := make(chan struct{}, 1)
	var srv *server.Server
	srv, err := server.New(path,
		server.OnListening(func(string) { fmt.Printf("server %d: listening\n", num) }),
		server.OnConnect(func(p topic.Peer) {
			fmt.Printf("server %d: client %s connected, saying hello\n", num, p.ID)
			if err := server.SendTo(ctx, srv, p.ID, hello, fmt.Sprintf("Hello, client %s!", p.ID)); err != nil {
				fmt.Printf("server %d: %v\n", num, err)
			}
			select {
			case firstClient <- struct{}{}:
			default:
			}
		}))
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	go func() {
		select {
		case <-firstClient:
			if last {
				<-ctx.Done() // the last server stays until the end
				break
			}
			fmt.Printf("server %d: going away in 1s\n", num)
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
		case <-ctx.Done():
		}
		srv.Close()
	}()
	return srv.Serve(ctx)
}

// noisyClient connects and reports every change of its connection until
// ctx ends. It signals each reconnect on reconnects, if not nil.
func noisyClient(ctx context.Context, path string, reconnects chan<- struct{}) error {
	cl, err := client.New(path,
		client.WithRetry(100*time.Millisecond, time.Second),
		client.WithReconnect(200*time.Millisecond, 500*time.Millisecond),
		client.OnConnectError(func(err error) { fmt.Println("client: no server:", err) }),
		client.OnConnect(func() { fmt.Println("client: connected") }),
		client.OnDisconnect(func(err error) { fmt.Println("client: disconnected:", err) }),
		client.OnReconnect(func() {
			fmt.Println("client: reconnected")
			if reconnects != nil {
				reconnects <- struct{}{}
			}
		}),
		client.OnClose(func() { fmt.Println("client: closed") }),
	)
	if err != nil {
		return err
	}
	defer cl.Close()
	_, err = topic.Subscribe(cl, hello, func(ctx context.Context, s string, from topic.Peer) {
		fmt.Printf("client: heard %q\n", s)
	})
	if err != nil {
		return err
	}
	if err := cl.Connect(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	<-ctx.Done()
	return nil
}
