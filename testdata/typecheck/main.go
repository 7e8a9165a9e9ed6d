// Program typecheck is built by topic's tests twice: as is, it must build;
// with -tags wrong, every call below must fail to type-check, because the
// values in wrong.go do not match the types the topic and procedure carry.
package main

import (
	"context"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/topic"
)

type Greeting struct{ Text string }

type Sum struct{ A, B int }

var (
	hello = topic.New[Greeting]("chat.hello")
	add   = topic.NewProcedure[Sum, int]("math.add")
)

func main() {
	ctx := context.Background()
	cl, _ := client.New("/tmp/typecheck.sock")
	_ = topic.Publish(ctx, cl, hello, greeting)
	_, _ = topic.Subscribe(cl, hello, onGreeting)
	_, _ = topic.Call(ctx, cl, add, sum)
}
