// Command quickstart runs a sockipc server and a client in one program:
// the client says hello, the server answers that client alone and then
// broadcasts to every subscribed client.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/examples/quickstart/chat"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	dir, err := os.MkdirTemp("", "quickstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "chat.sock")

	// The server answers each greeting to its sender, then tells everyone.
	srv, err := server.New(path,
		server.OnConnect(func(p topic.Peer) { fmt.Printf("server: client %s (%s) connected\n", p.ID, p.Name) }))
	if err != nil {
		return err
	}
	defer srv.Close()
	_, err = topic.Subscribe(srv, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
		fmt.Printf("server: %s says %q\n", g.From, g.Text)
		reply := chat.Greeting{From: "server", Text: "hello, " + g.From}
		if err := server.SendTo(ctx, srv, from.ID, chat.Hello, reply); err != nil {
			fmt.Println("server: reply:", err)
		}
		news := chat.Announcement{Text: g.From + " joined", Clients: len(srv.Clients())}
		if err := topic.Publish(ctx, srv, chat.News, news); err != nil {
			fmt.Println("server: broadcast:", err)
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

	// The client subscribes, connects, and says hello.
	cl, err := client.New(path, client.WithName("alice"))
	if err != nil {
		return err
	}
	defer cl.Close()
	got := make(chan struct{}, 2)
	_, err = topic.Subscribe(cl, chat.Hello, func(ctx context.Context, g chat.Greeting, from topic.Peer) {
		fmt.Printf("client: %s says %q\n", g.From, g.Text)
		got <- struct{}{}
	})
	if err != nil {
		return err
	}
	_, err = topic.Subscribe(cl, chat.News, func(ctx context.Context, a chat.Announcement, from topic.Peer) {
		fmt.Printf("client: news from %s: %q (%d client(s) connected)\n", from.ID, a.Text, a.Clients)
		got <- struct{}{}
	})
	if err != nil {
		return err
	}
	if err := cl.Connect(ctx); err != nil {
		return err
	}
	fmt.Printf("client: connected as %s\n", cl.ID())
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
	fmt.Println("done")
	return nil
}
