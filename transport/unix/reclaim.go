package unix

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/sockipc/sockipc/transport"
)

// probeTimeout bounds the connection attempt that tells a live listener
// from a stale socket file. Connecting to a local socket either succeeds or
// fails at once, so this only matters for a listener too busy to answer.
const probeTimeout = time.Second

// reclaimAttempts bounds how often reclaim starts over when the file
// changes under it, which only happens when servers race for the path.
const reclaimAttempts = 3

// reclaim makes path free for a new listener. A missing file is free. A
// socket file that nobody accepts on is stale, left behind by a process
// that died: it is removed. A live listener gives an error wrapping
// [transport.ErrAddrInUse], and a file that is not a socket one wrapping
// [ErrNotSocket]; both are left alone.
func reclaim(path string) error {
	for range reclaimAttempts {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unix: listen: %w", err)
		}
		if fi.Mode().Type() != fs.ModeSocket {
			return fmt.Errorf("%w: %q is a %s", ErrNotSocket, path, describe(fi.Mode()))
		}
		live, err := probe(path)
		if err != nil {
			return err
		}
		if live {
			return fmt.Errorf("unix: listen %q: %w", path, transport.ErrAddrInUse)
		}
		// Remove the stale file only if it is still the one probed:
		// another server may have reclaimed the path meanwhile.
		if cur, err := os.Lstat(path); err == nil && os.SameFile(fi, cur) {
			err := os.Remove(path)
			if err == nil || errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("unix: remove stale socket file: %w", err)
		}
	}
	return fmt.Errorf("unix: listen %q: socket file keeps changing: %w", path, transport.ErrAddrInUse)
}

// probe connects to the socket at path and reports whether a listener is
// there. The probe connection is closed at once; the listener just sees a
// connection that ends without a word.
func probe(path string) (live bool, err error) {
	c, err := net.DialTimeout("unix", path, probeTimeout)
	if err == nil {
		c.Close()
		return true, nil
	}
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return false, nil
	case errors.Is(err, syscall.EAGAIN), errors.As(err, &ne) && ne.Timeout():
		// A listener with a full backlog: busy, but alive.
		return true, nil
	}
	return false, fmt.Errorf("unix: listen: probe existing socket: %w", err)
}

// describe names the type of a file for an error message.
func describe(m fs.FileMode) string {
	switch m.Type() {
	case 0:
		return "regular file"
	case fs.ModeDir:
		return "directory"
	case fs.ModeSymlink:
		return "symbolic link"
	case fs.ModeNamedPipe:
		return "named pipe"
	case fs.ModeDevice, fs.ModeDevice | fs.ModeCharDevice:
		return "device"
	}
	return "file of mode " + m.String()
}
