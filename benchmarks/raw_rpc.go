package main

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// The raw baseline of W3 and W4: a hand-written request/reply protocol over
// one unix socket connection. Each call frame carries a request id, and
// its reply frame carries the same id.
//
// The serving side reads a call, decodes it, answers it (the reply is the
// argument, encoded again) and writes the reply into its 64 KiB
// bufio.Writer, on one goroutine. It flushes when no whole call frame is
// left in its read buffer: replies to calls that arrived together leave
// together.

// rawServe answers calls on c until c is closed.
func rawServe[T sample.Message](c net.Conn, codec frameCodec[T]) error {
	fr := newFrameReader(c)
	w := bufio.NewWriterSize(c, bufSize)
	enc := newFrameEncoder(codec)
	for {
		body, err := fr.next()
		if err != nil {
			return nil // the caller is gone: the run is over
		}
		id, body, err := splitID(body)
		if err != nil {
			return err
		}
		var m T
		if err := codec.decode(body, &m); err != nil {
			return fmt.Errorf("decode call %d: %w", id, err)
		}
		f, err := enc.call(id, &m)
		if err != nil {
			return err
		}
		if _, err := w.Write(f); err != nil {
			return nil
		}
		if !fr.ready() && w.Flush() != nil {
			return nil
		}
	}
}

// rawRPC starts a serving goroutine on one end of a new connection and
// returns the other end. If serving fails, the error goes to errs and the
// connection is closed, which fails the calls.
func rawRPC[T sample.Message](s *stopper, errs *errorLog, newCodec func() frameCodec[T]) (net.Conn, error) {
	cs, ss, err := unixConns(1)
	if err != nil {
		return nil, err
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := rawServe(ss[0], newCodec()); err != nil {
			errs.add(fmt.Errorf("serving side: %w", err))
			ss[0].Close()
		}
	}()
	s.onStop(func() {
		cs[0].Close()
		ss[0].Close()
		<-served
	})
	return cs[0], nil
}

// rawSequential is W3: the caller writes a call, flushes, and reads the
// reply, on its own goroutine.
func rawSequential[T sample.Message](s *stopper, n int, newCodec func() frameCodec[T]) (result, error) {
	errs := &errorLog{}
	c, err := rawRPC(s, errs, newCodec)
	if err != nil {
		return result{}, err
	}
	codec := newCodec()
	enc := newFrameEncoder(codec)
	fr := newFrameReader(c)
	w := bufio.NewWriterSize(c, bufSize)
	res, err := sequentialCalls(s, n, func(_ context.Context, i int64, vals []float64) error {
		m := sample.Make[T](i, vals)
		f, err := enc.call(uint64(i), &m)
		if err != nil {
			return err
		}
		if _, err := w.Write(f); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		body, err := fr.next()
		if err != nil {
			return err
		}
		id, body, err := splitID(body)
		if err != nil {
			return err
		}
		if id != uint64(i) {
			return fmt.Errorf("reply to request %d instead", id)
		}
		var r T
		if err := codec.decode(body, &r); err != nil {
			return fmt.Errorf("decode reply: %w", err)
		}
		return sample.Check(i, r)
	})
	if e := errs.err(); e != nil {
		err = e
	}
	return res, err
}

// rawConcurrent is W4: 32 callers share the connection through
// rawClient.
func rawConcurrent[T sample.Message](s *stopper, n int, newCodec func() frameCodec[T]) (result, error) {
	errs := &errorLog{}
	c, err := rawRPC(s, errs, newCodec)
	if err != nil {
		return result{}, err
	}
	rc := newRawClient(c, newCodec)
	s.onStop(rc.close)
	res, err := concurrentCalls(s, n, func(ctx context.Context, i int64, vals []float64) error {
		m := sample.Make[T](i, vals)
		r, err := rc.call(ctx, &m)
		if err != nil {
			return err
		}
		return sample.Check(i, r)
	})
	if e := errs.err(); e != nil {
		err = e
	}
	return res, err
}
