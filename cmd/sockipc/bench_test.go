package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBenchJSON(t *testing.T) {
	t.Parallel()
	res := runCmd(t, nil, "bench", "-n", "400", "--json")
	require.Equal(t, 0, res.code, res.stderr)
	var report benchReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &report), res.stdout)
	require.Len(t, report.Workloads, 4)
	want := map[string]int64{"publish": 400, "broadcast": 400, "rpc": 40, "rpc-32": 200}
	for _, w := range report.Workloads {
		require.Equal(t, want[w.Workload], w.Messages, w.Workload)
		require.Positive(t, w.MsgsPerSec, w.Workload)
		require.Positive(t, w.P99ns, w.Workload)
		require.GreaterOrEqual(t, w.P99ns, w.P50ns, w.Workload)
		require.Positive(t, w.AllocsPerMsg, w.Workload)
	}
	require.Contains(t, res.stderr, "sockipc: bench: rpc-32: 200 messages in")
}

func TestBenchTable(t *testing.T) {
	t.Parallel()
	res := runCmd(t, nil, "bench", "-n", "320")
	require.Equal(t, 0, res.code, res.stderr)
	require.Regexp(t, `workload +messages +msgs/s +p50 +p99 +allocs/msg\n`, res.stdout)
	require.Regexp(t, `\npublish +320 `, res.stdout)
}

// Against a relay server, the message workloads run and the calls are
// skipped.
func TestBenchSocket(t *testing.T) {
	t.Parallel()
	path, _ := serve(t)
	res := runCmd(t, nil, "bench", "-n", "400", "--json", "--socket", path)
	require.Equal(t, 0, res.code, res.stderr)
	var report benchReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &report), res.stdout)
	require.Equal(t, path, report.Socket)
	require.Len(t, report.Workloads, 4)
	require.Equal(t, int64(400), report.Workloads[0].Messages)
	require.Equal(t, int64(400), report.Workloads[1].Messages)
	require.NotEmpty(t, report.Workloads[2].Skipped)
	require.NotEmpty(t, report.Workloads[3].Skipped)
}
