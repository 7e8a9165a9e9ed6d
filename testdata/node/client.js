'use strict';
// A client of @crussell52/socket-ipc that the Go interop tests drive.
//
//   node client.js SOCKET [DELAY_MS]
//
// It connects to SOCKET (retrying and reconnecting every DELAY_MS, 20 by
// default), then reads commands from stdin, one JSON object a line, and
// prints what happens on stdout, one JSON object a line. It exits when
// stdin ends.
//
// Commands ("seq" is echoed in the "done" event that follows each one):
//   {"cmd":"send","topic":T,"message":M}  client.send(T, M); without a
//                                          "message" key, M is undefined;
//                                          with "noTopic":true, T is too
//   {"cmd":"burst","topic":T,"count":N}   client.send(T, i) for i in 0..N-1,
//                                          in one synchronous loop
//   {"cmd":"listen","topic":T}            print the 'message.T' events too
//   {"cmd":"quiet","topic":T}             print messages on T as "got"
//                                          events, without their content
//   {"cmd":"close"}                       client.close()
//
// Events:
//   {"event":"connect"|"reconnect"|"disconnect"|"close"}
//   {"event":"connectError","error":E}
//   {"event":"error","error":E,"name":N}
//   {"event":"message","topic":T,"hasMessage":B,"message":M}  'message'
//   {"event":"topic","topic":T,"hasMessage":B,"message":M}    'message.T'
//   {"event":"got","topic":T,"n":N}       the Nth message on a quiet topic
//   {"event":"done","cmd":C,"seq":S}
const readline = require('readline');
const {Client} = require('@crussell52/socket-ipc');

const [socketFile, delayArg] = process.argv.slice(2);
const delay = Number(delayArg || 20);

const emit = (ev) => process.stdout.write(JSON.stringify(ev) + '\n');
const messageEvent = (event, topic, message) => {
    const ev = {event, topic, hasMessage: message !== undefined};
    if (message !== undefined) {
        ev.message = message;
    }
    return ev;
};
const errorText = (err) => (err && err.message) || String(err);

const client = new Client({socketFile, retryDelay: delay, reconnectDelay: delay});
const quiet = new Map(); // topic -> messages received

client.on('connect', () => emit({event: 'connect'}));
client.on('reconnect', () => emit({event: 'reconnect'}));
client.on('disconnect', () => emit({event: 'disconnect'}));
client.on('close', () => emit({event: 'close'}));
client.on('connectError', (err) => emit({event: 'connectError', error: errorText(err)}));
client.on('error', (err) => emit({event: 'error', error: errorText(err), name: err && err.name}));
client.on('message', (message, topic) => {
    if (quiet.has(topic)) {
        const n = quiet.get(topic) + 1;
        quiet.set(topic, n);
        emit({event: 'got', topic, n});
        return;
    }
    emit(messageEvent('message', topic, message));
});

const commands = {
    send(c) {
        client.send(c.noTopic ? undefined : c.topic, c.message);
    },
    burst(c) {
        for (let i = 0; i < c.count; i++) {
            client.send(c.topic, i);
        }
    },
    listen(c) {
        client.on(`message.${c.topic}`, (message) => emit(messageEvent('topic', c.topic, message)));
    },
    quiet(c) {
        quiet.set(c.topic, 0);
    },
    close() {
        client.close();
    },
};

readline.createInterface({input: process.stdin, crlfDelay: Infinity})
    .on('line', (line) => {
        const c = JSON.parse(line);
        commands[c.cmd](c);
        emit({event: 'done', cmd: c.cmd, seq: c.seq});
    })
    .on('close', () => process.exit(0));

client.connect();
