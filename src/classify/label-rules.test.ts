import { describe, expect, it } from 'vitest';

import { parseAddress } from '../domain/index.js';
import type { Workload } from '../domain/index.js';
import { applyLabelRules } from './apply-labels.js';
import { parseLabelRules } from './label-rules.js';

describe('parseLabelRules()', () => {
  it.each([
    {
      name: 'YAML syntax',
      text: 'rules: [\n  {match: ',
      want: /^rules\.yaml:\d+:\d+: Cannot parse YAML/,
    },
    {
      name: 'no rules list',
      text: 'labels: {}\n',
      want: /^rules\.yaml:1:1: .*top-level "rules:" list/,
    },
    {
      name: 'bad CIDR',
      text: 'rules:\n  - match: {cidr: 10.0.0.0/33}\n    labels: {env: ot}\n',
      want: /^rules\.yaml:2:19: .*"10\.0\.0\.0\/33".*0 to 32/,
    },
    {
      name: 'bad port',
      text: 'rules:\n  - match: {port: tcp/70000}\n    labels: {role: x}\n',
      want: /^rules\.yaml:2:19: .*"tcp\/70000" is not a port/,
    },
    {
      name: 'unknown matcher',
      text: 'rules:\n  - match: {mac: aa}\n    labels: {role: x}\n',
      want: /unknown matcher "mac"; allowed are cidr, name, port/,
    },
    {
      name: 'bad label key',
      text: 'rules:\n  - match: {name: "a*"}\n    labels: {Role: x}\n',
      want: /^rules\.yaml:3:14: .*label key "Role"/,
    },
    {
      name: 'missing labels',
      text: 'rules:\n  - match: {name: "a*"}\n',
      want: /labels: expected a map of label keys/,
    },
    {
      name: 'unknown field',
      text: 'rules:\n  - match: {name: "a*"}\n    labels: {role: x}\n    lables: {}\n',
      want: /unknown field "lables"/,
    },
  ])('rejects $name with the place and the value', ({ text, want }) => {
    const { rules, errors } = parseLabelRules(text, 'rules.yaml');
    expect(rules).toHaveLength(0);
    expect(errors.map((e) => e.describe()).join('\n')).toMatch(want);
  });

  it('keeps the good rules of a partly bad file and reports every bad one', () => {
    const text = [
      'rules:',
      '  - match: {cidr: 198.18.0.0/24}',
      '    labels: {env: lab}',
      '  - match: {cidr: 1.2..3}',
      '    labels: {env: x}',
      '  - match: {port: [tcp/502, udp/0]}',
      '    labels: {role: plc}',
      '  - match: {name: "plc-*"}',
      '    labels: {role: plc}',
    ].join('\n');
    const { rules, errors } = parseLabelRules(text, 'r.yaml');
    expect(rules.map((r) => r.index)).toEqual([0, 3]);
    expect(errors.map((e) => e.describe())).toEqual([
      expect.stringMatching(/^r\.yaml:4:19: .*"1\.2\.\.3"/),
      expect.stringMatching(/^r\.yaml:6:29: .*"udp\/0"/),
    ]);
  });
});

describe('applyLabelRules()', () => {
  const workloads: Workload[] = [
    { name: 'hmi-1', addresses: [parseAddress('198.18.0.10')], labels: {}, discovered: false },
    {
      name: 'plc-1',
      addresses: [parseAddress('198.18.0.21')],
      labels: {},
      discovered: false,
      openPorts: [{ protocol: 6, port: 102 }],
    },
    { name: '198.18.0.22', addresses: [parseAddress('198.18.0.22')], labels: {}, discovered: true },
    { name: 'office', addresses: [parseAddress('198.19.0.5')], labels: {}, discovered: false },
  ];
  const { rules } = parseLabelRules(
    [
      'rules:',
      '  - match: {cidr: 198.18.0.0/24}',
      '    labels: {env: ot, role: unknown}',
      '  - match: {port: [tcp/102, tcp/502]}',
      '    labels: {role: plc}',
      '  - match: {name: "hmi-?", cidr: 198.18.0.0/24}',
      '    labels: {role: hmi}',
    ].join('\n'),
    'r.yaml',
  );

  it('matches by CIDR, open or served port and name glob; later rules override', () => {
    const served = new Map([['198.18.0.22', new Set(['6/502'])]]);
    const got = applyLabelRules(rules, workloads, served).map(
      (a) => `${a.workload} ${a.key}=${a.value} #${a.rule}`,
    );
    expect(got.sort()).toEqual([
      '198.18.0.22 env=ot #0',
      '198.18.0.22 role=plc #1',
      'hmi-1 env=ot #0',
      'hmi-1 role=hmi #2',
      'plc-1 env=ot #0',
      'plc-1 role=plc #1',
    ]);
  });
});
