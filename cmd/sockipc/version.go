package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

var versionHelp = help{
	usage: "sockipc version",
	about: `
Version prints the version of the module the command was built from, then
the Go version and platform. A command built from a checkout of the source
rather than installed with "go install ...@version" says (devel).`,
	examples: `sockipc version`,
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags("version")
	rest, err := parse(e, fs, versionHelp, args, 0)
	if err != nil {
		return err
	}
	if err := checkArgs("version", rest, 0, 0, "no arguments"); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "sockipc %s %s %s/%s\n", moduleVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// moduleVersion is the version of the main module, or "(devel)".
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
