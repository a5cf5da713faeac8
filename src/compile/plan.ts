import type { Address, Mode, RuleAction } from '../domain/index.js';
import type { AddressSet } from './interval.js';
import type { PlanService } from './service.js';

/** Which way a packet crosses an enforcement point. */
export type Direction = 'ingress' | 'egress';

/**
 * One policy rule as one enforcement point applies it in one direction: the peers on the
 * other end (sources for ingress, destinations for egress) and the services.
 */
export interface PlanRule {
  /** The policy rule id; renderers put it in every comment, counter and log prefix. */
  readonly id: string;
  readonly action: RuleAction;
  /** Empty when the other side selects no known workload and names no address. */
  readonly peers: AddressSet;
  readonly services: readonly PlanService[];
}

/**
 * A policy tier as it applies to one enforcement point in one direction. Rules are sorted
 * `pass`, then `deny`, then `allow`, each group in policy order: the order a first-match
 * backend needs to give a pass precedence over a deny and a deny precedence over an allow,
 * and the one that names the same deciding rule as the evaluator (the first in the file).
 */
export interface PlanTier {
  readonly name: string;
  readonly rules: readonly PlanRule[];
}

/** The ruleset of one workload, backend-neutral. */
export interface EnforcementPoint {
  readonly workload: string;
  readonly addresses: readonly Address[];
  readonly mode: Mode;
  /** Tiers in policy order; tiers without a rule for this workload are left out. */
  readonly ingress: readonly PlanTier[];
  readonly egress: readonly PlanTier[];
}

/** The compiled policy for every workload, sorted by workload name. */
export interface EnforcementPlan {
  readonly points: readonly EnforcementPoint[];
}
