package session

import (
	"context"
	"errors"

	"github.com/sockipc/sockipc/transport"
)

// Releasing the reader role. The goroutine that holds the role waits for
// the peer in ReadMessage between messages; something must, or nothing the
// peer sends is read. But handing the role to another goroutine wakes that
// goroutine, and on a call's path such a wake costs more than the rest of
// the call's own work: the woken goroutine keeps a second thread busy, so
// each message the other side writes then wakes a sleeping thread too.
// So in two cases the role is released instead, held by no goroutine for
// a moment:
//
//   - The reader that runs a call's handler itself (serve) releases the
//     role while the handler runs, and takes it back after, unless another
//     goroutine has taken it meanwhile.
//   - A client that listens for nothing (no subscription, no procedure)
//     releases the role when the last of its calls is answered. The next
//     call takes it, and its caller reads its own answer (readFor).
//
// Whoever needs reading takes a free role (take). The watchdog (see
// watchdog.go) takes a role that stayed free for a whole tick and starts a
// reader, so what the peer sends unasked (a ping, a GoAway, the end of the
// connection, a call while a handler blocks) waits two ticks at most.

// release makes the reader role free. The caller holds the role.
func (s *Session) release() {
	s.deliverArrived() // nobody would, until the role is taken
	s.releases++
	s.free.Store(s.releases)
	watch(s)
}

// take takes the reader role if it is free, and reports whether it did.
func (s *Session) take() bool {
	id := s.free.Load()
	return id != 0 && s.free.CompareAndSwap(id, 0)
}

// handOn gives the reader role, which the caller holds, to a goroutine of
// its own.
func (s *Session) handOn() { s.cfg.Local.Go((*reader)(s)) }

// quiet reports whether the peer sends nothing unasked but control
// frames: the session is a client that listens for nothing (no
// subscription, no procedure), so reading never waits for a handler or a
// subscription's queue.
func (s *Session) quiet() bool {
	return s.cfg.Control == nil && !s.cfg.Local.Listens()
}

// mayRelease reports whether the reader may release the role once an
// answer has been dispatched: the session is quiet, no call waits for an
// answer, nothing more has been received, and a caller can read its own
// answer, even one whose context may end (the read can be interrupted).
func (s *Session) mayRelease() bool {
	return s.interrupter != nil && s.buffered != nil && s.quiet() &&
		!s.buffered.Buffered() && s.calls.len() == 0
}

// readFor is a caller that found the role free and took it: it reads until
// the answer to its call is on done, or until ctx ends, and then releases
// the role or hands it on. It reads only where nothing it reads can make
// it wait beyond ctx: on a quiet session whose reads can be interrupted
// (or whose caller has no end); elsewhere it hands the role on at once.
// The calls it finds are served off this goroutine, which has a caller to
// return to.
func (s *Session) readFor(ctx context.Context, done chan result) {
	end := ctx.Done()
	if !s.quiet() || end != nil && s.interrupter == nil {
		s.handOn()
		return
	}
	s.callerReads = true
	var err error
	if end != nil {
		s.watchEnd(ctx)
		s.interruptible(end)
		if ctx.Err() != nil {
			err = transport.ErrReadInterrupted // it ended before it could cut a read short
		}
	}
	for len(done) == 0 && err == nil {
		_, err = s.readOne()
	}
	if end != nil {
		s.interruptible(nil)
	}
	s.callerReads = false
	switch {
	case err == nil: // the answer is in
		if s.mayRelease() {
			s.release()
		} else {
			s.handOn()
		}
	case errors.Is(err, transport.ErrReadInterrupted): // ctx ended
		s.handOn()
	default:
		s.endReading(err)
	}
}

// watchEnd makes the end of ctx cut short the read of a caller whose
// context ends with it. Callers often share a context, so the watch set up
// for one serves the next ones (context.AfterFunc allocates, and takes the
// context's lock twice): it is replaced only for a context that ends at
// another time, known by its Done channel. The caller holds the role.
func (s *Session) watchEnd(ctx context.Context) {
	end := ctx.Done()
	if end == s.watching {
		return
	}
	s.stopWatchingEnd()
	s.watching = end
	s.stopWatching = context.AfterFunc(ctx, func() { s.interruptRead(end) })
}

// stopWatchingEnd undoes watchEnd, so that the context no longer refers
// to the session. The caller holds the role, for the last time when the
// session ends.
func (s *Session) stopWatchingEnd() {
	if s.stopWatching != nil {
		s.stopWatching()
		s.watching, s.stopWatching = nil, nil
	}
}

// interruptible says which context's end may cut the current read short
// (nil: none). When a read it cut short ends, the read is resumed.
func (s *Session) interruptible(end <-chan struct{}) {
	s.interruptMu.Lock()
	defer s.interruptMu.Unlock()
	s.reading = end
	if end == nil && s.interrupted {
		s.interrupter.ResumeRead()
		s.interrupted = false
	}
}

// interruptRead cuts short the read of a caller whose context ended, the
// one whose Done channel is end.
func (s *Session) interruptRead(end <-chan struct{}) {
	s.interruptMu.Lock()
	defer s.interruptMu.Unlock()
	if s.reading == end && end != nil {
		s.interrupter.InterruptRead()
		s.interrupted = true
	}
}
