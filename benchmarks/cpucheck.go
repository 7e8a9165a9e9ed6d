package main

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/sockipc/sockipc/benchmarks/sample"
	"github.com/vmihailenco/msgpack/v5"
)

// The CPU check. On a virtual machine a CPU can run at half its speed for
// minutes, while the host gives its core to other work, and recover; one
// bench is then slowed and the next is not, and the ratios of the run say
// more about the machine than about the code. So before each repetition,
// and after the last, the command times the same piece of work on each
// CPU in turn, and the report shows the times: steady times mean the
// machine stayed as it was.

// The check decodes checkDecodes Samples checkRounds times on each CPU,
// about 8 ms of work per CPU on the machines these benchmarks were
// written on, and keeps the fastest round: a CPU slowed by its host is
// slow in every round, while a garbage collection or an interrupt slows
// one.
const (
	checkDecodes = 4_000
	checkRounds  = 5
)

// cpuCheck is one check: for each CPU the process may use, in order, the
// time to decode one Sample by reflection. It is nil where threads cannot
// be pinned to a CPU.
type cpuCheck []cpuTime

// cpuTime is one CPU's time in a check.
type cpuTime struct {
	cpu int     // as the OS numbers it
	ns  float64 // per decode
}

// checkCPUs runs the check. It pins a thread of its own to each CPU in
// turn; the thread is not given back to the scheduler but ends with the
// check, so that no goroutine runs pinned after it.
func checkCPUs() (cpuCheck, error) {
	type outcome struct {
		check cpuCheck
		err   error
	}
	runtime.GC() // no collection to run beside the check
	done := make(chan outcome, 1)
	go func() {
		c, err := checkOnLockedThread()
		done <- outcome{c, err}
	}()
	o := <-done
	return o.check, o.err
}

// checkOnLockedThread runs the check on the calling goroutine, whose
// thread it locks and leaves locked (see checkCPUs).
func checkOnLockedThread() (cpuCheck, error) {
	lockThreadForGood()
	cpus, err := allowedCPUs()
	if err != nil || cpus == nil {
		return nil, err
	}
	data, err := msgpack.Marshal(sample.Make[sample.Sample](42, make([]float64, sample.NumVals)))
	if err != nil {
		return nil, err
	}
	rd := bytes.NewReader(data)
	dec := msgpack.NewDecoder(rd)
	var m sample.Sample
	check := make(cpuCheck, len(cpus))
	for i, cpu := range cpus {
		if err := pinThread(cpu); err != nil {
			return nil, fmt.Errorf("cpu check: %w", err)
		}
		check[i] = cpuTime{cpu: cpu, ns: math.Inf(1)}
		for range checkRounds {
			start := time.Now()
			for range checkDecodes {
				rd.Reset(data)
				dec.Reset(rd)
				if err := dec.Decode(&m); err != nil {
					return nil, fmt.Errorf("cpu check: %w", err)
				}
			}
			check[i].ns = min(check[i].ns, float64(time.Since(start).Nanoseconds())/checkDecodes)
		}
	}
	return check, nil
}

// steadyWithin is how far apart the slowest and the fastest time of a
// run's checks may be for the machine to count as steady: back-to-back
// checks on a steady machine were up to 1.13× apart, and a CPU its host
// slowed took twice its usual time.
const steadyWithin = 1.3

// cpuChecks are the checks of one run, in order; err is why they stopped,
// if they did.
type cpuChecks struct {
	times []cpuCheck
	err   error
}

// add runs one more check, unless one failed before: a machine that does
// not let threads be pinned, say, runs the benches without the checks.
func (cs *cpuChecks) add() {
	if cs.err != nil {
		return
	}
	if len(cs.times) == 0 {
		// A first check in a process runs cold, up to half again slower
		// than the next: this one warms up.
		if _, err := checkCPUs(); err != nil {
			cs.err = err
			return
		}
	}
	c, err := checkCPUs()
	if err != nil {
		cs.err = err
		return
	}
	if c != nil {
		cs.times = append(cs.times, c)
	}
}

// describe is the report's line on the checks: each CPU's times, and how
// far apart the slowest and the fastest are.
func (cs *cpuChecks) describe() string {
	checks := cs.times
	switch {
	case cs.err != nil:
		return fmt.Sprintf("not made (%v)", cs.err)
	case len(checks) == 0:
		return "not made (threads cannot be pinned to a CPU here)"
	}
	lo, hi := math.Inf(1), 0.0
	var cpus []string
	for i, first := range checks[0] {
		var times []string
		for _, c := range checks {
			times = append(times, fmt.Sprintf("%.0f", c[i].ns))
			lo, hi = min(lo, c[i].ns), max(hi, c[i].ns)
		}
		cpus = append(cpus, fmt.Sprintf("CPU %d: %s", first.cpu, strings.Join(times, ", ")))
	}
	verdict := "steady"
	if hi > steadyWithin*lo {
		verdict = "not steady: the machine's speed changed during the run, so its ratios may say more about the machine than about the code"
	}
	return fmt.Sprintf("ns to decode one Sample by reflection, on each CPU in turn, before each repetition and after the last: %s; the slowest %.2f× the fastest (%s)",
		strings.Join(cpus, "; "), hi/lo, verdict)
}
