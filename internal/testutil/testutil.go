// Package testutil has helpers shared by the tests of several packages.
package testutil

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// SocketPath returns a socket path in a fresh directory that is removed
// when the test ends. The directory is short, under os.TempDir, because
// unix socket paths are limited to about 108 bytes and t.TempDir can be
// longer.
func SocketPath(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s.sock")
}

// Context returns a context that ends when the test does, or after d.
func Context(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// Recv waits for a value on ch, failing the test after d.
func Recv[T any](t testing.TB, ch <-chan T, d time.Duration) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("nothing received within %v", d)
		panic("unreachable")
	}
}

// NoRecv fails the test if a value is waiting on ch. Call it once a later
// event proves that the value would have arrived by now (a message sent
// after it on the same connection and topic has been received).
func NoRecv[T any](t testing.TB, ch <-chan T) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("unexpected value received: %v", v)
	default:
	}
}
