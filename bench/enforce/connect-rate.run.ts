// TCP connection rate through the compiled nftables ruleset (issue #7): a server namespace
// whose input policy allows 10 000 peers on one port, reached from a client namespace that
// is one of those peers. Three firewalls in the same run, interleaved round by round:
// none, Bulkhead's nftables ruleset (`nft -f`), and a plain iptables ruleset with one
// ACCEPT rule per peer and a DROP policy. Target: Bulkhead ≥ 0.95 × no firewall.
// Knobs: BENCH_SECONDS per measurement (default 4, at most 12), BENCH_ROUNDS (default 3).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnforcementPlan, renderNftables } from '../../src/compile/index.js';
import { parseAddress } from '../../src/domain/index.js';
import type { Workload } from '../../src/domain/index.js';
import { loadPolicy } from '../../src/policy/index.js';
import { Lab, kernelTestsUnavailable } from '../../test/kernel/netns.js';
import type { LabHost } from '../../test/kernel/netns.js';
import { CLIENT_SCRIPT, SERVER_SCRIPT } from './tcp-tools.js';

const PEERS = 10_000;
const PORT = 5201;
const SECONDS = Math.min(12, Number(process.env.BENCH_SECONDS ?? 4));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 64;
const TARGET = 0.95;

type Firewall = 'none' | 'bulkhead-nft' | 'iptables-nft' | 'iptables-legacy';
const FIREWALLS: readonly Firewall[] = ['none', 'bulkhead-nft', 'iptables-nft', 'iptables-legacy'];

/** The 10 000 peers: the client itself and 9 999 addresses in 198.19.0.0/16. */
function peerAddresses(client: string): string[] {
  const peers: string[] = [];
  for (let i = 1; peers.length < PEERS - 1; i++) peers.push(`198.19.${i >> 8}.${i & 255}`);
  // In the middle of the iptables chain: on average a peer's rule is half-way down.
  peers.splice(PEERS / 2, 0, client);
  return peers;
}

function bulkheadRuleset(server: string, peers: readonly string[]): string {
  const workloads: Workload[] = peers.map((address, i) => ({
    name: `peer-${i}`,
    addresses: [parseAddress(address)],
    labels: { role: 'client' },
    discovered: false,
  }));
  workloads.push({
    name: 'server',
    addresses: [parseAddress(server)],
    labels: { role: 'server' },
    discovered: false,
  });
  const text = `version: 1\ntiers:\n  - name: main\n    rules:\n      - {id: clients-to-server, from: {role: client}, to: {role: server}, services: [tcp/${PORT}]}\n`;
  const { policy, issues } = loadPolicy(text, 'bench.yaml');
  if (!policy) throw new Error(`The bench policy does not load: ${JSON.stringify(issues)}`);
  return renderNftables(buildEnforcementPlan(policy, workloads), 'server');
}

function iptablesRuleset(peers: readonly string[]): string {
  const lines = [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...peers.map((peer) => `-A INPUT -s ${peer}/32 -p tcp --dport ${PORT} -j ACCEPT`),
    'COMMIT',
  ];
  return `${lines.join('\n')}\n`;
}

