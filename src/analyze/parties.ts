import { addressFamily } from '../domain/index.js';
import type { Endpoint, Policy, Selector, Workload } from '../domain/index.js';
import { selectsEndpoint, selectsWorkload } from '../policy/index.js';
import { bigIntToAddress, prefixesToIntervalSet } from '../compile/index.js';

/**
 * A set of endpoints the policy cannot tell apart: every rule selects all of them or none
 * of them, on each side. Reachability is computed once per pair of parties.
 */
export interface Party {
  readonly key: string;
  /** Workload names in the party; empty for a network. */
  readonly members: readonly string[];
  /** The network's name, for a party that stands for a policy network. */
  readonly network?: string;
  /** An endpoint standing for every member. */
  readonly endpoint: Endpoint;
  /** Per rule (policy order), whether `from` selects the party. */
  readonly from: Uint8Array;
  /** Per rule (policy order), whether `to` selects the party. */
  readonly to: Uint8Array;
  /** Indexes of the rules whose `from` selects the party, ascending. */
  readonly fromRules: readonly number[];
  /** Names of the segments whose selector selects the party. */
  readonly segments: readonly string[];
}

function ruleIndexes(bits: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.length; i++) if (bits[i] === 1) out.push(i);
  return out;
}

function usesTerm(policy: Policy, kinds: readonly string[]): boolean {
  const visit = (selector: Selector, depth: number): boolean =>
    selector.some((term) => {
      if (kinds.includes(term.kind)) return true;
      if (term.kind !== 'segment' || depth > 8) return false;
      const segment = policy.segments.get(term.name);
      return segment !== undefined && visit(segment.select, depth + 1);
    });
  return policy.tiers.some((tier) =>
    tier.rules.some((rule) => visit(rule.from, 0) || visit(rule.to, 0)),
  );
}

/**
 * Splits workloads into parties: workloads with the same labels (and the same name or
 * addresses when the policy selects by them) fall together, and the rules' selectors are
 * evaluated once per party rather than once per workload.
 */
export function workloadParties(policy: Policy, workloads: readonly Workload[]): Party[] {
  const rules = policy.tiers.flatMap((tier) => tier.rules);
  const byName = usesTerm(policy, ['workload']);
  const byAddress = usesTerm(policy, ['cidr', 'network']);

  const segments = [...policy.segments.values()];
  const sideTexts = rules.map(
    (rule) => [JSON.stringify(rule.from), JSON.stringify(rule.to)] as const,
  );
  const cache = new Map<
    string,
    { from: Uint8Array; to: Uint8Array; segments: string[]; signature: string }
  >();
  const parties = new Map<
    string,
    { members: string[]; workload: Workload; from: Uint8Array; to: Uint8Array; segments: string[] }
  >();
  for (const workload of workloads) {
    const labelsKey = JSON.stringify(Object.entries(workload.labels).sort());
    const key = `${labelsKey}|${byName ? workload.name : ''}|${byAddress ? workload.addresses.join(',') : ''}`;
    let bits = cache.get(key);
    if (!bits) {
      // Rule sides repeat (many rules name the same group): decide each distinct side once
      // per workload kind. Without address terms the addresses need not be tried at all.
      const memo = new Map<string, boolean>();
      const test = (selector: Selector, text: string): 0 | 1 => {
        let hit = memo.get(text);
        if (hit === undefined) {
          hit = byAddress
            ? selectsWorkload(policy, selector, workload)
            : selectsEndpoint(policy, selector, { name: workload.name, labels: workload.labels });
          memo.set(text, hit);
        }
        return hit ? 1 : 0;
      };
      const from = Uint8Array.from(rules, (rule, i) => test(rule.from, sideTexts[i]![0]));
      const to = Uint8Array.from(rules, (rule, i) => test(rule.to, sideTexts[i]![1]));
      const inSegments = segments
        .filter((seg) => selectsWorkload(policy, seg.select, workload))
        .map((seg) => seg.name);
      // The signature is built once per distinct key, not once per workload: at 2 000 rules
      // it is 4 000 characters long.
      const signature = `${from.join('')}|${to.join('')}|${inSegments.join(',')}`;
      bits = { from, to, segments: inSegments, signature };
      cache.set(key, bits);
    }
    const party = parties.get(bits.signature);
    if (party) party.members.push(workload.name);
    else parties.set(bits.signature, { members: [workload.name], workload, ...bits });
  }

  return [...parties.entries()].map(([key, p]) => {
    const address = p.workload.addresses[0];
    const endpoint: Endpoint = {
      name: p.workload.name,
      labels: p.workload.labels,
      ...(address ? { address } : {}),
    };
    return {
      key,
      members: p.members,
      endpoint,
      from: p.from,
      to: p.to,
      fromRules: ruleIndexes(p.from),
      segments: p.segments,
    };
  });
}

/**
 * One party per policy network that holds at least one address: it stands for the
 * outside world the network names (the internet, a partner), through one of its addresses.
 */
export function networkParties(policy: Policy): Party[] {
  const rules = policy.tiers.flatMap((tier) => tier.rules);
  const out: Party[] = [];
  for (const network of policy.networks.values()) {
    const set = prefixesToIntervalSet(network.cidrs, network.except);
    const first = set.v4[0] ?? set.v6[0];
    if (!first) continue;
    const family = set.v4[0] ? 4 : 6;
    const address = bigIntToAddress(first.first, family);
    if (addressFamily(address) !== family) continue;
    const endpoint: Endpoint = { address };
    const from = Uint8Array.from(rules, (rule) =>
      selectsEndpoint(policy, rule.from, endpoint) ? 1 : 0,
    );
    out.push({
      key: `network:${network.name}`,
      members: [],
      network: network.name,
      endpoint,
      from,
      to: Uint8Array.from(rules, (rule) => (selectsEndpoint(policy, rule.to, endpoint) ? 1 : 0)),
      fromRules: ruleIndexes(from),
      segments: [...policy.segments.values()]
        .filter((seg) => selectsEndpoint(policy, seg.select, endpoint))
        .map((seg) => seg.name),
    });
  }
  return out;
}
