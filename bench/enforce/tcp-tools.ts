// The two ends of the connection-rate bench, as plain ES modules written to a temporary
// folder and run by `node` inside the namespaces (a namespace's process cannot be this
// Vitest worker). The server ends every connection at once, so the server side holds the
// TIME_WAIT state and the client's ports are free again as soon as it sees the close.

/** `node server.mjs PORT`: accepts and ends connections; prints "ready" when listening. */
export const SERVER_SCRIPT = `import net from 'node:net';
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.end();
});
server.listen({ port: Number(process.argv[2]), backlog: 4096 }, () => {
  process.stdout.write('ready\\n');
});
`;

/**
 * \`node client.mjs HOST PORT SECONDS CONCURRENCY\`: keeps CONCURRENCY connections in
 * flight for SECONDS, each opened, closed by the server and then by the client, and
 * prints {connected, failed, seconds} as JSON. A connect that takes over a second counts
 * as failed (a dropped SYN would otherwise wait for minutes).
 */
export const CLIENT_SCRIPT = `import net from 'node:net';
const [host, port, seconds, concurrency] = process.argv.slice(2);
const started = performance.now();
const end = started + Number(seconds) * 1000;
let connected = 0;
let failed = 0;
let running = Number(concurrency);
function next() {
  if (performance.now() >= end) {
    running -= 1;
    if (running === 0) {
      const elapsed = (performance.now() - started) / 1000;
      process.stdout.write(JSON.stringify({ connected, failed, seconds: elapsed }) + '\\n');
    }
    return;
  }
  const socket = net.connect({ host, port: Number(port) });
  socket.setTimeout(1000, () => {
    failed += 1;
    socket.destroy();
  });
  socket.on('connect', () => {
    connected += 1;
  });
  socket.on('error', () => {
    failed += 1;
  });
  socket.on('end', () => socket.end());
  socket.on('close', next);
  socket.resume();
}
for (let i = 0; i < Number(concurrency); i++) next();
`;
