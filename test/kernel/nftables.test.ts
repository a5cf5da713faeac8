// Applies compiled nftables rulesets in network namespaces and checks that real TCP and
// UDP connections get exactly the verdict evaluate() gives for the same flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnforcementPlan, renderNftables } from '../../src/compile/index.js';
import { parseAddress } from '../../src/domain/index.js';
import type { Policy, Workload } from '../../src/domain/index.js';
import { evaluate, loadPolicy, workloadEndpoint } from '../../src/policy/index.js';
import { Lab, kernelTestsUnavailable, liveNamespacesForTest } from './netns.js';
import type { LabHost } from './netns.js';
import { probeFrom, startListener } from './probes.js';
import type { ProbeTarget } from './probes.js';

const AT = Date.UTC(2026, 0, 1);
const TCP_PORTS = [22, 5432, 8080, 9100];
const UDP_PORTS = [53, 514];

const LABELS: Record<string, Record<string, string>> = {
  web: { role: 'web', env: 'prod' },
  api: { role: 'api', env: 'prod' },
  db: { role: 'db', env: 'prod' },
  dev: { role: 'dev', env: 'dev' },
};

const POLICY = `
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

function loadForTest(text: string): Policy {
  const { policy, issues } = loadPolicy(text, 'kernel-policy.yaml');
  expect(issues).toEqual([]);
  return policy!;
}

interface Cell {
  readonly src: LabHost;
  readonly dst: LabHost;
  readonly target: ProbeTarget;
}

function workloadOf(host: LabHost): Workload {
  return {
    name: host.name,
    addresses: [parseAddress(host.v4), parseAddress(host.v6)],
    labels: LABELS[host.name]!,
    discovered: false,
  };
}

function matrix(hosts: readonly LabHost[]): Cell[] {
  const cells: Cell[] = [];
  for (const src of hosts) {
    for (const dst of hosts) {
      if (src === dst) continue;
      for (const address of [dst.v4, dst.v6]) {
        for (const port of TCP_PORTS)
          cells.push({ src, dst, target: { protocol: 'tcp', address, port } });
        for (const port of UDP_PORTS)
          cells.push({ src, dst, target: { protocol: 'udp', address, port } });
      }
    }
  }
  return cells;
}

/** Runs every cell; sources probe concurrently, each source all its targets at once. */
async function runMatrix(lab: Lab, cells: readonly Cell[]): Promise<Map<Cell, boolean>> {
  const results = new Map<Cell, boolean>();
  await Promise.all(
    lab.hosts.map(async (src) => {
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

function expectedOpen(policy: Policy, cell: Cell): boolean {
  const srcAddress = cell.target.address.includes(':') ? cell.src.v6 : cell.src.v4;
  const question = {
    from: workloadEndpoint(workloadOf(cell.src), parseAddress(srcAddress)),
    to: workloadEndpoint(workloadOf(cell.dst), parseAddress(cell.target.address)),
    protocol: cell.target.protocol === 'tcp' ? 6 : 17,
    port: cell.target.port,
  };
  return evaluate(policy, question, { at: AT }).verdict === 'allow';
}

function applyPolicy(lab: Lab, policy: Policy): void {
  for (const host of lab.hosts) flushConntrack(lab, host);
  const plan = buildEnforcementPlan(policy, lab.hosts.map(workloadOf), { at: AT });
  for (const host of lab.hosts) {
    const text = renderNftables(plan, host.name);
    // Twice: the file must replace its own table, not add to it.
    lab.exec(host, ['nft', '-f', '-'], text);
    lab.exec(host, ['nft', '-f', '-'], text);
    expect(lab.exec(host, ['nft', 'list', 'tables']).trim()).toBe('table inet bulkhead');
  }
}

/** Forgets earlier runs' connections so each run starts from new flows; best effort. */
function flushConntrack(lab: Lab, host: LabHost): void {
  try {
    lab.exec(host, ['conntrack', '-F']);
  } catch {
    // No conntrack tool: probes use fresh source ports, so old entries cannot match anyway.
  }
}

/** Packets counted by the rules whose comment is the rule id, in one host's table. */
function counted(lab: Lab, host: LabHost, ruleId: string): number {
  const listing = JSON.parse(
    lab.exec(host, ['nft', '-j', 'list', 'table', 'inet', 'bulkhead']),
  ) as {
    nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[];
  };
  let packets = 0;
  for (const entry of listing.nftables) {
    if (entry.rule?.comment !== ruleId) continue;
    for (const expr of entry.rule.expr) packets += expr.counter?.packets ?? 0;
  }
  return packets;
}

function describeCell(cell: Cell): string {
  return `${cell.src.name} → ${cell.dst.name} ${cell.target.protocol}/${cell.target.port} @${cell.target.address}`;
}

const unavailable = kernelTestsUnavailable();

describe.skipIf(unavailable !== undefined)(
  `nftables rulesets in network namespaces${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    let lab: Lab | undefined;

    beforeAll(async () => {
      lab = Lab.create(Object.keys(LABELS));
      await Promise.all(
        lab.hosts.map((host) => startListener(lab!, host, { tcp: TCP_PORTS, udp: UDP_PORTS })),
      );
    });

    afterAll(() => {
      lab?.destroy();
      expect(liveNamespacesForTest()).toEqual([]);
    });

    it('every connection gets the verdict of evaluate() in enforce mode', async () => {
      const policy = loadForTest(POLICY);
      applyPolicy(lab!, policy);
      const cells = matrix(lab!.hosts);
      const results = await runMatrix(lab!, cells);

      const got = cells.map(
        (cell) => `${describeCell(cell)}: ${results.get(cell) ? 'open' : 'blocked'}`,
      );
      const want = cells.map(
        (cell) => `${describeCell(cell)}: ${expectedOpen(policy, cell) ? 'open' : 'blocked'}`,
      );
      expect(got).toEqual(want);
      // The matrix must exercise both outcomes, or it proves nothing.
      expect(want.filter((line) => line.endsWith('blocked')).length).toBeGreaterThan(10);
      expect(want.filter((line) => line.endsWith('open')).length).toBeGreaterThan(10);
      // Denied at dev's egress, so web's ingress never sees it.
      expect(counted(lab!, lab!.host('dev'), 'no-dev-to-prod')).toBeGreaterThan(0);
      expect(counted(lab!, lab!.host('web'), 'no-dev-to-prod')).toBe(0);
    });

    it.each([
      { side: 'ingress alone', remove: 'output' },
      { side: 'egress alone', remove: 'input' },
    ])('$side gives the verdict of evaluate()', async ({ remove }) => {
      const policy = loadForTest(POLICY);
      applyPolicy(lab!, policy);
      for (const host of lab!.hosts) {
        lab!.exec(host, ['nft', 'delete', 'chain', 'inet', 'bulkhead', remove]);
      }
      const cells = matrix(lab!.hosts);
      const results = await runMatrix(lab!, cells);

      const got = cells.map(
        (cell) => `${describeCell(cell)}: ${results.get(cell) ? 'open' : 'blocked'}`,
      );
      const want = cells.map(
        (cell) => `${describeCell(cell)}: ${expectedOpen(policy, cell) ? 'open' : 'blocked'}`,
      );
      expect(got).toEqual(want);
    });

    it('test mode drops nothing and counts the would-deny', async () => {
      const policy = loadForTest(`${POLICY}modes:\n  - scope: any\n    mode: test\n`);
      applyPolicy(lab!, policy);
      const cells = matrix(lab!.hosts);
      const results = await runMatrix(lab!, cells);

      const blocked = cells.filter((cell) => !results.get(cell)).map(describeCell);
      expect(blocked).toEqual([]);
      const web = lab!.host('web');
      const dev = lab!.host('dev');
      // dev → web is denied by no-dev-to-prod: counted at dev's egress and web's ingress.
      expect(counted(lab!, dev, 'no-dev-to-prod')).toBeGreaterThan(0);
      expect(counted(lab!, web, 'no-dev-to-prod')).toBeGreaterThan(0);
      // web → api udp/53 is denied by default.
      expect(counted(lab!, web, 'default')).toBeGreaterThan(0);
    });
  },
);
