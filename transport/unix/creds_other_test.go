//go:build !linux

package unix_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

func TestPeerCredentialsUnsupported(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	client, _ := connect(t, tr, listen(t, tr, socketPath(t)))
	cc, ok := client.(transport.CredentialsConn)
	require.True(t, ok)
	_, err := cc.PeerCredentials()
	require.ErrorIs(t, err, errors.ErrUnsupported)
}
