import type {
  Cidr,
  LabelMatch,
  Policy,
  RuleAction,
  Selector,
  Workload,
} from '../../domain/index.js';
import { addressFamily } from '../../domain/index.js';
import { createSelectionCache } from '../../policy/index.js';
import { prefixesToIntervalSet, toAddressSet } from '../interval.js';
import { addressSetPrefixes } from '../iptables/prefixes.js';
import { planServices } from '../service.js';
import type { PlanService } from '../service.js';

/**
 * One alternative of a rule side, for targets that select groups rather than hosts
 * (Kubernetes, Cilium, Calico, security groups):
 *
 * - `any`: every endpoint, inside the cluster or not.
 * - `labels`: endpoints whose labels match `match` and not all of `not`.
 * - `addresses`: the prefixes of a network or CIDR (`cidrs`, each with the `except`
 *   entries that lie inside it) and, for one named workload, its addresses; `prefixes`
 *   is the same set as the fewest exact prefixes, for targets without `except`.
 */
export type GroupPeer =
  | { readonly kind: 'any' }
  | { readonly kind: 'labels'; readonly match: LabelMatch; readonly not?: LabelMatch }
  | {
      readonly kind: 'addresses';
      /** `network:NAME`, `workload:NAME` or the CIDR, for messages. */
      readonly source: string;
      readonly cidrs: readonly { readonly cidr: Cidr; readonly except: readonly Cidr[] }[];
      readonly prefixes: { readonly v4: readonly string[]; readonly v6: readonly string[] };
    };

/** A policy rule with its sides as group peers. */
export interface GroupRule {
  readonly id: string;
  readonly action: RuleAction;
  readonly from: readonly GroupPeer[];
  readonly to: readonly GroupPeer[];
  readonly services: readonly PlanService[];
  /** Names of the known workloads each side selects, sorted. */
  readonly fromWorkloads: readonly string[];
  readonly toWorkloads: readonly string[];
}

/** A tier with its rules sorted `pass`, `deny`, `allow`, each group in policy order. */
export interface GroupTier {
  readonly name: string;
  readonly rules: readonly GroupRule[];
}

/** The backend-neutral form for group-based targets. */
export interface GroupPlan {
  readonly tiers: readonly GroupTier[];
  /** Every known workload, sorted by name. */
  readonly workloads: readonly Workload[];
}

const ACTION_ORDER: Record<RuleAction, number> = { pass: 0, deny: 1, allow: 2 };

/**
 * Compiles a policy into the neutral form of group-based targets: the same tiers, rule
 * order and services as `buildEnforcementPlan`, but with each side kept as label
 * selectors and address blocks instead of being expanded to addresses per workload.
 * Segments are followed; expired rules (before `at`) are left out; tiers without rules
 * are kept so tier numbering matches the policy.
 */
export function buildGroupPlan(
  policy: Policy,
  workloads: readonly Workload[],
  options: { readonly at?: number } = {},
): GroupPlan {
  const sorted = [...workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const selects = createSelectionCache(policy);
  const selected = (selector: Selector): string[] =>
    sorted.filter((workload) => selects(selector, workload)).map((w) => w.name);
  const tiers = policy.tiers.map((tier): GroupTier => ({
    name: tier.name,
    rules: tier.rules
      .filter(
        (rule) =>
          options.at === undefined || rule.expires === undefined || options.at <= rule.expires,
      )
      .map((rule): GroupRule => ({
        id: rule.id,
        action: rule.action,
        from: groupPeers(policy, sorted, rule.from),
        to: groupPeers(policy, sorted, rule.to),
        services: planServices(rule.services),
        fromWorkloads: selected(rule.from),
        toWorkloads: selected(rule.to),
      }))
      .sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action]),
  }));
  return { tiers, workloads: sorted };
}

