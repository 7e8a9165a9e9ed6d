package uuid_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/internal/uuid"
)

var v4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewV4(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		id := uuid.NewV4()
		require.Regexp(t, v4, id)
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
}
