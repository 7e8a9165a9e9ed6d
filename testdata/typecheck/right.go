//go:build !wrong

package main

import (
	"context"

	"github.com/sockipc/sockipc/topic"
)

var greeting = Greeting{Text: "hi"}

var sum = Sum{A: 1, B: 2}

func onGreeting(ctx context.Context, g Greeting, from topic.Peer) {}
