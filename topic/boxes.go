package topic

import (
	"reflect"
	"sync"
)

// boxes is a pool of boxes for values of type T: a value to encode from or
// decode into, and a buffer to encode into. A value handed to a codec,
// through an interface, would otherwise be copied to the heap every time;
// keeping the buffer in the same box saves a second pool's round trip on
// every publish and call. Topics and procedures carry the pool of their
// types; the zero boxes, of a zero Topic, allocates instead.
type boxes[T any] struct{ pool *sync.Pool }

// box holds a value, by pointer so that methods generated for *T
// (tinylib/msgp's MarshalMsg) are found, and an encoding buffer.
type box[T any] struct {
	v   T
	buf []byte
}

// maxPooledBuf is the largest encoding buffer a box keeps, so that one big
// message does not pin memory.
const maxPooledBuf = 64 << 10

// boxPools holds the pool of each type, so that topics of one type share
// it (and two topics of the same name and type are equal).
var boxPools sync.Map // reflect.Type -> *sync.Pool

func newBoxes[T any]() boxes[T] {
	t := reflect.TypeFor[T]()
	p, ok := boxPools.Load(t)
	if !ok {
		p, _ = boxPools.LoadOrStore(t, &sync.Pool{New: func() any { return new(box[T]) }})
	}
	return boxes[T]{p.(*sync.Pool)}
}

// get returns a box holding a zero T.
func (b boxes[T]) get() *box[T] {
	if b.pool == nil {
		return new(box[T])
	}
	return b.pool.Get().(*box[T])
}

// put gives back what get returned, once the caller has copied out what
// it needs: the value is cleared, so that the box keeps nothing alive.
// buf is what the caller encoded into the box's buffer, if anything; the
// box keeps it for the next encoding.
func (b boxes[T]) put(p *box[T], buf []byte) {
	if b.pool == nil {
		return
	}
	var zero T
	p.v = zero
	if cap(buf) > cap(p.buf) && cap(buf) <= maxPooledBuf {
		p.buf = buf
	}
	b.pool.Put(p)
}
