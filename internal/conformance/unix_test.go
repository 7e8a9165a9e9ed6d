package conformance_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/sockipc/sockipc/internal/conformance"
	"github.com/sockipc/sockipc/internal/testutil"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestUnix runs the suite over unix domain sockets, the default transport.
func TestUnix(t *testing.T) {
	conformance.Run(t, conformance.Env{Addr: func(t testing.TB) string { return testutil.SocketPath(t) }})
}
