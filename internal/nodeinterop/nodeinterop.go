// Package nodeinterop tests sockipc's Node.js compatibility mode against the
// real npm package @crussell52/socket-ipc, and holds the helpers that run
// its Node.js scripts.
//
// The scripts live in testdata/node, with a package.json and a lock file
// that pin the npm package; install it once with `npm ci` in that folder
// (.ci/run does). Each script is run as a child process and driven through
// its standard streams: the test writes commands as JSON lines on its
// stdin, and reads what happened as JSON lines ([Event]) on its stdout.
// The comment at the top of each script lists its commands and events.
package nodeinterop

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeout bounds every wait for a child process.
const Timeout = 10 * time.Second

// Dir returns the absolute path of testdata/node, found from the working
// directory upwards (tests run in their package's folder).
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "node")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("nodeinterop: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Require fails the test unless node is on PATH and the npm package is
// installed in testdata/node. It returns testdata/node.
func Require(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("the Node.js interop tests need node on PATH: %v", err)
	}
	dir := Dir(t)
	if err := install(dir); err != nil {
		t.Fatalf("the npm package @crussell52/socket-ipc is not installed, and `npm ci` in %s failed: %v", dir, err)
	}
	return dir
}

// install runs `npm ci` in dir unless the package is already there, so
// that `go test ./...` works on a fresh clone. A lock file keeps the test
// processes of several packages from installing at the same time.
func install(dir string) error {
	pkg := filepath.Join(dir, "node_modules", "@crussell52", "socket-ipc", "package.json")
	if _, err := os.Stat(pkg); err == nil {
		return nil
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".install.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(pkg); err == nil {
		return nil // another process installed it meanwhile
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return err
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}

// Event is one line a script printed. The fields a kind of event uses are
// listed in the script.
type Event struct {
	Event      string          `json:"event"`
	Cmd        string          `json:"cmd"`
	Seq        int             `json:"seq"`
	Topic      string          `json:"topic"`
	HasMessage bool            `json:"hasMessage"`
	Message    json.RawMessage `json:"message"`
	Client     string          `json:"client"`
	Error      string          `json:"error"`
	Name       string          `json:"name"`
	N          int             `json:"n"`

	// Line is the line as printed, without its newline.
	Line string `json:"-"`
}

// Decode decodes the event's message into v.
func (e Event) Decode(v any) error { return json.Unmarshal(e.Message, v) }

func (e Event) String() string { return e.Line }

// Is matches events of a kind.
func Is(kind string) func(Event) bool {
	return func(e Event) bool { return e.Event == kind }
}

// MessageOn matches the 'message' events on a topic.
func MessageOn(topic string) func(Event) bool {
	return func(e Event) bool { return e.Event == "message" && e.Topic == topic }
}

// Proc is a running child process that prints events.
type Proc struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser

	mu      sync.Mutex
	events  []Event       // printed and not yet awaited
	changed chan struct{} // closed and replaced when events or exited change
	exited  bool
	waitErr error
	killed  bool
	stderr  bytes.Buffer
	seq     int

	done chan struct{} // closed once the process has exited and been waited for
}

// Start runs `node script args...` in testdata/node, after checking with
// [Require] that it can. The process is stopped when the test ends; a
// process that died by itself with an error fails the test then.
func Start(t testing.TB, script string, args ...string) *Proc {
	t.Helper()
	dir := Require(t)
	cmd := exec.Command("node", append([]string{script}, args...)...)
	cmd.Dir = dir
	return StartCmd(t, script, cmd)
}

// StartCmd starts cmd, a program that prints events as the scripts do.
func StartCmd(t testing.TB, name string, cmd *exec.Cmd) *Proc {
	t.Helper()
	p := &Proc{name: name, cmd: cmd, changed: make(chan struct{}), done: make(chan struct{})}
	cmd.Stderr = lockedWriter{p}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p.stdin = stdin
	go p.read(stdout)
	t.Cleanup(func() { p.stop(t) })
	return p
}

// lockedWriter collects a process's stderr.
type lockedWriter struct{ p *Proc }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.stderr.Write(b)
}

