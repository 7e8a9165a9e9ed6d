package unix_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/transport/unix"
)

func TestValidatePath(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return "/" + strings.Repeat("a", n-1) }
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{"absolute", "/run/app.sock", nil, ""},
		{"relative", "app.sock", nil, ""},
		{"empty", "", unix.ErrEmptyPath, ""},
		{"port", "8080", unix.ErrPortNumber, `"8080"`},
		{"port with colon", ":8080", unix.ErrPortNumber, ""},
		{"digits in a name", "8080.sock", nil, ""},
		{"107 bytes", long(107), nil, ""},
		{"108 bytes", long(108), unix.ErrPathTooLong, "is 108 bytes, the limit is 107"},
		{"far too long", long(300), unix.ErrPathTooLong, "is 300 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := unix.ValidatePath(tt.path)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.ErrorContains(t, err, tt.text)
		})
	}
}
