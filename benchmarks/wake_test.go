package main

import (
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkWakeOnIdleCPU measures how long a goroutine made runnable by a
// busy goroutine waits before another, idle CPU runs it: the cost that
// W3 and W4 pay whenever one end of a connection wakes the other while
// the other's CPU sits idle. It reports the median and the 90th
// percentile, in µs, for a goroutine left in the waker's "next to run"
// slot (the usual case: a channel send readies the receiver there), and
// for one in its run queue, after the idle CPU has been idle for 0.2 ms.
//
//	go test -run '^$' -bench WakeOnIdleCPU .
//
// On the 2-CPU virtual machine of docs/PERFORMANCE.md the first takes
// 200 µs or more: another CPU takes a goroutine from that slot only after
// a sleep of its own, and waking an idle virtual CPU is slow.
func BenchmarkWakeOnIdleCPU(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	for _, c := range []struct {
		name     string
		runQueue bool
	}{{"next", false}, {"runqueue", true}} {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			wake, push := make(chan int64), make(chan struct{})
			var ran atomic.Int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				for t0 := range wake {
					ran.Store(time.Now().UnixNano() - t0)
				}
			}()
			go func() {
				for range push {
				}
			}()
			for b.Loop() {
				for end := time.Now().Add(200 * time.Microsecond); time.Now().Before(end); {
					// Busy, so that the other CPU goes idle.
				}
				ran.Store(0)
				wake <- time.Now().UnixNano()
				if c.runQueue {
					push <- struct{}{} // takes the next slot; the first moves to the run queue
				}
				for ran.Load() == 0 {
					// Stay busy: only the other CPU can run it.
				}
				lat = append(lat, time.Duration(ran.Load()))
			}
			close(wake)
			close(push)
			<-done
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*9/10])/1e3, "p90-µs")
		})
	}
}
