package nats

import (
	"fmt"
	"net"
	"sync"
	"time"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"

	"github.com/sockipc/sockipc/transport"
)

// pendingTimeout is how long an answered dial waits for the dialer to take
// the connection up before it is dropped. A dialer takes it up at once;
// one that does not took another listener's answer, or died.
const pendingTimeout = 30 * time.Second

// A listener's states.
const (
	claiming   = iota // Listen is claiming the name: dials are not answered
	listening         // the name is ours
	reclaiming        // the NATS connection came back: claiming again, still answering dials
	stopped           // closed, or the name lost
)

// listener accepts connections under one name. It subscribes to the
// name's accept subject without a queue group, so that every listener of a
// name hears every claim, and answers dials once the name is its own.
type listener struct {
	t       *Transport
	name    string
	subj    subjects
	id      string     // a random NUID, which breaks ties between claims
	backlog chan *link // taken up by their dialers, waiting for Accept
	gone    chan struct{}

	mu      sync.Mutex
	state   int
	err     error // why Accept fails, once stopped
	sub     *natsgo.Subscription
	rivals  map[string]struct{} // other listeners heard while claiming
	early   []*natsgo.Msg       // dials heard while claiming, answered if the name is won
	pending map[*link]struct{}  // answered dials not yet taken up
}

var _ transport.Listener = (*listener)(nil)

