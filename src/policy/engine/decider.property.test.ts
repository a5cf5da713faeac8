import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  Cidr,
  Endpoint,
  FlowQuestion,
  Network,
  Policy,
  Rule,
  RuleAction,
  Segment,
  Selector,
  SelectorTerm,
  ServiceEntry,
} from '../../domain/index.js';
import { evaluate } from '../evaluate.js';
import { addressForTest } from '../load-for-test.js';

import { compileDecider } from './decider.js';

// A small universe keeps rules and flows colliding often; tiers of up to 14 rules push
// buckets past the size at which they are split by port.
const APPS = ['a', 'b', 'c'];
const ENVS = ['dev', 'prod'];
const NAMES = ['w1', 'w2'];
const ADDRESSES = [
  '198.18.0.1',
  '198.18.0.200',
  '198.18.1.1',
  '198.19.255.255',
  '10.0.0.1',
  '0.0.0.0',
  '255.255.255.255',
  '2001:db8::1',
  '2001:db8:ffff::1',
  '::ffff:198.18.0.1',
  'fe80::1',
];
const CIDRS = [
  '198.18.0.0/24',
  '198.18.0.0/15',
  '198.18.0.128/25',
  '198.18.1.1/32',
  '0.0.0.0/0',
  '2001:db8::/32',
  '2001:db8::/48',
  '::/0',
] as Cidr[];

const NETWORKS: ReadonlyMap<string, Network> = new Map([
  [
    'wide',
    {
      name: 'wide',
      cidrs: ['198.18.0.0/15', '2001:db8::/32'] as Cidr[],
      except: ['198.18.0.128/25', '2001:db8::/48'] as Cidr[],
    },
  ],
  [
    'everything',
    {
      name: 'everything',
      cidrs: ['0.0.0.0/0', '::/0'] as Cidr[],
      except: ['10.0.0.0/8'] as Cidr[],
    },
  ],
]);

const SEGMENTS: ReadonlyMap<string, Segment> = new Map([
  [
    'prod-a',
    {
      name: 'prod-a',
      select: [{ kind: 'labels', match: { app: ['a'], env: ['prod'] } }],
      isolated: false,
      exceptions: [],
    },
  ],
  [
    'nested',
    {
      name: 'nested',
      select: [
        { kind: 'segment', name: 'prod-a' },
        { kind: 'network', name: 'wide' },
      ],
      isolated: false,
      exceptions: [],
    },
  ],
]);

const termArb: fc.Arbitrary<SelectorTerm> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<SelectorTerm>({ kind: 'any' }) },
  {
    weight: 4,
    arbitrary: fc
      .record(
        { app: fc.subarray(APPS, { minLength: 1 }), env: fc.subarray(ENVS, { minLength: 1 }) },
        { requiredKeys: [] },
      )
      .chain((match) =>
        fc
          .option(fc.constantFrom(...APPS), { nil: undefined })
          .map((not): SelectorTerm =>
            not === undefined
              ? { kind: 'labels', match }
              : { kind: 'labels', match, not: { app: [not] } },
          ),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...NAMES, 'ghost')
      .map((name): SelectorTerm => ({ kind: 'workload', name })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...CIDRS).map((cidr): SelectorTerm => ({ kind: 'cidr', cidr })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('wide', 'everything', 'missing')
      .map((name): SelectorTerm => ({ kind: 'network', name })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('prod-a', 'nested', 'missing')
      .map((name): SelectorTerm => ({ kind: 'segment', name })),
  },
);

const selectorArb: fc.Arbitrary<Selector> = fc.array(termArb, { minLength: 1, maxLength: 3 });

const entryArb: fc.Arbitrary<ServiceEntry> = fc.oneof(
  fc
    .tuple(fc.constantFrom(6, 17), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 4 }))
    .map(([protocol, first, span]): ServiceEntry => ({
      protocol,
      ports: [{ first, last: first + span }],
    })),
  fc.constantFrom(6, 17, 132, 47).map((protocol): ServiceEntry => ({ protocol })),
  fc
    .record({
      type: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      code: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    })
    .map(({ type, code }): ServiceEntry => {
      if (type === undefined) return { protocol: 1 };
      return code === undefined
        ? { protocol: 1, icmpType: type }
        : { protocol: 1, icmpType: type, icmpCode: code };
    }),
  fc.constant<ServiceEntry>({ protocol: 'any' }),
);

