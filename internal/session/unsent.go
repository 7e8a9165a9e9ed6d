package session

import (
	"encoding/binary"

	"github.com/sockipc/sockipc/internal/slab"
	"github.com/sockipc/sockipc/internal/wire"
)

// Unsent calls keep with each message published on the session that was
// still queued, never written, when the session ended, in order. A client
// puts them back in its reconnect buffer, or reports them lost. Call it
// once the session has finished; it returns how many there were.
func (s *Session) Unsent(keep func(body []byte)) int {
	cs := s.queue.takeUnsent()
	defer slab.Put(cs)
	dec := s.cfg.Format.NewDecoder()
	var e wire.Envelope
	n := 0
	for _, c := range cs {
		for b := c.B; len(b) >= 4; {
			size := binary.BigEndian.Uint32(b)
			body := b[4 : 4+size]
			b = b[4+size:]
			if dec.Decode(body, &e) == nil && e.Kind == wire.KindPublish {
				n++
				if keep != nil {
					keep(body)
				}
			}
		}
	}
	return n
}
