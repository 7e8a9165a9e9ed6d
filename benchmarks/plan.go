package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// The workloads of issue 6.
const (
	w1 = "W1" // one publisher, one receiver
	w2 = "W2" // one publisher, 4 receivers
	w3 = "W3" // sequential calls
	w4 = "W4" // 32 concurrent callers
)

var workloads = []string{w1, w2, w3, w4}

// w2Receivers is the number of receivers of W2.
const w2Receivers = 4

// The systems compared.
const (
	sysRaw     = "raw"
	sysSockipc = "sockipc"
	sysNATS    = "nats"
	sysGRPC    = "grpc"
	sysNetRPC  = "netrpc"
)

var systems = []string{sysRaw, sysSockipc, sysNATS, sysGRPC, sysNetRPC}

// bench is one system on one workload.
type bench struct {
	work    string
	system  string
	variant string // how the system does the workload, when it has several
	fast    bool   // messages are sample.FastSample, with generated code
	run     func(s *stopper, n int) (result, error)
}

// name is the bench's row label.
func (b *bench) name() string {
	n := b.system
	if b.fast {
		n += " + msgp"
	}
	if b.variant != "" {
		n += " (" + b.variant + ")"
	}
	return n
}

// unit is what the bench counts.
func (b *bench) unit() string {
	switch b.work {
	case w1:
		return "msgs/s"
	case w2:
		return "deliveries/s"
	}
	return "calls/s"
}

// allBenches lists every bench, in the order they run within a
// repetition and appear in the report.
func allBenches() []*bench {
	rawS, rawF := newReflectCodec, newMsgpCodec
	calls := func(f func(*stopper, int, bool) (result, error), concurrent bool) func(*stopper, int) (result, error) {
		return func(s *stopper, n int) (result, error) { return f(s, n, concurrent) }
	}
	var bs []*bench
	add := func(work, system, variant string, fast bool, run func(*stopper, int) (result, error)) {
		bs = append(bs, &bench{work: work, system: system, variant: variant, fast: fast, run: run})
	}

	add(w1, sysRaw, "", false, func(s *stopper, n int) (result, error) { return rawStream(s, n, 1, rawS) })
	add(w1, sysRaw, "", true, func(s *stopper, n int) (result, error) { return rawStream(s, n, 1, rawF) })
	add(w1, sysSockipc, "client→server", false, sockipcToServer[sample.Sample])
	add(w1, sysSockipc, "server→client", false, func(s *stopper, n int) (result, error) {
		return sockipcFromServer[sample.Sample](s, n, 1)
	})
	add(w1, sysSockipc, "client→server", true, sockipcToServer[sample.FastSample])
	add(w1, sysSockipc, "server→client", true, func(s *stopper, n int) (result, error) {
		return sockipcFromServer[sample.FastSample](s, n, 1)
	})
	add(w1, sysNATS, "", false, func(s *stopper, n int) (result, error) { return natsStream(s, n, 1) })
	add(w1, sysGRPC, "client stream", false, grpcStreamW1)

	add(w2, sysRaw, "", false, func(s *stopper, n int) (result, error) { return rawStream(s, n, w2Receivers, rawS) })
	add(w2, sysRaw, "", true, func(s *stopper, n int) (result, error) { return rawStream(s, n, w2Receivers, rawF) })
	add(w2, sysSockipc, "", false, func(s *stopper, n int) (result, error) {
		return sockipcFromServer[sample.Sample](s, n, w2Receivers)
	})
	add(w2, sysSockipc, "", true, func(s *stopper, n int) (result, error) {
		return sockipcFromServer[sample.FastSample](s, n, w2Receivers)
	})
	add(w2, sysNATS, "", false, func(s *stopper, n int) (result, error) { return natsStream(s, n, w2Receivers) })

	for _, w := range []string{w3, w4} {
		concurrent := w == w4
		add(w, sysRaw, "", false, func(s *stopper, n int) (result, error) {
			if concurrent {
				return rawConcurrent(s, n, rawS)
			}
			return rawSequential(s, n, rawS)
		})
		add(w, sysRaw, "", true, func(s *stopper, n int) (result, error) {
			if concurrent {
				return rawConcurrent(s, n, rawF)
			}
			return rawSequential(s, n, rawF)
		})
		add(w, sysSockipc, "", false, calls(sockipcCalls[sample.Sample], concurrent))
		add(w, sysSockipc, "", true, calls(sockipcCalls[sample.FastSample], concurrent))
		add(w, sysNATS, "", false, calls(natsCalls, concurrent))
		add(w, sysGRPC, "", false, calls(grpcCalls, concurrent))
		add(w, sysNetRPC, "", false, calls(netrpcCalls, concurrent))
	}
	return bs
}

// selectBenches returns the benches that -only selects: terms are
// workloads (W1..W4), systems (raw, sockipc, nats, grpc, netrpc) and
// codecs (msgp for the generated code, reflect for the rest), separated
// by commas. A bench is selected when it matches one of the given
// workloads, if any, and one of the given systems, if any, and one of the
// given codecs, if any. The raw baseline of every selected bench is
// selected too: the ratios need it.
func selectBenches(all []*bench, only string) ([]*bench, error) {
	var ws, ss, cs []string
	for t := range strings.SplitSeq(only, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		switch {
		case t == "":
		case slices.Contains(workloads, strings.ToUpper(t)):
			ws = append(ws, strings.ToUpper(t))
		case slices.Contains(systems, t):
			ss = append(ss, t)
		case t == "msgp" || t == "reflect":
			cs = append(cs, t)
		default:
			return nil, fmt.Errorf("-only: unknown term %q (want workloads %s, systems %s, or codecs msgp, reflect)",
				t, strings.Join(workloads, " "), strings.Join(systems, " "))
		}
	}
	matches := func(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }
	codec := func(b *bench) string {
		if b.fast {
			return "msgp"
		}
		return "reflect"
	}
	picked := func(b *bench) bool { return matches(ws, b.work) && matches(ss, b.system) && matches(cs, codec(b)) }
	var out []*bench
	for _, b := range all {
		if picked(b) || b.system == sysRaw && slices.ContainsFunc(all, func(o *bench) bool {
			return picked(o) && o.work == b.work && o.fast == b.fast
		}) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q selects nothing", only)
	}
	return out, nil
}
