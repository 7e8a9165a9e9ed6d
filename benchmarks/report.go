package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// report writes the Markdown report: the run's circumstances, then one
// table row per bench with the medians of its repetitions.
func report(w io.Writer, c config, benches []*bench, ms measures, sz sizes, started time.Time, took time.Duration) {
	fmt.Fprintf(w, "# sockipc benchmarks\n\n")
	fmt.Fprintf(w, "- Date: %s\n", started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- Machine: %s\n", machine())
	fmt.Fprintf(w, "- Command: `%s` (in benchmarks/), %s\n", c.command, fmtTook(took))
	fmt.Fprintf(w, "- Sizes: %s\n", describeSizes(c, sz))
	fmt.Fprintf(w, "- Repetitions: %d, interleaved (every bench once, then every bench again); "+
		"each figure is the median over the repetitions, each ratio the median of the ratios within each repetition\n", c.reps)
	fmt.Fprintf(w, "- Versions: %s\n\n", versions())

	fmt.Fprintln(w, "| workload | system | rate | × raw | p50 | p99 | p50 × raw | × reflection |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|")
	for _, b := range benches {
		rates := collect(ms[b], func(m measure) float64 { return m.rate })
		p50s := collect(ms[b], func(m measure) float64 { return float64(m.p50) })
		p99s := collect(ms[b], func(m measure) float64 { return float64(m.p99) })
		row := []string{b.work, b.name(), fmtRate(median(rates)) + " " + b.unit(), "–", "–", "–", "–", "–"}
		if raw := find(benches, b.work, sysRaw, "", b.fast); raw != nil {
			row[3] = fmtRatio(ratios(ms[b], ms[raw], func(m measure) float64 { return m.rate }))
		}
		if median(p50s) > 0 {
			row[4] = fmtDur(time.Duration(median(p50s)))
			row[5] = fmtDur(time.Duration(median(p99s)))
			if raw := find(benches, b.work, sysRaw, "", b.fast); raw != nil {
				row[6] = fmtRatio(ratios(ms[b], ms[raw], func(m measure) float64 { return float64(m.p50) }))
			}
		}
		if refl := find(benches, b.work, b.system, b.variant, false); b.fast && refl != nil {
			row[7] = fmtRatio(ratios(ms[b], ms[refl], func(m measure) float64 { return m.rate }))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprint(w, legend)
}

const legend = `
How to read it:

- **rate**: messages delivered (W1), deliveries counted per receiver (W2: 4 receivers), or calls completed (W3, W4) per second, from the first send to the last delivery or reply.
- **× raw**: rate divided by the rate of the raw loop using the same codec (reflection rows: the raw loop with msgpack by reflection; msgp rows: the raw loop with the generated code), in the same repetition. Above 1 is faster than the raw loop.
- **p50, p99**: latency of one call (W3: one at a time; W4: 32 at a time, so it includes waiting behind the others). **p50 × raw**: p50 divided by the raw loop's, in the same repetition; below 1 is quicker.
- **× reflection**: for rows with generated code (msgp), rate divided by the same system's rate with msgpack by reflection, in the same repetition.
- **raw** is a hand-written loop over a unix socket (see benchmarks/README.md), the yardstick; **sockipc** goes through its typed API (topic.Publish, Subscribe, Call, Handle); **nats** is an embedded nats-server on TCP loopback with nats.go; **grpc** is gRPC over a unix socket with a msgpack codec; **netrpc** is net/rpc over a unix socket with gob. Both ends of every system run in this one process.
`

// describeSizes says how big each workload was.
func describeSizes(c config, sz sizes) string {
	s := fmt.Sprintf("W1 %s messages; W2 %s messages to each of %d receivers; W3 %s calls; W4 %s calls by %d callers",
		fmtCount(sz[w1]), fmtCount(sz[w2]), w2Receivers, fmtCount(sz[w3]), fmtCount(sz[w4]), callers)
	switch {
	case c.smoke:
		s += " (smoke run: tiny sizes, figures mean nothing)"
	case c.scale != 1:
		s += fmt.Sprintf(" (the full sizes scaled by %g)", c.scale)
	default:
		s += " (the full sizes)"
	}
	return s
}

// fmtCount formats n with thousands separators: 1,000,000.
func fmtCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fmtTook formats the run's wall time.
func fmtTook(d time.Duration) string {
	return "took " + d.Round(time.Second).String()
}

// find returns the bench of work, system and variant with generated code
// or not, or nil.
func find(benches []*bench, work, system, variant string, fast bool) *bench {
	for _, b := range benches {
		if b.work == work && b.system == system && b.variant == variant && b.fast == fast {
			return b
		}
	}
	return nil
}

// collect returns f of each measure.
func collect(ms []measure, f func(measure) float64) []float64 {
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = f(m)
	}
	return out
}

// ratios returns f(a)/f(b) for each repetition.
func ratios(a, b []measure, f func(measure) float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if d := f(b[i]); d > 0 {
			out = append(out, f(a[i])/d)
		}
	}
	return out
}

// fmtRatio formats the median of rs: 0.60×.
func fmtRatio(rs []float64) string {
	if len(rs) == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", median(rs))
}
