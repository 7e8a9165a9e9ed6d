//go:build !linux

package main

import "errors"

// Threads are pinned to a CPU on Linux only; elsewhere the check is not
// made.

func lockThreadForGood() {}

func allowedCPUs() ([]int, error) { return nil, nil }

func pinThread(int) error { return errors.New("cannot pin a thread to a CPU here") }
