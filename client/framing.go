package client

import "github.com/sockipc/sockipc/transport"

// framingFor is the stream framing of the configured protocol.
func framingFor(cfg config) transport.Framing {
	if cfg.nodeCompat {
		return transport.Delimited([]byte(transport.NodeDelimiter))
	}
	return transport.LengthPrefixed
}
