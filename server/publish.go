package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/sockipc/sockipc/internal/wire"
	"github.com/sockipc/sockipc/topic"
)

// PublishRaw sends an encoded payload to every connected client subscribed
// to the topic (in the Node.js compatibility mode, to every client). The
// envelope is encoded once for all of them. It waits while a client's
// queue is full, until ctx ends. Clients that disconnect meanwhile are
// skipped; the first other error is returned after every client was tried.
func (s *Server) PublishRaw(ctx context.Context, name string, payload []byte) error {
	if err := s.checkTopic(name); err != nil {
		return err
	}
	sc := getScratch()
	defer putScratch(sc)
	sc.env = wire.Envelope{Kind: wire.KindPublish, Topic: name, Payload: payload, Headers: topic.OutgoingHeaders(ctx)}
	return s.broadcast(ctx, sc, nil)
}

// broadcast sends the Publish envelope sc.env to every client subscribed
// to its topic (every client in the Node.js mode) but except, encoding it
// once into sc.b.
func (s *Server) broadcast(ctx context.Context, sc *scratch, except *clientConn) error {
	e := &sc.env
	var all, named []*clientConn
	var rcpt *recipients
	s.mu.RLock()
	if s.closing {
		s.mu.RUnlock()
		return topic.ErrClosed
	}
	if s.cfg.nodeCompat {
		rcpt = getRecipients()
		defer putRecipients(rcpt)
		for _, c := range s.clients {
			rcpt.list = append(rcpt.list, c)
		}
		all = rcpt.list
	} else {
		all, named = s.subs.subscribers(e.Topic)
	}
	s.mu.RUnlock()
	if len(all)+len(named) == 0 {
		return nil
	}
	// Encode once; each recipient's queue takes a copy of the bytes.
	body, err := s.format().Append(sc.b[:0], e)
	sc.b = body
	if err != nil {
		return &topic.EncodeError{Topic: e.Topic, Err: err}
	}
	var first error
	for i, list := range [2][]*clientConn{all, named} {
		for _, c := range list {
			if c == except || (i == 1 && slices.Contains(all, c)) {
				continue // the sender, or a catch-all subscriber already served
			}
			err := c.sess.PublishBody(ctx, body)
			switch {
			case err == nil, errors.Is(err, topic.ErrConnectionLost), errors.Is(err, topic.ErrSlowConsumer):
				// Gone, or handled by the slow-consumer policy and reported.
			case ctx.Err() != nil:
				return err
			case first == nil:
				first = fmt.Errorf("server: publish %s to %s: %w", e.Topic, c.peer.ID, err)
			}
		}
	}
	return first
}

// SendToRaw sends an encoded payload on a topic to one client.
func (s *Server) SendToRaw(ctx context.Context, clientID, name string, payload []byte) error {
	if err := s.checkTopic(name); err != nil {
		return err
	}
	c, err := s.client(clientID)
	if err != nil {
		return err
	}
	err = c.sess.Publish(ctx, name, payload, topic.OutgoingHeaders(ctx))
	if errors.Is(err, topic.ErrConnectionLost) {
		return fmt.Errorf("%w: %s disconnected", topic.ErrUnknownClient, clientID)
	}
	return err
}

// SendTo sends msg on t to the client with the given id only, whether or
// not it subscribed to t. It fails with [topic.ErrUnknownClient] if no
// such client is connected.
func SendTo[T any](ctx context.Context, s *Server, clientID string, t topic.Topic[T], msg T) error {
	return topic.Publish(ctx, oneClient{s, clientID}, t, msg)
}

// Call calls procedure p on the client with the given id, which handles it
// with topic.Handle. Errors are those of topic.Call, and
// [topic.ErrUnknownClient] if no such client is connected.
func Call[Req, Resp any](ctx context.Context, s *Server, clientID string, p topic.Procedure[Req, Resp], req Req) (Resp, error) {
	resp, err := topic.Call(ctx, oneClient{s, clientID}, p, req)
	if de, ok := errors.AsType[*topic.DecodeError](err); ok {
		de.ClientID = clientID
	}
	return resp, err
}

