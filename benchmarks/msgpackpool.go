package main

import (
	"sync"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// Where many goroutines encode (NATS and gRPC callers, gRPC's codec),
// they share msgpack encoders through a pool, as sockipc's codec does.

var reflectCodecs = sync.Pool{New: func() any { return newReflectCodec() }}

// appendSample appends the msgpack encoding of v to dst.
func appendSample(dst []byte, v *sample.Sample) ([]byte, error) {
	c := reflectCodecs.Get().(frameCodec[sample.Sample])
	defer reflectCodecs.Put(c)
	return c.appendMsg(dst, v)
}

// encoderState is a reusable msgpack encoder and its buffer.
type encoderState struct {
	out appendWriter
	enc *msgpack.Encoder
}

var encoders = sync.Pool{New: func() any {
	s := &encoderState{}
	s.enc = msgpack.NewEncoder(&s.out)
	return s
}}

// marshalAny returns the msgpack encoding of v in a new slice.
func marshalAny(v any) ([]byte, error) {
	s := encoders.Get().(*encoderState)
	defer encoders.Put(s)
	s.out.b = s.out.b[:0]
	if err := s.enc.Encode(v); err != nil {
		return nil, err
	}
	return append([]byte(nil), s.out.b...), nil
}
