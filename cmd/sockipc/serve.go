package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/sockipc/sockipc/server"
	"github.com/sockipc/sockipc/topic"
)

// shutdownTimeout bounds the graceful part of serve's shutdown.
const shutdownTimeout = 5 * time.Second

var serveHelp = help{
	usage: "sockipc serve [flags] SOCKET",
	about: `
Serve runs a relay hub on SOCKET, for local development: every message a
client publishes goes to every other client subscribed to its topic (never
back to its sender). The hub has no procedures of its own: calls are answered
with the code no_handler.

It logs to stderr with log/slog: "listening" once clients can connect, then
every client that connects or disconnects, and with -v every message.

SIGINT or SIGTERM stops it: it stops accepting, lets every client finish
what it had sent and receive what was queued for it, for 5 s at most,
closes every connection, removes the socket file and exits with status 0.
A second signal ends it at once.

A stale socket file, left by a process that died, is reclaimed; a live
server on SOCKET is left alone (exit status 1).`,
	examples: `
sockipc serve /tmp/dev.sock
sockipc serve -v /tmp/dev.sock 2>hub.log
sockipc serve --node-compat /tmp/node.sock`,
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve")
	verbose := fs.Bool("v", false, "log every message, with its payload as JSON")
	nodeCompat := fs.Bool("node-compat", false, "speak the wire format of the Node.js library @crussell52/socket-ipc")
	rest, err := parse(e, fs, serveHelp, args, -1)
	if err != nil {
		return err
	}
	if err := checkArgs("serve", rest, 1, 1, "SOCKET"); err != nil {
		return err
	}
	path := rest[0]
	if err := checkSocket("serve", path); err != nil {
		return err
	}

	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	opts := []server.Option{
		server.WithRelay(),
		server.WithLogger(log),
		server.OnListening(func(addr string) {
			log.Info("listening", "socket", addr, "node_compat", *nodeCompat)
		}),
		server.OnConnect(func(p topic.Peer) {
			log.Info("client connected", peerAttrs(p)...)
		}),
		server.OnDisconnect(func(p topic.Peer, err error) {
			attrs := peerAttrs(p)
			if err != nil {
				attrs = append(attrs, "err", err)
			}
			log.Info("client disconnected", attrs...)
		}),
	}
	if *nodeCompat {
		opts = append(opts, server.WithNodeCompat())
	}
	srv, err := server.New(path, opts...)
	if err != nil {
		return err
	}
	if *verbose {
		if _, err := srv.SubscribeAllRaw(logMessage(log)); err != nil {
			srv.Close()
			return err
		}
	}
	if err := srv.Listen(); err != nil {
		srv.Close()
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(context.Background()) }()
	select {
	case err := <-served:
		srv.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("stopping")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown cut short: connections closed at once", "err", err)
	}
	<-served
	log.Info("stopped")
	return nil
}

// peerAttrs are the log attributes of a client.
func peerAttrs(p topic.Peer) []any {
	attrs := []any{"client", p.ID}
	if p.Name != "" {
		attrs = append(attrs, "name", p.Name)
	}
	if p.PID != 0 {
		attrs = append(attrs, "pid", p.PID, "uid", p.UID)
	}
	return attrs
}

// logMessage returns a handler that logs every message it receives.
func logMessage(log *slog.Logger) topic.RawHandler {
	return func(_ context.Context, m topic.RawMessage, from topic.Peer) error {
		attrs := []any{"topic", m.Topic(), "from", from.ID, "bytes", len(m.Payload())}
		if text, err := appendJSON(nil, m.Codec(), m.Payload()); err != nil {
			attrs = append(attrs, "err", err)
		} else {
			attrs = append(attrs, "message", string(text))
		}
		log.Info("message", attrs...)
		return nil
	}
}
