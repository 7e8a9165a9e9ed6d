package nats

import (
	"fmt"
	"time"

	natsgo "github.com/nats-io/nats.go"

	"github.com/sockipc/sockipc/transport"
)

// claim takes the listener's name, or fails with an error wrapping
// transport.ErrAddrInUse. The listener is already subscribed to the
// accept subject. It publishes a claim there and listens for answers
// during the claim window. Every other listener of the name answers,
// saying whether it has the name or is claiming it too; one that claims
// it records the claimers it hears. The name is lost to a listener that
// has it, and, among those claiming at once, to the one with the smaller
// id: since each claimer hears the other's claim or answer, both reach the
// same verdict.
func (ln *listener) claim() error {
	ln.mu.Lock()
	switch ln.state {
	case stopped:
		err := ln.err
		ln.mu.Unlock()
		return err
	case listening:
		ln.state = reclaiming
	}
	ln.rivals = make(map[string]struct{})
	ln.mu.Unlock()

	nc := ln.t.nc
	inbox := nc.NewInbox()
	answers := make(chan *natsgo.Msg, 64)
	sub, err := nc.ChanSubscribe(inbox, answers)
	if err != nil {
		return fmt.Errorf("nats: listen %q: claim: %w", ln.name, err)
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest(ln.subj.accept(), inbox, appendString([]byte{msgClaim}, ln.id)); err != nil {
		return fmt.Errorf("nats: listen %q: claim: %w", ln.name, err)
	}
	timer := time.NewTimer(ln.t.cfg.claimWindow)
	defer timer.Stop()
	for {
		select {
		case m := <-answers:
			if len(m.Data) == 0 || m.Data[0] != msgClaimed {
				continue
			}
			c, err := decodeClaimed(m.Data[1:])
			if err != nil || c.id == ln.id {
				continue
			}
			if c.listening {
				return ln.inUse("a listener already has it")
			}
			ln.mu.Lock()
			if ln.rivals != nil {
				ln.rivals[c.id] = struct{}{}
			}
			ln.mu.Unlock()
		case <-timer.C:
			early, err := ln.decide()
			for _, m := range early {
				ln.admit(m)
			}
			return err
		case <-ln.gone:
			ln.mu.Lock()
			defer ln.mu.Unlock()
			return ln.err
		}
	}
}

// decide ends a claim that no listener having the name answered. If the
// name is won, it returns the dials heard meanwhile, to be answered.
func (ln *listener) decide() ([]*natsgo.Msg, error) {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	early := ln.early
	ln.early = nil
	if ln.state == stopped {
		return nil, ln.err
	}
	for id := range ln.rivals {
		if id < ln.id {
			ln.rivals = nil
			return nil, ln.inUse("another listener claimed it at the same time")
		}
	}
	ln.state, ln.rivals = listening, nil
	return early, nil
}

func (ln *listener) inUse(why string) error {
	return fmt.Errorf("nats: listen %q: %w: %s", ln.name, transport.ErrAddrInUse, why)
}

// reclaim claims the name again after the NATS connection came back: while
// it was down, another listener may have taken the name. If so, this one
// gives up: Accept fails with an error wrapping transport.ErrAddrInUse,
// and the connections it accepted go on.
func (ln *listener) reclaim() {
	ln.mu.Lock()
	st := ln.state
	ln.mu.Unlock()
	if st != listening {
		return
	}
	if err := ln.claim(); err != nil {
		ln.lose(err)
	}
}