const servicesArb: fc.Arbitrary<Rule['services']> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<'any'>('any') },
  { weight: 5, arbitrary: fc.array(entryArb, { minLength: 1, maxLength: 3 }) },
);

const ruleArb: fc.Arbitrary<Omit<Rule, 'id'>> = fc.record(
  {
    action: fc.constantFrom<RuleAction>('allow', 'allow', 'deny', 'pass'),
    from: selectorArb,
    to: selectorArb,
    services: servicesArb,
    expires: fc.constantFrom(100, 200),
  },
  { requiredKeys: ['action', 'from', 'to', 'services'] },
);

const policyArb: fc.Arbitrary<Policy> = fc
  .array(fc.array(ruleArb, { maxLength: 14 }), { maxLength: 4 })
  .map((tiers) => {
    let next = 0;
    return {
      version: 1,
      services: new Map(),
      networks: NETWORKS,
      segments: SEGMENTS,
      modes: [],
      tests: [],
      tiers: tiers.map((rules, index) => ({
        name: `t${index}`,
        rules: rules.map((rule) => ({ ...rule, id: `r${next++}` })),
      })),
    };
  });

const endpointArb: fc.Arbitrary<Endpoint> = fc.record(
  {
    labels: fc.record(
      { app: fc.constantFrom(...APPS, 'z'), env: fc.constantFrom(...ENVS) },
      { requiredKeys: [] },
    ),
    name: fc.constantFrom(...NAMES),
    address: fc.constantFrom(...ADDRESSES).map(addressForTest),
  },
  { requiredKeys: [] },
);

const questionArb: fc.Arbitrary<FlowQuestion> = fc.record(
  {
    from: endpointArb,
    to: endpointArb,
    protocol: fc.constantFrom(1, 6, 17, 47, 132),
    // Mostly ports the rules name; a few at the ends of the line and off it, which the
    // replay tables must send to their slow path.
    port: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: 18 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 65535, 2.5, 4.999) },
    ),
    icmpCode: fc.integer({ min: 0, max: 2 }),
  },
  { requiredKeys: ['from', 'to', 'protocol', 'port'] },
);

describe('compileDecider() properties', () => {
  it('decide() gives the verdict, rule and tier evaluate() gives, on every generated flow', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(questionArb, { minLength: 1, maxLength: 20 }),
        (policy, questions) => {
          const decider = compileDecider(policy);
          for (const question of questions) {
            expect(decider.decide(question)).toEqual(evaluate(policy, question));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decide() leaves out the rules evaluate() treats as expired at the same instant', () => {
    fc.assert(
      fc.property(
        policyArb,
        questionArb,
        fc.constantFrom(50, 100, 150, 250),
        (policy, question, at) => {
          expect(compileDecider(policy, { at }).decide(question)).toEqual(
            evaluate(policy, question, { at }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decideIds() on prepared endpoints gives what evaluate() gives, on every generated flow', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(questionArb, { minLength: 1, maxLength: 40 }),
        fc.option(fc.constantFrom(50, 100, 150, 250), { nil: undefined }),
        (policy, questions, at) => {
          const options = at === undefined ? {} : { at };
          const decider = compileDecider(policy, options);
          // Each question twice: the second time its pair's table is already built.
          for (const question of [...questions, ...questions]) {
            const from = decider.prepare(question.from);
            const to = decider.prepare(question.to);
            const { protocol, port, icmpCode } = question;
            expect(decider.decideIds(from, to, protocol, port, icmpCode)).toEqual(
              evaluate(policy, question, options),
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('prepare() gives equal ids to endpoints every rule side treats alike', () => {
    fc.assert(
      fc.property(policyArb, endpointArb, endpointArb, (policy, a, b) => {
        const decider = compileDecider(policy);
        const alike = [...policy.tiers.flatMap((tier) => tier.rules)].every(
          (rule) =>
            evaluate(
              { ...policy, tiers: [{ name: 't', rules: [{ ...rule, services: 'any' }] }] },
              {
                from: a,
                to: a,
                protocol: 6,
                port: 1,
              },
            ).verdict ===
            evaluate(
              { ...policy, tiers: [{ name: 't', rules: [{ ...rule, services: 'any' }] }] },
              {
                from: b,
                to: b,
                protocol: 6,
                port: 1,
              },
            ).verdict,
        );
        expect(decider.prepare(a)).toBe(decider.prepare({ ...a }));
        if (!alike) expect(decider.prepare(a)).not.toBe(decider.prepare(b));
      }),
      { numRuns: 300 },
    );
  });
});
