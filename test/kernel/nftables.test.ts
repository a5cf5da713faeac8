// Applies compiled nftables rulesets in network namespaces and checks that real TCP and
// UDP connections get exactly the verdict evaluate() gives for the same flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnforcementPlan, renderNftables } from '../../src/compile/index.js';
import type { Policy } from '../../src/domain/index.js';
import { Lab, kernelTestsUnavailable, liveNamespacesForTest } from './netns.js';
import type { LabHost } from './netns.js';
import { startListener } from './probes.js';
import {
  AT,
  LABELS,
  POLICY,
  TCP_PORTS,
  UDP_PORTS,
  allPairs,
  compareLines,
  describeCell,
  flushConntrack,
  loadForTest,
  matrix,
  runMatrix,
  workloadOf,
} from './truth-table.js';

function applyPolicy(lab: Lab, policy: Policy): void {
  for (const host of lab.hosts) flushConntrack(lab, host);
  const plan = buildEnforcementPlan(
    policy,
    lab.hosts.map((host) => workloadOf(host)),
    { at: AT },
  );
  for (const host of lab.hosts) {
    const text = renderNftables(plan, host.name);
    // Twice: the file must replace its own table, not add to it.
    lab.exec(host, ['nft', '-f', '-'], text);
    lab.exec(host, ['nft', '-f', '-'], text);
    expect(lab.exec(host, ['nft', 'list', 'tables']).trim()).toBe('table inet bulkhead');
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
      const cells = matrix(allPairs(lab!.hosts));
      const { got, want } = compareLines(policy, cells, await runMatrix(lab!, cells));
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
      const cells = matrix(allPairs(lab!.hosts));
      const { got, want } = compareLines(policy, cells, await runMatrix(lab!, cells));
      expect(got).toEqual(want);
    });

    it('test mode drops nothing and counts the would-deny', async () => {
      const policy = loadForTest(`${POLICY}modes:\n  - scope: any\n    mode: test\n`);
      applyPolicy(lab!, policy);
      const cells = matrix(allPairs(lab!.hosts));
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
