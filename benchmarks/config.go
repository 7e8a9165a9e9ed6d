package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// sizes is the number of messages (W1, and W2 per receiver) or calls
// (W3, W4) of each workload.
type sizes map[string]int

// fullSizes are the sizes of the performance issue.
var fullSizes = sizes{w1: 1_000_000, w2: 250_000, w3: 20_000, w4: 200_000}

// smokeSizes make a run that checks every bench in seconds.
var smokeSizes = sizes{w1: 2_000, w2: 500, w3: 200, w4: 2_000}

// scaled returns s times f, at least 1 each.
func (s sizes) scaled(f float64) sizes {
	out := sizes{}
	for w, n := range s {
		out[w] = max(1, int(math.Round(float64(n)*f)))
	}
	return out
}

// config is what the command line asks for.
type config struct {
	reps     int
	warmup   bool // run every bench once, unmeasured, before the repetitions
	scale    float64
	only     string
	smoke    bool
	timeout  time.Duration // per run
	out      string        // Markdown file to write, besides stdout
	cpuprof  string        // CPU profile file, if any
	memprof  string        // allocation profile file, if any
	trace    string        // execution trace file, if any
	command  string        // the command line, for the report
	progress io.Writer     // one line per run; io.Discard for none
}

// sizes returns the sizes the configuration runs.
func (c config) sizes() sizes {
	if c.smoke {
		return smokeSizes.scaled(c.scale)
	}
	return fullSizes.scaled(c.scale)
}

// parseFlags reads the command line (without the program name).
func parseFlags(args []string, progress io.Writer) (config, error) {
	c := config{progress: progress}
	fs := flag.NewFlagSet("benchmarks", flag.ContinueOnError)
	fs.SetOutput(progress)
	fs.IntVar(&c.reps, "reps", 5, "repetitions of every bench (the smoke run makes 1 unless set)")
	fs.BoolVar(&c.warmup, "warmup", false, "run every selected bench once, unmeasured, before the repetitions (a process's first run of a bench can be slower)")
	fs.Float64Var(&c.scale, "scale", 1, "multiply every workload's size by this")
	fs.StringVar(&c.only, "only", "", "run only these, comma-separated: workloads W1..W4, systems raw sockipc nats sockipc-nats grpc netrpc, codecs msgp reflect")
	fs.BoolVar(&c.smoke, "smoke", false, "tiny sizes and one repetition: checks that every bench works, in seconds")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "fail a run that takes longer than this")
	fs.StringVar(&c.out, "o", "", "also write the Markdown report to this file")
	fs.StringVar(&c.cpuprof, "cpuprofile", "", "write a CPU profile of the runs to this file (use with -only)")
	fs.StringVar(&c.memprof, "memprofile", "", "write an allocation profile of the runs to this file (use with -only)")
	fs.StringVar(&c.trace, "trace", "", "write an execution trace of the runs to this file (use with -only and a small -scale; read it with go tool trace)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run . [flags]\n\nRuns the workloads against every system and prints a Markdown report.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	repsSet := false
	fs.Visit(func(f *flag.Flag) { repsSet = repsSet || f.Name == "reps" })
	if c.smoke && !repsSet {
		c.reps = 1
	}
	if c.reps < 1 {
		return c, errors.New("-reps must be at least 1")
	}
	if !(c.scale > 0) {
		return c, errors.New("-scale must be positive")
	}
	if c.timeout <= 0 {
		return c, errors.New("-timeout must be positive")
	}
	c.command = strings.TrimSpace("go run . " + strings.Join(args, " "))
	return c, nil
}
