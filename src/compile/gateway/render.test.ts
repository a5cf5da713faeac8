import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { CompileError } from '../errors.js';
import {
  GOLDEN_SCENARIOS,
  expectGolden,
  goldenPath,
  goldenScenario,
} from '../iptables/golden-for-test.js';
import { renderGateway } from './render.js';

describe('renderGateway() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    const scenario = goldenScenario(name);
    const hosts = scenario.workloads.map((workload) => workload.name);
    expectGolden(
      name,
      'router.gateway.nft',
      renderGateway(scenario.plan, hosts, { name: 'router' }),
    );
  });
});

describe('renderGateway() output', () => {
  it('throws a CompileError for a host the plan does not hold', () => {
    expect(() => renderGateway({ points: [] }, ['ghost'])).toThrow(CompileError);
  });

  it('refuses two hosts with the same address', () => {
    const point = { addresses: ['198.18.0.1'], mode: 'enforce', ingress: [], egress: [] } as const;
    const plan = {
      points: [
        { ...point, workload: 'a' },
        { ...point, workload: 'b' },
      ],
    };
    expect(() => renderGateway(plan as never, ['a', 'b'])).toThrow(
      /share the address 198\.18\.0\.1/,
    );
  });

  it('checks the ingress of the destination after the egress of the source', () => {
    const { plan } = goldenScenario('labels-tiers');
    const text = renderGateway(plan, ['web-1', 'db-1']);
    expect(text).toContain('type filter hook forward priority filter; policy accept;');
    expect(text).toContain('type filter hook forward priority filter + 10; policy accept;');
    expect(text).toContain('198.18.1.30 : jump db-1-ingress,');
    expect(text).toContain('198.18.1.10 : jump web-1-egress,');
  });
});

/** Why `nft -c` cannot run here, or undefined when it can. */
function nftCheckUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: nft -c needs CAP_NET_ADMIN';
  try {
    execFileSync('sh', ['-c', 'command -v nft && command -v unshare'], { stdio: 'ignore' });
  } catch {
    return 'no nft or unshare on PATH';
  }
  return undefined;
}

const unavailable = nftCheckUnavailable();

describe.skipIf(unavailable !== undefined)(
  `nft -c accepts every gateway golden file${unavailable === undefined ? '' : ` (skipped: ${unavailable})`}`,
  () => {
    it.each(GOLDEN_SCENARIOS)('scenario %s', (name) => {
      execFileSync('unshare', ['-n', 'nft', '-c', '-f', goldenPath(name, 'router.gateway.nft')], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 10_000,
      });
    });
  },
);
