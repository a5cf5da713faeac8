import { describe, expect, it } from 'vitest';

import {
  adjustedRandIndex,
  groupByBehaviour,
  suggestLabels,
} from '../../src/classify/suggest/index.js';
import type { Address, Workload } from '../../src/domain/index.js';
import type { MapEdge } from '../../src/map/index.js';

const PER_ROLE = 70; // 30 roles × 70 = 2 100 workloads
const SEEDS = 5; // labelled members per role

/** A small deterministic PRNG (mulberry32), so the estate is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Role {
  readonly port: number;
  readonly uses: readonly number[];
}

/**
 * 30 roles. Roles 0–21 serve a port of their own and use two others. Pairs 22/23 (tcp/443),
 * 24/25 (tcp/5432), 26/27 (tcp/8080) and 28/29 (tcp/6379) serve the same port: 24/25 and
 * 28/29 differ in what they use, 22/23 and 26/27 only in which of those they use — the
 * case label propagation must separate.
 */
function roles(): Role[] {
  const out: Role[] = [];
  for (let i = 0; i < 22; i++) out.push({ port: 10000 + i, uses: [(i + 1) % 22, (i + 3) % 22] });
  out.push({ port: 443, uses: [24] }, { port: 443, uses: [25] });
  out.push({ port: 5432, uses: [0] }, { port: 5432, uses: [1] });
  out.push({ port: 8080, uses: [28] }, { port: 8080, uses: [29] });
  out.push({ port: 6379, uses: [2] }, { port: 6379, uses: [3] });
  return out;
}

function estate(): { workloads: Workload[]; edges: MapEdge[]; truth: Map<string, string> } {
  const rand = random(42);
  const defs = roles();
  const name = (role: number, i: number): string => `w${role}-${i}`;
  const truth = new Map<string, string>();
  const workloads: Workload[] = [];
  defs.forEach((_, r) => {
    for (let i = 0; i < PER_ROLE; i++) {
      truth.set(name(r, i), `role-${r}`);
      workloads.push({
        name: name(r, i),
        addresses: [`10.${r}.${i >> 8}.${i & 255}` as Address],
        labels: i < SEEDS ? { role: `role-${r}` } : {},
        discovered: false,
      });
    }
  });

  const edges: MapEdge[] = [];
  const edge = (client: string, server: string, port: number): MapEdge => ({
    client,
    server,
    protocol: 6,
    port,
    service: `tcp/${port}`,
    flows: 10,
    rejected: 0,
    packets: 100,
    bytes: 10_000,
    firstSeen: 0,
    lastSeen: 3_600_000,
    evidence: 'handshake',
  });
  defs.forEach((role, r) => {
    for (let i = 0; i < PER_ROLE; i++) {
      for (const target of role.uses) {
        for (const j of [i, (i + 1) % PER_ROLE])
          edges.push(edge(name(r, i), name(target, j), defs[target]!.port));
      }
    }
  });

  // Noise: 10 % of workloads talk to one extra, random peer.
  const noisy = workloads.filter(() => rand() < 0.1).slice(0, Math.round(workloads.length * 0.1));
  for (const w of noisy) {
    const target = Math.floor(rand() * defs.length);
    edges.push(edge(w.name, name(target, Math.floor(rand() * PER_ROLE)), defs[target]!.port));
  }
  return { workloads, edges, truth };
}

describe('suggestLabels() on a generated estate', () => {
  const { workloads, edges, truth } = estate();

  it('gives at least 90 % of the unlabelled workloads the role of their true group', () => {
    const suggestions = suggestLabels(workloads, edges);
    const unlabelled = workloads.filter((w) => w.labels.role === undefined);
    const right = suggestions.filter((s) => truth.get(s.workload) === s.value).length;
    const share = right / unlabelled.length;
    console.log(
      `suggestLabels: ${workloads.length} workloads, ${edges.length} edges; ${suggestions.length} suggestions, ` +
        `${right} of ${unlabelled.length} unlabelled right (${(share * 100).toFixed(1)} %)`,
    );
    expect(workloads.length).toBeGreaterThanOrEqual(2000);
    expect(share).toBeGreaterThanOrEqual(0.9);
    expect(suggestions[0]!.evidence).toMatch(
      /^same peers and services as w\d+-\d+…w\d+-\d+ \(\d+ of \d+ labelled role=role-\d+\)$/,
    );
  });

  it('finds groups close to the true roles (adjusted Rand index reported)', () => {
    const groups = groupByBehaviour(workloads, edges, { key: 'role', minGroup: 3, rounds: 5 });
    const found = new Map(groups.flatMap((g) => g.members.map((m) => [m, g.members[0]!])));
    const names = [...truth.keys()];
    const ari = adjustedRandIndex(
      names.map((n) => truth.get(n)!),
      names.map((n) => found.get(n) ?? n),
    );
    console.log(
      `groupByBehaviour: ${groups.length} groups for 30 roles; adjusted Rand index ${ari.toFixed(4)}`,
    );
    expect(ari).toBeGreaterThan(0.9);
  });

  it('is deterministic, ids included', () => {
    const a = suggestLabels(workloads, edges).slice(0, 50);
    const b = suggestLabels([...workloads].reverse(), [...edges].reverse()).slice(0, 50);
    expect(b).toEqual(a);
    expect(a[0]!.id).toMatch(/^sg-[0-9a-f]{8}$/);
  });
});

describe('adjustedRandIndex()', () => {
  it.each([
    {
      name: 'identical partitions',
      truth: ['a', 'a', 'b', 'b'],
      found: ['x', 'x', 'y', 'y'],
      want: 1,
    },
    {
      name: 'hand-computed (ARI 0.8 / 3.3)',
      truth: ['a', 'a', 'a', 'b', 'b', 'b'],
      found: ['x', 'x', 'y', 'y', 'z', 'z'],
      want: 0.2424,
    },
  ])('$name', ({ truth, found, want }) => {
    expect(adjustedRandIndex(truth, found)).toBeCloseTo(want, 4);
  });
  it('rejects partitions of different sizes', () => {
    expect(() => adjustedRandIndex(['a'], [])).toThrow(RangeError);
  });
});
