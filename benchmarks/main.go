// Command benchmarks compares sockipc with a hand-written raw unix-socket
// loop, NATS, gRPC and net/rpc on the workloads of the performance issue,
// and sockipc over NATS with NATS used directly, and prints a Markdown
// table of the results. See README.md.
//
//	go run .          # the full run, 5 repetitions
//	go run . -smoke   # tiny sizes, 1 repetition: checks that all works
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

func main() {
	c, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks:", err)
		os.Exit(2)
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchmarks: FAIL:", err)
		os.Exit(1)
	}
}

// run runs the benches c selects and writes the report to w, and to c.out
// if set.
func run(c config, w io.Writer) error {
	benches, err := selectBenches(allBenches(), c.only)
	if err != nil {
		return err
	}
	sz := c.sizes()
	if c.cpuprof != "" {
		stop, err := startCPUProfile(c.cpuprof)
		if err != nil {
			return err
		}
		defer stop()
	}
	if c.trace != "" {
		stop, err := startTrace(c.trace)
		if err != nil {
			return err
		}
		defer stop()
	}
	if c.memprof != "" {
		runtime.MemProfileRate = 4096
	}
	// The versions as they are when the runs start: the tree may change
	// while they run, and the binary does not.
	vers := versions()
	started := time.Now()
	ms, checks, err := runAll(c, benches, sz)
	if err != nil {
		return err
	}
	if c.memprof != "" {
		if err := writeMemProfile(c.memprof); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	report(&buf, c, benches, ms, checks, sz, vers, started, time.Since(started))
	if c.out != "" {
		if err := os.WriteFile(c.out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// writeMemProfile writes the allocations of the runs to path.
func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("memory profile: %w", err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("memory profile: %w", err)
	}
	return f.Close()
}

// startCPUProfile starts writing a CPU profile to path, and returns the
// function that stops it.
func startCPUProfile(path string) (func(), error) {
	return startFile(path, "cpu profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// startTrace starts writing an execution trace to path, and returns the
// function that stops it.
func startTrace(path string) (func(), error) {
	return startFile(path, "trace", trace.Start, trace.Stop)
}

// startFile creates path and starts writing what to it with start, and
// returns the function that stops it and closes the file.
func startFile(path, what string, start func(io.Writer) error, stop func()) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return func() {
		stop()
		f.Close()
	}, nil
}
