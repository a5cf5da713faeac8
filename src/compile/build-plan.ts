import type { Policy, Rule, RuleAction, Selector, Workload } from '../domain/index.js';
import { createSelectionCache, modeOf, selectorPrefixes, selectsAny } from '../policy/index.js';
import {
  FULL_INTERVAL_SET,
  addressesToIntervalSet,
  prefixesToIntervalSet,
  toAddressSet,
  unionIntervalSets,
} from './interval.js';
import type { AddressSet } from './interval.js';
import type { Direction, EnforcementPlan, EnforcementPoint, PlanRule, PlanTier } from './plan.js';
import { planServices } from './service.js';

/** Options of {@link buildEnforcementPlan}. */
export interface BuildPlanOptions {
  /** Milliseconds since the epoch; rules that expired before it are left out. */
  readonly at?: number;
}

const ACTION_ORDER: Record<RuleAction, number> = { pass: 0, deny: 1, allow: 2 };

/**
 * Compiles a policy into one backend-neutral ruleset per workload.
 *
 * Ingress of a workload holds the rules whose `to` selects it, with the addresses of `from`
 * as peers; egress the rules whose `from` selects it, with the addresses of `to`. A flow
 * A→B therefore meets the same rules at A's egress and at B's ingress: exactly those whose
 * `from` selects A and whose `to` selects B. Peers are the addresses of the selected
 * workloads plus the prefixes the selector names, minus their exceptions; `any` is every
 * address.
 *
 * @param policy A validated policy.
 * @param workloads Every known workload; each becomes an enforcement point and a peer.
 * @param options `at` leaves out rules that expired before it.
 * @returns The points sorted by workload name; output is a pure function of the input.
 * @example
 * ```ts
 * const plan = buildEnforcementPlan(policy, workloads, { at: Date.now() });
 * const text = renderNftables(plan, 'web-1');
 * ```
 */
export function buildEnforcementPlan(
  policy: Policy,
  workloads: readonly Workload[],
  options: BuildPlanOptions = {},
): EnforcementPlan {
  const selects = createSelectionCache(policy);
  const peers = createPeerResolver(policy, workloads, selects);
  const planned = new Map<Rule, (set: AddressSet) => PlanRule>();
  const rules = policy.tiers.map((tier) => ({
    name: tier.name,
    rules: tier.rules.filter((rule) => !isExpired(rule, options.at)),
  }));

  const points = [...workloads]
    .sort((a, b) => compareText(a.name, b.name))
    .map((workload): EnforcementPoint => {
      const direction = (dir: Direction): PlanTier[] =>
        rules
          .map((tier) => ({ name: tier.name, rules: tierRules(tier.rules, dir) }))
          .filter((tier) => tier.rules.length > 0);
      const tierRules = (list: readonly Rule[], dir: Direction): PlanRule[] =>
        list
          .filter((rule) => selects(dir === 'ingress' ? rule.to : rule.from, workload))
          .map((rule) => planRule(rule, peers(dir === 'ingress' ? rule.from : rule.to), planned))
          .sort(compareRules);

      return {
        workload: workload.name,
        addresses: [...workload.addresses].sort(compareText),
        mode: modeOf(policy, workload),
        ingress: direction('ingress'),
        egress: direction('egress'),
      };
    });
  return { points };
}

/** Whether a rule has expired at `at` (it matches up to and including its expiry instant). */
function isExpired(rule: Rule, at: number | undefined): boolean {
  return at !== undefined && rule.expires !== undefined && at > rule.expires;
}

function planRule(
  rule: Rule,
  peers: AddressSet,
  cache: Map<Rule, (set: AddressSet) => PlanRule>,
): PlanRule {
  // A rule's services are the same at every enforcement point: plan them once.
  let make = cache.get(rule);
  if (!make) {
    const services = planServices(rule.services);
    make = (set) => ({ id: rule.id, action: rule.action, peers: set, services });
    cache.set(rule, make);
  }
  return make(peers);
}

/** The addresses a selector stands for, computed once per selector. */
function createPeerResolver(
  policy: Policy,
  workloads: readonly Workload[],
  selects: (selector: Selector, workload: Workload) => boolean,
): (selector: Selector) => AddressSet {
  const cache = new Map<Selector, AddressSet>();
  return (selector) => {
    const known = cache.get(selector);
    if (known !== undefined) return known;

    const selected = workloads.filter((workload) => selects(selector, workload));
    const parts = selectsAny(policy, selector)
      ? [FULL_INTERVAL_SET]
      : [
          addressesToIntervalSet(selected.flatMap((workload) => workload.addresses)),
          ...selectorPrefixes(policy, selector).map((entry) =>
            prefixesToIntervalSet(entry.cidrs, entry.except),
          ),
        ];
    const set = toAddressSet(unionIntervalSets(parts));
    cache.set(selector, set);
    return set;
  };
}

/** Stable: rules with the same action keep their policy order, which names the deciding rule. */
function compareRules(a: PlanRule, b: PlanRule): number {
  return ACTION_ORDER[a.action] - ACTION_ORDER[b.action];
}

/** Code-unit order, independent of the locale, so output is the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
