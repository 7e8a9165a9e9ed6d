package transport_test

import (
	"fmt"
	"net"

	"github.com/sockipc/sockipc/transport"
)

func ExampleNewStreamConn() {
	a, b := net.Pipe()
	client := transport.NewStreamConn(a, transport.LengthPrefixed)
	server := transport.NewStreamConn(b, transport.LengthPrefixed)
	defer client.Close()
	defer server.Close()

	go func() {
		client.WriteMessage([]byte("hello"))
		client.WriteMessage([]byte("world"))
		client.Flush() // both messages go out in one write
	}()
	for range 2 {
		msg, err := server.ReadMessage()
		if err != nil {
			panic(err)
		}
		fmt.Println(string(msg))
	}
	// Output:
	// hello
	// world
}
