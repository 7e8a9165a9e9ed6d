package main

import (
	"bytes"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// frameCodec encodes and decodes the messages of the raw loops: what a
// hand-written program would do around the same codec. An instance is
// used by one goroutine at a time.
type frameCodec[T sample.Message] interface {
	// appendMsg appends the encoding of v to dst.
	appendMsg(dst []byte, v *T) ([]byte, error)
	// decode decodes b into v.
	decode(b []byte, v *T) error
}

// reflectCodec is msgpack v5 with its defaults, through a reused Encoder
// that writes straight into the frame being built and a reused Decoder
// that reads straight from the received frame: no copy and no pooling
// on the way.
type reflectCodec struct {
	out appendWriter
	enc *msgpack.Encoder
	in  *bytes.Reader
	dec *msgpack.Decoder
}

func newReflectCodec() frameCodec[sample.Sample] {
	c := &reflectCodec{in: bytes.NewReader(nil)}
	c.enc = msgpack.NewEncoder(&c.out)
	c.dec = msgpack.NewDecoder(c.in)
	return c
}

func (c *reflectCodec) appendMsg(dst []byte, v *sample.Sample) ([]byte, error) {
	c.out.b = dst
	err := c.enc.Encode(v)
	b := c.out.b
	c.out.b = nil
	return b, err
}

func (c *reflectCodec) decode(b []byte, v *sample.Sample) error {
	c.in.Reset(b)
	return c.dec.Decode(v)
}

// appendWriter is an io.Writer (and io.ByteWriter, which msgpack uses
// directly) that appends to a slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *appendWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

// msgpCodec encodes and decodes with the code tinylib/msgp generated for
// FastSample.
type msgpCodec struct{}

func newMsgpCodec() frameCodec[sample.FastSample] { return msgpCodec{} }

func (msgpCodec) appendMsg(dst []byte, v *sample.FastSample) ([]byte, error) {
	return v.MarshalMsg(dst)
}

func (msgpCodec) decode(b []byte, v *sample.FastSample) error {
	_, err := v.UnmarshalMsg(b)
	return err
}
