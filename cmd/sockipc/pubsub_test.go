package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sockipc/sockipc/client"
	"github.com/sockipc/sockipc/topic"
)

// subLine is a line of sub's output.
type subLine struct {
	Topic   string          `json:"topic"`
	From    string          `json:"from"`
	Message json.RawMessage `json:"message"`
}

func parseSubLines(t *testing.T, out []string) []subLine {
	t.Helper()
	var got []subLine
	for _, s := range out {
		var l subLine
		require.NoError(t, json.Unmarshal([]byte(s), &l), "line %q", s)
		got = append(got, l)
	}
	return got
}

func TestPubSub(t *testing.T) {
	t.Parallel()
	path, hub := serve(t)
	sub := subscribe(t, "--count", "1", path, "chat.hello")

	msg := `{"from":"alice","text":"hi","n":-3,"f":1.5,"list":[1,"two",null,true],"nested":{"ok":false}}`
	res := runCmd(t, nil, "pub", path, "chat.hello", msg)
	require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	require.Empty(t, res.stderr)

	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	got := parseSubLines(t, sub.stdout.Lines())
	require.Len(t, got, 1)
	require.Equal(t, "chat.hello", got[0].Topic)
	require.JSONEq(t, msg, string(got[0].Message))
	require.Equal(t, msg, string(got[0].Message), "keys keep their order")

	// from is the publisher's client id, as the hub logged it.
	connected := hub.stderr.waitFor(t, `name="sockipc pub"`)
	require.Contains(t, connected, "client="+got[0].From)
}

func TestPubScalars(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	values := []string{`42`, `-1`, `18446744073709551615`, `2.5`, `1e300`, `"text"`, `true`, `null`, `[]`, `{}`}
	sub := subscribe(t, "--count", fmt.Sprint(len(values)), path, "scalar")
	for _, v := range values {
		res := runCmd(t, nil, "pub", path, "scalar", v)
		require.Equal(t, 0, res.code, "pub %s: %s", v, res.stderr)
	}
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	got := parseSubLines(t, sub.stdout.Lines())
	require.Len(t, got, len(values))
	for i, v := range values {
		require.JSONEq(t, v, string(got[i].Message))
	}
}

// A Go subscriber with int and string fields decodes what pub sends.
func TestPubToTypedSubscriber(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	type payload struct {
		N int
		S string
	}
	received := make(chan payload, 1)
	cl, err := client.New(path)
	require.NoError(t, err)
	defer cl.Close()
	_, err = topic.Subscribe(cl, topic.New[payload]("typed"), func(_ context.Context, p payload, _ topic.Peer) {
		received <- p
	})
	require.NoError(t, err)
	require.NoError(t, cl.Connect(testContext(t)))

	res := runCmd(t, nil, "pub", path, "typed", `{"N":42,"S":"forty-two"}`)
	require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	select {
	case p := <-received:
		require.Equal(t, payload{N: 42, S: "forty-two"}, p)
	case <-testContext(t).Done():
		t.Fatal("the typed subscriber received nothing")
	}
}

// Messages on two topics come out in the order they were published, and
// other topics are left out.
func TestSubTwoTopics(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	sub := subscribe(t, "--count", "3", path, "a", "b")
	for _, m := range [][2]string{{"a", "1"}, {"c", "2"}, {"b", "3"}, {"a", "4"}} {
		res := runCmd(t, nil, "pub", path, m[0], m[1])
		require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	}
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	require.Regexp(t, `^\{"topic":"a","from":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}","message":1\}$`,
		sub.stdout.Lines()[0])
	var order []string
	for _, l := range parseSubLines(t, sub.stdout.Lines()) {
		order = append(order, l.Topic+"="+string(l.Message))
	}
	require.Equal(t, []string{"a=1", "b=3", "a=4"}, order)
}

// Every topic, when none is given.
func TestSubAllTopics(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	sub := subscribe(t, "--count", "2", path)
	require.Equal(t, 0, runCmd(t, nil, "pub", path, "x", `"one"`).code)
	require.Equal(t, 0, runCmd(t, nil, "pub", path, "y.z", `"two"`).code)
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	got := parseSubLines(t, sub.stdout.Lines())
	require.Len(t, got, 2)
	require.Equal(t, "x", got[0].Topic)
	require.Equal(t, "y.z", got[1].Topic)
}

