// Listeners and probes that run inside lab namespaces as `node -e SCRIPT JSON`. They are
// plain JavaScript strings because they run in a separate node process inside the
// namespace; each one bounds its own lifetime.
import type { ChildProcess } from 'node:child_process';

import type { Lab, LabHost } from './netns.js';

/** One probe: a TCP connect or a UDP send to an address and port. */
export interface ProbeTarget {
  readonly protocol: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
}

/** How long a probe waits before it calls the cell blocked. */
export const PROBE_TIMEOUT_MS = 1000;

/** The longest a listener lives, so a crashed test run cannot leave one behind for long. */
const LISTENER_LIFETIME_MS = 120_000;

// Listens on every given TCP port (accepts, writes one byte, closes) and UDP port (echoes),
// on :: with IPv4 mapped in, then prints "ready".
const LISTENER = `
const net = require('node:net');
const dgram = require('node:dgram');
const { tcp, udp, lifetime } = JSON.parse(process.argv[1]);
let pending = tcp.length + udp.length;
const bound = () => { if (--pending === 0) process.stdout.write('ready\\n'); };
for (const port of tcp) {
  net.createServer((socket) => { socket.on('error', () => {}); socket.end('k'); })
    .listen({ port, host: '::', ipv6Only: false }, bound);
}
for (const port of udp) {
  const socket = dgram.createSocket({ type: 'udp6', ipv6Only: false });
  socket.on('message', (message, peer) => socket.send(message, peer.port, peer.address));
  socket.bind(port, '::', bound);
}
setTimeout(() => process.exit(0), lifetime).unref();
`;

// Tries every target at once and prints a JSON array of booleans: true when the TCP
// server's byte or the UDP echo came back within the timeout.
const PROBE = `
const net = require('node:net');
const dgram = require('node:dgram');
const { targets, timeout } = JSON.parse(process.argv[1]);
function tcp(t) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: t.address, port: t.port });
    const done = (ok) => { clearTimeout(timer); socket.destroy(); resolve(ok); };
    const timer = setTimeout(() => done(false), timeout);
    socket.on('data', () => done(true));
    socket.on('error', () => done(false));
  });
}
function udp(t) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(t.address.includes(':') ? 'udp6' : 'udp4');
    const done = (ok) => { clearTimeout(timer); socket.close(); resolve(ok); };
    const timer = setTimeout(() => done(false), timeout);
    socket.on('message', () => done(true));
    socket.on('error', () => done(false));
    socket.send('p', t.port, t.address, (err) => { if (err) done(false); });
  });
}
Promise.all(targets.map((t) => (t.protocol === 'tcp' ? tcp(t) : udp(t))))
  .then((results) => process.stdout.write(JSON.stringify(results)));
`;

/** Starts a listener in a host and resolves once every port is bound (at most 10 s). */
export function startListener(
  lab: Lab,
  host: LabHost,
  ports: { readonly tcp: readonly number[]; readonly udp: readonly number[] },
): Promise<ChildProcess> {
  const args = JSON.stringify({ ...ports, lifetime: LISTENER_LIFETIME_MS });
  const child = lab.spawn(host, [process.execPath, '-e', LISTENER, args]);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`Listener in ${host.name} not ready after 10 s: ${output}`));
    }, 10_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`Listener in ${host.name} ${why}: ${output}`));
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      fail(`exited with ${code}`);
    });
  });
}

/** Runs every probe from one host concurrently; true where the target answered. */
export function probeFrom(
  lab: Lab,
  host: LabHost,
  targets: readonly ProbeTarget[],
): Promise<boolean[]> {
  const args = JSON.stringify({ targets, timeout: PROBE_TIMEOUT_MS });
  const child = lab.spawn(host, [process.execPath, '-e', PROBE, args]);
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Probes from ${host.name} still running after 15 s`));
    }, 15_000);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`Probes from ${host.name} exited with ${code}: ${errors}`));
        return;
      }
      resolve(JSON.parse(output) as boolean[]);
    });
  });
}
