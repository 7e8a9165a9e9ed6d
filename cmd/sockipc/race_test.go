//go:build race

package main

// raceEnabled makes the tests build the command with the race detector
// too, when they run with it.
const raceEnabled = true
