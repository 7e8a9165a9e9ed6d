package topic

import (
	"reflect"
	"sync"
)

// boxes is a pool of *T to encode values from and decode values into. A
// value handed to a codec, through an interface, would otherwise be copied
// to the heap every time. Topics and procedures carry the pool of their
// types; the zero boxes, of a zero Topic, allocates instead.
type boxes[T any] struct{ pool *sync.Pool }

// boxPools holds the pool of each type, so that topics of one type share
// it (and two topics of the same name and type are equal).
var boxPools sync.Map // reflect.Type -> *sync.Pool

func newBoxes[T any]() boxes[T] {
	t := reflect.TypeFor[T]()
	p, ok := boxPools.Load(t)
	if !ok {
		p, _ = boxPools.LoadOrStore(t, &sync.Pool{New: func() any { return new(T) }})
	}
	return boxes[T]{p.(*sync.Pool)}
}

// get returns a pointer to a zero T.
func (b boxes[T]) get() *T {
	if b.pool == nil {
		return new(T)
	}
	return b.pool.Get().(*T)
}

// put gives back what get returned, once the caller has copied out what
// it needs: the box is cleared, so that it keeps nothing alive.
func (b boxes[T]) put(p *T) {
	if b.pool == nil {
		return
	}
	var zero T
	*p = zero
	b.pool.Put(p)
}
