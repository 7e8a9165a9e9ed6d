package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"text/tabwriter"
	"time"
)

var benchHelp = help{
	usage: "sockipc bench [flags]",
	about: `
Bench measures the library on this machine. It starts its own server on a
socket in a temporary directory, connects clients to it in the same process,
and runs four workloads, each moving about -n messages:

  publish     one client publishes to a handler on the server
  broadcast   the server publishes to 4 subscribed clients (-n/4 messages,
              -n deliveries)
  rpc         one client calls the server, one call at a time (-n/10 calls)
  rpc-32      32 goroutines of one client call the server at once (-n/2 calls)

Each workload checks that every message arrived, once and in order, and
fails otherwise. It reports messages per second, the 50th and 99th
percentile of latency, and the allocations per message, counted by
runtime.MemStats over the whole process, both ends together. The senders go
as fast as they can: the latency of a message, from its send to its handler,
includes the time it waits in the queues; that of a call is its round trip.
With the default -n, bench takes about 10 s on a 2-core machine.

With --socket, the message workloads run against the server on that socket
instead, which must relay client publishes (as "sockipc serve" does): in
publish one client publishes to another, in broadcast one client publishes
to 4 others, through the server. The allocations then count the clients
only. The rpc workloads need bench's own server, and are skipped.

Progress goes to stderr; the results to stdout, as a table or as JSON.`,
	examples: `
sockipc bench
sockipc bench -n 20000 --json | jq '.workloads[] | {workload, msgs_per_sec}'
sockipc serve /tmp/hub.sock & sockipc bench --socket /tmp/hub.sock`,
}

// defaultBenchN is the default of -n: the workloads take a few seconds
// each on a 2-core machine.
const defaultBenchN = 500_000

func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags("bench")
	n := fs.Int("n", defaultBenchN, "messages per workload (at least 320)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	socket := fs.String("socket", "", "run the message workloads against the relay server on this socket")
	rest, err := parse(e, fs, benchHelp, args, 0)
	if err != nil {
		return err
	}
	if err := checkArgs("bench", rest, 0, 0, "no arguments"); err != nil {
		return err
	}
	if *n < 320 {
		return usageErrorf("bench", "-n %d is below 320", *n)
	}
	if *socket != "" {
		if err := checkSocket("bench", *socket); err != nil {
			return err
		}
	}

	b := &bencher{n: int64(*n), socket: *socket, progress: newProgress(e.stderr)}
	if b.socket == "" {
		dir, err := os.MkdirTemp("", "sk")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		b.own = filepath.Join(dir, "bench.sock")
	}
	report := benchReport{
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(),
		Socket: b.socket, N: b.n,
	}
	start := time.Now()
	for _, w := range workloads {
		r, err := b.run(ctx, w)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		report.Workloads = append(report.Workloads, r)
	}
	report.Seconds = time.Since(start).Seconds()
	if *asJSON {
		out := json.NewEncoder(e.stdout)
		out.SetIndent("", "  ")
		return out.Encode(report)
	}
	return printTable(e.stdout, report)
}

// benchReport is the output of bench.
type benchReport struct {
	Go        string        `json:"go"`
	OS        string        `json:"os"`
	Arch      string        `json:"arch"`
	CPUs      int           `json:"cpus"`
	Socket    string        `json:"socket,omitempty"` // --socket, if given
	N         int64         `json:"n"`
	Seconds   float64       `json:"seconds"` // the whole run
	Workloads []benchResult `json:"workloads"`
}

// benchResult is the outcome of one workload.
type benchResult struct {
	Workload     string  `json:"workload"`
	Messages     int64   `json:"messages"`
	Seconds      float64 `json:"seconds"`
	MsgsPerSec   float64 `json:"msgs_per_sec"`
	P50ns        int64   `json:"p50_ns"`
	P99ns        int64   `json:"p99_ns"`
	AllocsPerMsg float64 `json:"allocs_per_msg"`
	Skipped      string  `json:"skipped,omitempty"` // why it did not run
}

func printTable(w io.Writer, r benchReport) error {
	where := "bench's own server"
	if r.Socket != "" {
		where = r.Socket
	}
	fmt.Fprintf(w, "%s %s/%s, %d CPUs, against %s\n\n", r.Go, r.OS, r.Arch, r.CPUs, where)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\tmessages\tmsgs/s\tp50\tp99\tallocs/msg")
	for _, x := range r.Workloads {
		if x.Skipped != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-  (skipped: %s)\n", x.Workload, x.Skipped)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%v\t%v\t%.1f\n", x.Workload, x.Messages, x.MsgsPerSec,
			roundLatency(x.P50ns), roundLatency(x.P99ns), x.AllocsPerMsg)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\ntotal %.1fs\n", r.Seconds)
	return err
}

func roundLatency(ns int64) time.Duration {
	return time.Duration(ns).Round(100 * time.Nanosecond)
}