// CallRaw always fails on a server, which has many clients: use [Call] or
// [Server.CallClientRaw], which name the client.
func (s *Server) CallRaw(ctx context.Context, procedure string, payload []byte) ([]byte, error) {
	return nil, fmt.Errorf("%w: a server calls one client: use server.Call", topic.ErrUnsupported)
}

// CallClientRaw calls a procedure on one client with an encoded argument
// and returns the encoded result.
func (s *Server) CallClientRaw(ctx context.Context, clientID, procedure string, payload []byte) ([]byte, error) {
	c, err := s.callee(clientID)
	if err != nil {
		return nil, err
	}
	return c.sess.Call(ctx, procedure, payload, topic.OutgoingHeaders(ctx))
}

// callee returns the connection of a client to call.
func (s *Server) callee(clientID string) (*clientConn, error) {
	if s.cfg.nodeCompat {
		return nil, fmt.Errorf("%w: calls need the native protocol", topic.ErrUnsupported)
	}
	return s.client(clientID)
}

// SubscribeRaw implements [topic.Endpoint]: h receives every message
// clients publish on the topic.
func (s *Server) SubscribeRaw(name string, h topic.RawHandler) (topic.Subscription, error) {
	if err := s.checkTopic(name); err != nil {
		return nil, err
	}
	sub, _, err := s.reg.Subscribe(name, false, h)
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// SubscribeAllRaw implements [topic.Endpoint]: h receives every message
// clients publish.
func (s *Server) SubscribeAllRaw(h topic.RawHandler) (topic.Subscription, error) {
	sub, _, err := s.reg.Subscribe("", true, h)
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// HandleRaw implements [topic.Endpoint]: h answers clients' calls of the
// procedure.
func (s *Server) HandleRaw(procedure string, h topic.RawProcedureHandler) (topic.Subscription, error) {
	if s.cfg.nodeCompat {
		return nil, fmt.Errorf("%w: calls need the native protocol", topic.ErrUnsupported)
	}
	if err := topic.ValidateName(procedure); err != nil {
		return nil, err
	}
	p, err := s.reg.Handle(procedure, h)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) client(id string) (*clientConn, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closing {
		return nil, topic.ErrClosed
	}
	c := s.clients[id]
	if c == nil {
		return nil, fmt.Errorf("%w: %q", topic.ErrUnknownClient, id)
	}
	return c, nil
}

// checkTopic validates a topic name; the Node.js mode also allows "".
func (s *Server) checkTopic(name string) error {
	if name == "" && s.cfg.nodeCompat {
		return nil
	}
	return topic.ValidateName(name)
}

// scratch is a reusable envelope, and buffer to encode it in, for a
// broadcast. Being pooled, the envelope does not escape to the heap for
// every message.
type scratch struct {
	env wire.Envelope
	b   []byte
}

var scratchPool = sync.Pool{New: func() any { return &scratch{b: make([]byte, 0, 1024)} }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) {
	s.env = wire.Envelope{}
	if cap(s.b) <= 64<<10 {
		scratchPool.Put(s)
	}
}

// recipients is a reusable list of a publish's recipients.
type recipients struct{ list []*clientConn }

var recipientsPool = sync.Pool{New: func() any { return new(recipients) }}

func getRecipients() *recipients { return recipientsPool.Get().(*recipients) }

func putRecipients(r *recipients) {
	clear(r.list)
	r.list = r.list[:0]
	recipientsPool.Put(r)
}

// oneClient is the server as seen by one client: the typed functions of
// package topic use it to send to and call that client only.
type oneClient struct {
	*Server
	id string
}

func (o oneClient) PublishRaw(ctx context.Context, name string, payload []byte) error {
	return o.SendToRaw(ctx, o.id, name, payload)
}

func (o oneClient) CallRaw(ctx context.Context, procedure string, payload []byte) ([]byte, error) {
	return o.CallClientRaw(ctx, o.id, procedure, payload)
}

// CallInto implements topic.CallerInto, for Call.
func (o oneClient) CallInto(ctx context.Context, procedure string, payload []byte, v any) error {
	c, err := o.callee(o.id)
	if err != nil {
		return err
	}
	return c.sess.CallInto(ctx, procedure, payload, topic.OutgoingHeaders(ctx), v)
}