// read collects the events until stdout ends, then waits for the process.
func (p *Proc) read(stdout io.Reader) {
	r := bufio.NewReaderSize(stdout, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			line = bytes.TrimSuffix(line, []byte("\n"))
			var e Event
			if json.Unmarshal(line, &e) != nil {
				e = Event{Event: "stdout"}
			}
			e.Line = string(line)
			p.mu.Lock()
			p.events = append(p.events, e)
			p.notify()
			p.mu.Unlock()
		}
		if err != nil {
			break
		}
	}
	err := p.cmd.Wait()
	p.mu.Lock()
	p.exited, p.waitErr = true, err
	p.notify()
	p.mu.Unlock()
	close(p.done)
}

// notify wakes the waiters; p.mu is held.
func (p *Proc) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// stop ends the process at the end of the test: it closes stdin, which
// the scripts take as the signal to exit, and kills it if it lingers.
func (p *Proc) stop(t testing.TB) {
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(Timeout):
		p.Kill(t)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waitErr != nil && !p.killed {
		t.Errorf("%s exited with %v; stderr:\n%s", p.name, p.waitErr, p.stderr.String())
	}
}

// Kill kills the process with SIGKILL and waits until it is gone.
func (p *Proc) Kill(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	p.killed = true
	p.mu.Unlock()
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("kill %s: %v", p.name, err)
	}
	select {
	case <-p.done:
	case <-time.After(Timeout):
		t.Fatalf("%s still running %v after SIGKILL", p.name, Timeout)
	}
}

// Do sends a command and waits until the script has carried it out.
// cmd is a JSON object such as {"cmd": "send", "topic": "t", "message": 1}.
func (p *Proc) Do(t testing.TB, cmd map[string]any) {
	t.Helper()
	p.mu.Lock()
	p.seq++
	seq := p.seq
	p.mu.Unlock()
	cmd["seq"] = seq
	line, err := json.Marshal(cmd)
	if err != nil {
		t.Fatalf("encode command for %s: %v", p.name, err)
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		t.Fatalf("send command to %s: %v; stderr:\n%s", p.name, err, p.Stderr())
	}
	p.Await(t, func(e Event) bool { return e.Event == "done" && e.Seq == seq })
}

// Await waits for the first event not awaited yet that matches, removes it
// from the events waiting and returns it. Events before it stay, for
// later calls. It fails the test if the process exits or Timeout passes
// first.
func (p *Proc) Await(t testing.TB, match func(Event) bool) Event {
	t.Helper()
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		for i, e := range p.events {
			if match(e) {
				p.events = slices.Delete(p.events, i, i+1)
				p.mu.Unlock()
				return e
			}
		}
		exited, changed := p.exited, p.changed
		p.mu.Unlock()
		if exited {
			t.Fatalf("%s exited (%v) before the awaited event; %s", p.name, p.exitErr(), p.state())
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("%s: awaited event not printed within %v; %s", p.name, Timeout, p.state())
		}
	}
}

// Messages awaits the next n 'message' events on topic, in order.
func (p *Proc) Messages(t testing.TB, topic string, n int) []Event {
	t.Helper()
	out := make([]Event, n)
	for i := range out {
		out[i] = p.Await(t, MessageOn(topic))
	}
	return out
}

// Pending returns the events printed and not awaited yet.
func (p *Proc) Pending() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}

// Stderr returns what the process printed on stderr so far.
func (p *Proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

func (p *Proc) exitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waitErr
}

// state describes the events waiting and stderr, for failure messages.
func (p *Proc) state() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d events waiting:", len(p.events))
	for i, e := range p.events {
		if i == 20 {
			fmt.Fprintf(&b, "\n  ... %d more", len(p.events)-i)
			break
		}
		line := e.Line
		if len(line) > 200 {
			line = line[:200] + "..."
		}
		fmt.Fprintf(&b, "\n  %s", line)
	}
	fmt.Fprintf(&b, "\nstderr:\n%s", p.stderr.String())
	return b.String()
}
