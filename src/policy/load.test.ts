import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { loadPolicy, loadPolicyDocuments } from './load.js';

const rule = (body: string): string => `version: 1\nrules:\n  - id: r1\n${body}`;
const RULE_OK = '    from: any\n    to: any\n    services: any\n';

describe('loadPolicy() reports one issue per mistake, with its place', () => {
  it.each([
    // The file as a whole.
    {
      name: 'YAML syntax',
      text: 'version: 1\nrules: [a, b\n',
      code: 'yaml_syntax',
      at: [3, 1],
      says: 'Cannot parse YAML in p.yaml',
    },
    {
      name: 'duplicate key',
      text: 'version: 1\nversion: 1\n',
      code: 'duplicate_key',
      at: [2, 1],
      says: 'Cannot read key "version" in p.yaml',
    },
    {
      name: 'empty file',
      text: '',
      code: 'missing_field',
      at: [1, 1],
      says: 'it is empty; start it with version: 1',
    },
    { name: 'not a mapping', text: '- a\n', code: 'wrong_type', at: [1, 1], says: 'not a mapping' },
    {
      name: 'missing version',
      text: 'rules: []\n',
      code: 'missing_field',
      at: [1, 1],
      says: 'version is missing; add version: 1',
    },
    {
      name: 'version 2',
      text: 'version: 2\n',
      code: 'unsupported_version',
      at: [1, 10],
      says: 'Cannot load policy version 2 at version',
    },
    {
      name: 'unknown top field',
      text: 'version: 1\npolicies: []\n',
      code: 'unknown_field',
      at: [2, 1],
      says: 'Cannot read field "policies" at the top level: it is not a known field; allowed fields are version, services',
    },
    // Services.
    {
      name: 'reversed range',
      text: 'version: 1\nservices:\n  web: tcp/8080-80\n',
      code: 'reversed_port_range',
      at: [3, 8],
      says: 'Cannot parse port range "8080-80" at services.web: first port is greater than last port; write "80-8080"',
    },
    {
      name: 'port 0',
      text: 'version: 1\nservices:\n  web: [tcp/0]\n',
      code: 'port_out_of_range',
      at: [3, 9],
      says: 'at services.web[0]: port 0 is out of range',
    },
    {
      name: 'bare number',
      text: 'version: 1\nservices:\n  web: 443\n',
      code: 'wrong_type',
      at: [3, 8],
      says: 'write the protocol with the port, such as tcp/443',
    },
    {
      name: 'unknown reference',
      text: 'version: 1\nservices:\n  web: [htps]\n',
      code: 'unknown_service',
      at: [3, 9],
      says: 'Cannot find service "htps" at services.web[0]',
    },
    {
      name: 'cycle',
      text: 'version: 1\nservices:\n  a: [b]\n  b: [a]\n',
      code: 'service_cycle',
      at: [4, 7],
      says: 'services a → b → a refer to each other',
    },
    {
      name: 'reserved name',
      text: 'version: 1\nservices:\n  udp: tcp/1\n',
      code: 'reserved_name',
      at: [3, 3],
      says: 'Cannot define service "udp"',
    },
    {
      name: 'invalid name',
      text: 'version: 1\nservices:\n  Web: tcp/1\n',
      code: 'invalid_name',
      at: [3, 3],
      says: 'Cannot define service "Web"',
    },
    {
      name: 'empty list',
      text: 'version: 1\nservices:\n  web: []\n',
      code: 'invalid_service',
      at: [3, 8],
      says: 'the list is empty',
    },
    // Networks.
    {
      name: 'host bits',
      text: 'version: 1\nnetworks:\n  n: {cidrs: [10.0.0.1/8]}\n',
      code: 'invalid_cidr',
      at: [3, 15],
      says: 'Cannot parse CIDR "10.0.0.1/8" at networks.n.cidrs[0]: host bits are set; write 10.0.0.0/8',
    },
    {
      name: 'prefix /33',
      text: 'version: 1\nnetworks:\n  n: {cidrs: [10.0.0.0/33]}\n',
      code: 'invalid_cidr',
      at: [3, 15],
      says: 'prefix length "33" is out of range',
    },
    {
      name: 'IPv6 /129',
      text: 'version: 1\nnetworks:\n  n: {cidrs: ["2001:db8::/129"]}\n',
      code: 'invalid_cidr',
      at: [3, 15],
      says: 'write a number from 0 to 128',
    },
    {
      name: 'leading zero',
      text: 'version: 1\nnetworks:\n  n: {cidrs: [10.0.0.010]}\n',
      code: 'invalid_cidr',
      at: [3, 15],
      says: 'octet "010" has a leading zero',
    },
    {
      name: 'hex address',
      text: 'version: 1\nnetworks:\n  n: {cidrs: [0x0a.0.0.0/8]}\n',
      code: 'invalid_cidr',
      at: [3, 15],
      says: 'is not an IP address',
    },
    {
      name: 'no cidrs',
      text: 'version: 1\nnetworks:\n  n: {except: []}\n',
      code: 'missing_field',
      at: [3, 6],
      says: 'cidrs is missing',
    },
    {
      name: 'empty cidrs',
      text: 'version: 1\nnetworks:\n  n: {cidrs: []}\n',
      code: 'empty_network',
      at: [3, 14],
      says: 'the network holds no address',
    },
    {
      name: 'network field',
      text: 'version: 1\nnetworks:\n  n: {cidrs: [10.0.0.0/8], exclude: []}\n',
      code: 'unknown_field',
      at: [3, 28],
      says: 'Cannot read field "exclude" at networks.n: it is not a known field; allowed fields are cidrs, except',
    },
    // Rules.
    {
      name: 'missing services',
      text: rule('    from: any\n    to: any\n'),
      code: 'missing_field',
      at: [3, 5],
      says: 'services is missing; add services: [SERVICE, …], or services: any',
    },
    {
      name: 'missing from',
      text: rule('    to: any\n    services: any\n'),
      code: 'missing_field',
      at: [3, 5],
      says: 'from: any to match every source',
    },
    {
      name: 'missing id',
      text: 'version: 1\nrules:\n  - from: any\n    to: any\n    services: any\n',
      code: 'missing_field',
      at: [3, 5],
      says: 'id is missing',
    },
    {
      name: 'bad id',
      text: 'version: 1\nrules:\n  - id: Web_Ingress\n' + RULE_OK,
      code: 'invalid_rule_id',
      at: [3, 9],
      says: 'Cannot read rule id "Web_Ingress" at rules[0].id',
    },
    {
      name: 'duplicate id',
      text: rule(RULE_OK) + '  - id: r1\n' + RULE_OK,
      code: 'duplicate_rule_id',
      at: [7, 9],
      says: 'the id is already used at p.yaml:3:9',
    },
    {
      name: 'bad action',
      text: rule('    action: permit\n' + RULE_OK),
      code: 'invalid_action',
      at: [4, 13],
      says: 'Cannot read action "permit" at rules[0].action: write one of allow, deny, pass',
    },
    {
      name: 'unknown rule field',
      text: rule('    port: 443\n' + RULE_OK),
      code: 'unknown_field',
      at: [4, 5],
      says: 'allowed fields are id, action, from, to, services, reason, owner, expires',
    },
    {
      name: 'zoneless expiry',
      text: rule('    expires: 2027-01-31T00:00:00\n' + RULE_OK),
      code: 'invalid_expires',
      at: [4, 14],
      says: 'add Z for UTC',
    },
    {
      name: 'impossible date',
      text: rule('    expires: 2027-02-30\n' + RULE_OK),
      code: 'invalid_expires',
      at: [4, 14],
      says: '2027-02-30 is not a day of the calendar',
    },
    {
      name: 'unknown service in rule',
      text: rule('    from: any\n    to: any\n    services: [https]\n'),
      code: 'unknown_service',
      at: [6, 16],
      says: 'none are defined',
    },
    {
      name: 'empty reason',
      text: rule('    reason: ""\n' + RULE_OK),
      code: 'wrong_type',
      at: [4, 13],
      says: 'write some text',
    },
    // Selectors.
    {
      name: 'unknown network',
      text: rule('    from: network:nope\n    to: any\n    services: any\n'),
      code: 'unknown_network',
      at: [4, 11],
      says: 'Cannot find network "nope" at rules[0].from',
    },
    {
      name: 'unknown segment',
      text: rule('    from: any\n    to: [segment:cde]\n    services: any\n'),
      code: 'unknown_segment',
      at: [5, 10],
      says: 'at rules[0].to[0]',
    },
    {
      name: 'label key',
      text: rule('    from: {App: web}\n    to: any\n    services: any\n'),
      code: 'invalid_label_key',
      at: [4, 12],
      says: 'label key "App"',
    },
    {
      name: 'label value',
      text: rule('    from: {app: "we b"}\n    to: any\n    services: any\n'),
      code: 'invalid_label_value',
      at: [4, 17],
      says: 'Cannot read label value "we b" at rules[0].from.app',
    },
    {
      name: 'empty map',
      text: rule('    from: {}\n    to: any\n    services: any\n'),
      code: 'empty_selector',
      at: [4, 11],
      says: 'write any to select everything',
    },
    {
      name: 'empty not',
      text: rule('    from: {app: web, not: {}}\n    to: any\n    services: any\n'),
      code: 'invalid_selector',
      at: [4, 27],
      says: 'not takes a non-empty label map',
    },
    {
      name: 'labels as text',
      text: rule('    from: app=web\n    to: any\n    services: any\n'),
      code: 'invalid_selector',
      at: [4, 11],
      says: 'write {app: web}',
    },
    {
      name: 'nested list',
      text: rule('    from: [[any]]\n    to: any\n    services: any\n'),
      code: 'invalid_selector',
      at: [4, 12],
      says: 'a list inside a selector list',
    },
    // Tiers.
    {
      name: 'tier without name',
      text: 'version: 1\ntiers:\n  - rules: [{id: x, from: any, to: any, services: any}]\n',
      code: 'missing_field',
      at: [3, 5],
      says: 'name is missing',
    },
    {
      name: 'tier repeated in a file',
      text: 'version: 1\ntiers:\n  - {name: a, rules: [{id: x, from: any, to: any, services: any}]}\n  - {name: a, rules: [{id: y, from: any, to: any, services: any}]}\n',
      code: 'duplicate_tier',
      at: [4, 5],
      says: 'already defined at line 3',
    },
    // Segments, modes, tests.
    {
      name: 'segment without select',
      text: 'version: 1\nsegments:\n  cde: {isolated: true}\n',
      code: 'missing_field',
      at: [3, 8],
      says: 'select is missing',
    },
    {
      name: 'isolated not boolean',
      text: 'version: 1\nsegments:\n  cde: {select: any, isolated: yes}\n',
      code: 'wrong_type',
      at: [3, 32],
      says: 'write true or false',
    },
    {
      name: 'unknown exception',
      text: 'version: 1\nsegments:\n  cde: {select: any, isolated: true, exceptions: [nope]}\n',
      code: 'unknown_rule',
      at: [3, 51],
      says: 'Cannot find rule "nope" at segments.cde.exceptions[0]',
    },
    {
      name: 'segment cycle',
      text: 'version: 1\nsegments:\n  a: {select: "segment:b"}\n  b: {select: "segment:a"}\n',
      code: 'segment_cycle',
      at: [3, 3],
      says: 'segments a → b → a select each other',
    },
    {
      name: 'bad mode',
      text: 'version: 1\nmodes:\n  - {scope: any, mode: block}\n',
      code: 'invalid_mode',
      at: [3, 24],
      says: 'Cannot read mode "block" at modes[0].mode: write one of observe, test, enforce',
    },
    {
      name: 'bad expect',
      text: 'version: 1\ntests:\n  - {from: any, to: any, service: tcp/1, expect: drop}\n',
      code: 'invalid_expect',
      at: [3, 50],
      says: 'write one of allow, deny',
    },
    {
      name: 'test service list',
      text: 'version: 1\ntests:\n  - {from: any, to: any, service: [tcp/1], expect: deny}\n',
      code: 'wrong_type',
      at: [3, 35],
      says: 'write one test per service',
    },
    {
      name: 'test without expect',
      text: 'version: 1\ntests:\n  - {from: any, to: any, service: tcp/1}\n',
      code: 'missing_field',
      at: [3, 5],
      says: 'expect is missing',
    },
  ])('$name', ({ text, code, at, says }) => {
    const { policy, issues } = loadPolicy(text, 'p.yaml');
    expect(policy).toBeUndefined();
    expect(issues.map((issue) => issue.code)).toEqual([code]);
    expect(issues[0]?.message).toContain(says);
    expect([issues[0]?.place.line, issues[0]?.place.column]).toEqual(at);
    expect(issues[0]?.message).not.toMatch(/\.$/);
  });
});

