package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// rawClient is the calling side of W4: callers write their calls under a
// mutex, and one reader goroutine hands each reply to the caller waiting
// for its request id.
//
// Flushing: a caller that finds other callers waiting for the writer
// leaves its frame in the buffer; the last one in flushes. So calls made
// together leave in one write, and no frame waits once nobody is about to
// write.
type rawClient[T sample.Message] struct {
	conn    net.Conn
	waiting atomic.Int32 // callers about to write

	wmu sync.Mutex // guards w, enc and id
	w   *bufio.Writer
	enc *frameEncoder[T]
	id  uint64

	pmu     sync.Mutex
	pending map[uint64]chan T
	err     error // why the reader stopped; set before pending is emptied

	done chan struct{} // closed when the reader has stopped
}

func newRawClient[T sample.Message](c net.Conn, newCodec func() frameCodec[T]) *rawClient[T] {
	rc := &rawClient[T]{
		conn:    c,
		w:       bufio.NewWriterSize(c, bufSize),
		enc:     newFrameEncoder(newCodec()),
		pending: make(map[uint64]chan T),
		done:    make(chan struct{}),
	}
	go rc.read(newCodec())
	return rc
}

// call sends m and returns the reply.
func (rc *rawClient[T]) call(ctx context.Context, m *T) (T, error) {
	var zero T
	reply := make(chan T, 1)

	rc.waiting.Add(1)
	rc.wmu.Lock()
	rc.id++
	id := rc.id
	rc.pmu.Lock()
	if rc.err != nil {
		rc.pmu.Unlock()
		rc.waiting.Add(-1)
		rc.wmu.Unlock()
		return zero, rc.err
	}
	rc.pending[id] = reply
	rc.pmu.Unlock()
	f, err := rc.enc.call(id, m)
	if err == nil {
		_, err = rc.w.Write(f)
	}
	if rc.waiting.Add(-1) == 0 && err == nil {
		err = rc.w.Flush()
	}
	rc.wmu.Unlock()
	if err != nil {
		return zero, err
	}

	select {
	case r, ok := <-reply:
		if !ok {
			return zero, rc.readErr()
		}
		return r, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// read hands replies to their callers until the connection ends; then it
// fails the calls still waiting.
func (rc *rawClient[T]) read(codec frameCodec[T]) {
	defer close(rc.done)
	fr := newFrameReader(rc.conn)
	var err error
	for err == nil {
		err = rc.readOne(fr, codec)
	}
	rc.pmu.Lock()
	rc.err = err
	for id, ch := range rc.pending {
		close(ch)
		delete(rc.pending, id)
	}
	rc.pmu.Unlock()
}

// readOne reads one reply and hands it to its caller.
func (rc *rawClient[T]) readOne(fr *frameReader, codec frameCodec[T]) error {
	body, err := fr.next()
	if err != nil {
		return fmt.Errorf("read reply: %w", err)
	}
	id, body, err := splitID(body)
	if err != nil {
		return err
	}
	var r T
	if err := codec.decode(body, &r); err != nil {
		return fmt.Errorf("decode reply %d: %w", id, err)
	}
	rc.pmu.Lock()
	ch, ok := rc.pending[id]
	delete(rc.pending, id)
	rc.pmu.Unlock()
	if !ok {
		return fmt.Errorf("reply to unknown request %d", id)
	}
	ch <- r
	return nil
}

func (rc *rawClient[T]) readErr() error {
	rc.pmu.Lock()
	defer rc.pmu.Unlock()
	return rc.err
}

// close closes the connection and waits for the reader.
func (rc *rawClient[T]) close() {
	rc.conn.Close()
	<-rc.done
}
