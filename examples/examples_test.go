// Package examples_test runs every example program, as a user would with
// go run, and checks that it ends by itself, successfully, saying what it
// should.
package examples_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExamplesRun(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command must be on PATH")
	for _, tc := range []struct {
		dir  string
		args []string
		want []string
	}{
		{"quickstart", nil, []string{`server: alice says "hi, server"`, `client: server says "hello, alice"`, "alice joined", "done"}},
		{"conversation", nil, []string{"[helloagain] 3", "client (charlie) -> server: [helloback]"}},
		{"resilience", []string{"-restarts", "1"}, []string{"client: connected", "client: disconnected", "client: reconnected", "client: closed"}},
		{"rpc", nil, []string{"9 + 0.5 = 9.5", "deadline exceeded: true", `code "division_by_zero"`, "1 / 4 = 0.25"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, goTool, append([]string{"run", "./" + tc.dir}, tc.args...)...)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			for _, want := range tc.want {
				require.True(t, strings.Contains(string(out), want), "missing %q in:\n%s", want, out)
			}
		})
	}
}
