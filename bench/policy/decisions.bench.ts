/**
 * Decisions per second per core: the compiled decider, on its replay path (endpoints
 * prepared once, `decideIds`) and on its one-off path (`decide(question)`), against a
 * straightforward loop that checks every rule of every tier, on the same generated
 * policies and flows.
 *
 * Run with `npx vitest bench --run bench/policy` (see bench/README.md).
 */
import { bench, describe } from 'vitest';

import type {
  Address,
  Decision,
  Endpoint,
  FlowQuestion,
  Policy,
  Rule,
  Tier,
} from '../../src/domain/index.js';
import { compileDecider } from '../../src/policy/engine/index.js';
import type { Decider, EndpointId } from '../../src/policy/engine/index.js';
import { ruleMatches } from '../../src/policy/index.js';

const SIZES = [10, 100, 1_000, 10_000];
const QUESTIONS = 4_096;
/** Decisions per benchmark iteration; small enough for the loop at 10 000 rules. */
const BATCH = 256;

/** The baseline: every rule of a tier is checked, then the tier's outcome is decided. */
function firstMatchLoop(policy: Policy, question: FlowQuestion): Decision {
  for (const tier of policy.tiers) {
    let passed = false;
    let deny: Rule | undefined;
    let allow: Rule | undefined;
    for (const rule of tier.rules) {
      if (!ruleMatches(policy, rule, question)) continue;
      if (rule.action === 'pass') passed = true;
      else if (rule.action === 'deny') deny ??= rule;
      else allow ??= rule;
    }
    const decided = passed ? undefined : (deny ?? allow);
    if (decided !== undefined) {
      return {
        verdict: decided.action === 'deny' ? 'deny' : 'allow',
        rule: decided.id,
        tier: tier.name,
      };
    }
  }
  return { verdict: 'deny', rule: null, tier: null };
}

/** A deterministic generator, so every run decides the same flows. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Scenario {
  readonly policy: Policy;
  readonly questions: readonly FlowQuestion[];
}

/**
 * A policy shaped like a growing estate: guardrails that see every flow (a dev → prod
 * deny, a monitoring pass, DNS to resolvers), then one application rule per
 * (client app, server app, port), about four per destination app, one in ten naming a
 * server by address. Apps grow with the rule count, as they do in real estates.
 */
function createScenario(size: number): Scenario {
  const random = createRandom(size);
  const apps = Math.max(2, Math.floor(size / 4));
  const app = (index: number): string => `app${index % apps}`;
  const address = (index: number): Address =>
    `198.18.${Math.floor(index / 250) % 250}.${(index % 250) + 1}` as Address;

  const guardrails: Rule[] = [
    {
      id: 'no-dev-to-prod',
      action: 'deny',
      from: [{ kind: 'labels', match: { env: ['dev'] } }],
      to: [{ kind: 'labels', match: { env: ['prod'] } }],
      services: 'any',
    },
    {
      id: 'monitoring-exempt',
      action: 'pass',
      from: [{ kind: 'labels', match: { app: ['monitoring'] } }],
      to: [{ kind: 'any' }],
      services: [{ protocol: 6, ports: [{ first: 9100, last: 9100 }] }],
    },
    {
      id: 'dns',
      action: 'allow',
      from: [{ kind: 'any' }],
      to: [{ kind: 'cidr', cidr: '198.19.0.53/32' as never }],
      services: [{ protocol: 17, ports: [{ first: 53, last: 53 }] }],
    },
  ];
  const applications: Rule[] = [];
  for (let index = 0; applications.length < size - guardrails.length; index++) {
    const server = index % apps;
    const to =
      index % 10 === 9
        ? [{ kind: 'cidr' as const, cidr: `${address(server)}/32` as never }]
        : [{ kind: 'labels' as const, match: { app: [app(server)], role: ['db', 'api'] } }];
    applications.push({
      id: `app-${index}`,
      action: index % 25 === 24 ? 'deny' : 'allow',
      from: [
        { kind: 'labels', match: { app: [app(server + 1 + (index % 3))], role: ['web', 'api'] } },
      ],
      to,
      services: [
        {
          protocol: 6,
          ports: [{ first: 1000 + (index % 50), last: 1000 + (index % 50) + (index % 2) }],
        },
      ],
    });
  }
  const tiers: Tier[] = [
    { name: 'guardrails', rules: guardrails },
    { name: 'applications', rules: applications },
  ];
  const policy: Policy = {
    version: 1,
    services: new Map(),
    networks: new Map(),
    segments: new Map(),
    modes: [],
    tiers,
    tests: [],
  };

  // Replay resolves flows to workloads, so endpoints are made once per workload and
  // shared by every question, as they would be for stored flows.
  const roles = ['web', 'api', 'db'];
  const endpoints = Array.from({ length: apps + 3 }, (_, index) =>
    roles.map((role, slot): Endpoint => ({
      name: `w${index}-${role}`,
      address: address(index * 3 + slot),
      labels: { app: app(index), role, env: index % 10 === 3 ? 'dev' : 'prod' },
    })),
  );
  const pick = (index: number, role: number): Endpoint => endpoints[index]![role]!;
  const questions = Array.from({ length: QUESTIONS }, (): FlowQuestion => {
    const server = Math.floor(random() * apps);
    const client = server + 1 + Math.floor(random() * 3);
    return {
      from: pick(client, random() < 0.5 ? 0 : 1),
      to: pick(server, random() < 0.8 ? 2 : 1),
      protocol: 6,
      port: random() < 0.9 ? 1000 + Math.floor(random() * 50) : 9100,
    };
  });
  return { policy, questions };
}

