// Command traceidle reads an execution trace written by the benchmarks
// command (go run . -trace FILE) and reports, for each bench, how the
// process used its Ps (the Go scheduler's slots for running goroutines,
// one per CPU with GOMAXPROCS at its default) while that bench ran:
//
//	go run . -only W4,sockipc,reflect -reps 2 -scale 0.2 -trace w4.trace
//	go run ./traceidle w4.trace
//
// For each bench it prints the share of the bench's time during which all
// Ps were idle, some (not all) were idle, and some P was idle while a
// goroutine was runnable, waiting for a P; and how long goroutines waited
// between being made runnable and running (p50, p90, p99). A P is idle
// when no thread holds it: its thread has gone to sleep for want of work.
// Time a P spends idle while work waits is the time it takes to wake a
// sleeping thread and for it to find the work. Repetitions of one bench
// are added up.
//
// Each run of a bench is a trace task named after it (see runner.go); the
// window runs from the task's start to its end, the bench's setup and
// teardown included.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"golang.org/x/exp/trace"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./traceidle TRACE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	benches, err := analyze(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(benches) == 0 {
		fmt.Fprintln(os.Stderr, "no bench in the trace: was it written by the benchmarks command's -trace?")
		os.Exit(1)
	}
	fmt.Print(report(benches))
}

// benchIdle is what one bench's runs did with the Ps.
type benchIdle struct {
	name           string
	procs          int           // Ps seen in the trace
	total          time.Duration // the bench's time, over all its runs
	allIdle        time.Duration // no P held
	someIdle       time.Duration // some P idle, not all
	idleWhileReady time.Duration // some P idle while a goroutine was runnable
	waits          []time.Duration
}

// share returns d as a percentage of the bench's time.
func (b *benchIdle) share(d time.Duration) float64 {
	if b.total == 0 {
		return 0
	}
	return 100 * float64(d) / float64(b.total)
}

// wait returns the p-quantile of the runnable waits, 0 <= p <= 1.
func (b *benchIdle) wait(p float64) time.Duration {
	if len(b.waits) == 0 {
		return 0
	}
	return b.waits[int(p*float64(len(b.waits)-1))]
}

// analyze reads a trace and returns its benches, in the order they first
// ran.
func analyze(r io.Reader) ([]*benchIdle, error) {
	tr, err := trace.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read trace: %w", err)
	}
	var (
		order    []*benchIdle
		byName   = map[string]*benchIdle{}
		tasks    = map[trace.TaskID]*benchIdle{}
		cur      *benchIdle                // the bench running, if any
		held     = map[trace.ProcID]bool{} // every P seen: whether a thread holds it
		runnable = map[trace.GoID]trace.Time{}
		last     trace.Time
	)
	for {
		ev, err := tr.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read trace: %w", err)
		}
		now := ev.Time()
		if cur != nil && last != 0 {
			cur.account(time.Duration(now-last), held, len(runnable) > 0)
		}
		last = now
		switch ev.Kind() {
		case trace.EventTaskBegin:
			t := ev.Task()
			b := byName[t.Type]
			if b == nil {
				b = &benchIdle{name: t.Type}
				byName[t.Type] = b
				order = append(order, b)
			}
			tasks[t.ID] = b
			cur = b
		case trace.EventTaskEnd:
			if tasks[ev.Task().ID] == cur {
				cur = nil
			}
		case trace.EventStateTransition:
			st := ev.StateTransition()
			switch st.Resource.Kind {
			case trace.ResourceProc:
				_, to := st.Proc()
				held[st.Resource.Proc()] = to == trace.ProcRunning
			case trace.ResourceGoroutine:
				from, to := st.Goroutine()
				id := st.Resource.Goroutine()
				if from == trace.GoRunnable {
					if since, ok := runnable[id]; ok && cur != nil {
						cur.waits = append(cur.waits, time.Duration(now-since))
					}
					delete(runnable, id)
				}
				if to == trace.GoRunnable {
					runnable[id] = now
				}
			}
		}
	}
	for _, b := range order {
		b.procs = len(held)
		slices.Sort(b.waits)
	}
	return order, nil
}

// account adds d, spent in the state given, to b.
func (b *benchIdle) account(d time.Duration, held map[trace.ProcID]bool, ready bool) {
	b.total += d
	idle := 0
	for _, h := range held {
		if !h {
			idle++
		}
	}
	switch {
	case idle == 0:
		return
	case idle == len(held):
		b.allIdle += d
	default:
		b.someIdle += d
	}
	if ready {
		b.idleWhileReady += d
	}
}

// report formats the benches as a Markdown table.
func report(benches []*benchIdle) string {
	s := "| bench | time | all Ps idle | some P idle | a P idle while a goroutine waits | runnable wait p50 | p90 | p99 |\n"
	s += "|---|--:|--:|--:|--:|--:|--:|--:|\n"
	for _, b := range benches {
		s += fmt.Sprintf("| %s | %v | %.1f%% | %.1f%% | %.1f%% | %v | %v | %v |\n",
			b.name, b.total.Round(time.Millisecond), b.share(b.allIdle), b.share(b.someIdle), b.share(b.idleWhileReady),
			b.wait(0.5).Round(100*time.Nanosecond), b.wait(0.9).Round(100*time.Nanosecond), b.wait(0.99).Round(100*time.Nanosecond))
	}
	if len(benches) > 0 {
		s += fmt.Sprintf("\n%d Ps in the trace.\n", benches[0].procs)
	}
	return s
}
