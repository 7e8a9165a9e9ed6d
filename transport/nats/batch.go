package nats

import (
	"encoding/binary"
	"fmt"

	"github.com/sockipc/sockipc/transport"
)

// A link takes a sender's queue in one call, as records (a 4-byte length,
// then a frame), and publishes each record's frame as one NATS message.
var _ transport.TryWriter = (*link)(nil)

// WriteBatch implements [transport.BatchWriter]: it publishes every record
// of bufs, in order, waiting for window as WriteMessage does.
func (l *link) WriteBatch(bufs [][]byte) error {
	_, err := l.writeRecords(bufs, true)
	return err
}

// TryWriteBatch implements [transport.TryWriter]: it publishes the records
// of bufs while the peer's window has room, and returns the bytes of the
// records it published, always whole records. Publishing itself does not
// wait: nats.go buffers, and writes out from its own goroutine.
func (l *link) TryWriteBatch(bufs [][]byte) (int, error) {
	return l.writeRecords(bufs, false)
}

func (l *link) writeRecords(bufs [][]byte, wait bool) (int, error) {
	done := 0
	for _, b := range bufs {
		for len(b) > 0 {
			if len(b) < 4 || uint64(len(b)-4) < uint64(binary.BigEndian.Uint32(b)) {
				return done, fmt.Errorf("nats: malformed record in a batch (%d bytes left)", len(b))
			}
			n := int(binary.BigEndian.Uint32(b))
			ok, err := l.write(b[4:4+n], wait)
			if err != nil || !ok {
				return done, err
			}
			done += 4 + n
			b = b[4+n:]
		}
	}
	return done, nil
}
