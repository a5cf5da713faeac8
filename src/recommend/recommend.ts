import type { Cidr, Policy, Workload } from '../domain/index.js';
import type { MapEdge } from '../map/index.js';
import type { PolicyIssue } from '../policy/index.js';
import { classifyEdges } from './classify-edges.js';
import type { EdgeService } from './classify-edges.js';
import { buildDocument, loadDocument } from './document.js';
import { INFRASTRUCTURE } from './infrastructure.js';
import type { InfrastructureKind } from './infrastructure.js';
import type { LearnedEdge } from './learn-edges.js';
import { measureCoverage, measureTightness, ruleConfidence, ruleFlags } from './metrics.js';
import type { Coverage, ExcludedEdge, RuleConfidence, RuleFlag, Tightness } from './metrics.js';
import { proposeTests } from './propose-tests.js';
import { createSideResolver } from './sides.js';
import type { Side, SideResolver, SideText } from './sides.js';

/** Leaves matching edges out of the learning; every field present must match. */
export interface EdgeExclusion {
  /** Workload name or address of the client. */
  readonly client?: string;
  readonly server?: string;
  /** `tcp/502`. */
  readonly service?: string;
  readonly reason: string;
}

/** Options of a recommendation. */
export interface RecommendOptions {
  /** Label keys that form groups; empty means one rule side per workload. */
  readonly by: readonly string[];
  /** Ranges the workspace declares internal beyond the private ones. */
  readonly internal?: readonly Cidr[];
  /** Edges not to learn (an incident in the window, a scan), each with why. */
  readonly exclude?: readonly EdgeExclusion[];
  /** A rule with fewer flows than this is flagged rare (default 3). */
  readonly rareFlows?: number;
  /** Rule ids already in use (incremental mode): new ids avoid them. */
  readonly takenIds?: ReadonlySet<string>;
}

/** The tier a rule is proposed in: shared infrastructure first, then observed needs. */
export type RecommendedTier = 'infrastructure' | 'observed';

/** One rule the recommendation proposes, with its evidence. */
export interface RecommendedRule {
  readonly id: string;
  readonly tier: RecommendedTier;
  readonly from: readonly SideText[];
  readonly to: readonly SideText[];
  readonly services: readonly string[];
  readonly reason: string;
  readonly flows: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly confidence: RuleConfidence;
  readonly flags: readonly RuleFlag[];
  /** The workload-level edges the rule allows. */
  readonly edges: readonly MapEdge[];
}

/** The recommended policy as a plain document ready for YAML, and the rules with evidence. */
export interface Recommendation {
  readonly document: Record<string, unknown>;
  readonly rules: readonly RecommendedRule[];
  /** The document loaded as a policy (for `--diff`); undefined only if it did not load. */
  readonly policy: Policy | undefined;
  /** Problems loading the document; empty unless Bulkhead has a bug. */
  readonly issues: readonly PolicyIssue[];
  readonly coverage: Coverage;
  readonly tightness: Tightness;
}

interface Draft {
  readonly tier: RecommendedTier;
  readonly idBase: string;
  readonly from: Side[];
  readonly to: Side[];
  readonly services: Map<string, EdgeService>;
  readonly edges: MapEdge[];
  readonly infrastructure?: InfrastructureKind;
}

/**
 * Recommends a default-deny policy that allows the observed client → server services:
 * infrastructure services (DNS, NTP, DHCP, directory, monitoring, backup) as shared rules
 * in tier `infrastructure`; everything else between label groups (`by`) where workloads
 * carry those labels, between workloads otherwise, in tier `observed`. Outside addresses
 * become the internet network and unknown internal hosts one network per /24. Dynamic RPC
 * ports become one service per range. Every rule carries its evidence, a confidence and
 * flags; the result says how much of the window the policy covers and how tight it is.
 *
 * @param workloads Every workload of the workspace.
 * @param edges Workload-level edges: `learnEdges` (with active days) or `buildMap(…).edges`.
 * @param options Grouping, exclusions and thresholds.
 * @returns The policy document, the rules with evidence, coverage and tightness.
 */
export function recommend(
  workloads: readonly Workload[],
  edges: readonly (MapEdge | LearnedEdge)[],
  options: RecommendOptions,
): Recommendation {
  const sides = createSideResolver(workloads, options.by, options.internal);
  const { learned, excluded } = splitExcluded(edges, options.exclude ?? []);
  const services = classifyEdges(learned);

  const drafts = [
    ...draftInfrastructure(learned, services, sides),
    ...draftObserved(learned, services, sides),
  ];
  const ids = new Set(options.takenIds ?? []);
  const rules = drafts
    .map((d) => toRule(d, ids, options.rareFlows ?? 3, (e) => services.get(e)?.rpc !== undefined))
    .sort((a, b) => tierOrder(a.tier) - tierOrder(b.tier) || compareText(a.id, b.id));

  const base = buildDocument(rules, drafts);
  const first = loadDocument(base);
  const tests = first.policy
    ? proposeTests(first.policy, rules, workloads, (n) => !sides.sideOf(n).network)
    : [];
  const document = tests.length > 0 ? { ...base, tests } : base;
  const { policy, issues } = tests.length > 0 ? loadDocument(document) : first;
  return {
    document,
    rules,
    policy,
    issues,
    coverage: measureCoverage(policy, workloads, edges, excluded),
    tightness: measureTightness(drafts, learned, services, sides),
  };
}

