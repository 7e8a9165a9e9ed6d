package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRun runs the example as go run does without flags: with a NATS
// server of its own.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out strings.Builder
	require.NoError(t, run(ctx, "", &out))
	for _, want := range []string{
		"nats: started a NATS server at nats://127.0.0.1:",
		`server: listening as "quickstart.chat"`,
		`server: alice says "hi, server"`,
		`client: server says "hello, alice"`,
		`client: news: "alice joined"`,
		"done",
	} {
		require.Contains(t, out.String(), want)
	}
}
