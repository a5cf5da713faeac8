import type { Address, Endpoint, FlowQuestion, Policy, Workload } from '../domain/index.js';
import type { MapEdge } from '../map/index.js';
import { evaluate, workloadEndpoint } from '../policy/index.js';
import type { EdgeService } from './classify-edges.js';
import { daysOf } from './learn-edges.js';
import type { LearnedEdge } from './learn-edges.js';
import { rpcRangeOf } from './rpc.js';
import type { Side, SideResolver } from './sides.js';

/** An edge left out of the learning, and why. */
export interface ExcludedEdge {
  readonly edge: MapEdge;
  readonly reason: string;
}

/**
 * Share of the window's observed flows the proposed policy allows, found by evaluating
 * every edge through it. It is 1 unless edges were excluded; those are listed.
 */
export interface Coverage {
  readonly observedFlows: number;
  readonly allowedFlows: number;
  /** allowedFlows ÷ observedFlows; 1 when nothing was observed. */
  readonly ratio: number;
  readonly excluded: readonly ExcludedEdge[];
  /** Learned edges the policy denies: empty unless Bulkhead has a bug. */
  readonly denied: readonly MapEdge[];
}

/**
 * How much more the policy allows than was seen: (client, server, service) triples the
 * rules allow, a label group counting each of its workloads and a network counting once,
 * divided by the distinct triples observed. 1 means nothing beyond what was seen.
 */
export interface Tightness {
  readonly allowed: number;
  readonly observed: number;
  readonly ratio: number;
}

/** How much evidence stands behind a rule. */
export interface RuleConfidence {
  readonly flows: number;
  /** Distinct UTC days with flows (a lower bound for edges without hours). */
  readonly days: number;
  /** Distinct client and server nodes among the rule's edges. */
  readonly clients: number;
  readonly servers: number;
  /** `high`: 3 days or more and 30 flows or more; `low`: rare; `medium` otherwise. */
  readonly level: 'high' | 'medium' | 'low';
}

/** Something a reviewer should look at before accepting a rule. */
export interface RuleFlag {
  readonly kind: 'rare' | 'seen-once' | 'weak-direction' | 'unexplained-dynamic-port';
  readonly detail: string;
}

/** Evaluates every observed edge through the proposal. */
export function measureCoverage(
  policy: Policy | undefined,
  workloads: readonly Workload[],
  edges: readonly (MapEdge | LearnedEdge)[],
  excluded: readonly ExcludedEdge[],
): Coverage {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const excludedSet = new Set(excluded.map((x) => x.edge));
  let observedFlows = 0;
  let allowedFlows = 0;
  const denied: MapEdge[] = [];
  for (const edge of edges) {
    observedFlows += edge.flows;
    if (policy && isAllowed(policy, byName, edge)) allowedFlows += edge.flows;
    else if (!excludedSet.has(edge)) denied.push(edge);
  }
  const ratio = observedFlows === 0 ? 1 : allowedFlows / observedFlows;
  return { observedFlows, allowedFlows, ratio, excluded, denied };
}

function isAllowed(
  policy: Policy,
  byName: ReadonlyMap<string, Workload>,
  edge: MapEdge | LearnedEdge,
): boolean {
  return evaluate(policy, edgeQuestion(edge, byName)).verdict === 'allow';
}

/** The policy question for an edge: its workloads with their labels, at their addresses. */
export function edgeQuestion(
  edge: MapEdge | LearnedEdge,
  byName: ReadonlyMap<string, Workload>,
): FlowQuestion {
  const end = (node: string, address: Address | undefined): Endpoint => {
    const w = byName.get(node);
    const at = address ?? w?.addresses[0] ?? (node as Address);
    return w ? workloadEndpoint(w, at) : { address: at };
  };
  const learned = 'clientAddress' in edge;
  return {
    from: end(edge.client, learned ? edge.clientAddress : undefined),
    to: end(edge.server, learned ? edge.serverAddress : undefined),
    protocol: edge.protocol,
    port: edge.port,
  };
}

/** Counts allowed and observed triples; see Tightness. */
export function measureTightness(
  drafts: readonly {
    from: readonly Side[];
    to: readonly Side[];
    services: ReadonlyMap<string, EdgeService>;
  }[],
  learned: readonly MapEdge[],
  services: ReadonlyMap<MapEdge, EdgeService>,
  sides: SideResolver,
): Tightness {
  let allowed = 0;
  for (const d of drafts) {
    const members = (list: readonly Side[]): number => list.reduce((n, s) => n + s.members, 0);
    allowed += members(d.from) * members(d.to) * d.services.size;
  }

  const member = (node: string): string => {
    const side = sides.sideOf(node);
    return side.network ? `net:${side.network.name}` : node;
  };
  const observed = new Set(
    learned.map((e) => `${member(e.client)}|${member(e.server)}|${services.get(e)!.name}`),
  ).size;
  return { allowed, observed, ratio: observed === 0 ? 1 : allowed / observed };
}

/** Flows, distinct days and distinct peers of a rule's edges, and a level. */
export function ruleConfidence(edges: readonly (MapEdge | LearnedEdge)[]): RuleConfidence {
  const days = new Set(edges.flatMap((e) => daysOf(e))).size;
  const flows = edges.reduce((n, e) => n + e.flows, 0);
  const clients = new Set(edges.map((e) => e.client)).size;
  const servers = new Set(edges.map((e) => e.server)).size;
  const level = flows < 3 ? 'low' : days >= 3 && flows >= 30 ? 'high' : 'medium';
  return { flows, days, clients, servers, level };
}

/** The flags of a rule: rare, services seen once, guessed directions, unexplained ports. */
export function ruleFlags(
  edges: readonly MapEdge[],
  confidence: RuleConfidence,
  rareFlows: number,
  isRpc: (edge: MapEdge) => boolean,
): RuleFlag[] {
  const flags: RuleFlag[] = [];
  if (confidence.flows < rareFlows) {
    flags.push({ kind: 'rare', detail: `only ${confidence.flows} flow(s) in the window` });
  }

  const perService = new Map<string, number>();
  for (const e of edges) perService.set(e.service, (perService.get(e.service) ?? 0) + e.flows);
  const once = [...perService].filter(([, n]) => n === 1).map(([s]) => s);
  if (once.length > 0) {
    flags.push({ kind: 'seen-once', detail: `seen in one flow only: ${once.join(', ')}` });
  }

  const guessed = edges.filter((e) => e.evidence === 'lower-port');
  if (guessed.length > 0) {
    const list = guessed.map((e) => `${e.client} → ${e.server} ${e.service}`).join(', ');
    flags.push({
      kind: 'weak-direction',
      detail: `direction guessed from the lower port: ${list}`,
    });
  }

  const unexplained = [
    ...new Set(edges.filter((e) => !isRpc(e) && isUnexplainedDynamic(e)).map((e) => e.service)),
  ];
  if (unexplained.length > 0) {
    flags.push({
      kind: 'unexplained-dynamic-port',
      detail: `server port in the dynamic range 49152–65535 with no endpoint-mapper call to explain it (it may change on restart): ${unexplained.join(', ')}`,
    });
  }
  return flags;
}

function isUnexplainedDynamic(edge: MapEdge): boolean {
  return edge.protocol === 6 && edge.port >= 49152 && rpcRangeOf(edge.port) !== undefined;
}
