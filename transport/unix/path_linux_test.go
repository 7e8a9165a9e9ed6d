package unix_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport/unix"
)

func TestValidateAbstractPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		want error
	}{
		{"name", "@sockipc", nil},
		{"digits", "@8080", nil},
		{"no name", "@", unix.ErrEmptyPath},
		{"108 bytes", "@" + strings.Repeat("a", 107), nil},
		{"109 bytes", "@" + strings.Repeat("a", 108), unix.ErrPathTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorIs(t, unix.ValidatePath(tt.path), tt.want)
		})
	}
}
