package nats_test

import (
	"context"
	"log"
	"os"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/server"
	sknats "github.com/sockipc/sockipc/transport/nats"
)

// A server on one machine and a client on another, through a NATS
// cluster. Only the transport options differ from a program on unix
// sockets.
func Example() {
	ctx := context.Background()
	urls := []string{"nats://10.0.0.1:4222", "nats://10.0.0.2:4222"}

	// On the server's machine.
	st, err := sknats.New(sknats.WithURL(urls...),
		sknats.WithNATSOptions(natsgo.UserCredentials(os.Getenv("SERVER_CREDS"))))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New("billing", server.WithTransport(st))
	if err != nil {
		log.Fatal(err)
	}
	go srv.ListenAndServe(ctx)

	// On a worker's machine.
	ct, err := sknats.New(sknats.WithURL(urls...),
		sknats.WithNATSOptions(natsgo.UserCredentials(os.Getenv("WORKER_CREDS"))))
	if err != nil {
		log.Fatal(err)
	}
	defer ct.Close()
	cl, err := client.New("billing", client.WithTransport(ct))
	if err != nil {
		log.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Connect(ctx); err != nil {
		log.Fatal(err)
	}
}
