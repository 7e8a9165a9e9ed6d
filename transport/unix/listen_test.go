package unix_test

import (
	"io"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

func TestListenAndDial(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	path := socketPath(t)
	l := listen(t, tr, path)
	assert.Equal(t, path, l.Addr())
	client, server := connect(t, tr, l)
	exchange(t, client, server)
}

func TestListenWithFraming(t *testing.T) {
	t.Parallel()
	tr := unix.New(unix.WithFraming(transport.Delimited([]byte(transport.NodeDelimiter))))
	l := listen(t, tr, socketPath(t))
	client, server := connect(t, tr, l)
	exchange(t, client, server)

	// A peer writing the Node.js format by hand is understood.
	raw, err := net.Dial("unix", l.Addr())
	require.NoError(t, err)
	defer raw.Close()
	_, err = raw.Write([]byte("{\"a\":1}\x00\x00"))
	require.NoError(t, err)
	c, err := l.Accept()
	require.NoError(t, err)
	defer c.Close()
	got, err := c.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, `{"a":1}`, string(got))
}

func TestListenValidatesPath(t *testing.T) {
	t.Parallel()
	_, err := unix.New().Listen("8080")
	require.ErrorIs(t, err, unix.ErrPortNumber)
	_, err = unix.New().Listen("")
	require.ErrorIs(t, err, unix.ErrEmptyPath)
	var zero unix.Transport
	_, err = zero.Dial(t.Context(), "8080")
	require.ErrorIs(t, err, unix.ErrPortNumber, "the zero Transport validates too")
}

func TestListenReclaimsStaleSocket(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	path := socketPath(t)
	staleSocket(t, path)
	l := listen(t, tr, path)
	client, server := connect(t, tr, l)
	exchange(t, client, server)
}

func TestListenLeavesLiveListenerAlone(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	path := socketPath(t)
	live := listen(t, tr, path)

	_, err := tr.Listen(path)
	require.ErrorIs(t, err, transport.ErrAddrInUse)
	assert.ErrorContains(t, err, path)

	// The live listener saw the probe as a connection that just closes.
	probe, err := live.Accept()
	require.NoError(t, err)
	_, err = probe.ReadMessage()
	require.Equal(t, io.EOF, err)
	require.NoError(t, probe.Close())

	// And it still works.
	_, err = os.Lstat(path)
	require.NoError(t, err)
	client, server := connect(t, tr, live)
	exchange(t, client, server)
}

func TestListenRefusesNonSocket(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func(path string) error
		kind string
	}{
		{"regular file", func(p string) error { return os.WriteFile(p, []byte("keep me"), 0o600) }, "regular file"},
		{"directory", func(p string) error { return os.Mkdir(p, 0o700) }, "directory"},
		{"symbolic link", func(p string) error { return os.Symlink("/", p) }, "symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := socketPath(t)
			require.NoError(t, tt.make(path))
			before, err := os.Lstat(path)
			require.NoError(t, err)

			_, err = unix.New().Listen(path)
			require.ErrorIs(t, err, unix.ErrNotSocket)
			assert.ErrorContains(t, err, tt.kind)

			after, err := os.Lstat(path)
			require.NoError(t, err, "the file is not removed")
			assert.True(t, os.SameFile(before, after))
		})
	}
}

func TestListenMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []unix.Option
		want os.FileMode
	}{
		{"default", nil, 0o600},
		{"group", []unix.Option{unix.WithMode(0o660)}, 0o660},
		{"everyone", []unix.Option{unix.WithMode(0o666)}, 0o666},
		{"only permission bits", []unix.Option{unix.WithMode(os.ModeSetuid | 0o640)}, 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := socketPath(t)
			listen(t, unix.New(tt.opts...), path)
			fi, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.ModeSocket, fi.Mode().Type())
			assert.Equal(t, tt.want, fi.Mode().Perm())
		})
	}
}

func TestListenerClose(t *testing.T) {
	t.Parallel()
	path := socketPath(t)
	l, err := unix.New().Listen(path)
	require.NoError(t, err)

	accepted := make(chan error, 1)
	go func() {
		_, err := l.Accept()
		accepted <- err
	}()
	require.NoError(t, l.Close())
	require.ErrorIs(t, <-accepted, net.ErrClosed, "Close unblocks Accept")

	_, err = os.Lstat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "the socket file is removed")
	require.NoError(t, l.Close(), "Close is idempotent")
	_, err = l.Accept()
	require.ErrorIs(t, err, net.ErrClosed)
}

func TestListenerCloseKeepsReplacement(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	path := socketPath(t)
	old, err := tr.Listen(path)
	require.NoError(t, err)

	// Someone removes our file and another server takes the path.
	require.NoError(t, os.Remove(path))
	replacement := listen(t, tr, path)

	require.NoError(t, old.Close())
	_, err = os.Lstat(path)
	require.NoError(t, err, "the replacement's file is kept")
	client, server := connect(t, tr, replacement)
	exchange(t, client, server)
}
