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
	sysRaw         = "raw"
	sysSockipc     = "sockipc"      // over unix sockets, its default transport
	sysNATS        = "nats"         // NATS used directly
	sysSockipcNATS = "sockipc-nats" // sockipc over NATS, with transport/nats
	sysGRPC        = "grpc"
	sysNetRPC      = "netrpc"
)

var systems = []string{sysRaw, sysSockipc, sysNATS, sysSockipcNATS, sysGRPC, sysNetRPC}

// baseline returns the system that the rows of system are compared with
// besides the raw loop, and that runs whenever they do: NATS used
// directly for sockipc over NATS; "" for the others.
func baseline(system string) string {
	if system == sysSockipcNATS {
		return sysNATS
	}
	return ""
}

// bench is one system on one workload.
type bench struct {
	work    string
	system  string
	variant string  // how the system does the workload, when it has several
	fast    bool    // messages are sample.FastSample, with generated code
	scale   float64 // of the sizes, for this system (see systemScale); 0 is 1
	run     func(s *stopper, n int) (result, error)
}

// systemScale shrinks the sizes of some systems' benches, on top of
// -scale, so that the full run stays near 5 minutes: sockipc over NATS
// runs a quarter of the sizes. Its ratios to NATS used directly came out
// the same as at the full sizes, within their noise from run to run.
var systemScale = map[string]float64{sysSockipcNATS: 0.25}

// size is the bench's number of messages or calls, when the workloads'
// sizes are sz.
func (b *bench) size(sz sizes) int {
	if b.scale == 0 {
		return sz[b.work]
	}
	return sizes{b.work: sz[b.work]}.scaled(b.scale)[b.work]
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
		bs = append(bs, &bench{work: work, system: system, variant: variant, fast: fast, scale: systemScale[system], run: run})
	}

	// sockipc's workloads, the same code over either transport: over unix
	// sockets with either codec, and over NATS with msgpack by reflection,
	// as the nats system uses.
	toServer := func(fast bool, via sockipcVia) func(*stopper, int) (result, error) {
		return func(s *stopper, n int) (result, error) {
			if fast {
				return sockipcToServer[sample.FastSample](s, n, via)
			}
			return sockipcToServer[sample.Sample](s, n, via)
		}
	}
	fromServer := func(fast bool, receivers int, via sockipcVia) func(*stopper, int) (result, error) {
		return func(s *stopper, n int) (result, error) {
			if fast {
				return sockipcFromServer[sample.FastSample](s, n, receivers, via)
			}
			return sockipcFromServer[sample.Sample](s, n, receivers, via)
		}
	}
	sockipcW1 := func(fast bool, system string, via sockipcVia) {
		add(w1, system, "client→server", fast, toServer(fast, via))
		add(w1, system, "server→client", fast, fromServer(fast, 1, via))
	}
	sockipcW2 := func(fast bool, system string, via sockipcVia) {
		add(w2, system, "", fast, fromServer(fast, w2Receivers, via))
	}
	sockipcCall := func(w string, fast bool, system string, via sockipcVia) {
		concurrent := w == w4
		add(w, system, "", fast, func(s *stopper, n int) (result, error) {
			if fast {
				return sockipcCalls[sample.FastSample](s, n, concurrent, via)
			}
			return sockipcCalls[sample.Sample](s, n, concurrent, via)
		})
	}

	add(w1, sysRaw, "", false, func(s *stopper, n int) (result, error) { return rawStream(s, n, 1, rawS) })
	add(w1, sysRaw, "", true, func(s *stopper, n int) (result, error) { return rawStream(s, n, 1, rawF) })
	sockipcW1(false, sysSockipc, overUnix)
	sockipcW1(true, sysSockipc, overUnix)
	add(w1, sysNATS, "", false, func(s *stopper, n int) (result, error) { return natsStream(s, n, 1) })
	sockipcW1(false, sysSockipcNATS, overNATS)
	add(w1, sysGRPC, "client stream", false, grpcStreamW1)

	add(w2, sysRaw, "", false, func(s *stopper, n int) (result, error) { return rawStream(s, n, w2Receivers, rawS) })
	add(w2, sysRaw, "", true, func(s *stopper, n int) (result, error) { return rawStream(s, n, w2Receivers, rawF) })
	sockipcW2(false, sysSockipc, overUnix)
	sockipcW2(true, sysSockipc, overUnix)
	add(w2, sysNATS, "", false, func(s *stopper, n int) (result, error) { return natsStream(s, n, w2Receivers) })
	sockipcW2(false, sysSockipcNATS, overNATS)

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
		sockipcCall(w, false, sysSockipc, overUnix)
		sockipcCall(w, true, sysSockipc, overUnix)
		add(w, sysNATS, "", false, calls(natsCalls, concurrent))
		sockipcCall(w, false, sysSockipcNATS, overNATS)
		add(w, sysGRPC, "", false, calls(grpcCalls, concurrent))
		add(w, sysNetRPC, "", false, calls(netrpcCalls, concurrent))
	}
	return bs
}

// selectBenches returns the benches that -only selects: terms are
// workloads (W1..W4), systems (raw, sockipc, nats, sockipc-nats, grpc,
// netrpc) and codecs (msgp for the generated code, reflect for the rest),
// separated by commas. A bench is selected when it matches one of the
// given workloads, if any, and one of the given systems, if any, and one
// of the given codecs, if any. The raw baseline of every selected bench is
// selected too, and so is the nats bench of the same workload for a
// sockipc-nats bench: the ratios need them.
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
	// needed says whether bench o is compared with bench b.
	needed := func(o, b *bench) bool {
		return o.work == b.work && (b.system == sysRaw && o.fast == b.fast || b.system == baseline(o.system))
	}
	var out []*bench
	for _, b := range all {
		if picked(b) || slices.ContainsFunc(all, func(o *bench) bool { return picked(o) && needed(o, b) }) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-only %q selects nothing", only)
	}
	return out, nil
}
