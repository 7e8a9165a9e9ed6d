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
	for cpu, ns := range c {
		// A decode takes a few hundred nanoseconds; a millisecond would
		// mean the timing is wrong.
		if ns <= 0 || ns > 1e6 {
			t.Errorf("CPU %d: %v ns a decode", cpu, ns)
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
		{"steady", cpuChecks{times: []cpuCheck{{400, 420}, {410, 400}, {405, 480}}},
			[]string{"CPU 0: 400, 410, 405; CPU 1: 420, 400, 480", "the slowest 1.20× the fastest (steady)"}},
		{"a CPU slowed", cpuChecks{times: []cpuCheck{{400, 410}, {400, 800}}},
			[]string{"CPU 1: 410, 800", "the slowest 2.00× the fastest (not steady"}},
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
