// Command nats runs the sockipc quickstart over NATS: a server and a
// client, each with its own NATS connection, as if on two machines. The
// topics and handlers are the quickstart's own; only the transport option
// differs.
//
// Without -url it starts a NATS server inside the program, so that it
// runs anywhere:
//
//	go run ./examples/nats
//	go run ./examples/nats -url nats://127.0.0.1:4222
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/examples/quickstart/chat"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
	sknats "github.com/sockipc/sockipc/transport/nats"
	"github.com/sockipc/sockipc/transport/nats/internal/embedded"
)

func main() {
	url := flag.String("url", "", "NATS server URL(s), comma-separated; empty starts one in this program")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := run(ctx, *url, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// name is the address of the server: a name on the NATS system, not a
// socket path.
const name = "quickstart.chat"

func run(ctx context.Context, url string, w io.Writer) error {
	out := &lockedWriter{w: w} // handlers print from their own goroutines
	if url == "" {
		ns, err := embedded.Start(nil)
		if err != nil {
			return err
		}
		defer embedded.Shutdown(ns)
		url = ns.ClientURL()
		fmt.Fprintf(out, "nats: started a NATS server at %s\n", url)
	}

	// The server's side: its own NATS connection.
	serverNATS, err := sknats.New(sknats.WithURL(url))
	if err != nil {
		return err
	}
	defer serverNATS.Close()
	srv, err := server.New(name,
		server.WithTransport(serverNATS),
		server.OnConnect(func(p topic.Peer) { fmt.Fprintf(out, "server: client %s (%s) connected\n", p.ID, p.Name) }))
	if err != nil {
		return err
	}
	defer srv.Close()
	_, err = topic.Subscribe(srv, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
		fmt.Fprintf(out, "server: %s says %q\n", g.From, g.Text)
		reply := chat.Greeting{From: "server", Text: "hello, " + g.From}
		if err := server.SendTo(ctx, srv, from.ID, chat.Hello, reply); err != nil {
			fmt.Fprintln(out, "server: reply:", err)
		}
		news := chat.Announcement{Text: g.From + " joined", Clients: len(srv.Clients())}
		if err := topic.Publish(ctx, srv, chat.News, news); err != nil {
			fmt.Fprintln(out, "server: broadcast:", err)
		}
	})
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	fmt.Fprintf(out, "server: listening as %q\n", name)

	// The client's side: another NATS connection.
	clientNATS, err := sknats.New(sknats.WithURL(url))
	if err != nil {
		return err
	}
	defer clientNATS.Close()
	cl, err := client.New(name,
		client.WithTransport(clientNATS),
		client.WithName("alice"))
	if err != nil {
		return err
	}
	defer cl.Close()
	got := make(chan struct{}, 2)
	_, err = topic.Subscribe(cl, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
		fmt.Fprintf(out, "client: %s says %q\n", g.From, g.Text)
		got <- struct{}{}
	})
	if err != nil {
		return err
	}
	_, err = topic.Subscribe(cl, chat.News, func(ctx context.Context, a chat.Announcement, from topic.Peer) {
		fmt.Fprintf(out, "client: news: %q (%d client(s) connected)\n", a.Text, a.Clients)
		got <- struct{}{}
	})
	if err != nil {
		return err
	}
	if err := cl.Connect(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "client: connected as %s\n", cl.ID())
	if err := topic.Publish(ctx, cl, chat.Hello, chat.Greeting{From: "alice", Text: "hi, server"}); err != nil {
		return err
	}
	for range 2 {
		select {
		case <-got:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the server's answers: %w", ctx.Err())
		}
	}
	cl.Close()
	srv.Close()
	if err := <-served; err != nil {
		return err
	}
	fmt.Fprintln(out, "done")
	return nil
}

// lockedWriter serialises the writes of several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
