// Command rpc runs a small calculator service and a client that calls it
// many times at once over one connection, then shows a call whose
// deadline passes and a call that fails on the server's side.
//
//	go run ./examples/rpc
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/examples/rpc/calc"
	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "rpc")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "calc.sock")

	srv, err := server.New(path)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := serveCalculator(srv); err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	go srv.Serve(ctx)

	cl, err := client.New(path)
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cl.Connect(ctx); err != nil {
		return err
	}

	// Ten calls in flight at once on one connection; each reply finds its
	// caller, whatever order they come back in.
	var wg sync.WaitGroup
	results := make([]string, 10)
	for i := range results {
		wg.Go(func() {
			sum, err := topic.Call(ctx, cl, calc.Add, calc.Operands{A: float64(i), B: 0.5})
			if err != nil {
				results[i] = err.Error()
				return
			}
			results[i] = fmt.Sprintf("%d + 0.5 = %g", i, sum)
		})
	}
	wg.Wait()
	for _, r := range results {
		fmt.Println(r)
	}

	// The caller's deadline travels with the call: the server's handler
	// gives up too.
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	_, err = topic.Call(short, cl, calc.Echo, calc.Slow{Value: 1, DelayMS: 1000})
	fmt.Println("echo after 1s with a 50ms deadline:", err, "| deadline exceeded:", errors.Is(err, context.DeadlineExceeded))

	// An error returned by the handler comes back as a *topic.RemoteError.
	_, err = topic.Call(ctx, cl, calc.Div, calc.Operands{A: 1, B: 0})
	if re, ok := errors.AsType[*topic.RemoteError](err); ok {
		fmt.Printf("1 / 0: remote error, code %q, message %q\n", re.Code, re.Message)
	} else {
		return fmt.Errorf("1 / 0: expected a remote error, got %v", err)
	}
	q, err := topic.Call(ctx, cl, calc.Div, calc.Operands{A: 1, B: 4})
	if err != nil {
		return err
	}
	fmt.Println("1 / 4 =", q)
	return nil
}

func serveCalculator(srv *server.Server) error {
	if _, err := topic.Handle(srv, calc.Add, func(ctx context.Context, o calc.Operands, from topic.Peer) (float64, error) {
		return o.A + o.B, nil
	}); err != nil {
		return err
	}
	if _, err := topic.Handle(srv, calc.Div, func(ctx context.Context, o calc.Operands, from topic.Peer) (float64, error) {
		if o.B == 0 {
			return 0, topic.NewError("division_by_zero", fmt.Sprintf("cannot divide %g by zero", o.A))
		}
		return o.A / o.B, nil
	}); err != nil {
		return err
	}
	_, err := topic.Handle(srv, calc.Echo, func(ctx context.Context, s calc.Slow, from topic.Peer) (float64, error) {
		select {
		case <-time.After(time.Duration(s.DelayMS) * time.Millisecond):
			return s.Value, nil
		case <-ctx.Done():
			fmt.Println("server: echo gave up:", context.Cause(ctx))
			return 0, ctx.Err()
		}
	})
	return err
}
