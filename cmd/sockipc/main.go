// Command sockipc talks to sockipc servers from the shell: it runs a relay
// hub for local development, publishes and subscribes to topics, calls
// procedures, and benchmarks the library.
//
// Usage:
//
//	sockipc serve [-v] [--node-compat] SOCKET
//	sockipc pub   [--timeout D] [--node-compat] SOCKET TOPIC [JSON]
//	sockipc sub   [--count N] [--timeout D] [--node-compat] SOCKET [TOPIC ...]
//	sockipc call  [--timeout D] SOCKET PROCEDURE JSON
//	sockipc bench [-n N] [--json] [--socket SOCKET]
//	sockipc version
//
// Run "sockipc COMMAND -h" for the details and examples of each command.
// Install it with
//
//	go install github.com/sockipc/sockipc/cmd/sockipc@latest
//
// Conventions shared by every command:
//
//   - Flags come before positional arguments: sockipc sub --count 3 SOCKET a b.
//     A name (socket, topic, procedure) that starts with '-' must follow "--".
//   - A message is any JSON value: object, array, string, number, true, false
//     or null. It travels in the wire codec, MessagePack (JSON with
//     --node-compat). JSON integers become MessagePack integers and other
//     numbers floats, so a Go subscriber with int fields decodes them; object
//     keys keep their order.
//   - Received MessagePack is printed as JSON: binary strings as base64,
//     map keys that are not strings as the JSON text of the key, timestamps
//     as RFC 3339 strings, other extension types as {"ext":TYPE,"data":BASE64},
//     and NaN and infinities as null.
//   - Exit status: 0 success, 1 failure at run time, 2 usage error. Errors
//     are printed as one line on stderr, starting with "sockipc: ".
//   - --timeout bounds the whole command. Unless --timeout is given, a
//     client command gives up connecting after 5 s.
//   - sub writes a line starting with "sockipc: sub: subscribed" to stderr
//     once the server knows of its subscription; serve logs "listening"
//     once clients can connect. Scripts wait for these rather than sleep.
//   - SIGINT and SIGTERM end every command cleanly.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one gets the default behaviour:
		// it ends the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// env is the outside world of one run of the command.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}
