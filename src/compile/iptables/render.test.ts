import { describe, expect, it } from 'vitest';

import { CompileError } from '../errors.js';
import { GOLDEN_SCENARIOS, expectGolden, goldenScenario } from './golden-for-test.js';
import { rangeToPrefixes } from './prefixes.js';
import { formatIptablesRuleset, renderIptables } from './render.js';

describe('renderIptables() golden files', () => {
  it.each(GOLDEN_SCENARIOS)('renders scenario %s byte for byte', (name) => {
    const scenario = goldenScenario(name);
    for (const workload of scenario.workloads) {
      const ruleset = renderIptables(scenario.plan, workload.name);
      expectGolden(name, `${workload.name}.iptables`, formatIptablesRuleset(ruleset));
    }
  });
});

describe('renderIptables() output', () => {
  it('throws a CompileError for a workload the plan does not hold', () => {
    expect(() => renderIptables({ points: [] }, 'ghost')).toThrow(CompileError);
  });

  it('splits the whole address space in two halves, which hash:net accepts', () => {
    const { plan } = goldenScenario('labels-tiers');
    const ruleset = renderIptables(plan, 'db-1');
    const set = ruleset.sets.find((entry) => entry.rule === 'no-db-admin' && entry.family === 4);
    expect(set?.elements).toEqual(['0.0.0.0/1,tcp:22', '128.0.0.0/1,tcp:22']);
  });

  it('keeps set names within the 31 characters ipset allows, temporary name included', () => {
    for (const name of GOLDEN_SCENARIOS) {
      const scenario = goldenScenario(name);
      for (const workload of scenario.workloads) {
        for (const set of renderIptables(scenario.plan, workload.name).sets) {
          expect(`${set.name}-t`.length).toBeLessThanOrEqual(31);
        }
      }
    }
  });

  it('logs would-deny and accepts in test mode', () => {
    const { plan } = goldenScenario('test-mode');
    const text = renderIptables(plan, 'web-1').iptables;
    expect(text).toContain('--nflog-prefix "bh would-deny no-dev-to-prod "');
    expect(text).not.toContain('-j DROP');
  });
});

describe('rangeToPrefixes()', () => {
  it.each([
    { name: 'one address', first: '198.18.0.1', last: '198.18.0.1', want: ['198.18.0.1/32'] },
    { name: 'a prefix', first: '198.18.0.0', last: '198.18.0.255', want: ['198.18.0.0/24'] },
    {
      name: 'unaligned',
      first: '198.18.0.1',
      last: '198.18.0.6',
      want: ['198.18.0.1/32', '198.18.0.2/31', '198.18.0.4/31', '198.18.0.6/32'],
    },
    { name: 'everything', first: '0.0.0.0', last: '255.255.255.255', want: ['0.0.0.0/0'] },
    {
      name: 'top address',
      first: '255.255.255.254',
      last: '255.255.255.255',
      want: ['255.255.255.254/31'],
    },
    { name: 'IPv6', first: '2001:db8::', last: '2001:db8::ffff', want: ['2001:db8::/112'] },
  ])('$name', ({ first, last, want }) => {
    expect(rangeToPrefixes({ first: first as never, last: last as never })).toEqual(want);
  });
});
