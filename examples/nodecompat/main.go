// Command nodecompat is a Go server that unchanged Node.js clients of the
// npm package @crussell52/socket-ipc talk to.
//
// Start the server:
//
//	go run ./examples/nodecompat -socket /tmp/x.sock
//
// then, in another terminal, the Node.js client beside this file:
//
//	cd examples/nodecompat && npm ci && node client.js /tmp/x.sock
//
// The server welcomes each client that connects, answers each message on
// "chat.hello" to its sender alone, and tells every client about it on
// "chat.news". It runs until Ctrl-C, or with -n N until it has answered N
// messages and their senders have left.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Hello is what a client says. The JSON names are those the Node.js
// client uses.
type Hello struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Reply is the server's answer to one Hello.
type Reply struct {
	Text  string `json:"text"`
	Count int    `json:"count"` // how many messages the server has answered
}

// The topics, as the Node.js client names them.
var (
	hello   = topic.New[Hello]("chat.hello")
	welcome = topic.New[string]("chat.welcome")
	reply   = topic.New[Reply]("chat.reply")
	news    = topic.New[Hello]("chat.news")
)

func main() {
	socket := flag.String("socket", filepath.Join(os.TempDir(), "sockipc-nodecompat.sock"), "socket path")
	n := flag.Int("n", 0, "stop after answering this many messages, once their senders have left (0: run until Ctrl-C)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *socket, *n, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves Node.js clients on path until ctx ends, or until it has
// answered limit messages (if limit > 0) and no client is left.
func run(ctx context.Context, path string, limit int, out io.Writer) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()

	var mu sync.Mutex // orders the output, guards answered
	answered := 0
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, format+"\n", args...)
	}
	var srv *server.Server
	// finished stops the server once the work is done and nobody is left.
	finished := func() {
		mu.Lock()
		done := limit > 0 && answered >= limit
		mu.Unlock()
		if done && len(srv.Clients()) == 0 {
			stop()
		}
	}

	srv, err := server.New(path,
		server.WithNodeCompat(),
		server.OnListening(func(addr string) { say("listening on %s", addr) }),
		server.OnConnect(func(p topic.Peer) {
			say("client %s connected", short(p.ID))
			// Queued before the server reads anything from the client, so
			// it is the first message the client gets.
			if err := server.SendTo(ctx, srv, p.ID, welcome, "you are client "+short(p.ID)); err != nil {
				say("welcome %s: %v", short(p.ID), err)
			}
		}),
		server.OnDisconnect(func(p topic.Peer, _ error) {
			say("client %s left", short(p.ID))
			finished()
		}),
		server.OnError(func(err error) { say("error: %v", err) }),
	)
	if err != nil {
		return err
	}
	_, err = topic.Subscribe(srv, hello, func(ctx context.Context, h Hello, from topic.Peer) {
		mu.Lock()
		answered++
		count := answered
		mu.Unlock()
		say("%s (client %s) says %q", h.Name, short(from.ID), h.Text)
		if err := server.SendTo(ctx, srv, from.ID, reply, Reply{Text: "got it: " + h.Text, Count: count}); err != nil {
			say("reply to %s: %v", short(from.ID), err)
		}
		if err := topic.Publish(ctx, srv, news, h); err != nil {
			say("news: %v", err)
		}
		finished()
	})
	if err != nil {
		return err
	}
	err = srv.ListenAndServe(ctx)
	say("stopped")
	return err
}

// short abbreviates a client id for display.
func short(id string) string { return id[:8] }
