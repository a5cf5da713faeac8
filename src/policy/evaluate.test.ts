import { describe, expect, it } from 'vitest';

import type { Endpoint, FlowQuestion } from '../domain/index.js';

import { evaluate } from './evaluate.js';
import { explain } from './explain.js';
import { addressForTest, loadPolicyForTest } from './load-for-test.js';

const policy = loadPolicyForTest(`
version: 1
services:
  web: [tcp/80, tcp/443]
networks:
  internet:
    cidrs: [0.0.0.0/0, "::/0"]
    except: [10.0.0.0/8, "fc00::/7"]
tiers:
  - name: guardrails
    rules:
      - {id: no-dev-to-prod, action: deny, from: {env: dev}, to: {env: prod}, services: any}
      - {id: monitoring-exempt, action: pass, from: {app: monitoring}, to: any, services: [tcp/9100]}
      - {id: block-scrape, action: deny, from: any, to: any, services: [tcp/9100]}
  - name: applications
    rules:
      - {id: web-ingress, from: network:internet, to: {role: web}, services: [web]}
      - {id: api-any, from: {role: api}, to: {role: db}, services: [tcp/5432]}
      - {id: api-not-dev, action: deny, from: {role: api, not: {env: [prod, test]}}, to: {role: db}, services: any}
      - {id: scrape, from: {app: monitoring}, to: any, services: [tcp/9100]}
      - {id: ephemeral, from: 198.18.0.0/15, to: "2001:db8::/32", services: [tcp/49152-65535, udp]}
      - {id: ping, from: any, to: {role: web}, services: [icmp/8, "icmpv6/128"]}
      - {id: unreachable, from: any, to: {role: web}, services: [icmp/3/4]}
      - {id: temporary, from: {app: vendor}, to: {role: db}, services: [tcp/22], expires: 2027-01-31T00:00:00Z}
`);

const ip = (text: string): Endpoint => ({ address: addressForTest(text) });
const labels = (set: Record<string, string>): Endpoint => ({ labels: set });
const tcp = (from: Endpoint, to: Endpoint, port: number): FlowQuestion => ({
  from,
  to,
  protocol: 6,
  port,
});
const web = labels({ role: 'web' });
const db = labels({ role: 'db' });
const JAN_2027 = Date.parse('2027-01-01T00:00:00Z');
const MAR_2027 = Date.parse('2027-03-01T00:00:00Z');

