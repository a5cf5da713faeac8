import { stringify } from 'yaml';

import { loadPolicy } from '../policy/index.js';
import type { PolicyLoadResult } from '../policy/index.js';
import type { EdgeService } from './classify-edges.js';
import type { RecommendedRule } from './recommend.js';
import type { NetworkDefinition, Side } from './sides.js';

/** What the document needs of the drafts: their services and sides. */
interface DraftParts {
  readonly from: readonly Side[];
  readonly to: readonly Side[];
  readonly services: ReadonlyMap<string, EdgeService>;
}

/** The file name the recommendation is loaded under, for issue places. */
export const RECOMMENDED_FILE = 'recommended.yaml';

/**
 * The policy document: named services (only those whose name is not the spec itself),
 * networks, then tier `infrastructure` (when any) and tier `observed`.
 */
export function buildDocument(
  rules: readonly RecommendedRule[],
  drafts: readonly DraftParts[],
): Record<string, unknown> {
  const services: Record<string, string | string[]> = {};
  const networks: Record<string, unknown> = {};
  for (const draft of drafts) {
    for (const [name, service] of draft.services) {
      if (name === service.specs[0] && service.specs.length === 1) continue;
      services[name] = service.specs.length === 1 ? service.specs[0]! : [...service.specs];
    }
    for (const side of [...draft.from, ...draft.to]) {
      if (side.network) networks[side.network.name] = networkText(side.network);
    }
  }

  const tiers = (['infrastructure', 'observed'] as const)
    .map((name) => ({ name, rules: rules.filter((r) => r.tier === name).map(ruleText) }))
    .filter((tier) => tier.rules.length > 0);
  return {
    version: 1,
    ...(Object.keys(services).length > 0 ? { services: sortKeys(services) } : {}),
    ...(Object.keys(networks).length > 0 ? { networks: sortKeys(networks) } : {}),
    tiers,
  };
}

function ruleText(rule: RecommendedRule): Record<string, unknown> {
  return {
    id: rule.id,
    action: 'allow',
    from: rule.from.length === 1 ? rule.from[0] : rule.from,
    to: rule.to.length === 1 ? rule.to[0] : rule.to,
    services: rule.services,
    reason: rule.reason,
  };
}

function networkText(network: NetworkDefinition): Record<string, unknown> {
  return network.except.length > 0
    ? { cidrs: [...network.cidrs], except: [...network.except] }
    : { cidrs: [...network.cidrs] };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** The document as YAML text, the way the CLI writes it. */
export function documentText(document: Record<string, unknown>): string {
  return stringify(document, { lineWidth: 0 });
}

/**
 * Loads a recommended document through the policy loader, which both validates it and
 * gives the `Policy` that coverage, the proposed tests and `--diff` need.
 */
export function loadDocument(document: Record<string, unknown>): PolicyLoadResult {
  return loadPolicy(documentText(document), RECOMMENDED_FILE);
}
