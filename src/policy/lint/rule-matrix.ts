import type { FlowQuestion, Policy, Rule } from '../../domain/index.js';
import type { PolicySpace } from '../engine/index.js';
import { selectsEndpoint } from '../select.js';
import { servicesMatch } from '../service-match.js';

/** One rule with the classes and service atoms it matches in a space. */
export interface RuleCells {
  readonly rule: Rule;
  readonly tier: number;
  readonly tierName: string;
  readonly from: Uint8Array;
  readonly to: Uint8Array;
  readonly services: Uint8Array;
}

/** A point of the space: source class, destination class, service atom. */
export interface Point {
  readonly from: number;
  readonly to: number;
  readonly service: number;
}

/**
 * Which classes and atoms each rule matches, rules that expired before `at` matching
 * nothing. Class and atom representatives stand for all members, so these are exact.
 */
export function ruleCells(policy: Policy, space: PolicySpace, at?: number): RuleCells[] {
  return policy.tiers.flatMap((tier, index) =>
    tier.rules.map((rule): RuleCells => {
      const expired = at !== undefined && rule.expires !== undefined && rule.expires < at;
      const sides = (side: 'from' | 'to') =>
        Uint8Array.from(space.classes, (endpoint) =>
          !expired && selectsEndpoint(policy, rule[side], endpoint) ? 1 : 0,
        );
      const services = Uint8Array.from(space.services, (atom) => {
        const question: FlowQuestion = { from: {}, to: {}, ...atom };
        return !expired && servicesMatch(rule.services, question) ? 1 : 0;
      });
      return {
        rule,
        tier: index,
        tierName: tier.name,
        from: sides('from'),
        to: sides('to'),
        services,
      };
    }),
  );
}

/** Whether a rule matches a point. */
export function cellsMatch(cells: RuleCells, point: Point): boolean {
  return (
    cells.from[point.from] === 1 && cells.to[point.to] === 1 && cells.services[point.service] === 1
  );
}

/** Every point of the space, source class first. */
export function* points(space: PolicySpace): Generator<Point> {
  for (let from = 0; from < space.classes.length; from++) {
    for (let to = 0; to < space.classes.length; to++) {
      for (let service = 0; service < space.services.length; service++) yield { from, to, service };
    }
  }
}
