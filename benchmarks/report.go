package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report writes the Markdown report: the run's circumstances, then one
// table row per bench with the medians of its repetitions.
func report(w io.Writer, c config, benches []*bench, ms measures, checks *cpuChecks, sz sizes, vers string, started time.Time, took time.Duration) {
	fmt.Fprintf(w, "# sockipc benchmarks\n\n")
	fmt.Fprintf(w, "- Date: %s\n", started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- Machine: %s\n", machine())
	fmt.Fprintf(w, "- Command: `%s` (in benchmarks/), %s\n", c.command, fmtTook(took))
	fmt.Fprintf(w, "- Sizes: %s\n", describeSizes(c, benches, sz))
	fmt.Fprintf(w, "- Repetitions: %d, interleaved (every bench once, then every bench again); "+
		"each figure is the median over the repetitions, each ratio the median of the ratios within each repetition\n", c.reps)
	fmt.Fprintf(w, "- Versions: %s\n", vers)
	fmt.Fprintf(w, "- CPU check: %s\n\n", checks.describe())

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
	reportOverNATS(w, benches, ms)
	fmt.Fprint(w, legend)
}

// reportOverNATS writes what sockipc's protocol costs on top of NATS: a
// row for each sockipc-nats bench whose nats bench ran too, with the ratios
// of their rates and call latencies within each repetition, and the
// overhead they amount to. The overhead is the extra time per message on
// W1 and W2 and per call on W4, from the rates, and the extra median
// latency of a call on W3, from the p50s.
func reportOverNATS(w io.Writer, benches []*bench, ms measures) {
	var rows []string
	for _, b := range benches {
		if b.system != sysSockipcNATS {
			continue
		}
		direct := find(benches, b.work, baseline(b.system), "", b.fast)
		if direct == nil {
			continue
		}
		rate := func(m measure) float64 { return m.rate }
		p50 := func(m measure) float64 { return float64(m.p50) }
		row := []string{b.work, b.name(), fmtRatio(ratios(ms[b], ms[direct], rate)), "–", "–"}
		if b.work == w3 || b.work == w4 {
			row[3] = fmtRatio(ratios(ms[b], ms[direct], p50))
		}
		switch b.work {
		case w1, w2:
			row[4] = fmtOverhead(ratios(ms[direct], ms[b], rate)) + " time per message"
		case w3:
			row[4] = fmtOverhead(ratios(ms[b], ms[direct], p50)) + " p50 per call"
		case w4:
			row[4] = fmtOverhead(ratios(ms[direct], ms[b], rate)) + " time per call"
		}
		rows = append(rows, "| "+strings.Join(row, " | ")+" |\n")
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "\nsockipc over NATS against NATS used directly, each on an embedded nats-server started the same way: what sockipc's protocol costs on top of NATS.")
	fmt.Fprintln(w, "\n| workload | system | rate × nats | p50 × nats | overhead |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|")
	for _, r := range rows {
		fmt.Fprint(w, r)
	}
}

const legend = `
How to read it:

- **rate**: messages delivered (W1), deliveries counted per receiver (W2: 4 receivers), or calls completed (W3, W4) per second, from the first send to the last delivery or reply.
- **× raw**: rate divided by the rate of the raw loop using the same codec (reflection rows: the raw loop with msgpack by reflection; msgp rows: the raw loop with the generated code), in the same repetition. Above 1 is faster than the raw loop.
- **p50, p99**: latency of one call (W3: one at a time; W4: 32 at a time, so it includes waiting behind the others). **p50 × raw**: p50 divided by the raw loop's, in the same repetition; below 1 is quicker.
- **× reflection**: for rows with generated code (msgp), rate divided by the same system's rate with msgpack by reflection, in the same repetition.
- **rate × nats**, **p50 × nats** (sockipc over NATS): rate, and p50, divided by those of NATS used directly on the same workload, in the same repetition. **overhead**: the extra time sockipc over NATS takes, from the same ratios: per message (W1, W2) or per call (W4), from the rates; the call's median latency (W3), from the p50s. +20% is a fifth more time than NATS used directly.
- **raw** is a hand-written loop over a unix socket (see benchmarks/README.md), the yardstick; **sockipc** goes through its typed API (topic.Publish, Subscribe, Call, Handle); **nats** is an embedded nats-server on TCP loopback with nats.go; **sockipc-nats** is sockipc's same workloads over that same kind of embedded nats-server, with transport/nats and a NATS connection of its own for the server and for each client; **grpc** is gRPC over a unix socket with a msgpack codec; **netrpc** is net/rpc over a unix socket with gob. Both ends of every system run in this one process.
`

// describeSizes says how big each workload was, and which systems ran
// smaller sizes.
func describeSizes(c config, benches []*bench, sz sizes) string {
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
	var done []string
	for _, b := range benches {
		if b.scale == 0 || b.scale == 1 || slices.Contains(done, b.system) {
			continue
		}
		done = append(done, b.system)
		var parts []string
		for _, o := range benches {
			part := o.work + " " + fmtCount(o.size(sz))
			if o.system == b.system && !slices.Contains(parts, part) {
				parts = append(parts, part)
			}
		}
		s += fmt.Sprintf("; %s runs %g× these sizes, to keep the full run near 5 minutes: %s",
			b.system, b.scale, strings.Join(parts, ", "))
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

// fmtOverhead formats the median of rs, ratios of times, as the extra
// time they mean: +25%, or −5% when it was less.
func fmtOverhead(rs []float64) string {
	if len(rs) == 0 {
		return "–"
	}
	pct := math.Round((median(rs) - 1) * 100)
	if pct < 0 {
		return fmt.Sprintf("−%.0f%%", -pct)
	}
	return fmt.Sprintf("+%.0f%%", math.Abs(pct)) // no -0
}

// fmtRatio formats the median of rs: 0.60×.
func fmtRatio(rs []float64) string {
	if len(rs) == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", median(rs))
}
