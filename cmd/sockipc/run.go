package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand of sockipc.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands = []command{
	{"serve", "run a relay hub on a socket, for local development", runServe},
	{"pub", "publish a message, or one per line of stdin", runPub},
	{"sub", "print the messages of some or all topics, one JSON line each", runSub},
	{"call", "call a procedure and print its result", runCall},
	{"bench", "measure throughput, latency and allocations", runBench},
	{"version", "print the version of this command", runVersion},
}

const mainUsage = `sockipc talks to sockipc servers over unix domain sockets.

Usage:

	sockipc COMMAND [flags] [arguments]

Commands:

%s
Flags, with one dash or two, come before arguments. Run "sockipc COMMAND -h"
for the details and examples of a command. Exit status: 0 success, 1
failure, 2 usage error.
`

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		printMainUsage(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			return run(ctx, []string{args[1], "-h"}, e)
		}
		printMainUsage(e.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			return report(e, c.name, c.run(ctx, e, args[1:]))
		}
	}
	return report(e, "", usageErrorf("", "unknown command %q", name))
}

func printMainUsage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, mainUsage, b.String())
}

// report prints err, if any, as one line on stderr and returns the exit
// status it stands for.
func report(e *env, cmd string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	prefix := "sockipc: "
	if cmd != "" {
		prefix += cmd + ": "
	}
	fmt.Fprintln(e.stderr, prefix+oneLine(err))
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

// oneLine renders err on one line, without the "sockipc: " prefixes that
// the library's errors carry: the line printed already starts with one.
func oneLine(err error) string {
	s := strings.ReplaceAll(err.Error(), "sockipc: ", "")
	return lineBreaks.Replace(strings.TrimSpace(s))
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// usageError is a command line that cannot be run as given: exit status 2.
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string {
	help := "sockipc -h"
	if e.cmd != "" {
		help = "sockipc " + e.cmd + " -h"
	}
	return fmt.Sprintf("%s (see '%s')", e.msg, help)
}

func usageErrorf(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// messages says "1 message", "2 messages".
func messages(n int) string {
	if n == 1 {
		return "1 message"
	}
	return fmt.Sprintf("%d messages", n)
}
