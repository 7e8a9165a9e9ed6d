package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
)

var pubHelp = help{
	usage: "sockipc pub [flags] SOCKET TOPIC [JSON]",
	about: `
Pub publishes JSON, any JSON value, on TOPIC. Without JSON, it publishes one
message per line of standard input, in order, until the end of the input.
Blank lines are skipped. A line that is not valid JSON, or that the server
refuses (too large), is reported on stderr and skipped; pub then exits with
status 1 once the other lines are published.

JSON integers travel as MessagePack integers, other numbers as floats, so a
Go subscriber with int fields decodes them. With --node-compat the message
travels as JSON text, in the wire format of the Node.js library.

Pub exits once the server has read every message: it ends with a round trip
to the server, a call of the procedure "sockipc.sync", whose answer (usually
the error no_handler, which pub ignores) comes after the server has read and
relayed every message sent before it. The Node.js format has no calls: with
--node-compat, pub exits once every message is written to the socket. If the
connection is lost meanwhile, pub exits with status 1.`,
	examples: `
sockipc pub /tmp/dev.sock chat.hello '{"from":"alice","text":"hi"}'
sockipc pub /tmp/dev.sock counter 42
printf '{"n":1}\n{"n":2}\n' | sockipc pub /tmp/dev.sock jobs.add
sockipc pub --timeout 10s /tmp/dev.sock logs.line < lines.jsonl`,
}

func runPub(ctx context.Context, e *env, args []string) error {
	fs := newFlags("pub")
	timeout := fs.Duration("timeout", 0, "bound the whole command, e.g. 10s (default: none; connecting gives up after 5s)")
	nodeCompat := fs.Bool("node-compat", false, "speak the wire format of the Node.js library @crussell52/socket-ipc")
	rest, err := parse(e, fs, pubHelp, args, 2)
	if err != nil {
		return err
	}
	if err := checkArgs("pub", rest, 2, 3, "SOCKET TOPIC [JSON]"); err != nil {
		return err
	}
	path, name := rest[0], rest[1]
	if err := checkSocket("pub", path); err != nil {
		return err
	}
	if err := checkName("pub", name, *nodeCompat); err != nil {
		return err
	}
	if err := checkTimeout("pub", *timeout); err != nil {
		return err
	}
	c := codec.MsgPack
	if *nodeCompat {
		c = codec.JSON
	}
	var payload []byte
	if len(rest) == 3 {
		if payload, err = encodeJSON(c, []byte(rest[2])); err != nil {
			return usageErrorf("pub", "message: %v", err)
		}
	}

	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	p, err := newPublisher(ctx, path, given(fs, "timeout"), *nodeCompat)
	if err != nil {
		return err
	}
	defer p.close()
	if len(rest) == 2 {
		return pubLines(ctx, e, p, name, c)
	}
	if err := p.publish(ctx, name, payload); err != nil {
		return err
	}
	return p.sync(ctx)
}

// pubLines publishes one message per line of stdin.
func pubLines(ctx context.Context, e *env, p *publisher, name string, c codec.Codec) error {
	lines, stop := readLines(e.stdin)
	defer stop()
	var n, bad int
	for {
		var l line
		select {
		case l = <-lines:
		case <-ctx.Done():
			return fmt.Errorf("%w, %s sent", ended(ctx), messages(p.sent))
		}
		if l.err == io.EOF {
			break
		}
		if l.err != nil {
			return fmt.Errorf("read stdin: %w", l.err)
		}
		n++
		text := bytes.TrimSpace(l.text)
		if len(text) == 0 {
			continue
		}
		payload, err := encodeJSON(c, text)
		if err == nil {
			err = p.publish(ctx, name, payload)
		}
		if err != nil {
			if !skippable(err) {
				return err
			}
			fmt.Fprintf(e.stderr, "sockipc: pub: line %d: %s\n", n, oneLine(err))
			bad++
		}
	}
	if err := p.sync(ctx); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d lines not published", bad, n)
	}
	return nil
}

// skippable reports whether a line's error spares the lines after it:
// its JSON or its size was wrong, not the connection.
func skippable(err error) bool {
	var ee *topic.EncodeError
	return errors.Is(err, errBadJSON) || errors.Is(err, topic.ErrMessageTooLarge) || errors.As(err, &ee)
}

// line is one line of input, or the error that ended the input (io.EOF
// at its end).
type line struct {
	text []byte
	err  error
}

// readLines reads r line by line on a goroutine of its own, so that the
// caller can give up waiting for input. stop lets the goroutine end.
func readLines(r io.Reader) (<-chan line, func()) {
	lines := make(chan line, 64)
	done := make(chan struct{})
	go func() {
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			text, err := br.ReadBytes('\n')
			if len(text) > 0 {
				select {
				case lines <- line{text: text}:
				case <-done:
					return
				}
			}
			if err != nil {
				select {
				case lines <- line{err: err}:
				case <-done:
				}
				return
			}
		}
	}()
	return lines, func() { close(done) }
}
