package session

import (
	"context"
	"errors"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// GoAway ends the session gracefully, as the side that leaves (the
// server, in its Shutdown). It sends GoAway; waits until the peer answers
// with its own GoAway, after which it sends nothing more, so every frame it
// sent before has been read; waits until the handlers of its calls have
// answered; writes everything queued; and closes. If ctx ends first, the
// session is closed at once and ctx's error returned.
func (s *Session) GoAway(ctx context.Context) error {
	err := s.goAway(ctx)
	s.Close(nil)
	return err
}

func (s *Session) goAway(ctx context.Context) error {
	s.goAwayMu.Lock()
	s.goingAway = true
	s.goAwayMu.Unlock()
	if err := s.Send(ctx, wire.Envelope{Kind: wire.KindGoAway}); err != nil {
		return err
	}
	select {
	case <-s.peerGone:
	case <-s.closed:
		return nil // the peer left first; nothing more can be written
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := s.serving.waitEmpty(ctx); err != nil {
		return err
	}
	if err := s.Flush(ctx); !errors.Is(err, topic.ErrConnectionLost) {
		return err
	}
	return nil
}

// Flush waits until every frame queued so far has been written to the
// connection. It fails with topic.ErrConnectionLost if the session ends
// first, and with ctx's error if ctx ends first.
func (s *Session) Flush(ctx context.Context) error {
	err := s.queue.waitFlushed(ctx, s.queue.mark())
	if errors.Is(err, errQueueClosed) {
		return topic.ErrConnectionLost
	}
	return err
}

// GoingAway reports whether a GoAway was sent or received: the session is
// ending gracefully.
func (s *Session) GoingAway() bool {
	s.goAwayMu.Lock()
	defer s.goAwayMu.Unlock()
	return s.goingAway
}

// onGoAway handles a GoAway from the peer: either the answer to ours, or
// the peer leaving, which we answer with our own as the last frame we send.
func (s *Session) onGoAway() error {
	s.goAwayMu.Lock()
	ours := s.goingAway
	s.goingAway = true
	s.goAwayMu.Unlock()
	if ours {
		s.peerGoneOnce.Do(func() { close(s.peerGone) })
		return nil
	}
	_ = s.queue.seal(&message{env: wire.Envelope{Kind: wire.KindGoAway}})
	return nil
}