describe('evaluate()', () => {
  it.each([
    // Default deny.
    { name: 'denies a flow no rule selects', q: tcp(db, web, 22), want: ['deny', null, null] },
    {
      name: 'denies an endpoint without labels or address',
      q: tcp({}, {}, 443),
      want: ['deny', null, null],
    },
    // Tiers: the first that decides wins.
    {
      name: 'a guardrail deny wins over a later allow',
      q: tcp(labels({ env: 'dev', role: 'api' }), labels({ env: 'prod', role: 'db' }), 5432),
      want: ['deny', 'no-dev-to-prod', 'guardrails'],
    },
    {
      name: 'pass beats a deny of its own tier',
      q: tcp(labels({ env: 'dev', app: 'monitoring' }), labels({ env: 'prod' }), 9100),
      want: ['allow', 'scrape', 'applications'],
    },
    // pass beats deny inside a tier and hands the flow on.
    {
      name: 'pass defers to the next tier',
      q: tcp(labels({ app: 'monitoring' }), db, 9100),
      want: ['allow', 'scrape', 'applications'],
    },
    {
      name: 'without pass the deny applies',
      q: tcp(labels({ app: 'other' }), db, 9100),
      want: ['deny', 'block-scrape', 'guardrails'],
    },
    // deny beats allow inside a tier, whatever the order.
    {
      name: 'deny beats allow in the same tier',
      q: tcp(labels({ role: 'api', env: 'dev' }), db, 5432),
      want: ['deny', 'api-not-dev', 'applications'],
    },
    {
      name: 'not: excludes the listed values',
      q: tcp(labels({ role: 'api', env: 'prod' }), db, 5432),
      want: ['allow', 'api-any', 'applications'],
    },
    // Networks and their exceptions.
    {
      name: 'internet reaches web',
      q: tcp(ip('203.0.113.9'), web, 443),
      want: ['allow', 'web-ingress', 'applications'],
    },
    { name: 'internet excepts 10/8', q: tcp(ip('10.1.2.3'), web, 443), want: ['deny', null, null] },
    {
      name: 'IPv6 internet reaches web',
      q: tcp(ip('2001:db8::5'), web, 80),
      want: ['allow', 'web-ingress', 'applications'],
    },
    { name: 'IPv6 exception fc00::/7', q: tcp(ip('fd00::1'), web, 80), want: ['deny', null, null] },
    {
      name: 'service port outside the list',
      q: tcp(ip('203.0.113.9'), web, 8080),
      want: ['deny', null, null],
    },
    // Port ranges and all-port protocols.
    {
      name: 'range start',
      q: tcp(ip('198.18.0.1'), ip('2001:db8::1'), 49152),
      want: ['allow', 'ephemeral', 'applications'],
    },
    {
      name: 'range end',
      q: tcp(ip('198.19.255.255'), ip('2001:db8::1'), 65535),
      want: ['allow', 'ephemeral', 'applications'],
    },
    {
      name: 'below the range',
      q: tcp(ip('198.18.0.1'), ip('2001:db8::1'), 49151),
      want: ['deny', null, null],
    },
    {
      name: 'udp matches every port',
      q: { from: ip('198.18.0.1'), to: ip('2001:db8::1'), protocol: 17, port: 7 },
      want: ['allow', 'ephemeral', 'applications'],
    },
    {
      name: 'address outside the prefix',
      q: tcp(ip('198.20.0.1'), ip('2001:db8::1'), 50000),
      want: ['deny', null, null],
    },
    // ICMP type and code.
    {
      name: 'icmp echo',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 8 },
      want: ['allow', 'ping', 'applications'],
    },
    {
      name: 'icmp other type',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 13 },
      want: ['deny', null, null],
    },
    {
      name: 'icmpv6 echo',
      q: { from: ip('fd00::1'), to: web, protocol: 58, port: 128 },
      want: ['allow', 'ping', 'applications'],
    },
    {
      name: 'icmp type 128 is not icmpv6',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 128 },
      want: ['deny', null, null],
    },
    {
      name: 'icmp type and code',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 3, icmpCode: 4 },
      want: ['allow', 'unreachable', 'applications'],
    },
    {
      name: 'icmp other code',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 3, icmpCode: 1 },
      want: ['deny', null, null],
    },
    {
      name: 'icmp unknown code',
      q: { from: ip('10.0.0.1'), to: web, protocol: 1, port: 3 },
      want: ['deny', null, null],
    },
    // Expiry: only when an instant is given.
    {
      name: 'expiry ignored without at',
      q: tcp(labels({ app: 'vendor' }), db, 22),
      want: ['allow', 'temporary', 'applications'],
    },
    {
      name: 'before expiry',
      q: tcp(labels({ app: 'vendor' }), db, 22),
      at: JAN_2027,
      want: ['allow', 'temporary', 'applications'],
    },
    {
      name: 'at the expiry instant',
      q: tcp(labels({ app: 'vendor' }), db, 22),
      at: Date.parse('2027-01-31T00:00:00Z'),
      want: ['allow', 'temporary', 'applications'],
    },
    {
      name: 'after expiry',
      q: tcp(labels({ app: 'vendor' }), db, 22),
      at: MAR_2027,
      want: ['deny', null, null],
    },
  ])('evaluate() $name', ({ q, at, want }) => {
    const decision = evaluate(policy, q, at === undefined ? {} : { at });
    expect([decision.verdict, decision.rule, decision.tier]).toEqual(want);
    expect(explain(policy, q, at === undefined ? {} : { at }).decision).toEqual(decision);
  });

  it('evaluate() picks the first deny in file order when several match', () => {
    const two = loadPolicyForTest(`
version: 1
rules:
  - {id: allow-all, from: any, to: any, services: any}
  - {id: deny-b, action: deny, from: any, to: any, services: [tcp/22]}
  - {id: deny-a, action: deny, from: any, to: any, services: any}
`);
    expect(evaluate(two, tcp({}, {}, 22))).toEqual({
      verdict: 'deny',
      rule: 'deny-b',
      tier: 'default',
    });
  });
});

describe('explain()', () => {
  it('explain() lists each tier considered and why each rule did not match', () => {
    const result = explain(policy, tcp(labels({ app: 'monitoring' }), db, 9100));

    expect(result.tiers.map((tier) => [tier.name, tier.outcome, tier.rule])).toEqual([
      ['guardrails', 'pass', 'monitoring-exempt'],
      ['applications', 'allow', 'scrape'],
    ]);
    expect(result.tiers[0]?.rules.map((rule) => [rule.id, rule.matched, rule.mismatches])).toEqual([
      ['no-dev-to-prod', false, ['from', 'to']],
      ['monitoring-exempt', true, []],
      ['block-scrape', true, []],
    ]);
    expect(result.tiers[1]?.rules.find((rule) => rule.id === 'web-ingress')?.mismatches).toEqual([
      'from',
      'to',
      'service',
    ]);
  });

  it('explain() reports expired rules and stops at no tier when none decides', () => {
    const result = explain(policy, tcp(labels({ app: 'vendor' }), db, 22), { at: MAR_2027 });

    expect(result.decision).toEqual({ verdict: 'deny', rule: null, tier: null });
    expect(result.tiers.map((tier) => tier.outcome)).toEqual(['no-match', 'no-match']);
    expect(result.tiers[1]?.rules.find((rule) => rule.id === 'temporary')).toMatchObject({
      matched: false,
      mismatches: ['expired'],
    });
  });
});
