import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { Endpoint, FlowQuestion } from '../../domain/index.js';
import { evaluate } from '../evaluate.js';
import { addressForTest, loadPolicyForTest } from '../load-for-test.js';

import { compileDecider } from './decider.js';

const policy = loadPolicyForTest(
  readFileSync(new URL('../testdata/design-example.yaml', import.meta.url), 'utf8'),
);
const decider = compileDecider(policy);

const labels = (set: Record<string, string>, address?: string): Endpoint =>
  address === undefined ? { labels: set } : { labels: set, address: addressForTest(address) };
const ip = (text: string): Endpoint => ({ address: addressForTest(text) });
const q = (from: Endpoint, to: Endpoint, protocol: number, port: number): FlowQuestion => ({
  from,
  to,
  protocol,
  port,
});
const web = labels({ app: 'payments', role: 'web', env: 'prod' }, '198.18.0.10');
const api = labels({ app: 'payments', role: 'api', env: 'prod' });
const db = labels({ app: 'payments', role: 'db', env: 'prod' });
const mon = labels({ app: 'monitoring', env: 'dev' });

describe('compileDecider()', () => {
  it.each([
    {
      name: 'the internet reaches the web tier',
      q: q(ip('203.0.113.7'), web, 6, 443),
      want: ['allow', 'web-ingress', 'applications'],
    },
    {
      name: 'private space is not the internet',
      q: q(ip('10.1.2.3'), web, 6, 443),
      want: ['deny', null, null],
    },
    {
      name: 'IPv6 internet reaches the web tier',
      q: q(ip('2001:db8::1'), web, 6, 443),
      want: ['allow', 'web-ingress', 'applications'],
    },
    {
      name: 'ULA is excepted from the internet',
      q: q(ip('fd00::1'), web, 6, 443),
      want: ['deny', null, null],
    },
    {
      name: 'api reaches db on postgres',
      q: q(api, db, 6, 5432),
      want: ['allow', 'api-to-db', 'applications'],
    },
    { name: 'web does not reach db', q: q(web, db, 6, 5432), want: ['deny', null, null] },
    {
      name: 'dev never reaches prod',
      q: q(labels({ env: 'dev', app: 'payments', role: 'api' }), db, 6, 5432),
      want: ['deny', 'no-dev-to-prod', 'guardrails'],
    },
    {
      name: 'the monitoring pass beats the dev guardrail',
      q: q(mon, db, 6, 9100),
      want: ['allow', 'scrape', 'applications'],
    },
    {
      name: 'monitoring on another port meets the guardrail',
      q: q(mon, db, 6, 9101),
      want: ['deny', 'no-dev-to-prod', 'guardrails'],
    },
    {
      name: 'an endpoint with nothing matches nothing',
      q: q({}, {}, 6, 443),
      want: ['deny', null, null],
    },
  ])('decide() $name', ({ q: question, want }) => {
    const decision = decider.decide(question);
    expect([decision.verdict, decision.rule, decision.tier]).toEqual(want);
    expect(decision).toEqual(evaluate(policy, question));
  });

  it.each([
    { name: 'the internet reaches the web tier', q: q(ip('203.0.113.7'), web, 6, 443) },
    { name: 'private space is not the internet', q: q(ip('10.1.2.3'), web, 6, 443) },
    { name: 'web reaches the api', q: q(web, api, 6, 8443) },
    { name: 'monitoring scrapes the db', q: q(mon, db, 6, 9100) },
    { name: 'ICMP echo', q: q(web, db, 1, 8) },
  ])('decideIds() on prepared endpoints equals evaluate(): $name', ({ q: question }) => {
    const from = decider.prepare(question.from);
    const to = decider.prepare(question.to);

    const got = decider.decideIds(from, to, question.protocol, question.port);

    expect(got).toEqual(evaluate(policy, question));
  });

  it('decideIds() rejects an id another decider prepared', () => {
    const other = compileDecider(policy);
    const id = other.prepare(db);
    const fresh = compileDecider(policy);

    expect(() => fresh.decideIds(id, id, 6, 5432)).toThrow(RangeError);
  });

  it('decide() leaves out a rule that expired before the instant it was compiled for', () => {
    const later = compileDecider(policy, { at: Date.parse('2027-02-01T00:00:00Z') });
    expect(later.decide(q(api, db, 6, 5432)).verdict).toBe('deny');
    expect(later.ruleCount).toBe(decider.ruleCount - 1);
  });
});