// Listen makes a server reachable under name: dials to the same name, on
// the same NATS system and prefix, reach it. The name is one or more
// subject tokens, such as "chat" or "billing.v2".
//
// Listen first claims the name: it subscribes to the accept subject, asks
// every listener there to answer, and waits for the claim window (see
// [WithClaimWindow]). If a listener that has the name answers, or one that
// is claiming it at the same moment and wins the tie, Listen fails with an
// error wrapping [transport.ErrAddrInUse]. Two listeners whose claims
// cross the NATS system in more than the claim window may both succeed.
func (t *Transport) Listen(name string) (transport.Listener, error) {
	if err := checkName("name", name); err != nil {
		return nil, err
	}
	if err := t.usable(); err != nil {
		return nil, fmt.Errorf("nats: listen %q: %w", name, err)
	}
	ln := &listener{
		t:       t,
		name:    name,
		subj:    newSubjects(t.cfg.prefix, name),
		id:      nuid.Next(),
		backlog: make(chan *link, t.cfg.backlog),
		gone:    make(chan struct{}),
		pending: make(map[*link]struct{}),
	}
	sub, err := t.nc.Subscribe(ln.subj.accept(), ln.onRequest)
	if err != nil {
		return nil, fmt.Errorf("nats: listen %q: %w", name, err)
	}
	ln.mu.Lock()
	ln.sub = sub
	ln.mu.Unlock()
	if err := ln.claim(); err != nil {
		ln.stopWith(err)
		return nil, err
	}
	if err := t.trackListener(ln); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// Accept waits for a dialer to take up a connection.
func (ln *listener) Accept() (transport.Conn, error) {
	select {
	case l := <-ln.backlog:
		return l, nil
	case <-ln.gone:
		ln.mu.Lock()
		defer ln.mu.Unlock()
		return nil, ln.err
	}
}

// Close stops accepting and gives up the name. Connections already
// accepted go on; those waiting for Accept are refused.
func (ln *listener) Close() error {
	ln.stopWith(fmt.Errorf("nats: listener %q closed: %w", ln.name, net.ErrClosed))
	ln.t.forgetListener(ln)
	return nil
}

// Addr is the name the listener was created with.
func (ln *listener) Addr() string { return ln.name }

// lose stops the listener because it cannot go on: another listener has
// its name, or the NATS connection is closed. Accept returns err.
func (ln *listener) lose(err error) {
	ln.stopWith(err)
	ln.t.forgetListener(ln)
}

// stopWith stops accepting, once; Accept returns err from now on.
func (ln *listener) stopWith(err error) {
	ln.mu.Lock()
	if ln.state == stopped {
		ln.mu.Unlock()
		return
	}
	ln.state, ln.err = stopped, err
	sub, pending := ln.sub, ln.pending
	ln.pending, ln.early = nil, nil
	var waiting []*link
	for more := true; more; {
		select {
		case l := <-ln.backlog:
			waiting = append(waiting, l)
		default:
			more = false
		}
	}
	ln.mu.Unlock()
	close(ln.gone)
	if sub != nil {
		_ = sub.Unsubscribe()
	}
	for l := range pending {
		l.abandon()
	}
	for _, l := range waiting {
		l.fail(fmt.Errorf("%w: the listener closed", ErrRefused))
	}
}

// onRequest handles the accept subject: claims and dials.
func (ln *listener) onRequest(m *natsgo.Msg) {
	if len(m.Data) == 0 || m.Reply == "" {
		return
	}
	switch m.Data[0] {
	case msgClaim:
		id, err := decodeClaim(m.Data[1:])
		if err != nil || id == ln.id {
			return
		}
		ln.mu.Lock()
		st := ln.state
		if st == claiming || st == reclaiming {
			ln.rivals[id] = struct{}{}
		}
		ln.mu.Unlock()
		if st != stopped {
			_ = m.Respond(claimed{id: ln.id, listening: st == listening}.append(nil))
		}
	case msgDial:
		ln.mu.Lock()
		st := ln.state
		if st == claiming && len(ln.early) < cap(ln.backlog) {
			// Answered once the name is won; if it is lost, the winner
			// answers.
			ln.early = append(ln.early, m)
		}
		ln.mu.Unlock()
		if st == listening || st == reclaiming {
			ln.admit(m)
		}
	}
}

// admit answers a dial: it makes the server side of the connection,
// subscribed before the answer goes, so that the dialer's first message
// finds it.
func (ln *listener) admit(m *natsgo.Msg) {
	d, err := decodeDial(m.Data[1:])
	if err == nil && d.version != version {
		err = fmt.Errorf("transport protocol version %d not supported; this listener speaks version %d", d.version, version)
	}
	if err != nil {
		_ = m.Respond(append([]byte{msgRefuse}, err.Error()...))
		return
	}
	id := nuid.Next()
	l := ln.t.newLink(ln.subj.server(id))
	l.connect(ln.subj.client(d.id), d.win)
	l.onOpen = ln.opened
	if err := l.subscribe(); err != nil {
		_ = m.Respond(append([]byte{msgRefuse}, err.Error()...))
		return
	}
	ln.mu.Lock()
	if ln.state == stopped {
		ln.mu.Unlock()
		l.abandon()
		return
	}
	ln.pending[l] = struct{}{}
	l.mu.Lock()
	l.expire = time.AfterFunc(pendingTimeout, func() { ln.expired(l) })
	l.mu.Unlock()
	ln.mu.Unlock()
	if err := m.Respond(accepted{id: id, win: ln.t.cfg.window}.append(nil)); err != nil {
		ln.expired(l)
	}
}

// expired drops a connection its dialer never took up.
func (ln *listener) expired(l *link) {
	ln.mu.Lock()
	_, ok := ln.pending[l]
	delete(ln.pending, l)
	ln.mu.Unlock()
	if ok {
		l.abandon()
	}
}

// opened queues a connection its dialer took up for Accept, or refuses it
// when the backlog is full.
func (ln *listener) opened(l *link) {
	ln.mu.Lock()
	if _, ok := ln.pending[l]; !ok {
		ln.mu.Unlock()
		return
	}
	delete(ln.pending, l)
	l.mu.Lock()
	l.expire.Stop()
	l.mu.Unlock()
	err := ln.t.track(l)
	if err == nil {
		select {
		case ln.backlog <- l:
		default:
			ln.t.forget(l)
			err = fmt.Errorf("%w: the accept backlog of %q is full", ErrRefused, ln.name)
		}
	}
	ln.mu.Unlock()
	if err != nil {
		l.fail(err)
	}
}
