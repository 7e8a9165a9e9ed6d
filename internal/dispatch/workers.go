package dispatch

// Go runs f on one of the registry's worker goroutines. Calls are handled
// this way rather than each on a new goroutine: a worker's stack has
// already grown to what handlers need, so a call does not pay for growing
// a fresh one. A few workers wait for work when idle; the others end.
// Close stops the idle ones.
func (r *Registry) Go(f func()) {
	select {
	case r.tasks <- f:
	default:
		go r.worker(f)
	}
}

// maxIdleWorkers is how many workers wait for work when there is none: as
// many as the calls one connection runs at once by default, so that a
// steady load of concurrent calls does not start goroutines, whose fresh
// stacks the first decoding grows by copying, again and again.
const maxIdleWorkers = 64

func (r *Registry) worker(f func()) {
	for {
		f()
		if r.idle.Add(1) > maxIdleWorkers {
			r.idle.Add(-1)
			return
		}
		select {
		case f = <-r.tasks:
			r.idle.Add(-1)
		case <-r.ctx.Done():
			r.idle.Add(-1)
			return
		}
	}
}
