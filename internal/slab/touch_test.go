package slab

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// TouchAhead writes the next stretch of free room once appends cross into
// a new stretch, and nothing else: not the bytes appended, not beyond the
// chunk's capacity, and nothing while appends stay within a stretch.
func TestTouchAhead(t *testing.T) {
	tests := []struct {
		name        string
		start, end  int // the append
		capacity    int
		wantTouched int // bytes of free room written, from end on
	}{
		{"within a stretch", 10, 100, Size, 0},
		{"into the next stretch", 1000, 1100, Size, touchStretch},
		{"onto a stretch's first byte", 1000, touchStretch, Size, touchStretch},
		{"near the end of the chunk", Size - 1100, Size - 1000, Size, 1000},
		{"to the end of the chunk", Size - 100, Size, Size, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Chunk{B: bytes.Repeat([]byte{0xff}, tt.capacity)[:tt.end]}
			TouchAhead(c, tt.start)
			room := c.B[tt.end:tt.capacity]
			require.Equal(t, make([]byte, tt.wantTouched), room[:tt.wantTouched])
			require.Equal(t, bytes.Repeat([]byte{0xff}, len(room)-tt.wantTouched), room[tt.wantTouched:])
			require.Equal(t, bytes.Repeat([]byte{0xff}, tt.end), c.B, "the appended bytes changed")
		})
	}
}
