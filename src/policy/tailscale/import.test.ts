import { describe, expect, it } from 'vitest';

import { evaluate } from '../evaluate.js';

import { compileTailscaleFilters, importTailscale } from './index.js';
import type { TailscaleNode } from './index.js';

const BASE = {
  groups: { 'group:eng': ['alice@example.com'], 'group:none': [] },
  tagOwners: { 'tag:web': ['group:eng'], 'tag:db': ['alice@example.com'] },
  hosts: { office: '192.0.2.0/24', printer: '100.64.0.9' },
};

function policy(acls: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...BASE, acls, ...extra }, null, 2);
}

const NODES: TailscaleNode[] = [
  {
    name: 'laptop',
    user: 'alice@example.com',
    tags: [],
    ipv4: '100.64.0.1',
    ipv6: 'fd7a:115c:a1e0::1',
  },
  {
    name: 'phone',
    user: 'bob@example.com',
    tags: [],
    ipv4: '100.64.0.2',
    ipv6: 'fd7a:115c:a1e0::2',
  },
  { name: 'web', tags: ['tag:web'], ipv4: '100.64.0.3', ipv6: 'fd7a:115c:a1e0::3' },
  { name: 'router', tags: ['tag:db'], ipv4: '100.64.0.4', routes: ['10.1.0.0/16'] },
];

