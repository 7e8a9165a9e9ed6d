'use strict';
// A Node.js client of the Go server in main.go. It uses the npm package
// @crussell52/socket-ipc as it would with a Node.js server: nothing here
// knows that the server is written in Go.
//
//   node client.js SOCKET [NAME]
//
// It says three things on "chat.hello", prints what the server answers,
// and closes once the server has told everyone about its last message.
const {Client} = require('@crussell52/socket-ipc');

const [socketFile, name = 'node'] = process.argv.slice(2);
if (!socketFile) {
    console.error('usage: node client.js SOCKET [NAME]');
    process.exit(2);
}
const lines = ['hello from Node.js', 'ünïcødé, 漢字 and 👋 travel too', 'bye'];

const client = new Client({socketFile, retryDelay: 200, reconnectDelay: 200});
let waiting = false;
client.on('connectError', () => {
    if (!waiting) {
        waiting = true;
        console.log(`waiting for a server on ${socketFile}...`);
    }
});
client.on('connect', () => {
    console.log('connected');
    for (const text of lines) {
        client.send('chat.hello', {name, text});
    }
});
client.on('message.chat.welcome', (text) => console.log(`welcome: ${text}`));
client.on('message.chat.reply', (reply) => console.log(`reply #${reply.count}: ${reply.text}`));
client.on('message.chat.news', (hello) => {
    console.log(`news: ${hello.name} said "${hello.text}"`);
    if (hello.name === name && hello.text === lines[lines.length - 1]) {
        client.close();
    }
});
client.on('close', () => console.log('closed'));
client.on('error', (err) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
});

client.connect();
