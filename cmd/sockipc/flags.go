package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sockipc/sockipc/topic"
	"github.com/sockipc/sockipc/transport/unix"
)

// help is the text "sockipc COMMAND -h" prints around the flags.
type help struct {
	usage    string // the usage line(s), after "Usage: "
	about    string // what the command does
	examples string // example command lines, one per line
}

// newFlags returns the flag set of a command. It prints nothing itself:
// parse turns its errors into usage errors and prints the help on -h.
func newFlags(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args with fs and returns the positional arguments. On -h it
// prints h to stdout and returns flag.ErrHelp. The first names positional
// arguments (all of them if names < 0) are names, which may not start with
// '-' unless they follow "--": such an argument is a flag given after the
// positional arguments, a usage error.
func parse(e *env, fs *flag.FlagSet, h help, args []string, names int) ([]string, error) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printHelp(e.stdout, fs, h)
		return nil, flag.ErrHelp
	}
	if err != nil {
		return nil, usageErrorf(fs.Name(), "%v", err)
	}
	rest := fs.Args()
	if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
		return rest, nil
	}
	if names < 0 || names > len(rest) {
		names = len(rest)
	}
	for _, a := range rest[:names] {
		if strings.HasPrefix(a, "-") {
			return nil, usageErrorf(fs.Name(),
				"%s after the arguments: flags come first (a name that starts with '-' goes after --)", a)
		}
	}
	return rest, nil
}

func printHelp(w io.Writer, fs *flag.FlagSet, h help) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", h.usage, strings.TrimSpace(h.about))
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if h.examples != "" {
		fmt.Fprint(w, "\nExamples:\n")
		for line := range strings.Lines(strings.TrimSpace(h.examples)) {
			fmt.Fprintf(w, "  %s", strings.TrimLeft(line, "\t"))
		}
		fmt.Fprintln(w)
	}
}

// given reports whether the flag name was on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkArgs checks the number of positional arguments.
func checkArgs(cmd string, args []string, min, max int, names string) error {
	switch {
	case len(args) < min:
		return usageErrorf(cmd, "missing arguments: want %s", names)
	case max >= 0 && len(args) > max:
		return usageErrorf(cmd, "too many arguments: want %s", names)
	}
	return nil
}

// checkSocket checks a socket path given on the command line.
func checkSocket(cmd, path string) error {
	if err := unix.ValidatePath(path); err != nil {
		return usageErrorf(cmd, "%v", err)
	}
	return nil
}

// checkName checks a topic or procedure name given on the command line.
// The Node.js format also has the empty topic.
func checkName(cmd, name string, nodeCompat bool) error {
	if name == "" && nodeCompat {
		return nil
	}
	if err := topic.ValidateName(name); err != nil {
		return usageErrorf(cmd, "%v", err)
	}
	return nil
}

// checkTimeout checks the value of a --timeout flag.
func checkTimeout(cmd string, d time.Duration) error {
	if d < 0 {
		return usageErrorf(cmd, "negative --timeout %v", d)
	}
	return nil
}
