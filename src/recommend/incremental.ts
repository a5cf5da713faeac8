import type { Policy, Workload } from '../domain/index.js';
import type { MapEdge } from '../map/index.js';
import { evaluate } from '../policy/index.js';
import type { PolicyIssue } from '../policy/index.js';
import { loadDocument } from './document.js';
import type { LearnedEdge } from './learn-edges.js';
import { edgeQuestion } from './metrics.js';
import { recommend } from './recommend.js';
import type { RecommendedRule, RecommendOptions } from './recommend.js';

/** Options of an incremental recommendation: those of `recommend`, minus taken ids. */
export type IncrementalOptions = Omit<RecommendOptions, 'takenIds'>;

/** An edge the current policy denies through one of its own rules, so it is not proposed. */
export interface DeniedByRule {
  readonly edge: MapEdge;
  readonly rule: string;
  readonly tier: string | null;
}

/** The changes to the current policy that new flows call for. */
export interface Increment {
  /** Rules to add, each with its evidence, confidence and flags. */
  readonly rules: readonly RecommendedRule[];
  /** A policy document holding only the additions (services, networks, new tiers). */
  readonly document: Record<string, unknown>;
  /** The current policy with the additions: the `next` of a semantic diff. */
  readonly next: Policy | undefined;
  readonly issues: readonly PolicyIssue[];
  /** Edges and flows the current policy already allows. */
  readonly allowed: { readonly edges: number; readonly flows: number };
  /** Edges an explicit deny of the current policy blocks: a person decided, not proposed. */
  readonly deniedByRule: readonly DeniedByRule[];
}

/**
 * Proposes only what the current policy lacks: edges it denies by default become new
 * allow rules, in tiers appended after the current ones (a default deny means no current
 * tier decided, so an appended tier changes nothing else). Edges an explicit rule denies
 * are reported, not overridden.
 *
 * @param current The policy in force.
 * @param workloads Every workload.
 * @param edges Edges of the new window (`learnEdges`).
 * @param options As for `recommend`.
 */
export function recommendIncremental(
  current: Policy,
  workloads: readonly Workload[],
  edges: readonly (MapEdge | LearnedEdge)[],
  options: IncrementalOptions,
): Increment {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const uncovered: (MapEdge | LearnedEdge)[] = [];
  const deniedByRule: DeniedByRule[] = [];
  const allowed = { edges: 0, flows: 0 };
  for (const edge of edges) {
    const decision = evaluate(current, edgeQuestion(edge, byName));
    if (decision.verdict === 'allow') {
      allowed.edges += 1;
      allowed.flows += edge.flows;
    } else if (decision.rule !== null) {
      deniedByRule.push({ edge, rule: decision.rule, tier: decision.tier });
    } else {
      uncovered.push(edge);
    }
  }

  const takenIds = new Set(current.tiers.flatMap((t) => t.rules.map((r) => r.id)));
  const rec = recommend(workloads, uncovered, { ...options, takenIds });
  const taken = new Set(current.tiers.map((t) => t.name));
  const document = renameTiers(withoutTests(rec.document), taken);
  const additions = loadDocument(document);
  return {
    rules: rec.rules,
    document,
    next: additions.policy && merge(current, additions.policy),
    issues: additions.issues,
    allowed,
    deniedByRule,
  };
}

function withoutTests(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'tests'));
}

/** Tier names of the additions that the current policy uses already get a prefix. */
function renameTiers(
  document: Record<string, unknown>,
  taken: ReadonlySet<string>,
): Record<string, unknown> {
  const tiers = (document.tiers as { name: string; rules: unknown[] }[]).map((t) => ({
    ...t,
    name: taken.has(t.name) ? `recommended-${t.name}` : t.name,
  }));
  return { ...document, tiers };
}

/** The current policy's definitions win on a name both define. */
function merge(current: Policy, additions: Policy): Policy {
  return {
    ...current,
    services: new Map([...additions.services, ...current.services]),
    networks: new Map([...additions.networks, ...current.networks]),
    tiers: [...current.tiers, ...additions.tiers],
  };
}
