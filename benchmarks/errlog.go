package main

import "sync"

// errorLog keeps the first error that a system reported asynchronously
// (through an error callback) during a run, so that the run fails.
type errorLog struct {
	mu    sync.Mutex
	first error
}

// add records err if it is the first.
func (l *errorLog) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.first == nil {
		l.first = err
	}
}

// err returns the first error recorded, or nil.
func (l *errorLog) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}
