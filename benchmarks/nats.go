package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// NATS: an embedded nats-server in this process, listening on a random TCP
// port on the loopback interface, and nats.go connections to it; payloads
// are msgpack-encoded Samples. Asynchronous errors (a slow consumer, say)
// fail the run, and so does any message a subscription dropped.

// startNATS starts a NATS server and returns its URL.
func startNATS(s *stopper) (string, error) {
	ns, err := natsserver.NewServer(&natsserver.Options{
		Host:   "127.0.0.1",
		Port:   natsserver.RANDOM_PORT,
		NoLog:  true,
		NoSigs: true,
	})
	if err != nil {
		return "", fmt.Errorf("nats server: %w", err)
	}
	ns.Start()
	s.onStop(func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	if !ns.ReadyForConnections(10 * time.Second) {
		return "", errors.New("nats server: not ready after 10s")
	}
	return ns.ClientURL(), nil
}

// connectNATS opens a connection whose asynchronous errors go to errs.
func connectNATS(s *stopper, url string, errs *errorLog) (*nats.Conn, error) {
	nc, err := nats.Connect(url, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		errs.add(fmt.Errorf("nats: %w", err))
	}))
	if err != nil {
		return nil, fmt.Errorf("nats connect: %w", err)
	}
	s.onStop(nc.Close)
	return nc, nil
}

// natsStream is W1 (receivers == 1) and W2: one connection publishes n
// messages on a subject, and each receiver, a connection with its own
// subscription, checks every message. The subscriptions' pending limits
// are lifted, so that the publisher running ahead is not taken for a slow
// consumer.
func natsStream(s *stopper, n, receivers int) (result, error) {
	errs := &errorLog{}
	url, err := startNATS(s)
	if err != nil {
		return result{}, err
	}
	pub, err := connectNATS(s, url, errs)
	if err != nil {
		return result{}, err
	}
	parts := []func() error{func() error { return natsPublish(pub, n) }}
	var subs []*nats.Subscription
	for range receivers {
		nc, err := connectNATS(s, url, errs)
		if err != nil {
			return result{}, err
		}
		sq := newSequence(n)
		codec := newReflectCodec()
		sub, err := nc.Subscribe("bench.sample", func(m *nats.Msg) {
			var v sample.Sample
			if err := codec.decode(m.Data, &v); err != nil {
				sq.fail(fmt.Errorf("decode: %w", err))
				return
			}
			receive(sq, v)
		})
		if err == nil {
			err = sub.SetPendingLimits(-1, -1)
		}
		if err == nil {
			err = nc.Flush() // the server knows of the subscription
		}
		if err != nil {
			return result{}, fmt.Errorf("nats subscribe: %w", err)
		}
		subs = append(subs, sub)
		parts = append(parts, func() error { return sq.wait(s.quit) })
	}
	elapsed, err := s.run(parts...)
	if e := errs.err(); e != nil {
		err = e
	}
	for _, sub := range subs {
		if d, _ := sub.Dropped(); d > 0 && err == nil {
			err = fmt.Errorf("nats: a subscription dropped %d messages", d)
		}
	}
	return result{count: n * receivers, elapsed: elapsed}, err
}

// natsPublish publishes messages 0 to n-1, then flushes.
func natsPublish(nc *nats.Conn, n int) error {
	codec := newReflectCodec()
	vals := make([]float64, sample.NumVals)
	buf := make([]byte, 0, 256)
	for i := range int64(n) {
		m := sample.Make[sample.Sample](i, vals)
		b, err := codec.appendMsg(buf[:0], &m)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		buf = b
		if err := nc.Publish("bench.sample", b); err != nil { // copies b
			return fmt.Errorf("nats publish %d: %w", i, err)
		}
	}
	if err := nc.Flush(); err != nil {
		return fmt.Errorf("nats flush: %w", err)
	}
	return nil
}

// natsCalls is W3 (concurrent == false) and W4: a responder connection
// answers requests on a subject with their argument, and a requester
// connection calls it with nc.RequestWithContext. W4's 32 callers share
// the requester.
func natsCalls(s *stopper, n int, concurrent bool) (result, error) {
	errs := &errorLog{}
	url, err := startNATS(s)
	if err != nil {
		return result{}, err
	}
	resp, err := connectNATS(s, url, errs)
	if err != nil {
		return result{}, err
	}
	codec := newReflectCodec()
	var buf []byte
	_, err = resp.Subscribe("bench.echo", func(m *nats.Msg) {
		var v sample.Sample
		err := codec.decode(m.Data, &v)
		if err == nil {
			buf, err = codec.appendMsg(buf[:0], &v)
		}
		if err == nil {
			err = m.Respond(buf)
		}
		if err != nil {
			errs.add(fmt.Errorf("nats responder: %w", err))
			s.stop()
		}
	})
	if err == nil {
		err = resp.Flush()
	}
	if err != nil {
		return result{}, fmt.Errorf("nats subscribe: %w", err)
	}
	req, err := connectNATS(s, url, errs)
	if err != nil {
		return result{}, err
	}
	call := func(ctx context.Context, i int64, vals []float64) error {
		m := sample.Make[sample.Sample](i, vals)
		data, err := appendSample(nil, &m)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		r, err := req.RequestWithContext(ctx, "bench.echo", data)
		if err != nil {
			return err
		}
		var v sample.Sample
		if err := msgpack.Unmarshal(r.Data, &v); err != nil {
			return fmt.Errorf("decode reply: %w", err)
		}
		return sample.Check(i, v)
	}
	var res result
	if concurrent {
		res, err = concurrentCalls(s, n, call)
	} else {
		res, err = sequentialCalls(s, n, call)
	}
	if e := errs.err(); e != nil {
		err = e
	}
	return res, err
}
