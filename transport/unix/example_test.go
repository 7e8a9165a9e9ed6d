package unix_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sockipc/sockipc/transport/unix"
)

func ExampleTransport() {
	dir, err := os.MkdirTemp("", "sk")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.sock")

	tr := unix.New(unix.WithMode(0o660))
	l, err := tr.Listen(path)
	if err != nil {
		panic(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		msg, _ := c.ReadMessage()
		c.WriteMessage(append([]byte("echo: "), msg...))
		c.Flush()
	}()

	c, err := tr.Dial(context.Background(), path)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	c.WriteMessage([]byte("hello"))
	c.Flush()
	reply, err := c.ReadMessage()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(reply))
	// Output: echo: hello
}

func ExampleValidatePath() {
	fmt.Println(unix.ValidatePath("8080"))
	// Output: unix: socket path looks like a port number, not a file path: "8080"
}
