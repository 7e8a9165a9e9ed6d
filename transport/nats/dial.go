package nats

import (
	"context"
	"errors"
	"fmt"

	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"

	"github.com/sockipc/sockipc/transport"
)

// Dial opens a connection to the listener of name. It subscribes to its
// own side's subject, sends a dial request to the name's accept subject,
// and, once the listener answers with its side's subject, sends the open
// message there and returns. ctx bounds the attempt; without a deadline,
// the dial timeout does (see [WithDialTimeout]).
//
// With nothing listening, Dial fails at once with an error wrapping
// [ErrNoListener]; while the NATS connection is down, with one wrapping
// [ErrNotConnected]. A sockipc client retries both.
func (t *Transport) Dial(ctx context.Context, name string) (transport.Conn, error) {
	if err := checkName("name", name); err != nil {
		return nil, err
	}
	if err := t.usable(); err != nil {
		return nil, fmt.Errorf("nats: dial %q: %w", name, err)
	}
	subj := newSubjects(t.cfg.prefix, name)
	id := nuid.Next()
	l := t.newLink(subj.client(id))
	if err := l.subscribe(); err != nil {
		return nil, fmt.Errorf("nats: dial %q: %w", name, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.cfg.dialTimeout)
		defer cancel()
	}
	req := dial{version: version, id: id, win: t.cfg.window}.append(nil)
	m, err := t.nc.RequestWithContext(ctx, subj.accept(), req)
	if err != nil {
		l.abandon()
		if errors.Is(err, natsgo.ErrNoResponders) {
			return nil, fmt.Errorf("nats: dial %q: %w", name, ErrNoListener)
		}
		return nil, fmt.Errorf("nats: dial %q: %w", name, err)
	}
	a, err := answer(m.Data)
	if err != nil {
		l.abandon()
		return nil, fmt.Errorf("nats: dial %q: %w", name, err)
	}
	l.connect(subj.server(a.id), a.win)
	if err := t.track(l); err != nil {
		l.abandon()
		return nil, err
	}
	if err := t.nc.Publish(subj.server(a.id), []byte{msgOpen}); err != nil {
		l.abandon()
		return nil, fmt.Errorf("nats: dial %q: %w", name, err)
	}
	return l, nil
}

// answer decodes a listener's answer to a dial.
func answer(b []byte) (accepted, error) {
	if len(b) == 0 {
		return accepted{}, fmt.Errorf("%w: empty answer to a dial", ErrProtocol)
	}
	switch b[0] {
	case msgAccept:
		return decodeAccepted(b[1:])
	case msgRefuse:
		return accepted{}, fmt.Errorf("%w: %s", ErrRefused, b[1:])
	default:
		return accepted{}, fmt.Errorf("%w: unknown answer to a dial %q", ErrProtocol, b[0])
	}
}
