package main

import (
	"bytes"
	"context"
	"runtime/trace"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// traced runs each step as a task named after it, while tracing, and
// returns the trace.
func traced(t *testing.T, steps map[string]func()) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, trace.Start(&buf))
	for name, step := range steps {
		_, task := trace.NewTask(context.Background(), name)
		step()
		task.End()
	}
	trace.Stop()
	return buf.Bytes()
}

func TestAnalyze(t *testing.T) {
	const rounds = 2000
	data := traced(t, map[string]func(){
		// Two goroutines hand a token back and forth: each hand-over makes
		// one runnable.
		"W0 ping-pong": func() {
			ping, pong := make(chan int), make(chan int)
			go func() {
				for v := range ping {
					pong <- v
				}
				close(pong)
			}()
			for i := range rounds {
				ping <- i
				<-pong
			}
			close(ping)
			<-pong
		},
		// Nothing runs but this goroutine, asleep: every P is idle. The
		// sleep is the work measured, not a wait for an event: the test
		// needs a stretch of time in which no goroutine runs, and what it
		// asserts holds however long the sleep actually lasts.
		"W0 sleep": func() { time.Sleep(20 * time.Millisecond) },
	})

	benches, err := analyze(bytes.NewReader(data))
	require.NoError(t, err)
	got := map[string]*benchIdle{}
	for _, b := range benches {
		got[b.name] = b
	}
	require.Len(t, got, 2)

	pp := got["W0 ping-pong"]
	require.NotNil(t, pp)
	assert.GreaterOrEqual(t, len(pp.waits), rounds, "each hand-over makes a goroutine runnable")
	assert.True(t, slices.IsSorted(pp.waits))

	sl := got["W0 sleep"]
	require.NotNil(t, sl)
	assert.GreaterOrEqual(t, sl.total, 20*time.Millisecond)
	assert.Greater(t, sl.share(sl.allIdle), 90.0, "every P idle while the only goroutine sleeps")
	assert.Less(t, sl.share(sl.idleWhileReady), 10.0)

	for _, b := range benches {
		assert.Positive(t, b.procs)
		for _, part := range []time.Duration{b.allIdle, b.someIdle, b.idleWhileReady} {
			assert.LessOrEqual(t, part, b.total, b.name)
		}
		assert.LessOrEqual(t, b.allIdle+b.someIdle, b.total, b.name)
	}

	out := report(benches)
	assert.Contains(t, out, "| W0 ping-pong |")
	assert.Contains(t, out, "| W0 sleep |")
}

func TestAnalyzeRejectsWhatIsNotATrace(t *testing.T) {
	_, err := analyze(strings.NewReader("not a trace"))
	assert.ErrorContains(t, err, "read trace")
}
