// A router namespace between two subnets enforces the policy for hosts that run nothing:
// the gateway renderer's ruleset, applied in the router's forward hook, must give every
// cross-subnet connection the verdict evaluate() gives.
//
//   web, api ── br0 (198.18.0.0/24, 2001:db8:bb::/64) ── router ── br1 (198.18.1.0/24,
//   2001:db8:cc::/64) ── db, dev
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnforcementPlan } from '../../src/compile/index.js';
import { GATEWAY_TABLE, renderGateway } from '../../src/compile/gateway/index.js';
import type { Policy } from '../../src/domain/index.js';
import { Lab, kernelTestsUnavailable, liveNamespacesForTest, run } from './netns.js';
import type { LabHost } from './netns.js';
import { startListener } from './probes.js';
import {
  AT,
  POLICY,
  TCP_PORTS,
  UDP_PORTS,
  compareLines,
  describeCell,
  flushConntrack,
  loadForTest,
  matrix,
  runMatrix,
  workloadOf,
} from './truth-table.js';

const SIDE_A = ['web', 'api'];
const SIDE_B = ['db', 'dev'];

interface Topology {
  readonly router: LabHost;
  /** The four hosts with the addresses they have after the move to their subnet. */
  readonly hosts: readonly LabHost[];
}

/** Splits a one-bridge lab into two subnets joined by the router. */
function buildTopology(lab: Lab): Topology {
  const router = lab.host('router');
  const sh = (host: LabHost, args: string[]): string => lab.exec(host, args);
  run('ip', ['-n', lab.hub, 'link', 'add', 'br1', 'type', 'bridge', 'mcast_snooping', '0']);
  run('ip', ['-n', lab.hub, 'link', 'set', 'br1', 'up']);
  run('ip', [
    '-n',
    lab.hub,
    'link',
    'add',
    'vr1',
    'type',
    'veth',
    'peer',
    'name',
    'eth1',
    'netns',
    router.netns,
  ]);
  run('ip', ['-n', lab.hub, 'link', 'set', 'vr1', 'master', 'br1', 'up']);
  sh(router, ['ip', 'addr', 'add', '198.18.1.1/24', 'dev', 'eth1']);
  sh(router, ['ip', 'addr', 'add', '2001:db8:cc::1/64', 'dev', 'eth1', 'nodad']);
  sh(router, ['ip', 'link', 'set', 'eth1', 'up']);
  sh(router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  sh(router, ['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1']);

  const hosts = lab.hosts.flatMap((host, index): LabHost[] => {
    if (SIDE_A.includes(host.name)) {
      sh(host, ['ip', 'route', 'add', '198.18.1.0/24', 'via', router.v4]);
      sh(host, ['ip', '-6', 'route', 'add', '2001:db8:cc::/64', 'via', router.v6]);
      return [host];
    }
    if (!SIDE_B.includes(host.name)) return [];
    // Move the host's bridge port to br1 and give it an address in the second subnet.
    run('ip', ['-n', lab.hub, 'link', 'set', `v${index}`, 'nomaster']);
    run('ip', ['-n', lab.hub, 'link', 'set', `v${index}`, 'master', 'br1']);
    const moved = { ...host, v4: `198.18.1.${10 + index}`, v6: `2001:db8:cc::${10 + index}` };
    sh(host, ['ip', 'addr', 'flush', 'dev', 'eth0']);
    sh(host, ['ip', 'addr', 'add', `${moved.v4}/24`, 'dev', 'eth0']);
    sh(host, ['ip', 'addr', 'add', `${moved.v6}/64`, 'dev', 'eth0', 'nodad']);
    sh(host, ['ip', 'route', 'add', 'default', 'via', '198.18.1.1']);
    sh(host, ['ip', '-6', 'route', 'add', 'default', 'via', '2001:db8:cc::1']);
    return [moved];
  });
  return { router, hosts };
}

function applyPolicy(lab: Lab, topology: Topology, policy: Policy): void {
  flushConntrack(lab, topology.router);
  const plan = buildEnforcementPlan(
    policy,
    topology.hosts.map((host) => workloadOf(host)),
    {
      at: AT,
    },
  );
  const text = renderGateway(
    plan,
    topology.hosts.map((host) => host.name),
    { name: 'router' },
  );
  // Twice: the file must replace its own table, not add to it.
  lab.exec(topology.router, ['nft', '-f', '-'], text);
  lab.exec(topology.router, ['nft', '-f', '-'], text);
  expect(lab.exec(topology.router, ['nft', 'list', 'tables']).trim()).toBe(
    `table inet ${GATEWAY_TABLE}`,
  );
}

/** Every ordered pair of hosts on different sides of the router. */
function crossPairs(hosts: readonly LabHost[]): [LabHost, LabHost][] {
  const a = hosts.filter((host) => SIDE_A.includes(host.name));
  const b = hosts.filter((host) => SIDE_B.includes(host.name));
  return [
    ...a.flatMap((src) => b.map((dst): [LabHost, LabHost] => [src, dst])),
    ...b.flatMap((src) => a.map((dst): [LabHost, LabHost] => [src, dst])),
  ];
}

/** Packets counted in the router's table by the rules whose comment is the rule id. */
function counted(lab: Lab, router: LabHost, ruleId: string): number {
  const listing = JSON.parse(
    lab.exec(router, ['nft', '-j', 'list', 'table', 'inet', GATEWAY_TABLE]),
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

const unavailable = kernelTestsUnavailable();

describe.skipIf(unavailable !== undefined)(
  `gateway ruleset in a router namespace${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    let lab: Lab | undefined;
    let topology: Topology | undefined;

    beforeAll(async () => {
      lab = Lab.create(['router', ...SIDE_A, ...SIDE_B]);
      topology = buildTopology(lab);
      await Promise.all(
        topology.hosts.map((host) => startListener(lab!, host, { tcp: TCP_PORTS, udp: UDP_PORTS })),
      );
    });

    afterAll(() => {
      lab?.destroy();
      expect(liveNamespacesForTest()).toEqual([]);
    });

    it('routes every cell when no ruleset is loaded', async () => {
      const cells = matrix(crossPairs(topology!.hosts));
      const results = await runMatrix(lab!, cells);
      expect(cells.filter((cell) => !results.get(cell)).map(describeCell)).toEqual([]);
    });

    it('every cross-subnet connection gets the verdict of evaluate()', async () => {
      const policy = loadForTest(POLICY);
      applyPolicy(lab!, topology!, policy);
      const cells = matrix(crossPairs(topology!.hosts));
      const { got, want } = compareLines(policy, cells, await runMatrix(lab!, cells));
      expect(got).toEqual(want);
      expect(want.filter((line) => line.endsWith('blocked')).length).toBeGreaterThan(10);
      expect(want.filter((line) => line.endsWith('open')).length).toBeGreaterThan(10);
      expect(counted(lab!, topology!.router, 'no-dev-to-prod')).toBeGreaterThan(0);
    });

    it('test mode drops nothing and counts the would-deny', async () => {
      const policy = loadForTest(`${POLICY}modes:\n  - scope: any\n    mode: test\n`);
      applyPolicy(lab!, topology!, policy);
      const cells = matrix(crossPairs(topology!.hosts));
      const results = await runMatrix(lab!, cells);
      expect(cells.filter((cell) => !results.get(cell)).map(describeCell)).toEqual([]);
      expect(counted(lab!, topology!.router, 'no-dev-to-prod')).toBeGreaterThan(0);
      expect(counted(lab!, topology!.router, 'default')).toBeGreaterThan(0);
    });
  },
);
