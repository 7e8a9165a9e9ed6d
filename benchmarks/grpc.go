package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/sockipc/sockipc/benchmarks/sample"
)

// gRPC over a unix socket, with the msgpack codec of grpc_codec.go and a
// service declared by hand (no protoc): a unary Echo that answers with its
// argument, for W3 and W4, and a client-streaming Stream that checks every
// message it receives and answers with their count, for W1.
const (
	grpcEcho   = "/bench.Bench/Echo"
	grpcStream = "/bench.Bench/Stream"
)

// grpcCount is Stream's answer.
type grpcCount struct{ N int64 }

var grpcStreamDesc = grpc.StreamDesc{StreamName: "Stream", Handler: grpcStreamHandler, ClientStreams: true}

var grpcService = grpc.ServiceDesc{
	ServiceName: "bench.Bench",
	HandlerType: (*any)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Echo", Handler: grpcEchoHandler}},
	Streams:     []grpc.StreamDesc{grpcStreamDesc},
}

func grpcEchoHandler(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
	var m sample.Sample
	if err := dec(&m); err != nil {
		return nil, err
	}
	if icpt == nil {
		return &m, nil
	}
	info := &grpc.UnaryServerInfo{FullMethod: grpcEcho}
	return icpt(ctx, &m, info, func(_ context.Context, req any) (any, error) { return req, nil })
}

func grpcStreamHandler(_ any, stream grpc.ServerStream) error {
	var i int64
	for ; ; i++ {
		var m sample.Sample
		if err := stream.RecvMsg(&m); err == io.EOF {
			return stream.SendMsg(&grpcCount{N: i})
		} else if err != nil {
			return err
		}
		if err := sample.Check(i, m); err != nil {
			return status.Error(codes.DataLoss, err.Error())
		}
	}
}

// startGRPC starts a server and returns a client connection to it, ready.
func startGRPC(s *stopper) (*grpc.ClientConn, error) {
	path, remove, err := tempSocket()
	if err != nil {
		return nil, err
	}
	s.onStop(remove)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("grpc listen: %w", err)
	}
	srv := grpc.NewServer()
	srv.RegisterService(&grpcService, struct{}{})
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	s.onStop(func() {
		srv.Stop()
		<-served
	})
	conn, err := grpc.NewClient("unix://"+path,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.CallContentSubtype(grpcCodec{}.Name())))
	if err != nil {
		return nil, fmt.Errorf("grpc client: %w", err)
	}
	s.onStop(func() { conn.Close() })
	conn.Connect()
	for st := conn.GetState(); st != connectivity.Ready; st = conn.GetState() {
		if !conn.WaitForStateChange(s.ctx, st) {
			return nil, errors.New("grpc client: not connected")
		}
	}
	return conn, nil
}

// grpcStreamW1 is W1: the client sends n messages on one client stream,
// and the server checks each.
func grpcStreamW1(s *stopper, n int) (result, error) {
	conn, err := startGRPC(s)
	if err != nil {
		return result{}, err
	}
	elapsed, err := s.run(func() error {
		st, err := conn.NewStream(s.ctx, &grpcStreamDesc, grpcStream)
		if err != nil {
			return fmt.Errorf("grpc stream: %w", err)
		}
		vals := make([]float64, sample.NumVals)
		for i := range int64(n) {
			m := sample.Make[sample.Sample](i, vals)
			if err := st.SendMsg(&m); err != nil {
				break // the server's error comes with its answer
			}
		}
		if err := st.CloseSend(); err != nil {
			return fmt.Errorf("grpc close send: %w", err)
		}
		var c grpcCount
		if err := st.RecvMsg(&c); err != nil {
			return fmt.Errorf("grpc stream: %w", err)
		}
		if c.N != int64(n) {
			return fmt.Errorf("grpc stream: server received %d of %d messages", c.N, n)
		}
		return nil
	})
	return result{count: n, elapsed: elapsed}, err
}

// grpcCalls is W3 (concurrent == false) and W4: Echo called through
// conn.Invoke. W4's 32 callers share the connection.
func grpcCalls(s *stopper, n int, concurrent bool) (result, error) {
	conn, err := startGRPC(s)
	if err != nil {
		return result{}, err
	}
	call := func(ctx context.Context, i int64, vals []float64) error {
		m := sample.Make[sample.Sample](i, vals)
		var r sample.Sample
		if err := conn.Invoke(ctx, grpcEcho, &m, &r); err != nil {
			return err
		}
		return sample.Check(i, r)
	}
	if concurrent {
		return concurrentCalls(s, n, call)
	}
	return sequentialCalls(s, n, call)
}
