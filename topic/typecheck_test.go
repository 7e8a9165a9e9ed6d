package topic_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTypeSafetyIsCheckedAtCompileTime builds the program in
// testdata/typecheck twice: with values of the right types it builds; with
// a string published on a Greeting topic, a handler of the wrong type and
// a call with the wrong argument type, each of those lines is a type error.
func TestTypeSafetyIsCheckedAtCompileTime(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command must be on PATH")
	build := func(tags ...string) (string, error) {
		args := append([]string{"build", "-o", "/dev/null"}, tags...)
		cmd := exec.Command(goTool, append(args, "./testdata/typecheck")...)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := build()
	require.NoError(t, err, "the right types must build:\n%s", out)

	out, err = build("-tags", "wrong")
	require.Error(t, err, "the wrong types must not build")
	for _, want := range []string{
		"main.go:25:", "in call to topic.Publish, type string of greeting does not match inferred type Greeting for T",
		"main.go:26:", "in call to topic.Subscribe",
		"main.go:27:", "in call to topic.Call, type [2]int of sum does not match inferred type Sum for Req",
	} {
		require.True(t, strings.Contains(out, want), "missing %q in:\n%s", want, out)
	}
}
