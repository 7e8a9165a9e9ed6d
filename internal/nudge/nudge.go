// Package nudge moves a goroutine that was just woken to where another
// CPU can take it at once.
//
// When a goroutine wakes another through a channel and keeps running, the
// Go scheduler puts the woken goroutine in its processor's next-to-run
// slot. Its own processor runs it only once the waker blocks; an idle
// processor takes it from there only after sleeping first (about 200 µs
// on a 2-CPU virtual machine, against 15 µs from the run queue:
// BenchmarkWakeOnIdleCPU in the benchmarks module). A connection's writer,
// woken by the first of a burst of messages, waits that long while a CPU
// idles, or until whoever woke it blocks.
//
// [Nudge], called right after such a wake, wakes a goroutine of this
// package that does nothing: it takes the next-to-run slot, and the
// goroutine woken before it moves to the run queue, where an idle CPU
// takes it at once and its own CPU runs it after what was already queued.
// The nudging goroutine runs while some user has [Acquire]d it.
package nudge

import "sync"

// kicks wakes the nudging goroutine. Unbuffered: a send succeeds only
// when the goroutine waits, and then readies it.
var kicks = make(chan struct{})

var (
	mu    sync.Mutex
	users int
	stop  chan struct{}
	done  chan struct{}
)

// Nudge wakes the nudging goroutine if it waits, right after the caller
// has woken another goroutine and goes on running. It never blocks.
func Nudge() {
	select {
	case kicks <- struct{}{}:
	default:
	}
}

// Acquire starts the nudging goroutine if no one else uses it. Every
// Acquire must be followed by one Release.
func Acquire() {
	mu.Lock()
	defer mu.Unlock()
	users++
	if users == 1 {
		stop, done = make(chan struct{}), make(chan struct{})
		go run(stop, done)
	}
}

// Release stops the nudging goroutine, and waits for it to end, when its
// last user releases it.
func Release() {
	mu.Lock()
	defer mu.Unlock()
	if users == 0 {
		panic("nudge: Release without Acquire")
	}
	if users--; users == 0 {
		close(stop)
		<-done
	}
}

func run(stop, done chan struct{}) {
	defer close(done)
	for {
		select {
		case <-kicks:
		case <-stop:
			return
		}
	}
}
