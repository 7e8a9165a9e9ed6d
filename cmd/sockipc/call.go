package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sockipc/sockipc/codec"
	"github.com/sockipc/sockipc/topic"
)

var callHelp = help{
	usage: "sockipc call [flags] SOCKET PROCEDURE JSON",
	about: `
Call calls PROCEDURE on the server with the argument JSON, any JSON value,
and prints the result as one line of JSON on stdout. The argument travels as
MessagePack, as pub's messages do.

If the procedure fails, call prints its error code and message on stderr
and exits with status 1; a server without the procedure answers with the
code no_handler. --timeout bounds the whole command, and its deadline
travels with the call to the server's handler. Without --timeout, call also
gives up connecting after 5 s.`,
	examples: `
sockipc call /tmp/app.sock math.add '{"A":1,"B":2}'
sockipc call --timeout 2s /tmp/app.sock jobs.status '"job-17"'
sockipc call /tmp/app.sock config.get null | jq .`,
}

func runCall(ctx context.Context, e *env, args []string) error {
	fs := newFlags("call")
	timeout := fs.Duration("timeout", 10*time.Second, "bound the whole command; its deadline travels with the call (0: none)")
	rest, err := parse(e, fs, callHelp, args, 2)
	if err != nil {
		return err
	}
	if err := checkArgs("call", rest, 3, 3, "SOCKET PROCEDURE JSON"); err != nil {
		return err
	}
	path, name := rest[0], rest[1]
	if err := checkSocket("call", path); err != nil {
		return err
	}
	if err := checkName("call", name, false); err != nil {
		return err
	}
	if err := checkTimeout("call", *timeout); err != nil {
		return err
	}
	c := codec.MsgPack
	arg, err := encodeJSON(c, []byte(rest[2]))
	if err != nil {
		return usageErrorf("call", "argument: %v", err)
	}

	ctx, cancel := withTimeout(ctx, *timeout)
	defer cancel()
	cl, err := dial(ctx, path, given(fs, "timeout"), nil, clientName("call"))
	if err != nil {
		return err
	}
	defer cl.Close()
	out, err := cl.CallRaw(ctx, name, arg)
	var re *topic.RemoteError
	switch {
	case err != nil && over(ctx):
		// The handler's deadline is ours: whichever came first, ours passed.
		<-ctx.Done()
		return fmt.Errorf("%s: %w", name, ended(ctx))
	case errors.As(err, &re):
		return fmt.Errorf("%s failed: %s: %s", name, re.Code, re.Message)
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	}
	text, err := appendJSON(nil, c, out)
	if err != nil {
		return fmt.Errorf("%s: result: %w", name, err)
	}
	_, err = e.stdout.Write(append(text, '\n'))
	return err
}