describe.skipIf(kernelTestsUnavailable() !== undefined)(
  'TCP connections/s through firewalls',
  () => {
    let lab: Lab;
    let client: LabHost;
    let server: LabHost;
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-enforce-'));
    const files = {
      client: join(dir, 'client.mjs'),
      server: join(dir, 'server.mjs'),
      nft: join(dir, 'server.nft'),
      iptables: join(dir, 'server.iptables'),
    };

    beforeAll(() => {
      lab = Lab.create(['client', 'server']);
      client = lab.host('client');
      server = lab.host('server');
      // The client closes second (the server ends each connection), so it keeps no
      // TIME_WAIT sockets; the wider port range is headroom all the same.
      lab.exec(client, ['sysctl', '-qw', 'net.ipv4.ip_local_port_range=1024 65000']);
      lab.exec(client, ['sysctl', '-qw', 'net.ipv4.tcp_tw_reuse=1']);
      writeFileSync(files.client, CLIENT_SCRIPT);
      writeFileSync(files.server, SERVER_SCRIPT);
    });

    afterAll(() => {
      lab.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    function clear(): void {
      lab.exec(server, ['nft', 'flush', 'ruleset']);
      lab.exec(server, ['iptables-legacy', '-P', 'INPUT', 'ACCEPT']);
      lab.exec(server, ['iptables-legacy', '-F', 'INPUT']);
    }

    function apply(firewall: Firewall): void {
      clear();
      switch (firewall) {
        case 'none':
          return;
        case 'bulkhead-nft':
          lab.exec(server, ['nft', '-f', files.nft]);
          return;
        case 'iptables-nft':
          lab.exec(server, ['iptables-nft-restore', files.iptables]);
          return;
        case 'iptables-legacy':
          lab.exec(server, ['iptables-legacy-restore', files.iptables]);
          return;
      }
    }

    function measure(): { rate: number; failed: number } {
      const out = lab.exec(client, [
        'taskset',
        '-c',
        '1',
        process.execPath,
        files.client,
        server.v4,
        String(PORT),
        String(SECONDS),
        String(CONCURRENCY),
      ]);
      const { connected, failed, seconds } = JSON.parse(out) as {
        connected: number;
        failed: number;
        seconds: number;
      };
      return { rate: connected / seconds, failed };
    }

    it(`connects to a server allowing ${PEERS} peers`, async () => {
      const peers = peerAddresses(client.v4);
      writeFileSync(files.nft, bulkheadRuleset(server.v4, peers));
      writeFileSync(files.iptables, iptablesRuleset(peers));
      const listener = lab.spawn(server, [
        'taskset',
        '-c',
        '0',
        process.execPath,
        files.server,
        String(PORT),
      ]);
      await new Promise<void>((resolve, reject) => {
        listener.stdout?.once('data', () => {
          resolve();
        });
        listener.once('exit', (code) => {
          reject(new Error(`The bench server exited with ${code}`));
        });
      });

      const rates = new Map<Firewall, number[]>(FIREWALLS.map((f) => [f, []]));
      let failures = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const firewall of FIREWALLS) {
          apply(firewall);
          const { rate, failed } = measure();
          rates.get(firewall)!.push(rate);
          failures += failed;
        }
      }
      clear();

      const median = (list: readonly number[]): number =>
        [...list].sort((a, b) => a - b)[list.length >> 1]!;
      const none = median(rates.get('none')!);
      const lines = FIREWALLS.map((f) => {
        const rate = median(rates.get(f)!);
        const all = rates
          .get(f)!
          .map((r) => r.toFixed(0))
          .join(', ');
        return `  ${f.padEnd(16)} ${rate.toFixed(0).padStart(7)} conn/s  ×${(rate / none).toFixed(3)} of none  (rounds: ${all})`;
      });
      const bulkhead = median(rates.get('bulkhead-nft')!) / none;
      console.log(
        `TCP connect+close, ${PEERS} allowed peers, ${CONCURRENCY} in flight, ${SECONDS} s × ${ROUNDS} rounds (median):\n${lines.join('\n')}\n` +
          `  bulkhead-nft / iptables-nft ${(median(rates.get('bulkhead-nft')!) / median(rates.get('iptables-nft')!)).toFixed(2)}, ` +
          `/ iptables-legacy ${(median(rates.get('bulkhead-nft')!) / median(rates.get('iptables-legacy')!)).toFixed(2)}\n` +
          `  target bulkhead ≥ ${TARGET} × none: ${bulkhead.toFixed(3)} (${bulkhead >= TARGET ? 'met' : 'NOT met'}); failed connects ${failures}`,
      );
      expect(failures).toBe(0);
    });
  },
);