function groupPeers(
  policy: Policy,
  workloads: readonly Workload[],
  selector: Selector,
  depth = 0,
): GroupPeer[] {
  return selector.flatMap((term): GroupPeer[] => {
    switch (term.kind) {
      case 'any':
        return [{ kind: 'any' }];
      case 'labels':
        return [
          term.not === undefined
            ? { kind: 'labels', match: term.match }
            : { kind: 'labels', match: term.match, not: term.not },
        ];
      case 'workload': {
        const workload = workloads.find((candidate) => candidate.name === term.name);
        const cidrs = (workload?.addresses ?? []).map((address) => ({
          cidr: `${address}/${addressFamily(address) === 4 ? 32 : 128}` as Cidr,
          except: [],
        }));
        return [addressesPeer(`workload:${term.name}`, cidrs)];
      }
      case 'network': {
        const network = policy.networks.get(term.name);
        if (network === undefined) return [];
        const cidrs = network.cidrs.map((cidr) => ({
          cidr,
          except: network.except.filter((hole) => contains(cidr, hole)),
        }));
        return [addressesPeer(`network:${term.name}`, cidrs)];
      }
      case 'cidr':
        return [addressesPeer(term.cidr, [{ cidr: term.cidr, except: [] }])];
      case 'segment': {
        const segment = policy.segments.get(term.name);
        return segment === undefined || depth >= 8
          ? []
          : groupPeers(policy, workloads, segment.select, depth + 1);
      }
    }
  });
}

function addressesPeer(
  source: string,
  cidrs: readonly { cidr: Cidr; except: readonly Cidr[] }[],
): GroupPeer {
  const set = toAddressSet(
    prefixesToIntervalSet(
      cidrs.map((entry) => entry.cidr),
      cidrs.flatMap((entry) => entry.except),
    ),
  );
  return {
    kind: 'addresses',
    source,
    cidrs,
    prefixes: { v4: addressSetPrefixes(set, 4), v6: addressSetPrefixes(set, 6) },
  };
}

/** Whether prefix `inner` lies inside prefix `outer` (same family, longer or equal). */
function contains(outer: Cidr, inner: Cidr): boolean {
  const outerSet = prefixesToIntervalSet([outer]);
  const innerSet = prefixesToIntervalSet([inner]);
  const within = (
    a: readonly { first: bigint; last: bigint }[],
    b: readonly { first: bigint; last: bigint }[],
  ) => b.length > 0 && b.every((x) => a.some((y) => y.first <= x.first && x.last <= y.last));
  return within(outerSet.v4, innerSet.v4) || within(outerSet.v6, innerSet.v6);
}

/**
 * Whether two rules can meet the same flow among the known workloads: their services
 * overlap and each side's selections overlap. Sides that name addresses or `any` count
 * as overlapping anything (conservative), so a `false` is a proof and a `true` a warning.
 */
export function rulesMayOverlap(a: GroupRule, b: GroupRule): boolean {
  const sideOverlap = (
    peersA: readonly GroupPeer[],
    namesA: readonly string[],
    peersB: readonly GroupPeer[],
    namesB: readonly string[],
  ): boolean => {
    const wide = (peers: readonly GroupPeer[]) => peers.some((peer) => peer.kind !== 'labels');
    if (wide(peersA) || wide(peersB)) return true;
    return namesA.some((name) => namesB.includes(name));
  };
  return (
    servicesOverlap(a.services, b.services) &&
    sideOverlap(a.from, a.fromWorkloads, b.from, b.fromWorkloads) &&
    sideOverlap(a.to, a.toWorkloads, b.to, b.toWorkloads)
  );
}

function servicesOverlap(a: readonly PlanService[], b: readonly PlanService[]): boolean {
  return a.some((x) => b.some((y) => serviceOverlap(x, y)));
}

function serviceOverlap(a: PlanService, b: PlanService): boolean {
  if (a.kind === 'any' || b.kind === 'any') return true;
  if (a.protocol !== b.protocol) return false;
  if (a.kind === 'ports' && b.kind === 'ports') {
    return a.ports.some((x) => b.ports.some((y) => x.first <= y.last && y.first <= x.last));
  }
  if (a.kind === 'icmp' && b.kind === 'icmp') {
    return a.type === b.type && (a.code === undefined || b.code === undefined || a.code === b.code);
  }
  return true;
}
