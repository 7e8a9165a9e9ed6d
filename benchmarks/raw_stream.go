package main

import (
	"bufio"
	"fmt"
	"net"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// The raw baseline of W1 and W2: a hand-written loop over unix sockets,
// with the frames of frames.go and one reused encoder or decoder per
// goroutine.
//
// Flushing: the publisher writes every frame into a 64 KiB bufio.Writer per
// connection. It always has the next message ready, so it never flushes
// between messages: the writer flushes only when its buffer fills, and the
// publisher flushes once after the last message. This is the "flush when
// nothing else is queued" rule of a writer with a queue, applied to a
// producer whose queue is never empty until the end.

// rawStream is W1 (receivers == 1) and W2 (receivers == 4): one publisher
// goroutine sends n messages to every receiver, each over its own
// connection, encoding each message once; each receiver decodes every
// message into a new value on its own goroutine and checks it.
func rawStream[T sample.Message](s *stopper, n, receivers int, newCodec func() frameCodec[T]) (result, error) {
	out, in, err := unixConns(receivers)
	if err != nil {
		return result{}, err
	}
	s.onStop(func() {
		for _, c := range append(out, in...) {
			c.Close()
		}
	})
	parts := []func() error{func() error { return rawPublish(out, n, newCodec()) }}
	for _, c := range in {
		parts = append(parts, func() error { return rawReceive(c, n, newCodec()) })
	}
	elapsed, err := s.run(parts...)
	return result{count: n * receivers, elapsed: elapsed}, err
}

// rawPublish sends messages 0 to n-1 to every connection of out.
func rawPublish[T sample.Message](out []net.Conn, n int, codec frameCodec[T]) error {
	ws := make([]*bufio.Writer, len(out))
	for i, c := range out {
		ws[i] = bufio.NewWriterSize(c, bufSize)
	}
	enc := newFrameEncoder(codec)
	vals := make([]float64, sample.NumVals)
	for i := range int64(n) {
		m := sample.Make[T](i, vals)
		f, err := enc.msg(&m)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if _, err := w.Write(f); err != nil {
				return fmt.Errorf("publish: %w", err)
			}
		}
	}
	for _, w := range ws {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	return nil
}

// rawReceive reads n messages from c and checks each.
func rawReceive[T sample.Message](c net.Conn, n int, codec frameCodec[T]) error {
	fr := newFrameReader(c)
	for i := range int64(n) {
		body, err := fr.next()
		if err != nil {
			return fmt.Errorf("receive message %d: %w", i, err)
		}
		var m T
		if err := codec.decode(body, &m); err != nil {
			return fmt.Errorf("decode message %d: %w", i, err)
		}
		if err := sample.Check(i, m); err != nil {
			return err
		}
	}
	return nil
}
