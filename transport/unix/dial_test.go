package unix_test

import (
	"context"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport/unix"
)

func TestDialErrors(t *testing.T) {
	t.Parallel()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		path func(t *testing.T) string
		want error
	}{
		{"missing file", context.Background(), socketPath, syscall.ENOENT},
		{"stale file", context.Background(), func(t *testing.T) string {
			p := socketPath(t)
			staleSocket(t, p)
			return p
		}, syscall.ECONNREFUSED},
		{"port number", context.Background(), func(*testing.T) string { return "8080" }, unix.ErrPortNumber},
		{"canceled", canceled, func(t *testing.T) string {
			p := socketPath(t)
			listen(t, unix.New(), p)
			return p
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := unix.New().Dial(tt.ctx, tt.path(t))
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, c)
		})
	}
}
