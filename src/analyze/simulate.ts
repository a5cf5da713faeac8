import { formatService } from '../domain/index.js';
import type {
  Address,
  Decision,
  EdgeHour,
  Endpoint,
  Policy,
  Verdict,
  Workload,
} from '../domain/index.js';
import { indexAddresses } from '../map/index.js';
import { compileDecider } from '../policy/engine/index.js';
import type { EndpointId } from '../policy/engine/index.js';

/** One stored edge (summed over hours) with the policy's decision for it. */
export interface SimulatedEdge {
  readonly client: string;
  readonly server: string;
  readonly clientAddress: Address;
  readonly serverAddress: Address;
  readonly service: string;
  readonly flows: number;
  readonly decision: Decision;
}

/** Hits of one rule (or of the default, `rule: null`) over the replayed flows. */
export interface RuleHits {
  readonly rule: string | null;
  readonly tier: string | null;
  readonly verdict: Verdict;
  edges: number;
  flows: number;
}

/** What replaying stored flows through a policy gives. */
export interface Simulation {
  readonly edges: readonly SimulatedEdge[];
  readonly hits: readonly RuleHits[];
  readonly allowedFlows: number;
  readonly deniedFlows: number;
  /** Edges the policy denies, each with its deciding rule or the default. */
  readonly denied: readonly SimulatedEdge[];
}

/** Options of a replay. */
export interface SimulateOptions {
  /** The instant rule expiry is judged at, ms since the epoch; absent: no rule expires. */
  readonly at?: number;
}

function endpointOf(address: Address, workload: Workload | undefined): Endpoint {
  return workload ? { address, name: workload.name, labels: workload.labels } : { address };
}

/**
 * Replays stored flows through a policy: every address-level edge is decided once, and
 * its flows count towards the deciding rule.
 *
 * @param policy A validated policy.
 * @param workloads Every workload, to give addresses their names and labels.
 * @param edges Stored hourly edges; hours of the same edge are summed.
 */
export function simulate(
  policy: Policy,
  workloads: readonly Workload[],
  edges: readonly EdgeHour[],
  options: SimulateOptions = {},
): Simulation {
  const byAddress = indexAddresses(workloads);
  const summed = new Map<string, { edge: EdgeHour; flows: number }>();
  for (const edge of edges) {
    const key = `${edge.client}|${edge.server}|${edge.protocol}|${edge.port}`;
    const old = summed.get(key);
    if (old) old.flows += edge.flows;
    else summed.set(key, { edge, flows: edge.flows });
  }

  // The replay path of the decision engine: each address is resolved to an endpoint id
  // once, then every edge is one table lookup. It gives exactly evaluate()'s decision.
  const decider = compileDecider(policy, options.at === undefined ? {} : { at: options.at });
  const ids = new Map<Address, EndpointId>();
  const idOf = (address: Address, workload: Workload | undefined): EndpointId => {
    let id = ids.get(address);
    if (id === undefined) ids.set(address, (id = decider.prepare(endpointOf(address, workload))));
    return id;
  };
  const results: SimulatedEdge[] = [];
  const hits = new Map<string, RuleHits>();
  let allowedFlows = 0;
  let deniedFlows = 0;
  for (const { edge, flows } of summed.values()) {
    const client = byAddress.get(edge.client);
    const server = byAddress.get(edge.server);
    const decision = decider.decideIds(
      idOf(edge.client, client),
      idOf(edge.server, server),
      edge.protocol,
      edge.port,
    );
    results.push({
      client: client?.name ?? edge.client,
      server: server?.name ?? edge.server,
      clientAddress: edge.client,
      serverAddress: edge.server,
      service: formatService(edge.protocol, edge.port),
      flows,
      decision,
    });

    const hitKey = `${decision.tier ?? ''}|${decision.rule ?? ''}|${decision.verdict}`;
    let hit = hits.get(hitKey);
    if (!hit)
      hits.set(
        hitKey,
        (hit = {
          rule: decision.rule,
          tier: decision.tier,
          verdict: decision.verdict,
          edges: 0,
          flows: 0,
        }),
      );
    hit.edges += 1;
    hit.flows += flows;
    if (decision.verdict === 'allow') allowedFlows += flows;
    else deniedFlows += flows;
  }

  const order = (a: SimulatedEdge, b: SimulatedEdge): number =>
    a.client.localeCompare(b.client, 'en', { numeric: true }) ||
    a.server.localeCompare(b.server, 'en', { numeric: true }) ||
    a.service.localeCompare(b.service, 'en', { numeric: true });
  results.sort(order);
  return {
    edges: results,
    hits: [...hits.values()].sort((a, b) => (a.rule ?? '~').localeCompare(b.rule ?? '~')),
    allowedFlows,
    deniedFlows,
    denied: results.filter((r) => r.decision.verdict === 'deny'),
  };
}

/** An edge whose decision differs between two revisions. */
export interface SimulationChange {
  readonly edge: SimulatedEdge;
  readonly before: Decision;
  readonly after: Decision;
  readonly change: 'newly denied' | 'newly allowed' | 'other rule';
}

/**
 * Compares the replay of the same flows under two revisions: every edge whose verdict or
 * deciding rule changes, newly denied first.
 */
export function compareSimulations(before: Simulation, after: Simulation): SimulationChange[] {
  const key = (e: SimulatedEdge): string => `${e.clientAddress}|${e.serverAddress}|${e.service}`;
  const old = new Map(before.edges.map((e) => [key(e), e]));
  const changes: SimulationChange[] = [];
  for (const edge of after.edges) {
    const was = old.get(key(edge));
    if (!was) continue;
    const a = was.decision;
    const b = edge.decision;
    if (a.verdict === b.verdict && a.rule === b.rule) continue;
    const change =
      a.verdict === b.verdict
        ? 'other rule'
        : b.verdict === 'deny'
          ? 'newly denied'
          : 'newly allowed';
    changes.push({ edge, before: a, after: b, change });
  }
  const order = { 'newly denied': 0, 'newly allowed': 1, 'other rule': 2 };
  return changes.sort((x, y) => order[x.change] - order[y.change]);
}
