package main

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestCheckCPUs checks that the check times every CPU the process may
// use, and leaves the other threads' CPUs as they were.
func TestCheckCPUs(t *testing.T) {
	before, err := allowedCPUs()
	if err != nil {
		t.Fatal(err)
	}
	c, err := checkCPUs()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "linux" {
		if c != nil {
			t.Fatalf("check %v where threads cannot be pinned, want none", c)
		}
		return
	}
	if len(c) != len(before) {
		t.Fatalf("%d times for %d CPUs: %v", len(c), len(before), c)
	}
	for i, ct := range c {
		if ct.cpu != before[i] {
			t.Errorf("time %d is of CPU %d, want CPU %d", i, ct.cpu, before[i])
		}
		// A decode takes a few hundred nanoseconds; a millisecond would
		// mean the timing is wrong.
		if ct.ns <= 0 || ct.ns > 1e6 {
			t.Errorf("CPU %d: %v ns a decode", ct.cpu, ct.ns)
		}
	}
	// Checked on a goroutine locked to this one's thread, so that the
	// answer is this thread's.
	done := make(chan []int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		after, _ := allowedCPUs()
		done <- after
	}()
	if after := <-done; !slices.Equal(after, before) {
		t.Errorf("a thread may run on %v after the check, on %v before", after, before)
	}
}

func TestDescribeChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		checks cpuChecks
		want   []string
	}{
		{"steady", cpuChecks{times: []cpuCheck{times(400, 420), times(410, 400), times(405, 480)}},
			[]string{"CPU 2: 400, 410, 405; CPU 3: 420, 400, 480", "the slowest 1.20× the fastest (steady)"}},
		{"a CPU slowed", cpuChecks{times: []cpuCheck{times(400, 410), times(400, 800)}},
			[]string{"CPU 3: 410, 800", "the slowest 2.00× the fastest (not steady"}},
		{"cannot pin", cpuChecks{},
			[]string{"not made (threads cannot be pinned to a CPU here)"}},
		{"failed", cpuChecks{err: errors.New("sched_setaffinity: operation not permitted")},
			[]string{"not made (sched_setaffinity: operation not permitted)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.checks.describe()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

// times is a check of CPUs 2 and 3, as a process allowed only those two
// would make.
func times(cpu2, cpu3 float64) cpuCheck {
	return cpuCheck{{cpu: 2, ns: cpu2}, {cpu: 3, ns: cpu3}}
}
