package unix_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

func TestPeerCredentials(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	client, server := connect(t, tr, listen(t, tr, socketPath(t)))
	want := transport.Credentials{PID: os.Getpid(), UID: os.Getuid(), GID: os.Getgid()}
	for name, c := range map[string]transport.Conn{"client": client, "server": server} {
		cc, ok := c.(transport.CredentialsConn)
		require.True(t, ok, name)
		got, err := cc.PeerCredentials()
		require.NoError(t, err, name)
		require.Equal(t, want, got, name)
	}
}
