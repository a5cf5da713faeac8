import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';

import { InputError } from '../../domain/index.js';
import type { FlowSink } from '../report.js';
import type { NetflowDecoder } from './decoder.js';

/** A UDP address the collector listens on. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * SO_RCVBUF asked for by default. A burst of export datagrams waits in the socket buffer
 * while a batch is written to the store; 8 MiB holds about 5,800 full-size datagrams.
 * Linux clamps the request to net.core.rmem_max (and reports double what it keeps).
 */
export const DEFAULT_RECEIVE_BUFFER = 8 * 1024 * 1024;

/**
 * Parses `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (on 127.0.0.1).
 *
 * @throws InputError naming the value and the expected form.
 */
export function parseListenAddress(text: string): ListenAddress {
  const value = text.trim();
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const bare = /^\d{1,5}$/.test(value);
  const host = bare ? '127.0.0.1' : (match?.[1] ?? match?.[2] ?? '');
  const port = Number(bare ? value : (match?.[3] ?? NaN));
  if ((!match && !bare) || isIP(host) === 0 || !(port >= 0 && port <= 65535)) {
    throw new InputError(
      `Cannot listen on "${text}": write ADDRESS:PORT like 127.0.0.1:2055 or [::1]:2055 (an IP address, port 0 to 65535)`,
    );
  }
  return { host, port };
}

/** Options of startNetflowCollector. */
export interface NetflowCollectorOptions {
  readonly listen: readonly ListenAddress[];
  readonly decoder: NetflowDecoder;
  readonly sink: FlowSink;
  /** SO_RCVBUF to ask for, bytes. */
  readonly receiveBuffer?: number;
}

/** A running collector. */
export interface NetflowCollector {
  /** The bound addresses, with port 0 resolved. */
  readonly addresses: readonly ListenAddress[];
  /** SO_RCVBUF each socket obtained, as the kernel reports it. */
  readonly receiveBuffers: readonly number[];
  /** Datagrams received over all sockets. */
  datagrams(): number;
  /** Stops receiving; resolves when every socket is closed. */
  close(): Promise<void>;
}

function bind(address: ListenAddress, receiveBuffer: number): Promise<Socket> {
  const socket = createSocket({
    type: isIP(address.host) === 6 ? 'udp6' : 'udp4',
    recvBufferSize: receiveBuffer,
  });
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      socket.close();
      reject(
        new InputError(
          `Cannot listen on ${address.host}:${address.port}: ${error.message}`,
          undefined,
          { cause: error },
        ),
      );
    };
    socket.once('error', fail);
    socket.bind({ address: address.host, port: address.port, exclusive: true }, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

/**
 * Listens for NetFlow/IPFIX export datagrams on every address and decodes each as it
 * arrives, in one thread: the decoder is synchronous, and the kernel socket buffer
 * absorbs bursts.
 *
 * @throws InputError when an address cannot be bound (in use, not local, no permission).
 */
export async function startNetflowCollector(
  options: NetflowCollectorOptions,
): Promise<NetflowCollector> {
  const receiveBuffer = options.receiveBuffer ?? DEFAULT_RECEIVE_BUFFER;
  const sockets: Socket[] = [];
  try {
    for (const address of options.listen) sockets.push(await bind(address, receiveBuffer));
  } catch (error) {
    for (const socket of sockets) socket.close();
    throw error;
  }

  let datagrams = 0;
  const { decoder, sink } = options;
  for (const socket of sockets) {
    socket.on('message', (message, remote) => {
      datagrams += 1;
      decoder.decode(message, remote, sink);
    });
    // A socket error after binding (ICMP errors do not reach a receiving socket) is
    // counted by the kernel; the collector keeps the other sockets running.
    socket.on('error', () => undefined);
  }

  return {
    addresses: sockets.map((socket) => {
      const bound = socket.address();
      return { host: bound.address, port: bound.port };
    }),
    receiveBuffers: sockets.map((socket) => socket.getRecvBufferSize()),
    datagrams: () => datagrams,
    close: () =>
      Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) =>
              socket.close(() => {
                resolve();
              }),
            ),
        ),
      ).then(() => undefined),
  };
}