describe('loadPolicy()', () => {
  it('loadPolicy() reports all five mistakes of a policy, each with its place', () => {
    const text = [
      'version: 1',
      'services:',
      '  web: tcp/8080-80',
      'networks:',
      '  lan: {cidrs: [192.168.1.1/24]}',
      'rules:',
      '  - id: r1',
      '    action: alow',
      '    from: network:lan',
      '    to: {app: web}',
      '  - id: r2',
      '    from: any',
      '    to: segment:cde',
      '    services: [web]',
      '',
    ].join('\n');
    const { policy, issues } = loadPolicy(text, 'five.yaml');

    expect(policy).toBeUndefined();
    expect(
      issues.map((issue) => `${issue.place.line}:${issue.place.column} ${issue.code}`),
    ).toEqual([
      '3:8 reversed_port_range',
      '5:17 invalid_cidr',
      '7:5 missing_field',
      '8:13 invalid_action',
      '13:9 unknown_segment',
    ]);
  });

  it('loadPolicy() pins the shape of a port range issue', () => {
    const { issues } = loadPolicy(
      'version: 1\ntiers:\n  - name: a\n    rules: []\n  - name: b\n    rules:\n      - id: r\n        from: any\n        to: any\n        services: [tcp/8080-80]\n',
      'policy.yaml',
    );
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "empty_tier",
          "message": "Cannot use tier "a" at tiers[0]: it has no rules, so it never decides; add rules or remove the tier",
          "path": [
            "tiers",
            0,
            "rules",
          ],
          "place": {
            "column": 12,
            "file": "policy.yaml",
            "line": 4,
          },
          "severity": "warning",
        },
        {
          "code": "reversed_port_range",
          "message": "Cannot parse port range "8080-80" at tiers[1].rules[0].services[0]: first port is greater than last port; write "80-8080"",
          "path": [
            "tiers",
            1,
            "rules",
            0,
            "services",
            0,
          ],
          "place": {
            "column": 20,
            "file": "policy.yaml",
            "line": 10,
          },
          "severity": "error",
        },
      ]
    `);
  });

  it('loadPolicy() pins the shape of an unknown field issue', () => {
    const { issues } = loadPolicy(
      'version: 1\nnetworks:\n  lan: {cidrs: [10.0.0.0/8], excpet: []}\n',
      'policy.yaml',
    );
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "unknown_field",
          "message": "Cannot read field "excpet" at networks.lan: it is not a known field; allowed fields are cidrs, except",
          "path": [
            "networks",
            "lan",
            "excpet",
          ],
          "place": {
            "column": 30,
            "file": "policy.yaml",
            "line": 3,
          },
          "severity": "error",
        },
      ]
    `);
  });

  it('loadPolicy() pins the shape of an unknown network issue', () => {
    const { issues } = loadPolicy(
      'version: 1\nnetworks:\n  internet: {cidrs: [0.0.0.0/0]}\nrules:\n  - {id: r, from: network:intranet, to: any, services: any}\n',
      'policy.yaml',
    );
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "code": "unknown_network",
          "message": "Cannot find network "intranet" at rules[0].from: no network has that name; known names are internet",
          "path": [
            "rules",
            0,
            "from",
          ],
          "place": {
            "column": 19,
            "file": "policy.yaml",
            "line": 5,
          },
          "severity": "error",
        },
      ]
    `);
  });

  it('loadPolicy() reads the example policy of DESIGN.md without issues', () => {
    const text = readFileSync(new URL('./testdata/design-example.yaml', import.meta.url), 'utf8');
    const { policy, issues } = loadPolicy(text, 'design.yaml');

    expect(issues).toEqual([]);
    expect(policy?.tiers.map((tier) => [tier.name, tier.rules.map((r) => r.id)])).toEqual([
      ['guardrails', ['no-dev-to-prod', 'monitoring-exempt']],
      ['applications', ['web-ingress', 'api-to-db', 'scrape']],
    ]);
    expect(policy?.services.get('dns')).toEqual([
      { protocol: 17, ports: [{ first: 53, last: 53 }] },
      { protocol: 6, ports: [{ first: 53, last: 53 }] },
    ]);
    expect(policy?.networks.get('partner')).toEqual({
      name: 'partner',
      cidrs: ['198.18.64.0/20'],
      except: ['198.18.70.0/24'],
    });
    expect(policy?.segments.get('cde')).toEqual({
      name: 'cde',
      select: [{ kind: 'labels', match: { app: ['payments'], env: ['prod'] } }],
      isolated: true,
      exceptions: ['web-ingress'],
    });
    expect(policy?.tiers[1]?.rules[1]?.expires).toBe(Date.parse('2027-01-31T00:00:00Z'));
    expect(policy?.tiers[1]?.rules[0]).toMatchObject({
      action: 'allow',
      owner: 'payments-team',
      place: { file: 'design.yaml', line: 46, column: 9 },
    });
    expect(policy?.tests.map((test) => [test.serviceText, test.expect])).toEqual([
      ['postgres', 'deny'],
      ['tcp/9100', 'allow'],
    ]);
  });

  it('loadPolicy() reads label lists, not, services referring to services, and aliases', () => {
    const { policy, issues } = loadPolicy(
      [
        'version: 1',
        'services:',
        '  web: &web [tcp/80, tcp/443]',
        '  edge: [web, icmp/3/4]',
        'rules:',
        '  - id: r',
        '    from: {role: [web, api], not: {env: dev}}',
        '    to: [10.1.0.0/16, "2001:db8::/32", workload:db-1]',
        '    services: [edge]',
        '',
      ].join('\n'),
      'p.yaml',
    );

    expect(issues).toEqual([]);
    expect(policy?.services.get('edge')).toEqual([
      { protocol: 6, ports: [{ first: 80, last: 80 }] },
      { protocol: 6, ports: [{ first: 443, last: 443 }] },
      { protocol: 1, icmpType: 3, icmpCode: 4 },
    ]);
    expect(policy?.tiers[0]?.rules[0]).toMatchObject({
      from: [{ kind: 'labels', match: { role: ['web', 'api'] }, not: { env: ['dev'] } }],
      to: [
        { kind: 'cidr', cidr: '10.1.0.0/16' },
        { kind: 'cidr', cidr: '2001:db8::/32' },
        { kind: 'workload', name: 'db-1' },
      ],
    });
  });

  it('loadPolicy() warns about exceptions outside the network and keeps the policy', () => {
    const { policy, issues } = loadPolicy(
      'version: 1\nnetworks:\n  n: {cidrs: [10.0.0.0/8], except: [192.168.0.0/16]}\n',
      'p.yaml',
    );
    expect(policy).toBeDefined();
    expect(issues.map((issue) => [issue.code, issue.severity])).toEqual([
      ['except_outside_network', 'warning'],
    ]);
  });
});

describe('loadPolicyDocuments()', () => {
  const base =
    'version: 1\nservices:\n  https: tcp/443\nnetworks:\n  lan: {cidrs: [10.0.0.0/8]}\ntiers:\n  - name: apps\n    rules:\n      - {id: a, from: network:lan, to: any, services: [https]}\n';

  it('loadPolicyDocuments() merges names and tiers across files', () => {
    const team =
      'version: 1\nservices:\n  ssh: tcp/22\ntiers:\n  - name: apps\n    rules:\n      - {id: b, from: network:lan, to: any, services: [https, ssh]}\nrules:\n  - {id: c, from: any, to: any, services: any, action: deny}\n';
    const { policy, issues } = loadPolicyDocuments([
      { text: base, file: 'a.yaml' },
      { text: team, file: 'b.yaml' },
    ]);

    expect(issues).toEqual([]);
    expect([...(policy?.services.keys() ?? [])]).toEqual(['https', 'ssh']);
    expect(policy?.tiers.map((tier) => [tier.name, tier.rules.map((r) => r.id)])).toEqual([
      ['apps', ['a', 'b']],
      ['default', ['c']],
    ]);
  });

  it('loadPolicyDocuments() reports names and rule ids defined in two files', () => {
    const other =
      'version: 1\nservices:\n  https: tcp/8443\nrules:\n  - {id: a, from: any, to: any, services: any}\n';
    const { policy, issues } = loadPolicyDocuments([
      { text: base, file: 'a.yaml' },
      { text: other, file: 'b.yaml' },
    ]);

    expect(policy).toBeUndefined();
    expect(
      issues.map((issue) => [issue.code, issue.place.file, issue.place.line, issue.message]),
    ).toEqual([
      [
        'duplicate_name',
        'b.yaml',
        3,
        'Cannot define service "https" at services.https: it is already defined at a.yaml:3:3; keep one definition or rename one',
      ],
      [
        'duplicate_rule_id',
        'b.yaml',
        5,
        'Cannot define rule "a" at rules[0].id: the id is already used at a.yaml:9:14; rule ids must be unique, rename one',
      ],
    ]);
  });

  it('loadPolicyDocuments() keeps checking other files when one has a syntax error', () => {
    const broken = 'version: 1\nrules: [\n';
    const wrong = 'version: 1\nrules:\n  - {id: x, from: any, to: any, services: tcp/0}\n';
    const { issues } = loadPolicyDocuments([
      { text: broken, file: 'a.yaml' },
      { text: wrong, file: 'b.yaml' },
    ]);
    expect(issues.map((issue) => [issue.place.file, issue.code])).toContainEqual([
      'b.yaml',
      'port_out_of_range',
    ]);
    expect(issues.map((issue) => issue.place.file)).toContain('a.yaml');
  });
});
