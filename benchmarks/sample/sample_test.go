package sample

import (
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestFastSampleInterop checks that the generated code and reflection
// encode the same message the other can read, and that Check accepts the
// right message and rejects another.
func TestFastSampleInterop(t *testing.T) {
	vals := make([]float64, NumVals)
	want := Make[Sample](12345, vals)
	if len(want.Name) != 16 {
		t.Fatalf("Name %q has %d characters, want 16", want.Name, len(want.Name))
	}

	b, err := msgpack.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var fast FastSample
	if _, err := fast.UnmarshalMsg(b); err != nil {
		t.Fatal(err)
	}
	if err := Check(12345, fast); err != nil {
		t.Fatal(err)
	}

	f := Make[FastSample](77, vals)
	b, err = f.MarshalMsg(nil)
	if err != nil {
		t.Fatal(err)
	}
	var back Sample
	if err := msgpack.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := Check(77, back); err != nil {
		t.Fatal(err)
	}
	if Check(78, back) == nil {
		t.Fatal("Check accepted message 77 as 78")
	}
	back.Vals[2]++
	if Check(77, back) == nil {
		t.Fatal("Check accepted a changed value")
	}
}