describe('importTailscale() rejects invalid policies', () => {
  it.each([
    {
      name: 'HuJSON syntax error',
      text: '{\n  "acls": [\n    {"action": "accept",,}\n  ]\n}',
      at: ',,',
      message: /Cannot parse HuJSON/,
    },
    { name: 'top level is a list', text: '[]', at: '[', message: /not an object/ },
    {
      name: 'unknown section',
      text: '{\n  "acl": []\n}',
      at: '"acl"',
      message: /"acl": it is not a Tailscale policy section/,
    },
    {
      name: 'unknown ACL field',
      text: policy([{ action: 'accept', src: ['*'], dst: ['*:*'], port: 22 }]),
      at: '"port"',
      message: /field "port".*not an ACL field/,
    },
    {
      name: 'deny action',
      text: policy([{ action: 'deny', src: ['*'], dst: ['*:*'] }]),
      at: '"deny"',
      message: /action "deny".*only accept/,
    },
    {
      name: 'missing action',
      text: policy([{ src: ['*'], dst: ['*:*'] }]),
      at: '{\n      "src"',
      message: /action is missing/,
    },
    {
      name: 'missing dst',
      text: policy([{ action: 'accept', src: ['*'] }]),
      at: '{\n      "action"',
      message: /dst is missing/,
    },
    {
      name: 'unknown group',
      text: policy([{ action: 'accept', src: ['group:ops'], dst: ['*:22'] }]),
      at: '"group:ops"',
      message: /group "group:ops" is not defined/,
    },
    {
      name: 'tag without owner',
      text: policy([{ action: 'accept', src: ['*'], dst: ['tag:mail:25'] }]),
      at: '"tag:mail:25"',
      message: /tag "tag:mail" is not found in tagOwners/,
    },
    {
      name: 'unknown host',
      text: policy([{ action: 'accept', src: ['nas'], dst: ['*:22'] }]),
      at: '"nas"',
      message: /host "nas" is not defined/,
    },
    {
      name: 'port out of range',
      text: policy([{ action: 'accept', src: ['*'], dst: ['tag:web:65536'] }]),
      at: '"tag:web:65536"',
      message: /port 65536, out of range/,
    },
    {
      name: 'reversed port range',
      text: policy([{ action: 'accept', src: ['*'], dst: ['tag:web:443-80'] }]),
      at: '"tag:web:443-80"',
      message: /first port is greater/,
    },
    {
      name: 'named port',
      text: policy([{ action: 'accept', src: ['*'], dst: ['tag:web:https'] }]),
      at: '"tag:web:https"',
      message: /port range "https"/,
    },
    {
      name: 'empty port list',
      text: policy([{ action: 'accept', src: ['*'], dst: ['tag:web:'] }]),
      at: '"tag:web:"',
      message: /is empty/,
    },
    {
      name: 'destination without port',
      text: policy([{ action: 'accept', src: ['*'], dst: ['office'] }]),
      at: '"office"\n',
      message: /has no ports/,
    },
    {
      name: 'unknown protocol',
      text: policy([{ action: 'accept', src: ['*'], proto: 'tcpp', dst: ['*:22'] }]),
      at: '"tcpp"',
      message: /"tcpp" is not a protocol/,
    },
    {
      name: 'protocol 256',
      text: policy([{ action: 'accept', src: ['*'], proto: '256', dst: ['*:*'] }]),
      at: '"256"',
      message: /"256" is not a protocol/,
    },
    {
      name: 'ports with ICMP',
      text: policy([{ action: 'accept', src: ['*'], proto: 'icmp', dst: ['*:22'] }]),
      at: '"*:22"',
      message: /protocol 1 has no ports/,
    },
    {
      name: 'bad IP address',
      text: policy([{ action: 'accept', src: ['100.64.0.300'], dst: ['*:*'] }]),
      at: '"100.64.0.300"',
      message: /not a valid IP address/,
    },
    {
      name: 'prefix with host bits',
      text: policy([{ action: 'accept', src: ['10.0.0.1/8'], dst: ['*:*'] }]),
      at: '"10.0.0.1/8"',
      message: /host bits set/,
    },
    {
      name: 'self as source',
      text: policy([{ action: 'accept', src: ['autogroup:self'], dst: ['*:*'] }]),
      at: '"autogroup:self"',
      message: /not valid on the src side/,
    },
    {
      name: 'self with a tag source',
      text: policy([{ action: 'accept', src: ['tag:web'], dst: ['autogroup:self:*'] }]),
      at: '"tag:web"\n',
      message: /autogroup:self can only be used with users, groups/,
    },
    {
      name: 'unknown autogroup',
      text: policy([{ action: 'accept', src: ['autogroup:everyone'], dst: ['*:*'] }]),
      at: '"autogroup:everyone"',
      message: /not a known autogroup/,
    },
    {
      name: 'nested group',
      text: JSON.stringify({ groups: { 'group:a': ['group:b'] } }),
      at: '"group:b"',
      message: /cannot contain another group/,
    },
    {
      name: 'undefined tag owner',
      text: JSON.stringify({ tagOwners: { 'tag:a': ['group:missing'] } }),
      at: '"group:missing"',
      message: /tag owner "group:missing"/,
    },
    {
      name: 'bad host address',
      text: JSON.stringify({ hosts: { nas: '10.0.0.999' } }),
      at: '"10.0.0.999"',
      message: /hosts\["nas"\]/,
    },
    {
      name: 'duplicate key',
      text: '{\n  "hosts": {},\n  "hosts": {}\n}',
      at: '"hosts": {}\n}',
      message: /written twice/,
    },
    {
      name: 'failing test',
      text: policy([{ action: 'accept', src: ['group:eng'], dst: ['tag:web:443'] }], {
        tests: [{ src: 'bob@example.com', accept: ['tag:web:443'] }],
      }),
      at: '"tag:web:443"',
      last: true,
      message: /tests\[0\].*expected to be accepted/,
      nodes: NODES,
    },
  ])('importTailscale() rejects $name', ({ text, at, last, message, nodes }) => {
    const offset = last === true ? text.lastIndexOf(at) : text.indexOf(at);
    expect(offset).toBeGreaterThanOrEqual(0);
    const line = text.slice(0, offset).split('\n').length;
    const result = importTailscale(text, 'policy.hujson', nodes ?? []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors.find((e) => message.test(e.message));
    expect(error, result.errors.map((e) => e.message).join('\n')).toBeDefined();
    expect(error?.message).toMatch(/^Cannot /);
    expect(error?.line).toBe(line);
  });

  it('importTailscale() reports every problem in one run', () => {
    const text = policy([
      { action: 'deny', src: ['group:ops'], dst: ['tag:web:99999'] },
      { action: 'accept', src: ['*'], dst: ['tag:nope:22'], extra: 1 },
    ]);
    const result = importTailscale(text, 'policy.hujson');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message.split(':')[0])).toHaveLength(5);
  });

  it('importTailscale() rejects a node with a bad address', () => {
    const result = importTailscale(policy([]), 'policy.hujson', [
      { name: 'x', tags: [], ipv4: '1.2.3' },
    ]);
    expect(result.ok).toBe(false);
  });
});

