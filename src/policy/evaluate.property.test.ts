import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  Cidr,
  Endpoint,
  FlowQuestion,
  Policy,
  Rule,
  RuleAction,
  Selector,
  ServiceEntry,
  Tier,
} from '../domain/index.js';

import { evaluate } from './evaluate.js';
import { explain } from './explain.js';
import { addressForTest } from './load-for-test.js';

// A small universe keeps collisions between rules and flows frequent, so the properties
// are exercised on flows that many rules match.
const APPS = ['a', 'b', 'c'];
const ADDRESSES = ['198.18.0.1', '198.18.1.1', '2001:db8::1'];

const selectorArb: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant<Selector>([{ kind: 'any' }]),
  fc
    .subarray(APPS, { minLength: 1 })
    .map((apps): Selector => [{ kind: 'labels', match: { app: apps } }]),
  fc
    .constantFrom(...APPS)
    .map((app): Selector => [{ kind: 'labels', match: {}, not: { app: [app] } }]),
  fc
    .constantFrom('198.18.0.0/24', '198.18.0.0/15', '2001:db8::/32')
    .map((cidr): Selector => [{ kind: 'cidr', cidr: cidr as Cidr }]),
);

const servicesArb: fc.Arbitrary<Rule['services']> = fc.oneof(
  fc.constant<'any'>('any'),
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }))
    .map(([first, span]): readonly ServiceEntry[] => [
      { protocol: 6, ports: [{ first, last: first + span }] },
    ]),
  fc.constant<readonly ServiceEntry[]>([{ protocol: 17 }]),
);

const ruleArb = (action?: RuleAction): fc.Arbitrary<Rule> =>
  fc
    .record({
      action:
        action === undefined
          ? fc.constantFrom<RuleAction>('allow', 'deny', 'pass')
          : fc.constant(action),
      from: selectorArb,
      to: selectorArb,
      services: servicesArb,
    })
    .map((rule) => ({ ...rule, id: 'generated' }));

const policyArb: fc.Arbitrary<Policy> = fc
  .array(fc.array(ruleArb(), { maxLength: 5 }), { maxLength: 3 })
  .map((tiers) => withTiers(tiers.map((rules, index) => ({ name: `t${index}`, rules }))));

const endpointArb: fc.Arbitrary<Endpoint> = fc.record(
  {
    labels: fc.constantFrom(...APPS).map((app) => ({ app })),
    address: fc.constantFrom(...ADDRESSES).map(addressForTest),
  },
  { requiredKeys: [] },
);

const questionArb: fc.Arbitrary<FlowQuestion> = fc.record({
  from: endpointArb,
  to: endpointArb,
  protocol: fc.constantFrom(6, 17),
  port: fc.integer({ min: 1, max: 10 }),
});

function withTiers(tiers: readonly Tier[]): Policy {
  let next = 0;
  const numbered = tiers.map((tier) => ({
    ...tier,
    rules: tier.rules.map((rule) => ({ ...rule, id: `r${next++}` })),
  }));
  return {
    version: 1,
    services: new Map(),
    networks: new Map(),
    segments: new Map(),
    modes: [],
    tiers: numbered,
    tests: [],
  };
}

/** The policy with a rule inserted into tier `at` (a new last tier when out of range). */
function insertRule(policy: Policy, rule: Rule, at: number): Policy {
  const tiers = [...policy.tiers];
  const tier = tiers[at];
  const added = { ...rule, id: 'added' };
  if (tier === undefined) tiers.push({ name: 'extra', rules: [added] });
  else tiers[at] = { ...tier, rules: [...tier.rules, added] };
  return { ...policy, tiers };
}

describe('evaluate() properties', () => {
  it('evaluate() denies every flow when the policy has no rules', () => {
    fc.assert(
      fc.property(questionArb, fc.integer({ min: 0, max: 3 }), (question, emptyTiers) => {
        const tiers = Array.from({ length: emptyTiers }, (_, index) => ({
          name: `t${index}`,
          rules: [],
        }));
        expect(evaluate(withTiers(tiers), question)).toEqual({
          verdict: 'deny',
          rule: null,
          tier: null,
        });
      }),
    );
  });

  it('evaluate() never turns an allowed flow into a denied one when an allow rule is added', () => {
    fc.assert(
      fc.property(
        policyArb,
        ruleArb('allow'),
        fc.nat(3),
        questionArb,
        (policy, rule, at, question) => {
          fc.pre(evaluate(policy, question).verdict === 'allow');
          expect(evaluate(insertRule(policy, rule, at), question).verdict).toBe('allow');
        },
      ),
    );
  });

  it('evaluate() never turns a denied flow into an allowed one when a deny rule is added', () => {
    fc.assert(
      fc.property(
        policyArb,
        ruleArb('deny'),
        fc.nat(3),
        questionArb,
        (policy, rule, at, question) => {
          fc.pre(evaluate(policy, question).verdict === 'deny');
          expect(evaluate(insertRule(policy, rule, at), question).verdict).toBe('deny');
        },
      ),
    );
  });

  it('evaluate() with an added pass rule only defers the tier to the ones after it', () => {
    fc.assert(
      fc.property(
        policyArb,
        ruleArb('pass'),
        fc.nat(3),
        questionArb,
        (policy, rule, at, question) => {
          const withPass = insertRule(policy, rule, at);
          const decision = evaluate(withPass, question);
          const passedBy = explain(withPass, question).tiers.some(
            (tier) => tier.outcome === 'pass' && tier.name === withPass.tiers[at]?.name,
          );

          // The tier the pass rule joined either is skipped (as if empty) or behaves as before.
          const skipped = {
            ...withPass,
            tiers: withPass.tiers.map((tier, index) =>
              index === at ? { ...tier, rules: [] } : tier,
            ),
          };
          expect(decision).toEqual(
            passedBy ? evaluate(skipped, question) : evaluate(policy, question),
          );
          expect(
            withPass.tiers.flatMap((tier) => tier.rules).find((r) => r.id === decision.rule)
              ?.action,
          ).not.toBe('pass');
        },
      ),
    );
  });

  it('evaluate() gives the same verdict and tier whatever the order of rules in a tier', () => {
    fc.assert(
      fc.property(policyArb, questionArb, fc.integer(), (policy, question, seed) => {
        const shuffled = withTiers(
          policy.tiers.map((tier) => ({ ...tier, rules: rotate(tier.rules, seed) })),
        );
        const before = evaluate(policy, question);
        const after = evaluate(shuffled, question);
        expect([after.verdict, after.tier]).toEqual([before.verdict, before.tier]);
      }),
    );
  });

  it('explain() always reaches the decision evaluate() gives', () => {
    fc.assert(
      fc.property(policyArb, questionArb, (policy, question) => {
        expect(explain(policy, question).decision).toEqual(evaluate(policy, question));
      }),
    );
  });
});

function rotate<T>(values: readonly T[], seed: number): T[] {
  if (values.length === 0) return [];
  const by = Math.abs(seed) % values.length;
  return [...values.slice(by), ...values.slice(0, by)].reverse();
}
