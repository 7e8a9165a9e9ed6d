package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	sock := "/tmp/sockipc-test-unused.sock"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `sockipc: unknown command "frobnicate" (see 'sockipc -h')`},
		{[]string{"pub"}, "sockipc: pub: missing arguments: want SOCKET TOPIC [JSON]"},
		{[]string{"pub", sock}, "sockipc: pub: missing arguments"},
		{[]string{"pub", sock, "t", "{oops"}, "sockipc: pub: message: invalid JSON"},
		{[]string{"pub", sock, "t", "1 2"}, "sockipc: pub: message: invalid JSON"},
		{[]string{"pub", sock, "t", "1", "2"}, "sockipc: pub: too many arguments"},
		{[]string{"pub", sock, "bad topic", "1"}, "sockipc: pub: "},
		{[]string{"pub", "8080", "t", "1"}, "port number"},
		{[]string{"sub", "--bogus", sock}, "sockipc: sub: flag provided but not defined: -bogus (see 'sockipc sub -h')"},
		{[]string{"sub", sock, "a", "--count", "3"}, "sockipc: sub: --count after the arguments: flags come first"},
		{[]string{"sub", "--count", "-1", sock}, "sockipc: sub: negative --count"},
		{[]string{"sub", "--timeout", "soon", sock}, "sockipc: sub: invalid value"},
		{[]string{"sub"}, "sockipc: sub: missing arguments"},
		{[]string{"serve"}, "sockipc: serve: missing arguments"},
		{[]string{"serve", sock, "extra"}, "sockipc: serve: too many arguments"},
		{[]string{"call", sock, "math.add"}, "sockipc: call: missing arguments"},
		{[]string{"call", sock, "math.add", "nope"}, "sockipc: call: argument: invalid JSON"},
		{[]string{"bench", "-n", "5"}, "sockipc: bench: -n 5 is below 320"},
		{[]string{"bench", "extra"}, "sockipc: bench: too many arguments"},
		{[]string{"version", "extra"}, "sockipc: version: too many arguments"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			res := runCmd(t, nil, tc.args...)
			require.Equal(t, 2, res.code, "%v: %s", tc.args, res.stderr)
			require.Contains(t, res.stderr, tc.want, "%v", tc.args)
			require.Empty(t, res.stdout, "%v", tc.args)
			if tc.args != nil {
				require.Equal(t, 1, strings.Count(res.stderr, "\n"), "%v: one line: %q", tc.args, res.stderr)
				require.True(t, strings.HasPrefix(res.stderr, "sockipc: "), "%v: %q", tc.args, res.stderr)
			}
		})
	}
}

// A name that starts with '-' goes after --.
func TestDoubleDash(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	sub := subscribe(t, "--count", "1", "--", path, "-odd")
	require.Equal(t, 0, runCmd(t, nil, "pub", "--", path, "-odd", "-5").code)
	require.Equal(t, 0, sub.wait(t), "sub: %s", sub.stderr)
	require.Contains(t, sub.stdout.String(), `"message":-5`)
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range commands {
		for _, flag := range []string{"-h", "--help"} {
			t.Run(cmd.name+" "+flag, func(t *testing.T) {
				t.Parallel()
				res := runCmd(t, nil, cmd.name, flag)
				require.Equal(t, 0, res.code, "%s %s: %s", cmd.name, flag, res.stderr)
				require.True(t, strings.HasPrefix(res.stdout, "Usage: sockipc "+cmd.name), "%s: %s", cmd.name, res.stdout)
				require.Contains(t, res.stdout, "Examples:\n  sockipc "+cmd.name)
				require.Empty(t, res.stderr)
			})
		}
	}
	for _, args := range [][]string{{"-h"}, {"help"}} {
		res := runCmd(t, nil, args...)
		require.Equal(t, 0, res.code)
		for _, cmd := range commands {
			require.Contains(t, res.stdout, "\t"+cmd.name)
		}
	}
	res := runCmd(t, nil, "help", "sub")
	require.Equal(t, 0, res.code)
	require.True(t, strings.HasPrefix(res.stdout, "Usage: sockipc sub"))
}

func TestVersion(t *testing.T) {
	t.Parallel()
	res := runCmd(t, nil, "version")
	require.Equal(t, 0, res.code, res.stderr)
	require.Regexp(t, `^sockipc \S+ go\S+ \w+/\w+\n$`, res.stdout)
}
