// The truth table the kernel tests share (nftables, iptables, gateway): a policy with tiers,
// deny and pass, hosts with labels, and the cells (source, destination, service) whose real
// connection result must equal evaluate(). The nftables test uses it too.
import { expect } from 'vitest';

import { parseAddress } from '../../src/domain/index.js';
import type { Policy, Workload } from '../../src/domain/index.js';
import { evaluate, loadPolicy, workloadEndpoint } from '../../src/policy/index.js';
import { run } from './netns.js';
import type { Lab, LabHost } from './netns.js';
import { probeFrom } from './probes.js';
import type { ProbeTarget } from './probes.js';

export const AT = Date.UTC(2026, 0, 1);
export const TCP_PORTS = [22, 5432, 8080, 9100];
export const UDP_PORTS = [53, 514];

export const LABELS: Record<string, Record<string, string>> = {
  web: { role: 'web', env: 'prod' },
  api: { role: 'api', env: 'prod' },
  db: { role: 'db', env: 'prod' },
  dev: { role: 'dev', env: 'dev' },
};

export const POLICY = `
version: 1
tiers:
  - name: guardrails
    rules:
      - id: no-dev-to-prod
        action: deny
        from: {env: dev}
        to: {env: prod}
        services: any
      - id: dev-metrics
        action: pass
        from: {env: dev}
        to: {role: api}
        services: [tcp/9100]
      - id: dev-web-exempt
        action: pass
        from: {env: dev}
        to: {role: web}
        services: [tcp/8080]
      - id: web-syslog-review
        action: pass
        from: {role: web}
        to: {role: db}
        services: [udp/514]
      - id: no-db-ssh
        action: deny
        from: any
        to: {role: db}
        services: [tcp/22]
  - name: applications
    rules:
      - id: web-to-api
        from: {role: web}
        to: {role: api}
        services: [tcp/8080]
      - id: api-to-db
        from: {role: api}
        to: {role: db}
        services: [tcp/5432]
      - id: syslog
        from: any
        to: {role: db}
        services: [udp/514]
      - id: no-web-syslog
        action: deny
        from: {role: web}
        to: any
        services: [udp/514]
      - id: metrics
        from: any
        to: {role: api}
        services: [tcp/9100]
      - id: ssh
        from: any
        to: any
        services: [tcp/22]
      - id: dns
        from: any
        to: {role: dev}
        services: [udp/53]
`;

export function loadForTest(text: string): Policy {
  const { policy, issues } = loadPolicy(text, 'kernel-policy.yaml');
  expect(issues).toEqual([]);
  return policy!;
}

export interface Cell {
  readonly src: LabHost;
  readonly dst: LabHost;
  readonly target: ProbeTarget;
}

/** A host as a workload: its lab addresses and its labels from {@link LABELS}. */
export function workloadOf(host: LabHost, addresses = [host.v4, host.v6]): Workload {
  return {
    name: host.name,
    addresses: addresses.map(parseAddress),
    labels: LABELS[host.name]!,
    discovered: false,
  };
}

/** Every (source, destination, address, port) cell between the given pairs of hosts. */
export function matrix(pairs: readonly (readonly [LabHost, LabHost])[]): Cell[] {
  const cells: Cell[] = [];
  for (const [src, dst] of pairs) {
    for (const address of [dst.v4, dst.v6]) {
      for (const port of TCP_PORTS)
        cells.push({ src, dst, target: { protocol: 'tcp', address, port } });
      for (const port of UDP_PORTS)
        cells.push({ src, dst, target: { protocol: 'udp', address, port } });
    }
  }
  return cells;
}

/** Every ordered pair of distinct hosts. */
export function allPairs(hosts: readonly LabHost[]): [LabHost, LabHost][] {
  return hosts.flatMap((src) =>
    hosts.filter((dst) => dst !== src).map((dst): [LabHost, LabHost] => [src, dst]),
  );
}

/** Runs every cell; sources probe concurrently, each source all its targets at once. */
export async function runMatrix(lab: Lab, cells: readonly Cell[]): Promise<Map<Cell, boolean>> {
  const results = new Map<Cell, boolean>();
  const sources = [...new Set(cells.map((cell) => cell.src))];
  await Promise.all(
    sources.map(async (src) => {
      const mine = cells.filter((cell) => cell.src === src);
      const open = await probeFrom(
        lab,
        src,
        mine.map((cell) => cell.target),
      );
      mine.forEach((cell, index) => results.set(cell, open[index]!));
    }),
  );
  return results;
}

/** The source address a probe uses: the source's address of the target's family. */
export function expectedOpen(policy: Policy, cell: Cell): boolean {
  const srcAddress = cell.target.address.includes(':') ? cell.src.v6 : cell.src.v4;
  const question = {
    from: workloadEndpoint(workloadOf(cell.src), parseAddress(srcAddress)),
    to: workloadEndpoint(workloadOf(cell.dst), parseAddress(cell.target.address)),
    protocol: cell.target.protocol === 'tcp' ? 6 : 17,
    port: cell.target.port,
  };
  return evaluate(policy, question, { at: AT }).verdict === 'allow';
}

export function describeCell(cell: Cell): string {
  return `${cell.src.name} → ${cell.dst.name} ${cell.target.protocol}/${cell.target.port} @${cell.target.address}`;
}

/** Real results and evaluate()'s verdicts as comparable lines. */
export function compareLines(
  policy: Policy,
  cells: readonly Cell[],
  results: ReadonlyMap<Cell, boolean>,
): { got: string[]; want: string[] } {
  return {
    got: cells.map((cell) => `${describeCell(cell)}: ${results.get(cell) ? 'open' : 'blocked'}`),
    want: cells.map(
      (cell) => `${describeCell(cell)}: ${expectedOpen(policy, cell) ? 'open' : 'blocked'}`,
    ),
  };
}

/** Forgets earlier runs' connections so each run starts from new flows; best effort. */
export function flushConntrack(lab: Lab, host: LabHost): void {
  try {
    lab.exec(host, ['conntrack', '-F']);
  } catch {
    // No conntrack tool: probes use fresh source ports, so old entries cannot match anyway.
  }
}

/** Why a tool the test needs is missing, or undefined when every one is on PATH. */
export function missingTool(tools: readonly string[]): string | undefined {
  for (const tool of tools) {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `no ${tool} on PATH`;
    }
  }
  return undefined;
}
