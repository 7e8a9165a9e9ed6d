package sample

import "fmt"

// Message is a type the workloads send: [Sample] or [FastSample].
type Message interface{ Sample | FastSample }

// names are the values of Name: 16 characters each, chosen by the id so
// that a message in the wrong place is noticed.
var names = func() []string {
	n := make([]string, 64)
	for i := range n {
		n[i] = fmt.Sprintf("sample-name-%04d", i)
	}
	return n
}()

// nameOf returns the Name of message id.
func nameOf(id int64) string { return names[uint64(id)%uint64(len(names))] }

// valsOf writes the Vals of message id into v, which has NumVals elements.
// The values are exact in float64 for every id below 2^50.
func valsOf(id int64, v []float64) {
	f := float64(id)
	v[0], v[1], v[2], v[3] = f, f+0.25, -f, f*1.5
}

// Make returns message id. Its Vals is vals, overwritten: a sender reuses
// one slice of NumVals floats for every message it sends, so building the
// message costs no allocation (the systems compared copy or encode it
// before they return).
func Make[T Message](id int64, vals []float64) T {
	vals = vals[:NumVals]
	valsOf(id, vals)
	return T(Sample{ID: id, Name: nameOf(id), Vals: vals})
}

// Check reports, as an error, how got differs from message id.
func Check[T Message](id int64, got T) error {
	s := Sample(got)
	if s.ID != id {
		return fmt.Errorf("message %d: got ID %d", id, s.ID)
	}
	if s.Name != nameOf(id) {
		return fmt.Errorf("message %d: got Name %q, want %q", id, s.Name, nameOf(id))
	}
	var want [NumVals]float64
	valsOf(id, want[:])
	if len(s.Vals) != NumVals {
		return fmt.Errorf("message %d: got %d Vals, want %d", id, len(s.Vals), NumVals)
	}
	for i, v := range s.Vals {
		if v != want[i] {
			return fmt.Errorf("message %d: got Vals %v, want %v", id, s.Vals, want)
		}
	}
	return nil
}
