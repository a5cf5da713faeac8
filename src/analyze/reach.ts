import { protocolName } from '../domain/index.js';
import type { Policy, Rule, ServiceEntry, Tier } from '../domain/index.js';
import { evaluate } from '../policy/index.js';
import type { Party } from './parties.js';

/** A piece of the service space one rule allows. */
export interface Grant {
  /** `tcp/80`, `tcp/1000-2000`, `udp` (every port), `icmp/8`, `other protocols`. */
  readonly service: string;
  readonly rule: string;
}

/** Services one party may open on another, each with the rule that allows it. */
export interface Reach {
  readonly from: Party;
  readonly to: Party;
  readonly grants: readonly Grant[];
  /** True when every protocol and port is allowed. */
  readonly everything: boolean;
}

/** Options of reachability queries. */
export interface ReachOptions {
  /** The instant rule expiry is judged at; absent: no rule expires. */
  readonly at?: number;
}

const PORTED = new Set([6, 17, 132]);
const ICMP = new Set([1, 58]);
/** The protocol that stands for "every protocol no rule names" (253: experimentation). */
const OTHER_PROTOCOL = 253;

interface Indexed {
  readonly rule: Rule;
  readonly tier: number;
}

/** Rules in policy order with their tier's index, matching Party.from/to bit positions. */
export function indexRules(policy: Policy): Indexed[] {
  return policy.tiers.flatMap((tier, t) => tier.rules.map((rule) => ({ rule, tier: t })));
}

function entriesOf(rule: Rule): readonly ServiceEntry[] {
  return rule.services === 'any' ? [{ protocol: 'any' }] : rule.services;
}

/** Cut points of the port or type space of one protocol, from the candidate rules. */
function cuts(protocol: number, rules: readonly Rule[]): number[] {
  const max = ICMP.has(protocol) ? 255 : 65535;
  const points = new Set([0, max + 1]);
  for (const rule of rules) {
    for (const entry of entriesOf(rule)) {
      if (entry.protocol !== protocol) continue;
      if (ICMP.has(protocol) && entry.icmpType !== undefined) {
        points.add(entry.icmpType);
        points.add(entry.icmpType + 1);
      }
      for (const range of entry.ports ?? []) {
        points.add(range.first);
        points.add(range.last + 1);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}

function formatRange(protocol: number, first: number, last: number): string {
  const name = protocolName(protocol);
  const max = ICMP.has(protocol) ? 255 : 65535;
  if (first === 0 && last === max) return name;
  return first === last ? `${name}/${first}` : `${name}/${first}-${last}`;
}

/**
 * What `from` may open on `to`: the service space is cut at every boundary the candidate
 * rules name, and each piece is decided once by the evaluator, so the answer is exact.
 */
export function reachBetween(
  policy: Policy,
  rules: readonly Indexed[],
  from: Party,
  to: Party,
  options: ReachOptions = {},
): Reach | undefined {
  const candidates: Indexed[] = [];
  for (const i of from.fromRules) {
    if (to.to[i] === 1) candidates.push(rules[i]!);
  }
  if (!candidates.some((c) => c.rule.action === 'allow')) return undefined;

  const tiers: Tier[] = policy.tiers
    .map((tier, t) => ({
      name: tier.name,
      rules: candidates.filter((c) => c.tier === t).map((c) => c.rule),
    }))
    .filter((tier) => tier.rules.length > 0);
  const sub: Policy = { ...policy, tiers };
  const candidateRules = candidates.map((c) => c.rule);

  const protocols = new Set<number>();
  let anyProtocol = false;
  for (const rule of candidateRules) {
    for (const entry of entriesOf(rule)) {
      if (entry.protocol === 'any') anyProtocol = true;
      else protocols.add(entry.protocol);
    }
  }
  if (anyProtocol) for (const p of [6, 17, 1, 58]) protocols.add(p);

  const grants: Grant[] = [];
  const decide = (protocol: number, port: number): string | undefined => {
    const decision = evaluate(
      sub,
      { from: from.endpoint, to: to.endpoint, protocol, port },
      options,
    );
    return decision.verdict === 'allow' ? (decision.rule ?? undefined) : undefined;
  };

  let everything = anyProtocol;
  for (const protocol of [...protocols].sort((a, b) => a - b)) {
    const points =
      PORTED.has(protocol) || ICMP.has(protocol) ? cuts(protocol, candidateRules) : [0, 1];
    let open: { first: number; last: number; rule: string } | undefined;
    const flush = (): void => {
      if (open)
        grants.push({ service: formatRange(protocol, open.first, open.last), rule: open.rule });
      open = undefined;
    };
    for (let i = 0; i + 1 < points.length; i++) {
      const first = points[i]!;
      const last = points[i + 1]! - 1;
      const rule = decide(protocol, first);
      if (rule === undefined) {
        everything = false;
        flush();
        continue;
      }
      if (open?.rule === rule && open.last + 1 === first) open.last = last;
      else {
        flush();
        open = { first, last, rule };
      }
    }
    flush();
  }
  if (anyProtocol) {
    const rule = decide(OTHER_PROTOCOL, 0);
    if (rule === undefined) everything = false;
    else grants.push({ service: 'other protocols', rule });
  }

  if (grants.length === 0) return undefined;
  return { from, to, grants, everything };
}

/** The services of a reach, for people: `any`, or each granted piece. */
export function reachServices(reach: Reach): string[] {
  return reach.everything ? ['any'] : [...new Set(reach.grants.map((g) => g.service))];
}

/** The rules that allow a reach, sorted. */
export function reachRules(reach: Reach): string[] {
  return [...new Set(reach.grants.map((g) => g.rule))].sort();
}
