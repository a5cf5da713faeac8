import { expect, it } from 'vitest';

import type { Address, EdgeHour, Workload } from '../../src/domain/index.js';
import { learnEdges, recommend } from '../../src/recommend/index.js';

// Limit from issue #5: recommending from 10 million stored flows in under 30 s and 1 GB RSS.
const LIMIT_MS = 30_000;
const LIMIT_RSS = 1024 ** 3;

const ROLES = 40;
const PER_ROLE = 50; // 2 000 workloads
const SERVERS_PER_TARGET = 5; // each client talks to 5 servers of each role it uses
const HOURS = 14 * 24; // a two-week window
// An edge is active one hour in PERIOD with FLOWS_PER_HOUR flows each time; both can be
// changed from the environment to weigh edge-hours against flows (see README.md).
const PERIOD = Number(process.env.BENCH_PERIOD ?? 8);
const FLOWS_PER_HOUR = Number(process.env.BENCH_FLOWS_PER_HOUR ?? 11);

function workloads(): Workload[] {
  const out: Workload[] = [];
  for (let r = 0; r < ROLES; r++) {
    for (let i = 0; i < PER_ROLE; i++) {
      out.push({
        name: `w${r}-${i}`,
        addresses: [`10.${r}.0.${i + 1}` as Address],
        labels: { role: `role-${r}`, env: 'prod' },
        discovered: false,
      });
    }
  }
  out.push({ name: 'dns-1', addresses: ['10.250.0.53' as Address], labels: {}, discovered: false });
  return out;
}

interface EdgeSpec {
  readonly client: Address;
  readonly server: Address;
  readonly protocol: number;
  readonly port: number;
}

function edgeSpecs(all: readonly Workload[]): EdgeSpec[] {
  const at = (r: number, i: number): Address => all[r * PER_ROLE + i]!.addresses[0]!;
  const specs: EdgeSpec[] = [];
  for (let r = 0; r < ROLES; r++) {
    for (let i = 0; i < PER_ROLE; i++) {
      for (const target of [(r + 1) % ROLES, (r + 7) % ROLES]) {
        for (let k = 0; k < SERVERS_PER_TARGET; k++) {
          specs.push({
            client: at(r, i),
            server: at(target, (i + k) % PER_ROLE),
            protocol: 6,
            port: 10000 + target,
          });
        }
      }
      specs.push({ client: at(r, i), server: '10.250.0.53' as Address, protocol: 17, port: 53 });
    }
  }
  return specs;
}

/** The stored hourly edges, generated one at a time so they never sit in memory together. */
function* hours(specs: readonly EdgeSpec[]): Generator<EdgeHour> {
  for (let h = 0; h < HOURS; h++) {
    const hour = Date.UTC(2026, 0, 1) + h * 3_600_000;
    for (let e = h % PERIOD; e < specs.length; e += PERIOD) {
      const s = specs[e]!;
      yield {
        hour,
        client: s.client,
        server: s.server,
        protocol: s.protocol,
        port: s.port,
        firstSeen: hour + 1000,
        lastSeen: hour + 3_500_000,
        flows: FLOWS_PER_HOUR,
        rejected: 0,
        packetsToServer: 50,
        bytesToServer: 5000,
        packetsToClient: 40,
        bytesToClient: 40_000,
        evidence: 'handshake',
      };
    }
  }
}

it('recommends from 10 million stored flows in under 30 s and 1 GB RSS', () => {
  const all = workloads();
  const specs = edgeSpecs(all);
  let peakRss = process.memoryUsage().rss;
  const start = performance.now();

  const learned = learnEdges(all, hours(specs));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const learnMs = performance.now() - start;
  const rec = recommend(all, learned, { by: ['role'] });
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const totalMs = performance.now() - start;

  const flows = learned.reduce((n, e) => n + e.flows, 0);
  console.log(
    [
      `flows ${flows.toLocaleString('en')} in ${((HOURS * specs.length) / PERIOD).toLocaleString('en')} hourly edges ` +
        `(${specs.length.toLocaleString('en')} distinct edges, ${all.length} workloads)`,
      `learnEdges ${(learnMs / 1000).toFixed(1)} s; recommend ${((totalMs - learnMs) / 1000).toFixed(1)} s; total ${(totalMs / 1000).toFixed(1)} s`,
      `rules ${rec.rules.length}; coverage ${(rec.coverage.ratio * 100).toFixed(1)} %; tightness ${rec.tightness.ratio.toFixed(2)}`,
      `peak RSS sampled ${(peakRss / 1024 ** 2).toFixed(0)} MiB`,
    ].join('\n'),
  );
  expect(flows).toBeGreaterThanOrEqual(10_000_000);
  expect(rec.coverage.ratio).toBe(1);
  expect(totalMs).toBeLessThan(LIMIT_MS);
  expect(peakRss).toBeLessThan(LIMIT_RSS);
});
