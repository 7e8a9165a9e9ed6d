package unix_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/transport"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// socketPath returns a path for a socket in a new directory short enough
// for socket addresses (t.TempDir can be too long).
func socketPath(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sk")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s")
}

// listen starts l on path with tr and closes it at the end of the test.
func listen(t *testing.T, tr transport.Transport, path string) transport.Listener {
	t.Helper()
	l, err := tr.Listen(path)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

// staleSocket leaves a socket file at path that nobody listens on, as a
// process that died would.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	require.NoError(t, err)
	ln.SetUnlinkOnClose(false)
	require.NoError(t, ln.Close())
	_, err = os.Lstat(path)
	require.NoError(t, err)
}

// connect dials l with tr and accepts the connection, returning both ends.
func connect(t *testing.T, tr transport.Transport, l transport.Listener) (client, server transport.Conn) {
	t.Helper()
	accepted := make(chan transport.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			c = nil
		}
		accepted <- c
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := tr.Dial(ctx, l.Addr())
	require.NoError(t, err)
	server = <-accepted
	require.NotNil(t, server)
	t.Cleanup(func() {
		client.Close()
		server.Close()
	})
	return client, server
}

// exchange sends a message each way between a and b.
func exchange(t *testing.T, a, b transport.Conn) {
	t.Helper()
	for _, p := range [][2]transport.Conn{{a, b}, {b, a}} {
		require.NoError(t, p[0].WriteMessage([]byte("ping")))
		require.NoError(t, p[0].Flush())
		got, err := p[1].ReadMessage()
		require.NoError(t, err)
		require.Equal(t, "ping", string(got))
	}
}