function splitExcluded(
  edges: readonly MapEdge[],
  exclusions: readonly EdgeExclusion[],
): { learned: MapEdge[]; excluded: ExcludedEdge[] } {
  const learned: MapEdge[] = [];
  const excluded: ExcludedEdge[] = [];
  for (const edge of edges) {
    const hit = exclusions.find(
      (x) =>
        (x.client === undefined || x.client === edge.client) &&
        (x.server === undefined || x.server === edge.server) &&
        (x.service === undefined || x.service === edge.service),
    );
    if (hit) excluded.push({ edge, reason: hit.reason });
    else if (edge.flows === edge.rejected)
      excluded.push({ edge, reason: 'the network rejected every flow: not a need' });
    else learned.push(edge);
  }
  return { learned, excluded };
}

/** One shared rule per infrastructure kind: every observed client to every observed server. */
function draftInfrastructure(
  edges: readonly MapEdge[],
  services: ReadonlyMap<MapEdge, EdgeService>,
  sides: SideResolver,
): Draft[] {
  const byKind = new Map<InfrastructureKind, Draft>();
  for (const edge of edges) {
    const service = services.get(edge)!;
    const kind = service.infrastructure;
    if (kind === undefined) continue;
    let draft = byKind.get(kind);
    if (!draft) {
      draft = {
        tier: 'infrastructure',
        idBase: `infra-${kind}`,
        from: [],
        to: [],
        services: new Map(),
        edges: [],
        infrastructure: kind,
      };
      byKind.set(kind, draft);
    }
    addUnique(draft.from, sides.sideOf(edge.client));
    addUnique(draft.to, sides.sideOf(edge.server));
    draft.services.set(service.name, service);
    draft.edges.push(edge);
  }
  return [...byKind.values()];
}

/** Pairs the two sides, then merges the targets of a client that share a service set. */
function draftObserved(
  edges: readonly MapEdge[],
  services: ReadonlyMap<MapEdge, EdgeService>,
  sides: SideResolver,
): Draft[] {
  const pairs = new Map<string, { from: Side; to: Side; edges: MapEdge[] }>();
  for (const edge of edges) {
    if (services.get(edge)!.infrastructure !== undefined) continue;
    const from = sides.sideOf(edge.client);
    const to = sides.sideOf(edge.server);
    const key = `${from.key}|${to.key}`;
    const pair = pairs.get(key);
    if (pair) pair.edges.push(edge);
    else pairs.set(key, { from, to, edges: [edge] });
  }

  const grouped = new Map<string, Draft>();
  for (const pair of pairs.values()) {
    const named = new Map(pair.edges.map((e) => [services.get(e)!.name, services.get(e)!]));
    const key = `${pair.from.key}|${[...named.keys()].sort(compareText).join(',')}`;
    const draft = grouped.get(key);
    if (draft) {
      draft.to.push(pair.to);
      draft.edges.push(...pair.edges);
      continue;
    }
    const idBase = pair.from.slug;
    grouped.set(key, {
      tier: 'observed',
      idBase,
      from: [pair.from],
      to: [pair.to],
      services: named,
      edges: [...pair.edges],
    });
  }
  return [...grouped.values()];
}

function toRule(
  draft: Draft,
  ids: Set<string>,
  rareFlows: number,
  isRpc: (edge: MapEdge) => boolean,
): RecommendedRule {
  const from = [...draft.from].sort(compareSides);
  const to = [...draft.to].sort(compareSides);
  const base =
    draft.tier === 'infrastructure'
      ? draft.idBase
      : `${draft.idBase}-to-${to.length === 1 ? to[0]!.slug : `${to[0]!.slug}-and-${to.length - 1}-more`}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  ids.add(id);

  const flows = draft.edges.reduce((sum, e) => sum + e.flows, 0);
  const firstSeen = draft.edges.reduce((min, e) => Math.min(min, e.firstSeen), Infinity);
  const lastSeen = draft.edges.reduce((max, e) => Math.max(max, e.lastSeen), -Infinity);
  const confidence = ruleConfidence(draft.edges);
  return {
    id,
    tier: draft.tier,
    from: from.map((s) => s.text),
    to: to.map((s) => s.text),
    services: [...draft.services.keys()].sort(compareText),
    reason: reasonOf(draft, flows, firstSeen, lastSeen),
    flows,
    firstSeen,
    lastSeen,
    confidence,
    flags: ruleFlags(draft.edges, confidence, rareFlows, isRpc),
    edges: draft.edges,
  };
}

function reasonOf(draft: Draft, flows: number, firstSeen: number, lastSeen: number): string {
  const parts: string[] = [];
  if (draft.infrastructure)
    parts.push(`infrastructure: ${INFRASTRUCTURE[draft.infrastructure].reason}`);
  const evidence = [...new Set(draft.edges.map((e) => e.evidence))].sort().join(', ');
  parts.push(
    `observed ${plural(flows, 'flow')} on ${plural(draft.edges.length, 'edge')}, ` +
      `first ${new Date(firstSeen).toISOString()}, last ${new Date(lastSeen).toISOString()}; ` +
      `direction from ${evidence}`,
  );
  for (const service of draft.services.values()) {
    if (!service.rpc) continue;
    const { range, how } = service.rpc;
    parts.push(
      how === 'endpoint-mapper'
        ? `${range.name}: dynamic RPC ports reached after an endpoint-mapper call (tcp/135), one service for the range ${range.system} uses (${range.spec})`
        : `${range.name}: DCOM callbacks to the dynamic RPC port of a host that called the endpoint mapper (tcp/135) of its peer (${range.spec}, ${range.system})`,
    );
  }
  return parts.join('; ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function addUnique(list: Side[], side: Side): void {
  if (!list.some((s) => s.key === side.key)) list.push(side);
}

function tierOrder(tier: RecommendedTier): number {
  return tier === 'infrastructure' ? 0 : 1;
}

function compareSides(a: Side, b: Side): number {
  return compareText(a.key, b.key);
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