/** Decisions per second of `decide` over the questions, measured for about `ms`. */
function measure(
  questions: readonly FlowQuestion[],
  decide: (q: FlowQuestion) => Decision,
  ms: number,
): number {
  let decisions = 0;
  let allowed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const question of questions) if (decide(question).verdict === 'allow') allowed++;
    decisions += questions.length;
    elapsed = performance.now() - start;
  }
  if (allowed < 0) throw new Error('unreachable'); // keeps the verdicts observable
  return (decisions / elapsed) * 1000;
}

/** Stored flows as replay holds them: endpoints prepared once, columns of numbers. */
interface Replay {
  readonly from: readonly EndpointId[];
  readonly to: readonly EndpointId[];
  readonly protocol: Int32Array;
  readonly port: Int32Array;
}

function prepareReplay(decider: Decider, questions: readonly FlowQuestion[]): Replay {
  const ids = new Map<Endpoint, EndpointId>();
  const idOf = (endpoint: Endpoint): EndpointId => {
    let id = ids.get(endpoint);
    if (id === undefined) ids.set(endpoint, (id = decider.prepare(endpoint)));
    return id;
  };
  return {
    from: questions.map((question) => idOf(question.from)),
    to: questions.map((question) => idOf(question.to)),
    protocol: Int32Array.from(questions, (question) => question.protocol),
    port: Int32Array.from(questions, (question) => question.port),
  };
}

/** Decisions per second of `decideIds` over the replayed flows, measured for about `ms`. */
function measureReplay(decider: Decider, replay: Replay, ms: number): number {
  const { from, to, protocol, port } = replay;
  const decideIds = decider.decideIds;
  let decisions = 0;
  let allowed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let index = 0; index < from.length; index++) {
      if (decideIds(from[index]!, to[index]!, protocol[index]!, port[index]!).verdict === 'allow') {
        allowed++;
      }
    }
    decisions += from.length;
    elapsed = performance.now() - start;
  }
  if (allowed < 0) throw new Error('unreachable'); // keeps the verdicts observable
  return (decisions / elapsed) * 1000;
}

const scenarios = new Map(SIZES.map((size) => [size, createScenario(size)]));

// One table in the same run: all three figures and the ratios per size.
const rows = SIZES.map((size) => {
  const { policy, questions } = scenarios.get(size)!;
  const compileStart = performance.now();
  const decider = compileDecider(policy);
  const compileMs = performance.now() - compileStart;
  const prepareStart = performance.now();
  const replay = prepareReplay(decider, questions);
  const prepareMs = performance.now() - prepareStart;
  questions.forEach((question, index) => {
    const want = firstMatchLoop(policy, question);
    const got = decider.decide(question);
    const fast = decider.decideIds(replay.from[index]!, replay.to[index]!, 6, question.port);
    for (const have of [got, fast]) {
      if (want.rule !== have.rule || want.verdict !== have.verdict) {
        throw new Error(`Cannot compare at ${size} rules: the engine and the loop disagree`);
      }
    }
  });

  measureReplay(decider, replay, 300); // warm up, and builds every pair's table
  const ids = measureReplay(decider, replay, 1_000);
  measure(questions, decider.decide, 300);
  const question = measure(questions, decider.decide, 1_000);
  const sample = size >= 1_000 ? questions.slice(0, BATCH) : questions;
  const loop = measure(sample, (q) => firstMatchLoop(policy, q), 1_000);
  const allowed = questions.filter((q) => decider.decide(q).verdict === 'allow').length;
  return {
    rules: size,
    decideIds: Math.round(ids),
    decide: Math.round(question),
    loop: Math.round(loop),
    'ids/loop': +(ids / loop).toFixed(1),
    'decide/loop': +(question / loop).toFixed(1),
    endpoints: new Set(replay.from).size + new Set(replay.to).size,
    compileMs: +compileMs.toFixed(1),
    prepareMs: +prepareMs.toFixed(1),
    allowedShare: +(allowed / questions.length).toFixed(2),
  };
});
console.table(rows);

for (const size of SIZES) {
  const { policy, questions } = scenarios.get(size)!;
  const batch = questions.slice(0, BATCH);
  const decider = compileDecider(policy);
  const replay = prepareReplay(decider, batch);
  describe(`${size} rules, ${BATCH} decisions per iteration`, () => {
    bench('engine, decideIds (replay)', () => {
      const { from, to, protocol, port } = replay;
      for (let index = 0; index < BATCH; index++) {
        decider.decideIds(from[index]!, to[index]!, protocol[index]!, port[index]!);
      }
    });
    bench('engine, decide(question)', () => {
      for (const question of batch) decider.decide(question);
    });
    bench('first-match loop', () => {
      for (const question of batch) firstMatchLoop(policy, question);
    });
  });
}
