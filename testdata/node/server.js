'use strict';
// A server of @crussell52/socket-ipc that the Go interop tests drive.
//
//   node server.js SOCKET
//
// It listens on SOCKET (reclaiming a stale socket file, as the library
// does), then reads commands from stdin, one JSON object a line, and
// prints what happens on stdout, one JSON object a line. It exits when
// stdin ends.
//
// Commands ("seq" is echoed in the "done" event that follows each one; a
// command without a "message" key sends undefined):
//   {"cmd":"broadcast","topic":T,"message":M}         server.broadcast(T, M)
//   {"cmd":"send","topic":T,"message":M,"client":ID}  server.send(T, M, ID)
//   {"cmd":"burst","topic":T,"count":N,"client":ID}   server.send(T, i, ID)
//                                         for i in 0..N-1, in one loop
//   {"cmd":"listen","topic":T}            print the 'message.T' events too
//   {"cmd":"close"}                       server.close()
//
// Events:
//   {"event":"listening"|"close"}
//   {"event":"connection","client":ID}
//   {"event":"disconnect","client":ID}    the client's socket closed
//   {"event":"error","error":E,"name":N,"client":ID}
//   {"event":"message","topic":T,"hasMessage":B,"message":M,"client":ID}
//   {"event":"topic","topic":T,"hasMessage":B,"message":M,"client":ID}
//   {"event":"done","cmd":C,"seq":S}
const readline = require('readline');
const {Server} = require('@crussell52/socket-ipc');

const [socketFile] = process.argv.slice(2);

const emit = (ev) => process.stdout.write(JSON.stringify(ev) + '\n');
const messageEvent = (event, topic, message, client) => {
    const ev = {event, topic, hasMessage: message !== undefined, client};
    if (message !== undefined) {
        ev.message = message;
    }
    return ev;
};
const errorText = (err) => (err && err.message) || String(err);

const server = new Server({socketFile});

server.on('listening', () => emit({event: 'listening'}));
server.on('close', () => emit({event: 'close'}));
server.on('error', (err, client) => emit({event: 'error', error: errorText(err), name: err && err.name, client}));
server.on('connection', (client, socket) => {
    emit({event: 'connection', client});
    socket.on('close', () => emit({event: 'disconnect', client}));
    // The library adds no error listener to its sockets, so a connection
    // reset would crash the process; report it instead.
    socket.on('error', (err) => emit({event: 'error', error: errorText(err), name: err && err.name, client}));
});
server.on('message', (message, topic, client) => emit(messageEvent('message', topic, message, client)));

const commands = {
    broadcast(c) {
        server.broadcast(c.topic, c.message);
    },
    send(c) {
        server.send(c.topic, c.message, c.client);
    },
    burst(c) {
        for (let i = 0; i < c.count; i++) {
            server.send(c.topic, i, c.client);
        }
    },
    listen(c) {
        server.on(`message.${c.topic}`, (message, client) => emit(messageEvent('topic', c.topic, message, client)));
    },
    close() {
        server.close();
    },
};

readline.createInterface({input: process.stdin, crlfDelay: Infinity})
    .on('line', (line) => {
        const c = JSON.parse(line);
        commands[c.cmd](c);
        emit({event: 'done', cmd: c.cmd, seq: c.seq});
    })
    .on('close', () => process.exit(0));

server.listen();