describe('importTailscale() converts valid policies', () => {
  it('importTailscale() writes YAML that loads back into the same policy', () => {
    const result = importTailscale(
      policy([
        {
          action: 'accept',
          src: ['group:eng', 'tag:web'],
          dst: ['tag:db:5432', 'office:22,80-90'],
        },
        { action: 'accept', src: ['*'], proto: 'udp', dst: ['autogroup:member:53'] },
        {
          action: 'accept',
          src: ['autogroup:member'],
          dst: ['autogroup:self:*', 'autogroup:internet:*'],
        },
      ]),
      'policy.hujson',
      NODES,
    );
    expect(result.ok, result.ok ? '' : JSON.stringify(result.errors)).toBe(true);
    if (!result.ok) return;
    expect(result.policy.tiers[0]?.rules.map((r) => r.id)).toEqual([
      'acl-1-1',
      'acl-1-2',
      'acl-2',
      'acl-3-1-self-1',
      'acl-3-1-self-2',
      'acl-3-2',
    ]);
    expect(result.workloads.find((w) => w.name === 'laptop')?.labels).toEqual({
      tagged: 'false',
      user: 'alice_at_example.com',
    });
    expect(result.workloads.find((w) => w.name === 'web')?.labels).toEqual({
      tagged: 'true',
      'tag.web': 'true',
    });
    expect(result.policyYaml).toContain('network:tailnet');
  });

  it('importTailscale() keeps Tailscale verdicts in Bulkhead evaluate()', () => {
    const result = importTailscale(
      policy([{ action: 'accept', src: ['group:eng'], dst: ['tag:web:443'] }]),
      'p',
      NODES,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const alice = { labels: { tagged: 'false', user: 'alice_at_example.com' } };
    const bob = { labels: { tagged: 'false', user: 'bob_at_example.com' } };
    const web = { labels: { tagged: 'true', 'tag.web': 'true' } };
    expect(evaluate(result.policy, { from: alice, to: web, protocol: 6, port: 443 }).verdict).toBe(
      'allow',
    );
    expect(evaluate(result.policy, { from: alice, to: web, protocol: 6, port: 22 }).verdict).toBe(
      'deny',
    );
    expect(evaluate(result.policy, { from: bob, to: web, protocol: 6, port: 443 }).verdict).toBe(
      'deny',
    );
  });

  it('importTailscale() warns about sections it does not import', () => {
    const result = importTailscale(policy([], { ssh: [], grants: [] }), 'p');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.join('\n')).toMatch(/"ssh".*not imported/);
    expect(result.warnings.join('\n')).toMatch(/"grants".*allows less than Tailscale/);
  });

  it('importTailscale() passes a policy whose tests hold', () => {
    const text = policy([{ action: 'accept', src: ['group:eng'], dst: ['tag:web:443'] }], {
      tests: [{ src: 'alice@example.com', accept: ['tag:web:443'], deny: ['tag:web:22'] }],
    });
    const result = importTailscale(text, 'p', NODES);
    expect(result.ok, result.ok ? '' : JSON.stringify(result.errors)).toBe(true);
  });
});

describe('compileTailscaleFilters()', () => {
  const result = importTailscale(
    policy([
      { action: 'accept', src: ['group:eng'], dst: ['tag:web:80-443'] },
      { action: 'accept', src: ['*'], proto: 'tcp', dst: ['10.1.2.0/24:22'] },
      { action: 'accept', src: ['*'], dst: ['autogroup:self:*'] },
    ]),
    'p',
    NODES,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));

  it('compileTailscaleFilters() gives a tagged node its sources and ports', () => {
    expect(compileTailscaleFilters(result, 'web')).toEqual([
      {
        SrcIPs: ['100.64.0.1', 'fd7a:115c:a1e0::1'],
        DstPorts: [
          { IP: '100.64.0.3', Ports: { First: 80, Last: 443 } },
          { IP: 'fd7a:115c:a1e0::3', Ports: { First: 80, Last: 443 } },
        ],
      },
    ]);
  });

  it('compileTailscaleFilters() puts a routed prefix on its subnet router', () => {
    const rules = compileTailscaleFilters(result, 'router');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.IPProto).toEqual([6]);
    expect(rules[0]?.DstPorts).toEqual([{ IP: '10.1.2.0/24', Ports: { First: 22, Last: 22 } }]);
    expect(rules[0]?.SrcIPs).toContain('10.1.0.0/16');
  });

  it('compileTailscaleFilters() limits autogroup:self to the owner', () => {
    expect(compileTailscaleFilters(result, 'phone')[0]?.SrcIPs).toEqual([
      '100.64.0.2',
      'fd7a:115c:a1e0::2',
    ]);
  });

  it('compileTailscaleFilters() rejects an unknown node', () => {
    expect(() => compileTailscaleFilters(result, 'nope')).toThrow(RangeError);
  });
});
