package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/topic"
)

var subHelp = help{
	usage: "sockipc sub [flags] SOCKET [TOPIC ...]",
	about: `
Sub prints the messages published on the TOPICs, or on every topic when none
is given, one line of JSON each on stdout, in the order they arrive:

  {"topic":"chat.hello","from":"0f8b1a7e-9c3d-4e2a-8b5f-6a7c8d9e0f1a","message":{"text":"hi"}}

"from" is the id of the client that published the message, or "server" for
a message the server sent itself. The Node.js format does not carry the
sender: with --node-compat, "from" is always "server".

Once connected and subscribed, sub says so on stderr, in a line that starts
with "sockipc: sub: subscribed"; every message published from then on
reaches it. A script can wait for that line before publishing.

MessagePack values that JSON lacks are printed so: binary strings as base64
strings, map keys that are not strings as their JSON text in a string,
timestamps as RFC 3339 strings, other extension types as
{"ext":TYPE,"data":BASE64}, NaN and infinities as null.

Sub runs until --count messages have arrived (exit status 0), until
--timeout passes, or until SIGINT or SIGTERM. If it ends before --count
messages have arrived, its exit status is 1. A message that cannot be
printed is reported on stderr, counts as arrived, and makes the exit status
1. If the connection is lost, sub reconnects by itself and says so on
stderr.

With two topics or more, sub subscribes to every topic and keeps those it
was asked for, so that they come out in one order: the server then sends it
every message.`,
	examples: `
sockipc sub /tmp/dev.sock
sockipc sub /tmp/dev.sock chat.hello chat.bye
sockipc sub --count 1 --timeout 30s /tmp/dev.sock jobs.done
sockipc sub /tmp/dev.sock | jq .message`,
}

func runSub(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sub")
	count := fs.Int("count", 0, "exit after this many messages (default: no limit)")
	timeout := fs.Duration("timeout", 0, "bound the whole command, e.g. 10s (default: none; connecting gives up after 5s)")
	nodeCompat := fs.Bool("node-compat", false, "speak the wire format of the Node.js library @crussell52/socket-ipc")
	rest, err := parse(e, fs, subHelp, args, -1)
	if err != nil {
		return err
	}
	if err := checkArgs("sub", rest, 1, -1, "SOCKET [TOPIC ...]"); err != nil {
		return err
	}
	path, names := rest[0], rest[1:]
	if err := checkSocket("sub", path); err != nil {
		return err
	}
	for _, name := range names {
		if err := checkName("sub", name, *nodeCompat); err != nil {
			return err
		}
	}
	if *count < 0 {
		return usageErrorf("sub", "negative --count %d", *count)
	}
	if err := checkTimeout("sub", *timeout); err != nil {
		return err
	}

	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	s := newSubscriber(e, names, int64(*count))
	opts := []client.Option{
		clientName("sub"),
		client.OnDisconnect(func(err error) {
			why := "the server closed it" // after a graceful shutdown
			if err != nil {
				why = oneLine(err)
			}
			fmt.Fprintf(e.stderr, "sockipc: sub: connection lost: %s; reconnecting\n", why)
		}),
		client.OnReconnect(func() { fmt.Fprintln(e.stderr, "sockipc: sub: reconnected") }),
		client.OnError(func(err error) { fmt.Fprintf(e.stderr, "sockipc: sub: %s\n", oneLine(err)) }),
	}
	if *nodeCompat {
		opts = append(opts, client.WithNodeCompat())
	}
	cl, err := dial(ctx, path, given(fs, "timeout"), s.subscribe, opts...)
	if err != nil {
		return err
	}
	defer cl.Close()
	fmt.Fprintf(e.stderr, "sockipc: sub: subscribed to %s on %s%s\n", describeTopics(names), path, describeClient(cl.ID()))

	select {
	case <-s.done:
	case <-ctx.Done():
	}
	n, bad := s.counts()
	switch err := s.failure(); {
	case err != nil:
		return err
	case *count > 0 && n < int64(*count):
		return fmt.Errorf("%v: %d of %d messages arrived", ended(ctx), n, *count)
	case bad > 0:
		return fmt.Errorf("%d of %d messages could not be printed", bad, n)
	}
	return nil
}

func describeTopics(names []string) string {
	if len(names) == 0 {
		return "every topic"
	}
	return strings.Join(names, ", ")
}

func describeClient(id string) string {
	if id == "" {
		return ""
	}
	return " as client " + id
}

// subscriber prints the messages of sub.
type subscriber struct {
	e     *env
	names []string
	want  map[string]bool // the topics to keep; nil keeps all
	limit int64           // 0: no limit

	n, bad   atomic.Int64 // messages arrived, and those not printed
	buf      []byte       // the line being printed
	done     chan struct{}
	doneOnce sync.Once
	err      error // why printing stopped, set before done is closed
}

func newSubscriber(e *env, names []string, limit int64) *subscriber {
	s := &subscriber{e: e, names: names, limit: limit, done: make(chan struct{})}
	if len(names) > 1 {
		s.want = make(map[string]bool, len(names))
		for _, name := range names {
			s.want[name] = true
		}
	}
	return s
}

// subscribe makes one subscription, whose messages arrive in one order:
// to the topic if there is one, to every topic otherwise.
func (s *subscriber) subscribe(cl *client.Client) error {
	var err error
	if len(s.names) == 1 {
		_, err = cl.SubscribeRaw(s.names[0], s.handle)
	} else {
		_, err = cl.SubscribeAllRaw(s.handle)
	}
	return err
}

func (s *subscriber) counts() (n, bad int64) { return s.n.Load(), s.bad.Load() }

// failure returns why printing stopped, if it did for an error.
func (s *subscriber) failure() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

func (s *subscriber) finish(err error) {
	s.doneOnce.Do(func() {
		s.err = err
		close(s.done)
	})
}

// handle prints one message. The subscription calls it for one message at
// a time.
func (s *subscriber) handle(_ context.Context, m topic.RawMessage, from topic.Peer) error {
	if s.want != nil && !s.want[m.Topic()] {
		return nil
	}
	select {
	case <-s.done:
		return nil
	default:
	}
	b := append(s.buf[:0], `{"topic":`...)
	b = appendString(b, m.Topic())
	b = append(b, `,"from":`...)
	b = appendString(b, from.ID)
	b = append(b, `,"message":`...)
	b, err := appendJSON(b, m.Codec(), m.Payload())
	if err != nil {
		s.bad.Add(1)
		fmt.Fprintf(s.e.stderr, "sockipc: sub: message on %s from %s: %s\n", m.Topic(), from.ID, oneLine(err))
	} else {
		b = append(b, "}\n"...)
		if _, err := s.e.stdout.Write(b); err != nil {
			s.finish(fmt.Errorf("write stdout: %w", err))
			return nil
		}
	}
	s.buf = b
	if n := s.n.Add(1); s.limit > 0 && n >= s.limit {
		s.finish(nil)
	}
	return nil
}
