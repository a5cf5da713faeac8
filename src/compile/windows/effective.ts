import type { Family } from '../../domain/index.js';
import { addressToBigInt } from '../interval.js';
import type { PlanRule, PlanTier } from '../plan.js';
import type { PlanService } from '../service.js';

/**
 * A box of flows one direction of an enforcement point sees: peer addresses × protocols ×
 * a protocol detail (the destination port for TCP/UDP/SCTP, `type × 256 + code` for ICMP,
 * 0–65535 for other protocols), all inclusive, with the rule it comes from.
 */
export interface FlowBox {
  readonly family: Family;
  readonly address: readonly [bigint, bigint];
  readonly protocol: readonly [number, number];
  readonly detail: readonly [number, number];
  readonly rule: string;
}

const FULL_DETAIL: readonly [number, number] = [0, 65535];

/**
 * The flows a direction allows, computed from its tiers for targets that have neither
 * tiers nor pass and where a block always beats an allow (Windows Firewall, nwfilter with
 * accept rules only): a flow is allowed by tier i when an allow of tier i matches it and
 * no pass or deny of tier i, and no earlier tier decided it (decided = matched by a deny
 * or allow and by no pass of that tier). The boxes keep the id of the allowing rule.
 */
export function effectiveAllow(tiers: readonly PlanTier[]): FlowBox[] {
  const allowed: FlowBox[] = [];
  let decided: FlowBox[] = [];
  for (const tier of tiers) {
    const of = (action: PlanRule['action']) =>
      tier.rules.filter((rule) => rule.action === action).flatMap(ruleBoxes);
    const pass = of('pass');
    const deny = of('deny');
    const allow = of('allow');
    allowed.push(...subtract(subtract(subtract(allow, pass), deny), decided));
    decided = [...decided, ...subtract([...deny, ...allow], pass)];
  }
  return allowed;
}

/** The boxes of one rule. */
export function ruleBoxes(rule: PlanRule): FlowBox[] {
  const out: FlowBox[] = [];
  for (const family of [4, 6] as const) {
    for (const range of family === 4 ? rule.peers.v4 : rule.peers.v6) {
      const address = [addressToBigInt(range.first), addressToBigInt(range.last)] as const;
      for (const [protocol, detail] of rule.services.flatMap(serviceBoxes)) {
        out.push({ family, address, protocol, detail, rule: rule.id });
      }
    }
  }
  return out;
}

function serviceBoxes(
  service: PlanService,
): (readonly [readonly [number, number], readonly [number, number]])[] {
  switch (service.kind) {
    case 'any':
      return [[[0, 255], FULL_DETAIL]];
    case 'protocol':
      return [[[service.protocol, service.protocol], FULL_DETAIL]];
    case 'ports':
      return service.ports.map((range) => [
        [service.protocol, service.protocol],
        [range.first, range.last],
      ]);
    case 'icmp': {
      const base = service.type * 256;
      const detail: readonly [number, number] =
        service.code === undefined
          ? [base, base + 255]
          : [base + service.code, base + service.code];
      return [[[service.protocol, service.protocol], detail]];
    }
  }
}

/** `from` minus every box of `remove`; the rule ids of `from` are kept. */
export function subtract(from: readonly FlowBox[], remove: readonly FlowBox[]): FlowBox[] {
  let out = [...from];
  for (const hole of remove) out = out.flatMap((box) => minus(box, hole));
  return out;
}

function minus(box: FlowBox, hole: FlowBox): FlowBox[] {
  if (box.family !== hole.family) return [box];
  if (
    !overlaps(box.address, hole.address) ||
    !overlaps(box.protocol, hole.protocol) ||
    !overlaps(box.detail, hole.detail)
  ) {
    return [box];
  }
  const out: FlowBox[] = [];
  let rest = box;
  // Peel off the parts outside the hole, one dimension at a time.
  const [a0, a1] = rest.address;
  if (a0 < hole.address[0]) out.push({ ...rest, address: [a0, hole.address[0] - 1n] });
  if (a1 > hole.address[1]) out.push({ ...rest, address: [hole.address[1] + 1n, a1] });
  rest = { ...rest, address: [max(a0, hole.address[0]), min(a1, hole.address[1])] };
  const [p0, p1] = rest.protocol;
  if (p0 < hole.protocol[0]) out.push({ ...rest, protocol: [p0, hole.protocol[0] - 1] });
  if (p1 > hole.protocol[1]) out.push({ ...rest, protocol: [hole.protocol[1] + 1, p1] });
  rest = { ...rest, protocol: [Math.max(p0, hole.protocol[0]), Math.min(p1, hole.protocol[1])] };
  const [d0, d1] = rest.detail;
  if (d0 < hole.detail[0]) out.push({ ...rest, detail: [d0, hole.detail[0] - 1] });
  if (d1 > hole.detail[1]) out.push({ ...rest, detail: [hole.detail[1] + 1, d1] });
  return out;
}

function overlaps<T extends number | bigint>(a: readonly [T, T], b: readonly [T, T]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Whether a box's protocol detail covers every port or ICMP type and code. */
export function isFullDetail(box: FlowBox): boolean {
  return box.detail[0] === 0 && box.detail[1] === 65535;
}
