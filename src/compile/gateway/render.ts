import { addressFamily, assertNever } from '../../domain/index.js';
import type { Mode, RuleAction } from '../../domain/index.js';
import { CompileError } from '../errors.js';
import { ruleSets } from '../nftables/sets.js';
import type { NftFamily, SetContent } from '../nftables/sets.js';
import { createNamer, logPrefix, quote, slug } from '../nftables/text.js';
import type { Direction, EnforcementPlan, EnforcementPoint, PlanTier } from '../plan.js';

/** Options of {@link renderGateway}. */
export interface GatewayOptions {
  /** NFLOG group that denied and would-be-denied packets are logged to; 1 by default. */
  readonly logGroup?: number;
  /** A name for the router in the header comment; `gateway` by default. */
  readonly name?: string;
}

/** The table a gateway ruleset owns; a host ruleset (`inet bulkhead`) can live beside it. */
export const GATEWAY_TABLE = 'bulkhead-gateway';

/**
 * The forward hook runs the egress check of the source first and the ingress check of the
 * destination after it, as two base chains: `accept` ends only the base chain it is in, so
 * an allowed egress still meets the ingress check, while `drop` ends the packet at once.
 */
const BASE_CHAINS: Record<Direction, { chain: string; priority: string; key: string }> = {
  egress: { chain: 'forward-egress', priority: 'filter', key: 'saddr' },
  ingress: { chain: 'forward-ingress', priority: 'filter + 10', key: 'daddr' },
};

/** The peer field of a host's rule: ingress rules name sources, egress rules destinations. */
const PEER_FIELD: Record<Direction, string> = { ingress: 'saddr', egress: 'daddr' };

const FAMILIES: readonly NftFamily[] = ['v4', 'v6'];

interface Context {
  readonly logGroup: number;
  readonly nameSet: (base: string) => string;
  readonly sets: string[];
  readonly chains: string[];
}

/**
 * Renders an nftables ruleset for a Linux router in front of hosts that cannot run an
 * agent (legacy systems, OT, appliances). The hosts behind it stay the enforcement points:
 * a forwarded packet from a protected host meets that host's egress rules, a packet to a
 * protected host meets its ingress rules, and a packet between two protected hosts meets
 * both. Each host's tiers, modes and default deny are those of the host renderer; traffic
 * that involves no protected host is not this ruleset's business and is forwarded.
 *
 * @param plan The plan from `buildEnforcementPlan`.
 * @param hosts The workloads behind the router.
 * @param options The NFLOG group and the router's name.
 * @returns One `nft -f` transaction, byte for byte the same for the same input.
 * @throws CompileError when a host is not in the plan, or two hosts share an address.
 */
export function renderGateway(
  plan: EnforcementPlan,
  hosts: readonly string[],
  options: GatewayOptions = {},
): string {
  const points = [...new Set(hosts)].sort().map((name) => {
    const point = plan.points.find((candidate) => candidate.workload === name);
    if (point === undefined) {
      throw new CompileError(
        `Cannot render the gateway ruleset for host "${name}": the plan has no such workload; pass workloads the plan was built for`,
      );
    }
    return point;
  });
  const owners = new Map<string, string>();
  for (const point of points) {
    for (const address of point.addresses) {
      const owner = owners.get(address);
      if (owner !== undefined) {
        throw new CompileError(
          `Cannot render the gateway ruleset: hosts "${owner}" and "${point.workload}" share the address ${address}; a gateway tells hosts apart by address`,
        );
      }
      owners.set(address, point.workload);
    }
  }

  const context: Context = {
    logGroup: options.logGroup ?? 1,
    nameSet: createNamer(),
    sets: [],
    chains: [],
  };
  for (const point of points) {
    for (const direction of ['egress', 'ingress'] as const) renderHost(point, direction, context);
  }
  const base = (['egress', 'ingress'] as const).map((direction) => baseChain(points, direction));
  const name = (options.name ?? 'gateway').replace(/[^\x20-\x7e]/g, '_');

  return [
    `# Bulkhead gateway ruleset for router ${name}, ${points.length} protected hosts. Generated: do not edit.`,
    '# One transaction: declare the table, delete it, declare it again with its content.',
    `table inet ${GATEWAY_TABLE}`,
    `delete table inet ${GATEWAY_TABLE}`,
    `table inet ${GATEWAY_TABLE} {`,
    [...context.sets, ...context.chains, ...base].join('\n\n'),
    '}',
    '',
  ].join('\n');
}

