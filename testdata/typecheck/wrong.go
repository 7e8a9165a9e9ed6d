//go:build wrong

package main

import (
	"context"

	"github.com/sockipc/sockipc/topic"
)

var greeting = "text"

var sum = [2]int{1, 2}

func onGreeting(ctx context.Context, s string, from topic.Peer) {}
