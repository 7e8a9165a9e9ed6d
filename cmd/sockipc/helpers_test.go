package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitTime bounds every wait of these tests for an event.
const waitTime = 15 * time.Second

// socketPath returns a socket path in a fresh, short directory that is
// removed when the test ends.
func socketPath(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "sk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s.sock")
}

// lines collects what a process writes, line by line, and lets a test
// wait for a line.
type lines struct {
	mu      sync.Mutex
	partial []byte
	all     []string
	changed chan struct{} // closed and replaced when a line is added
}

func newLines() *lines { return &lines{changed: make(chan struct{})} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	added := false
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.all = append(l.all, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
		added = true
	}
	if added {
		close(l.changed)
		l.changed = make(chan struct{})
	}
	return len(p), nil
}

// Lines returns the complete lines written so far.
func (l *lines) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.all...)
}

func (l *lines) String() string { return strings.Join(l.Lines(), "\n") }

// waitFor waits for a line that contains substr, and returns it.
func (l *lines) waitFor(t *testing.T, substr string) string {
	t.Helper()
	deadline := time.After(waitTime)
	for {
		l.mu.Lock()
		for _, s := range l.all {
			if strings.Contains(s, substr) {
				l.mu.Unlock()
				return s
			}
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no line with %q within %v; got:\n%s", substr, waitTime, l)
		}
	}
}

// proc is a running sockipc process.
type proc struct {
	cmd    *exec.Cmd
	stdout *lines
	stderr *lines
	done   chan struct{} // closed when the process has exited
	err    error         // what Wait returned, once done is closed
}

// start starts sockipc with args and stdin (nil for none). The process is
// killed, if still running, when the test ends.
func start(t *testing.T, stdin io.Reader, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(sockipcBin, args...), stdout: newLines(), stderr: newLines(), done: make(chan struct{})}
	// A command built with the race detector sleeps 1 s before exiting,
	// by default; a race it finds makes it exit with status 66.
	p.cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0")
	p.cmd.Stdin = stdin
	p.cmd.Stdout = p.stdout
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// wait waits for the process to exit and returns its exit status.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitTime):
		t.Fatalf("sockipc %s still running after %v; stderr:\n%s", strings.Join(p.cmd.Args[1:], " "), waitTime, p.stderr)
	}
	var ee *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &ee):
		return ee.ExitCode()
	}
	t.Fatal(p.err)
	return -1
}

// result is the outcome of a finished run of sockipc.
type result struct {
	code           int
	stdout, stderr string
}

// runCmd runs sockipc with args and stdin (nil for none) to the end.
func runCmd(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	p := start(t, stdin, args...)
	code := p.wait(t)
	return result{code: code, stdout: joinLines(p.stdout), stderr: joinLines(p.stderr)}
}

// joinLines is everything the process wrote, once it has exited.
func joinLines(l *lines) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := strings.Join(l.all, "\n")
	if len(l.all) > 0 {
		s += "\n"
	}
	return s + string(l.partial)
}

// serve starts "sockipc serve" on a fresh socket and waits until it
// listens.
func serve(t *testing.T, flags ...string) (string, *proc) {
	t.Helper()
	path := socketPath(t)
	p := start(t, nil, append(append([]string{"serve"}, flags...), path)...)
	p.stderr.waitFor(t, "msg=listening")
	return path, p
}

// subscribe starts "sockipc sub" and waits until it is subscribed.
func subscribe(t *testing.T, args ...string) *proc {
	t.Helper()
	p := start(t, nil, append([]string{"sub"}, args...)...)
	p.stderr.waitFor(t, "sockipc: sub: subscribed")
	return p
}

// testContext returns a context that ends with the test.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTime)
	t.Cleanup(cancel)
	return ctx
}
