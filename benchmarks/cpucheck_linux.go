package main

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// lockThreadForGood locks the calling goroutine to its thread and never
// unlocks it: when the goroutine returns, the runtime ends the thread
// instead of giving it, pinned, to other goroutines.
func lockThreadForGood() { runtime.LockOSThread() }

// allowedCPUs returns the CPUs the calling thread may run on.
func allowedCPUs() ([]int, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil, err
	}
	var cpus []int
	for cpu := 0; len(cpus) < set.Count(); cpu++ {
		if set.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	return cpus, nil
}

// pinThread makes the calling thread run on cpu only.
func pinThread(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	return unix.SchedSetaffinity(0, &set)
}