function hostChainName(point: EnforcementPoint, direction: Direction): string {
  return `${hostSlug(point.workload)}-${direction}`;
}

/** The chains of one host in one direction: one per tier and one that jumps to them. */
function renderHost(point: EnforcementPoint, direction: Direction, context: Context): void {
  const tiers = direction === 'ingress' ? point.ingress : point.egress;
  const host = hostChainName(point, direction);
  const jumps = tiers.map((tier, index) => {
    const name = `${host}-${index}-${slug(tier.name)}`;
    context.chains.push(renderTier(point, direction, tier, name, context));
    return `\t\tcounter jump ${name} comment ${quote(`tier ${tier.name}`)}`;
  });
  context.chains.push(
    [
      `\tchain ${host} {`,
      `\t\tcomment ${quote(`${direction} of ${point.workload}, mode ${point.mode}`)}`,
      `\t\tct state invalid counter ${denyVerdict(point.mode, 'invalid', context)} comment "invalid"`,
      ...jumps,
      `\t\tcounter ${denyVerdict(point.mode, 'default', context)} comment "default"`,
      '\t}',
    ].join('\n'),
  );
}

function renderTier(
  point: EnforcementPoint,
  direction: Direction,
  tier: PlanTier,
  name: string,
  context: Context,
): string {
  const lines = [`\tchain ${name} {`, `\t\tcomment ${quote(`tier ${tier.name}`)}`];
  for (const rule of tier.rules) {
    const verdict = ruleVerdict(rule.action, rule.id, point.mode, context);
    for (const family of FAMILIES) {
      for (const set of ruleSets(rule, family, PEER_FIELD[direction])) {
        const setName = context.nameSet(
          `${hostSlug(point.workload)}-${direction}-${slug(rule.id)}-${family}-${set.shape}`,
        );
        context.sets.push(renderSet(setName, set, rule.id));
        const match = set.match.replace('@SET', `@${setName}`);
        lines.push(`\t\t${match} counter ${verdict} comment ${quote(rule.id)}`);
      }
    }
  }
  return [...lines, '\t}'].join('\n');
}

function renderSet(name: string, set: SetContent, ruleId: string): string {
  return [
    `\tset ${name} {`,
    `\t\ttype ${set.type}`,
    '\t\tflags interval',
    `\t\tcomment ${quote(ruleId)}`,
    '\t\telements = {',
    ...set.elements.map((element) => `\t\t\t${element},`),
    '\t\t}',
    '\t}',
  ].join('\n');
}

function ruleVerdict(action: RuleAction, ruleId: string, mode: Mode, context: Context): string {
  switch (action) {
    case 'allow':
      return 'accept';
    case 'pass':
      return 'return';
    case 'deny':
      return denyVerdict(mode, ruleId, context);
    default:
      return assertNever(action);
  }
}

function denyVerdict(mode: Mode, ruleId: string, context: Context): string {
  switch (mode) {
    case 'enforce':
      return `log group ${context.logGroup} prefix ${logPrefix('bh deny', ruleId)} drop`;
    case 'test':
      return `log group ${context.logGroup} prefix ${logPrefix('bh would-deny', ruleId)} accept`;
    case 'observe':
      return 'accept';
    default:
      return assertNever(mode);
  }
}

/** A forward base chain: replies pass, then each protected address jumps to its host. */
function baseChain(points: readonly EnforcementPoint[], direction: Direction): string {
  const base = BASE_CHAINS[direction];
  const lines = [
    `\tchain ${base.chain} {`,
    `\t\ttype filter hook forward priority ${base.priority}; policy accept;`,
    '\t\tct state established,related counter accept comment "established"',
  ];
  for (const family of [4, 6] as const) {
    const entries = points.flatMap((point) =>
      point.addresses
        .filter((address) => addressFamily(address) === family)
        .map((address) => `${address} : jump ${hostChainName(point, direction)}`),
    );
    if (entries.length === 0) continue;
    const ip = family === 4 ? 'ip' : 'ip6';
    lines.push(
      `\t\t${ip} ${base.key} vmap {`,
      ...entries.map((entry) => `\t\t\t${entry},`),
      `\t\t} comment "protected hosts"`,
    );
  }
  return [...lines, '\t}'].join('\n');
}

/**
 * A host's part of chain and set names. nft identifiers must start with a letter, and
 * hosts discovered from flows are named after their address (`141.81.0.10`).
 */
function hostSlug(workload: string): string {
  const text = slug(workload);
  return /^[a-z]/i.test(text) ? text : `h-${text}`;
}
