package session

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/internal/replybuf"
	"github.com/sockipc/sockipc/topic"
)

const waitLong = 10 * time.Second

func TestCallContextEnds(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		end     func(c *callContext)
		want    error
	}{
		{"cancelled", 0, func(c *callContext) { c.cancel() }, context.Canceled},
		{"cancelled before its deadline", time.Hour, func(c *callContext) { c.cancel() }, context.Canceled},
		{"deadline", time.Millisecond, func(*callContext) {}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &callContext{}
			c.init(tt.timeout)
			_, hasDeadline := c.Deadline()
			require.Equal(t, tt.timeout > 0, hasDeadline)
			done := c.Done()
			child, stop := context.WithCancel(c)
			defer stop()
			tt.end(c)
			select {
			case <-done:
			case <-time.After(waitLong):
				t.Fatal("Done was not closed")
			}
			require.ErrorIs(t, c.Err(), tt.want)
			<-child.Done()
			require.ErrorIs(t, child.Err(), tt.want)
			c.cancel() // a second end changes nothing
			require.ErrorIs(t, c.Err(), tt.want)
		})
	}
}

// Nothing waits: no timer is armed, and Err still reports the deadline
// once it has passed.
func TestCallContextArmsNoTimerUntilWaitedOn(t *testing.T) {
	c := &callContext{}
	c.init(time.Hour)
	require.NoError(t, c.Err())
	require.Nil(t, c.wait, "nothing waits: no waiters, no timer")
	c.deadline = time.Now() // as if the hour had passed
	require.ErrorIs(t, c.Err(), context.DeadlineExceeded)
	require.Nil(t, c.wait)
	select {
	case <-c.Done():
	default:
		t.Fatal("Done is not closed after Err reported the deadline")
	}
}

// Deriving a context registers with AfterFunc, which arms the timer; the
// stop function of a derived context that ended first unregisters it.
func TestCallContextDerived(t *testing.T) {
	c := &callContext{}
	c.init(time.Hour)
	child, stop := context.WithTimeout(c, time.Minute)
	require.NotNil(t, c.wait.timer)
	require.Len(t, c.wait.after, 1)
	stop()
	require.Empty(t, c.wait.after)
	require.ErrorIs(t, child.Err(), context.Canceled)
	require.NoError(t, c.Err())

	// context.AfterFunc on an ended call runs at once.
	c.cancel()
	ran := make(chan struct{})
	context.AfterFunc(c, func() { close(ran) })
	select {
	case <-ran:
	case <-time.After(waitLong):
		t.Fatal("AfterFunc on an ended context did not run")
	}
}

// The reply buffer is found through contexts wrapped around the call's,
// as headers and interceptors wrap it, and it is the same buffer each time.
func TestCallContextLendsTheReplyBufferThroughWrappers(t *testing.T) {
	c := &callContext{}
	c.init(0)
	type other struct{}
	wrapped := context.WithValue(topic.NewIncomingContext(c, map[string]string{"k": "v"}), other{}, 1)
	buf, ok := wrapped.Value(replybuf.Key{}).(*[]byte)
	require.True(t, ok)
	require.NotNil(t, buf)
	require.Same(t, buf, c.Value(replybuf.Key{}))
	require.Nil(t, c.Value(other{}))
	c.releaseReply()
	require.Nil(t, c.reply)
}
