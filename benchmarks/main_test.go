package main

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Every run must release what it started: servers, connections and their
// goroutines.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSmoke runs every bench once with tiny sizes, checking every message
// and reply, and checks the report has a row for each.
func TestSmoke(t *testing.T) {
	c, err := parseFlags([]string{"-smoke"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(c, &out); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, b := range allBenches() {
		row := "| " + b.work + " | " + b.name() + " | "
		want := 1
		if b.system == sysSockipcNATS {
			want = 2 // its row in the table, and one beside NATS used directly
		}
		if n := strings.Count(report, row); n != want {
			t.Errorf("report has %d rows starting %q, want %d:\n%s", n, row, want, report)
		}
	}
	if !strings.Contains(report, "\n- CPU check: ") {
		t.Errorf("report has no line on the CPU check:\n%s", report)
	}
	if !strings.Contains(report, "| rate × nats | p50 × nats | overhead |") {
		t.Errorf("report has no table of sockipc over NATS against NATS:\n%s", report)
	}
}

// TestSelect checks -only, and that the raw baselines come along, and NATS
// used directly with sockipc over NATS.
func TestSelect(t *testing.T) {
	names := func(bs []*bench) string {
		var s []string
		for _, b := range bs {
			s = append(s, b.work+" "+b.name())
		}
		return strings.Join(s, "; ")
	}
	for only, want := range map[string]string{
		"nats,w2":        "W2 raw; W2 nats",
		"W3, sockipc":    "W3 raw; W3 raw + msgp; W3 sockipc; W3 sockipc + msgp",
		"w1,msgp,raw":    "W1 raw + msgp",
		"grpc,w1,netrpc": "W1 raw; W1 grpc (client stream)",
		"sockipc-nats,W1,w3": "W1 raw; W1 nats; W1 sockipc-nats (client→server); W1 sockipc-nats (server→client); " +
			"W3 raw; W3 nats; W3 sockipc-nats",
	} {
		bs, err := selectBenches(allBenches(), only)
		if err != nil {
			t.Fatalf("-only %s: %v", only, err)
		}
		if got := names(bs); got != want {
			t.Errorf("-only %s: got %s, want %s", only, got, want)
		}
	}
	// sockipc over NATS has no msgp rows.
	for _, bad := range []string{"w5", "zeromq", "netrpc,w1", "sockipc-nats,msgp"} {
		if _, err := selectBenches(allBenches(), bad); err == nil {
			t.Errorf("-only %s: no error", bad)
		}
	}
}

// TestTimeout checks that a run that cannot finish fails with a timeout
// instead of hanging, and releases everything.
func TestTimeout(t *testing.T) {
	c := config{timeout: 200 * time.Millisecond, progress: io.Discard}
	b := &bench{work: w1, system: sysRaw, run: func(s *stopper, n int) (result, error) {
		// A receiver waiting for messages nobody sends.
		out, in, err := unixConns(1)
		if err != nil {
			return result{}, err
		}
		s.onStop(func() { out[0].Close(); in[0].Close() })
		_, err = s.run(func() error { return rawReceive(in[0], n, newReflectCodec()) })
		return result{}, err
	}}
	_, err := runOne(c, b, 10)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("got %v, want a time-out", err)
	}
	t.Log(err)
}

// TestWarmup checks that -warmup runs every bench once more, first, and
// that only the repetitions after it are measured.
func TestWarmup(t *testing.T) {
	c, err := parseFlags([]string{"-warmup", "-reps", "2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.warmup {
		t.Fatal("-warmup not set")
	}
	var runs []int // the size of each run, in order
	mk := func(work string) *bench {
		return &bench{work: work, system: sysRaw, run: func(_ *stopper, n int) (result, error) {
			runs = append(runs, n)
			// The first run of each bench, the warm-up, is the slowest.
			return result{count: n, elapsed: time.Duration(len(runs)) * time.Second}, nil
		}}
	}
	b1, b3 := mk(w1), mk(w3)
	ms, _, err := runAll(c, []*bench{b1, b3}, sizes{w1: 10, w3: 30})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{10, 30, 10, 30, 10, 30}; !slices.Equal(runs, want) {
		t.Errorf("runs of sizes %v, want %v", runs, want)
	}
	// Runs 3 and 5 of b1 (10 messages in 3 s and 5 s), not the warm-up.
	if got := []float64{ms[b1][0].rate, ms[b1][1].rate}; !slices.Equal(got, []float64{10.0 / 3, 10.0 / 5}) {
		t.Errorf("b1's rates %v, want those of its second and third runs", got)
	}
	if len(ms[b3]) != 2 {
		t.Errorf("b3 has %d measures, want 2", len(ms[b3]))
	}
}

// TestFormat checks the figures' formats.
func TestFormat(t *testing.T) {
	for got, want := range map[string]string{
		fmtRate(1_440_000):                     "1.44M",
		fmtRate(231_400):                       "231k",
		fmtRate(999_700):                       "1M",
		fmtRate(999_400):                       "999k",
		fmtRate(999.7):                         "1k",
		fmtDur(7100 * time.Nanosecond):         "7.1 µs",
		fmtDur(99_970 * time.Nanosecond):       "100 µs",
		fmtDur(1_250_000 * time.Nanosecond):    "1.25 ms",
		fmtCount(1_000_000):                    "1,000,000",
		fmtCount(200):                          "200",
		fmtRatio([]float64{0.5, 0.7, 0.6}):     "0.60×",
		fmtOverhead([]float64{1.25, 1.1, 1.3}): "+25%",
		fmtOverhead([]float64{0.95}):           "−5%",
		fmtOverhead([]float64{0.998}):          "+0%",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if p := percentile([]time.Duration{1, 2, 3, 4}, 0.5); p != 2 {
		t.Errorf("p50 of 1..4: got %v, want 2", p)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 1..4: got %v, want 2.5", m)
	}
}
