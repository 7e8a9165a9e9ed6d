package nats

import (
	"fmt"
	"time"

	natsgo "github.com/nats-io/nats.go"
)

// The transport follows its NATS connection's state through nats.go's
// status events, which leave the application's own nats.go callbacks
// alone:
//
//   - down (reconnecting): connections go on, their frames kept; if the
//     connection is not back within the grace, every connection ends with
//     ErrDisconnected.
//   - back: every connection asks its peer what it misses and sends again
//     what the peer missed; every listener claims its name again.
//   - closed for good: every connection and listener ends.

// startWatch starts the goroutine that follows the NATS connection's state.
func (t *Transport) startWatch() {
	t.status = t.nc.StatusChanged(natsgo.CONNECTED, natsgo.RECONNECTING, natsgo.DISCONNECTED, natsgo.CLOSED)
	t.watcher.Add(1)
	go t.watch()
}

// watch runs until Close removes the status listener, which closes its
// channel.
func (t *Transport) watch() {
	defer t.watcher.Done()
	for st := range t.status {
		switch st {
		case natsgo.CONNECTED:
			t.reconnected()
		case natsgo.RECONNECTING, natsgo.DISCONNECTED:
			t.disconnected()
		case natsgo.CLOSED:
			t.endAll(fmt.Errorf("%w: the NATS connection is closed", ErrDisconnected))
		}
	}
}

// disconnected starts the grace period, once per outage.
func (t *Transport) disconnected() {
	t.mu.Lock()
	if t.down || t.closed {
		t.mu.Unlock()
		return
	}
	t.down, t.downSince = true, time.Now()
	since := t.downSince
	if t.cfg.grace > 0 {
		t.grace = time.AfterFunc(t.cfg.grace, func() { t.graceOver(since) })
	}
	t.mu.Unlock()
	if t.cfg.grace == 0 {
		t.graceOver(since)
	}
}

// graceOver ends every connection if the outage that began at since still
// goes on.
func (t *Transport) graceOver(since time.Time) {
	t.mu.Lock()
	if !t.down || t.closed || !t.downSince.Equal(since) {
		t.mu.Unlock()
		return
	}
	links, _ := t.snapshot()
	t.mu.Unlock()
	err := fmt.Errorf("%w: no NATS connection for %v", ErrDisconnected, t.cfg.grace)
	for _, l := range links {
		l.fail(err)
	}
}

// reconnected ends the outage: connections resynchronise, listeners claim
// their names again. Status events may be missed (nats.go drops them when
// the channel is full), so nats.go's reconnect count says whether the
// connection came back since last time.
func (t *Transport) reconnected() {
	t.mu.Lock()
	n := t.nc.Stats().Reconnects
	again := t.down || n != t.reconnects
	t.down, t.reconnects = false, n
	if t.grace != nil {
		t.grace.Stop()
		t.grace = nil
	}
	links, lns := t.snapshot()
	closed := t.closed
	t.mu.Unlock()
	if !again || closed {
		return
	}
	for _, l := range links {
		l.resync()
	}
	for _, ln := range lns {
		t.watcher.Add(1)
		go func() {
			defer t.watcher.Done()
			ln.reclaim()
		}()
	}
}

// endAll ends every connection and listener: the NATS connection is
// closed for good.
func (t *Transport) endAll(err error) {
	t.mu.Lock()
	links, lns := t.snapshot()
	t.mu.Unlock()
	for _, ln := range lns {
		ln.lose(err)
	}
	for _, l := range links {
		l.fail(err)
	}
}
