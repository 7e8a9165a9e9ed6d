package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// tempSocket returns the path of a unix socket in a new temporary
// directory, and a function that removes the directory. The directory's
// name is short: socket paths are limited to about 100 bytes.
func tempSocket() (path string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "bn")
	if err != nil {
		return "", nil, fmt.Errorf("socket directory: %w", err)
	}
	return filepath.Join(dir, "s"), func() { os.RemoveAll(dir) }, nil
}

// unixConns connects n clients to a new unix socket listener and returns
// both ends of each connection: clients[i] talks to servers[i]. The
// listener and its socket file are gone when it returns.
func unixConns(n int) (clients, servers []net.Conn, err error) {
	path, remove, err := tempSocket()
	if err != nil {
		return nil, nil, err
	}
	defer remove()
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, nil, fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	closeAll := func() {
		for _, c := range append(clients, servers...) {
			c.Close()
		}
	}
	for range n {
		c, err := net.Dial("unix", path)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("dial: %w", err)
		}
		clients = append(clients, c)
		s, err := ln.Accept()
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("accept: %w", err)
		}
		servers = append(servers, s)
	}
	return clients, servers, nil
}
