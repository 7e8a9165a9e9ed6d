package nats_test

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sknats "github.com/sockipc/sockipc/transport/nats"
	"github.com/sockipc/sockipc/transport/nats/internal/embedded"
)

// quickReconnect makes nats.go retry every 10 ms.
var quickReconnect = sknats.WithNATSOptions(natsgo.ReconnectWait(10*time.Millisecond), natsgo.ReconnectJitter(0, 0))

// privateNATS starts a NATS server for one test, which may stop it.
func privateNATS(t *testing.T) (*server.Server, string) {
	t.Helper()
	ns, err := embedded.Start(nil)
	require.NoError(t, err)
	t.Cleanup(func() { embedded.Shutdown(ns) })
	return ns, ns.ClientURL()
}

// The NATS server restarts while frames flow both ways: both sides'
// NATS connections come back, what was lost on the way is sent again, and
// every frame arrives once, in order.
func TestConnectionsRideOutNATSRestart(t *testing.T) {
	const n = 4000
	ns, url := privateNATS(t)
	port := ns.Addr().(*net.TCPAddr).Port
	srv, cl := pair(t, newTransportAt(t, url, quickReconnect), newTransportAt(t, url, quickReconnect))

	halfway := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, dir := range []struct {
		from, to interface {
			WriteMessage([]byte) error
			ReadMessage() ([]byte, error)
		}
	}{{cl, srv}, {srv, cl}} {
		wg.Go(func() {
			for i := range n {
				if err := dir.from.WriteMessage(frame(i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for i := range n {
				p, err := dir.to.ReadMessage()
				if !assert.NoError(t, err) || !assert.Equal(t, frame(i), p, "message %d", i) {
					return
				}
				if i == n/4 {
					halfway <- struct{}{}
				}
			}
		})
	}
	<-halfway
	<-halfway
	embedded.Shutdown(ns)
	ns2, err := embedded.Start(func(o *server.Options) { o.Port = port })
	require.NoError(t, err)
	t.Cleanup(func() { embedded.Shutdown(ns2) })
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		srv.Close() // unblocks the readers and writers
		cl.Close()
		<-done
		t.Fatal("the frames did not all arrive")
	}
}

// With the NATS server gone for longer than the grace, connections end
// with ErrDisconnected, and dials fail at once with ErrNotConnected.
func TestConnectionsEndAfterGrace(t *testing.T) {
	const grace = 200 * time.Millisecond
	ns, url := privateNATS(t)
	tr := newTransportAt(t, url, quickReconnect, sknats.WithDisconnectGrace(grace))
	srv, _ := pair(t, tr, newTransportAt(t, url, quickReconnect))

	start := time.Now()
	embedded.Shutdown(ns)
	err := readErr(t, srv)
	require.ErrorIs(t, err, sknats.ErrDisconnected)
	require.GreaterOrEqual(t, time.Since(start), grace)
	_, err = tr.Dial(ctx(t), "anything")
	require.ErrorIs(t, err, sknats.ErrNotConnected)
}
