package topic_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// Greeting and Hello would live in a package that both sides import.
type Greeting struct{ Text string }

var Hello = topic.New[Greeting]("chat.hello")

// AddArgs and Add declare a procedure, the same way.
type AddArgs struct{ A, B int }

var Add = topic.NewProcedure[AddArgs, int]("math.add")

// start returns a served server and a connected client on a temporary
// socket, and a function that closes them.
func start(setup func(*server.Server, *client.Client)) (*server.Server, *client.Client, func()) {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "example.sock")
	srv, err := server.New(path)
	if err != nil {
		log.Fatal(err)
	}
	cl, err := client.New(path)
	if err != nil {
		log.Fatal(err)
	}
	setup(srv, cl)
	if err := srv.Listen(); err != nil {
		log.Fatal(err)
	}
	go srv.Serve(context.Background())
	if err := cl.Connect(context.Background()); err != nil {
		log.Fatal(err)
	}
	return srv, cl, func() {
		cl.Close()
		srv.Close()
		os.RemoveAll(dir)
	}
}

// A client publishes on a topic; the server's handler gets the typed value
// and the sender, and answers that client alone.
func Example() {
	done := make(chan struct{})
	_, cl, stop := start(func(srv *server.Server, cl *client.Client) {
		topic.Subscribe(srv, Hello, func(ctx context.Context, g Greeting, from topic.Peer) {
			fmt.Printf("server got %q\n", g.Text)
			server.SendTo(ctx, srv, from.ID, Hello, Greeting{Text: "hello, " + g.Text})
		})
		topic.Subscribe(cl, Hello, func(ctx context.Context, g Greeting, from topic.Peer) {
			fmt.Printf("client got %q from %s\n", g.Text, from.ID)
			close(done)
		})
	})
	defer stop()

	if err := topic.Publish(context.Background(), cl, Hello, Greeting{Text: "alice"}); err != nil {
		log.Fatal(err)
	}
	<-done
	// Output:
	// server got "alice"
	// client got "hello, alice" from server
}

// A client calls a procedure that the server handles.
func ExampleCall() {
	_, cl, stop := start(func(srv *server.Server, cl *client.Client) {
		topic.Handle(srv, Add, func(ctx context.Context, a AddArgs, from topic.Peer) (int, error) {
			if a.A < 0 {
				return 0, topic.NewError("negative", "no negative numbers")
			}
			return a.A + a.B, nil
		})
	})
	defer stop()

	sum, err := topic.Call(context.Background(), cl, Add, AddArgs{A: 1, B: 2})
	fmt.Println(sum, err)
	_, err = topic.Call(context.Background(), cl, Add, AddArgs{A: -1, B: 2})
	fmt.Println(err)
	// Output:
	// 3 <nil>
	// sockipc: remote error (negative): no negative numbers
}

// A catch-all subscription sees every topic; it decodes the payloads it
// knows.
func ExampleSubscribeAll() {
	done := make(chan struct{})
	srv, _, stop := start(func(srv *server.Server, cl *client.Client) {
		topic.SubscribeAll(cl, func(ctx context.Context, m topic.RawMessage, from topic.Peer) {
			switch m.Topic() {
			case Hello.Name():
				var g Greeting
				if err := m.Decode(&g); err == nil {
					fmt.Printf("%s: %q\n", m.Topic(), g.Text)
				}
			default:
				fmt.Printf("%s: %d bytes\n", m.Topic(), len(m.Payload()))
				close(done)
			}
		})
	})
	defer stop()

	ctx := context.Background()
	topic.Publish(ctx, srv, Hello, Greeting{Text: "hi"})
	topic.Publish(ctx, srv, topic.New[[]int]("numbers"), []int{1, 2, 3})
	<-done
	// Output:
	// chat.hello: "hi"
	// numbers: 4 bytes
}