// 1,000 lines of stdin all arrive, in order.
func TestPubStdin(t *testing.T) {
	t.Parallel()
	const n = 1000
	path, _ := serve(t)
	sub := subscribe(t, "--count", fmt.Sprint(n), path, "seq")
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, `{"i":%d,"s":"line %d"}`+"\n", i, i)
	}
	res := runCmd(t, strings.NewReader(in.String()), "pub", path, "seq")
	require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	got := parseSubLines(t, sub.stdout.Lines())
	require.Len(t, got, n)
	for i, l := range got {
		require.Equal(t, fmt.Sprintf(`{"i":%d,"s":"line %d"}`, i, i), string(l.Message))
	}
}

// A bad stdin line is reported and skipped; the others are published and
// pub exits with status 1.
func TestPubStdinBadLine(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	sub := subscribe(t, "--count", "2", path, "t")
	res := runCmd(t, strings.NewReader("1\n{oops\n\n2\n"), "pub", path, "t")
	require.Equal(t, 1, res.code)
	require.Contains(t, res.stderr, "sockipc: pub: line 2: invalid JSON")
	require.Contains(t, res.stderr, "sockipc: pub: 1 of 4 lines not published")
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	got := parseSubLines(t, sub.stdout.Lines())
	require.Equal(t, "1", string(got[0].Message))
	require.Equal(t, "2", string(got[1].Message))
}

// sub exits with status 1 when its timeout comes before --count messages.
func TestSubTimeout(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	sub := subscribe(t, "--count", "2", "--timeout", "2s", path, "t")
	require.Equal(t, 0, runCmd(t, nil, "pub", path, "t", "1").code)
	sub.stdout.waitFor(t, `"message":1`)
	require.Equal(t, 1, sub.wait(t))
	require.Contains(t, sub.stderr.String(), "sockipc: sub: timed out after 2s: 1 of 2 messages arrived")
	require.Len(t, sub.stdout.Lines(), 1)

	// Without --count, the timeout is the normal end.
	res := runCmd(t, nil, "sub", "--timeout", "1s", path)
	require.Equal(t, 0, res.code, res.stderr)
}

// A server's own messages come from "server".
func TestSubFromServer(t *testing.T) {
	t.Parallel()
	path := socketPath(t)
	srv := startGoServer(t, path)
	sub := subscribe(t, "--count", "1", path, "news")
	require.NoError(t, topic.Publish(testContext(t), srv, topic.New[map[string]int]("news"), map[string]int{"n": 1}))
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	require.Equal(t, []string{`{"topic":"news","from":"server","message":{"n":1}}`}, sub.stdout.Lines())
}

func TestNodeCompat(t *testing.T) {
	t.Parallel()
	path, _ := serve(t, "--node-compat")
	sub := subscribe(t, "--node-compat", "--count", "2", path, "t")
	res := runCmd(t, nil, "pub", "--node-compat", path, "t", `{"a": [1, 2.5]}`)
	require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	res = runCmd(t, strings.NewReader("\"x\"\n"), "pub", "--node-compat", path, "t")
	require.Equal(t, 0, res.code, "pub: %s", res.stderr)
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	require.Equal(t, []string{
		`{"topic":"t","from":"server","message":{"a":[1,2.5]}}`,
		`{"topic":"t","from":"server","message":"x"}`,
	}, sub.stdout.Lines())
}

func TestPubNoServer(t *testing.T) {
	t.Parallel()
	res := runCmd(t, nil, "pub", "--timeout", "300ms", socketPath(t), "t", "1")
	require.Equal(t, 1, res.code)
	require.Regexp(t, `^sockipc: pub: connect .*s\.sock: .*no such file or directory \(timed out after 300ms\)\n$`, res.stderr)
}

// --timeout bounds pub while it waits for stdin.
func TestPubStdinTimeout(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	_, err = w.WriteString("1\n")
	require.NoError(t, err)
	res := runCmd(t, r, "pub", "--timeout", "2s", path, "t")
	require.Equal(t, 1, res.code)
	require.Equal(t, "sockipc: pub: timed out after 2s, 1 message sent\n", res.stderr)
}
