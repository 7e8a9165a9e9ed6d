package dispatch

import "sync"

// maxIdleWorkers is how many workers wait for work when there is none: as
// many as the calls one connection runs at once by default, so that a
// steady load of concurrent calls does not start goroutines, whose fresh
// stacks the first decoding grows by copying, again and again.
const maxIdleWorkers = 64

// workers is a registry's pool of goroutines for calls. Each idle worker
// waits on a channel of its own, so handing it a task wakes exactly that
// goroutine and touches no channel the others wait on. The last worker to
// go idle is the first to get work: its stack and caches are the warmest.
type workers struct {
	mu     sync.Mutex
	idle   []chan Task // of the idle workers, each with capacity 1
	closed bool
}

// Task is work for a worker goroutine.
type Task interface{ Run() }

// Go runs t on one of the registry's worker goroutines. Calls are handled
// this way rather than each on a new goroutine: a worker's stack has
// already grown to what handlers need, so a call does not pay for growing
// a fresh one. A few workers wait for work when idle; the others end.
// Close stops the idle ones.
func (r *Registry) Go(t Task) {
	p := &r.workers
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		task := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		task <- t // never blocks: the worker waits, and the capacity is 1
		return
	}
	p.mu.Unlock()
	go p.work(t)
}

// work runs t, then the tasks Go hands it while it is idle, until the
// pool is closed or already has enough idle workers.
func (p *workers) work(t Task) {
	var task chan Task
	for t != nil {
		t.Run()
		p.mu.Lock()
		if p.closed || len(p.idle) >= maxIdleWorkers {
			p.mu.Unlock()
			return
		}
		if task == nil {
			task = make(chan Task, 1)
		}
		p.idle = append(p.idle, task)
		p.mu.Unlock()
		t = <-task // nil: the pool is closed
	}
}

// close ends the idle workers; busy ones end when their task returns.
func (p *workers) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, task := range idle {
		task <- nil
	}
}
