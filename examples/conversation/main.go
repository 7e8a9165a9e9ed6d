// Command conversation runs a server and two clients, bob and charlie, in
// one program, and prints every message as it travels.
//
// Every round, the server says hello to every client. Each client answers
// "helloback", repeating the server's round number and adding its name.
// The server answers "helloagain" to charlie only, by its client id.
//
//	go run ./examples/conversation
//
// Replies are plain messages here, tied to their round by a number in the
// payload; examples/rpc shows calls, where the library pairs each reply
// with its request.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// The conversation's topics. In a real program they live in a package that
// both sides import.
type (
	// Round is the server's greeting, numbered.
	Round int
	// HelloBack is a client's answer to a round.
	HelloBack struct {
		ClientName string
		Original   Round
	}
)

var (
	hello      = topic.New[Round]("hello")
	helloBack  = topic.New[HelloBack]("helloback")
	helloAgain = topic.New[Round]("helloagain")
)

const rounds = 3

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "conversation")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "conversation.sock")

	// The conversation is over when the server has heard every answer
	// (two clients, every round) and charlie every "helloagain".
	var pending sync.WaitGroup
	pending.Add(3 * rounds)

	srv, err := server.New(path)
	if err != nil {
		return err
	}
	defer srv.Close()
	// Log every message that reaches the server, whatever its topic.
	must(topic.SubscribeAll(srv, func(ctx context.Context, m topic.RawMessage, from topic.Peer) {
		fmt.Printf("client (%s) -> server: [%s] %s\n", from.Name, m.Topic(), decoded(m))
	}))
	// Answer charlie again, and only charlie, by its id.
	must(topic.Subscribe(srv, helloBack, func(ctx context.Context, hb HelloBack, from topic.Peer) {
		defer pending.Done()
		if hb.ClientName == "charlie" {
			if err := server.SendTo(ctx, srv, from.ID, helloAgain, hb.Original); err != nil {
				fmt.Println("server:", err)
			}
		}
	}))
	if err := srv.Listen(); err != nil {
		return err
	}
	fmt.Println("server listening")
	go srv.Serve(ctx)

	for _, name := range []string{"bob", "charlie"} {
		cl, err := client.New(path, client.WithName(name))
		if err != nil {
			return err
		}
		defer cl.Close()
		must(topic.SubscribeAll(cl, func(ctx context.Context, m topic.RawMessage, from topic.Peer) {
			fmt.Printf("server -> client (%s): [%s] %s\n", name, m.Topic(), decoded(m))
			if m.Topic() == helloAgain.Name() {
				pending.Done()
			}
		}))
		must(topic.Subscribe(cl, hello, func(ctx context.Context, r Round, from topic.Peer) {
			if err := topic.Publish(ctx, cl, helloBack, HelloBack{ClientName: name, Original: r}); err != nil {
				fmt.Printf("client (%s): %v\n", name, err)
			}
		}))
		if err := cl.Connect(ctx); err != nil {
			return err
		}
	}

	for r := Round(1); r <= rounds; r++ {
		if err := topic.Publish(ctx, srv, hello, r); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // pace the rounds, for reading
	}
	pending.Wait()
	return nil
}

// decoded shows a payload whatever its type.
func decoded(m topic.RawMessage) string {
	var v any
	if err := m.Decode(&v); err != nil {
		return "(undecodable: " + err.Error() + ")"
	}
	return fmt.Sprint(v)
}

func must(_ topic.Subscription, err error) {
	if err != nil {
		log.Fatal(err)
	}
}
