package main

import (
	"github.com/vmihailenco/msgpack/v5"
	"google.golang.org/grpc/encoding"
)

// grpcCodec is msgpack v5 as a gRPC codec, registered under the name
// "msgpack": a client selects it with grpc.CallContentSubtype("msgpack"),
// and the server picks it by the request's content subtype. No protobuf
// is involved.
type grpcCodec struct{}

func init() { encoding.RegisterCodec(grpcCodec{}) }

func (grpcCodec) Name() string { return "msgpack" }

// Marshal returns a new slice: gRPC keeps it.
func (grpcCodec) Marshal(v any) ([]byte, error) { return marshalAny(v) }

func (grpcCodec) Unmarshal(data []byte, v any) error { return msgpack.Unmarshal(data, v) }
