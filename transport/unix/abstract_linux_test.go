package unix_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport"
	"github.com/sockipc/sockipc/transport/unix"
)

func abstractName() string {
	return fmt.Sprintf("@sockipc-test-%d-%x", os.Getpid(), rand.Uint64())
}

func TestAbstractSocket(t *testing.T) {
	t.Parallel()
	tr := unix.New()
	name := abstractName()
	l, err := tr.Listen(name)
	require.NoError(t, err)
	client, server := connect(t, tr, l)
	exchange(t, client, server)

	_, err = tr.Listen(name)
	require.ErrorIs(t, err, transport.ErrAddrInUse)

	require.NoError(t, l.Close())
	require.NoError(t, l.Close())
	_, err = tr.Dial(t.Context(), name)
	require.ErrorIs(t, err, syscall.ECONNREFUSED, "the name is gone with its listener")
}
