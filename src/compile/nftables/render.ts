import { assertNever } from '../../domain/index.js';
import type { Mode, RuleAction } from '../../domain/index.js';
import { CompileError } from '../errors.js';
import type { Direction, EnforcementPlan, EnforcementPoint, PlanRule, PlanTier } from '../plan.js';
import { ruleSets } from './sets.js';
import type { NftFamily, SetContent } from './sets.js';
import { createNamer, logPrefix, quote, slug } from './text.js';

/** Options of {@link renderNftables}. */
export interface NftablesOptions {
  /** NFLOG group that denied and would-be-denied packets are logged to; 1 by default. */
  readonly logGroup?: number;
}

/** The table every Bulkhead ruleset owns; nothing else in the host's ruleset is touched. */
export const NFT_TABLE = 'bulkhead';

const HOOKS: Record<Direction, { chain: string; peer: string; iface: string }> = {
  ingress: { chain: 'input', peer: 'saddr', iface: 'iif' },
  egress: { chain: 'output', peer: 'daddr', iface: 'oif' },
};

const FAMILIES: readonly NftFamily[] = ['v4', 'v6'];

interface RenderContext {
  readonly mode: Mode;
  readonly logGroup: number;
  readonly nameSet: (base: string) => string;
  readonly sets: string[];
}

/**
 * Renders one workload's ruleset as an `nft -f` file.
 *
 * The file is one transaction: it declares `table inet bulkhead` (so that the delete
 * cannot fail on a host that never had it), deletes it with everything in it, and declares
 * it again with the sets and chains, so applying it twice gives the same ruleset and a
 * failed apply leaves the previous one in place. Each tier becomes one chain per
 * direction; the base chains `input` and `output` jump to them in tier order and end in
 * the default deny.
 *
 * @param plan The plan from `buildEnforcementPlan`.
 * @param workloadName The enforcement point to render.
 * @param options The NFLOG group.
 * @returns The ruleset text, byte for byte the same for the same plan.
 * @throws CompileError when the plan has no such workload.
 * @example
 * ```ts
 * const text = renderNftables(buildEnforcementPlan(policy, workloads), 'web-1');
 * ```
 */
export function renderNftables(
  plan: EnforcementPlan,
  workloadName: string,
  options: NftablesOptions = {},
): string {
  const point = plan.points.find((candidate) => candidate.workload === workloadName);
  if (point === undefined) {
    throw new CompileError(
      `Cannot render nftables for workload "${workloadName}": the plan has no such workload; pass one of the workloads the plan was built for`,
    );
  }

  const context: RenderContext = {
    mode: point.mode,
    logGroup: options.logGroup ?? 1,
    nameSet: createNamer(),
    sets: [],
  };
  const tierChains = [
    ...renderTierChains(point.ingress, 'ingress', context),
    ...renderTierChains(point.egress, 'egress', context),
  ];
  const baseChains = (['ingress', 'egress'] as const).map((direction) =>
    renderBaseChain(point, direction, context),
  );

  return [
    ...header(point),
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    [...context.sets, ...tierChains.map((chain) => chain.text), ...baseChains].join('\n\n'),
    '}',
    '',
  ].join('\n');
}

function header(point: EnforcementPoint): string[] {
  const name = point.workload.replace(/[^\x20-\x7e]/g, '_');
  return [
    `# Bulkhead ruleset for workload ${name}, mode ${point.mode}. Generated: do not edit.`,
    '# One transaction: declare the table, delete it, declare it again with its content.',
  ];
}

function tierChainName(direction: Direction, index: number, tier: PlanTier): string {
  return `${direction}-${index}-${slug(tier.name)}`;
}

function renderTierChains(
  tiers: readonly PlanTier[],
  direction: Direction,
  context: RenderContext,
): { name: string; text: string }[] {
  return tiers.map((tier, index) => {
    const name = tierChainName(direction, index, tier);
    const rules = tier.rules.flatMap((rule) => renderRule(rule, direction, context));
    const lines = [`\tchain ${name} {`, `\t\tcomment ${quote(`tier ${tier.name}`)}`];
    return { name, text: [...lines, ...rules, '\t}'].join('\n') };
  });
}

/** One nft rule per (family, set shape) that has elements; none when the rule has no peer. */
function renderRule(rule: PlanRule, direction: Direction, context: RenderContext): string[] {
  const verdict = ruleVerdict(rule.action, rule.id, context);
  const out: string[] = [];
  for (const family of FAMILIES) {
    for (const set of ruleSets(rule, family, HOOKS[direction].peer)) {
      const name = context.nameSet(`${direction}-${slug(rule.id)}-${family}-${set.shape}`);
      context.sets.push(renderSet(name, set, rule.id));
      const match = set.match.replace('@SET', `@${name}`);
      out.push(`\t\t${match} counter ${verdict} comment ${quote(rule.id)}`);
    }
  }
  return out;
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

/**
 * The verdict of a rule. `pass` returns to the base chain, which jumps to the next tier;
 * `deny` depends on the mode: enforce logs and drops, test logs a would-deny and accepts,
 * observe only counts and accepts.
 */
function ruleVerdict(action: RuleAction, ruleId: string, context: RenderContext): string {
  switch (action) {
    case 'allow':
      return 'accept';
    case 'pass':
      return 'return';
    case 'deny':
      return denyVerdict(ruleId, context);
    default:
      return assertNever(action);
  }
}

function denyVerdict(ruleId: string, context: RenderContext): string {
  switch (context.mode) {
    case 'enforce':
      return `log group ${context.logGroup} prefix ${logPrefix('bh deny', ruleId)} drop`;
    case 'test':
      return `log group ${context.logGroup} prefix ${logPrefix('bh would-deny', ruleId)} accept`;
    case 'observe':
      return 'accept';
    default:
      return assertNever(context.mode);
  }
}

/**
 * The base chain of one hook: loopback and replies first (connections are stateful, so
 * replies to an allowed connection pass), invalid packets and IPv6 neighbour discovery,
 * then one jump per tier, then the default deny. Only enforce mode sets the chain policy
 * to drop; the explicit default rule comes first anyway and carries the counter and log.
 */
function renderBaseChain(
  point: EnforcementPoint,
  direction: Direction,
  context: RenderContext,
): string {
  const hook = HOOKS[direction];
  const policy = context.mode === 'enforce' ? 'drop' : 'accept';
  const tiers = direction === 'ingress' ? point.ingress : point.egress;
  const jumps = tiers.map((tier, index) => {
    const name = tierChainName(direction, index, tier);
    return `\t\tcounter jump ${name} comment ${quote(`tier ${tier.name}`)}`;
  });

  return [
    `\tchain ${hook.chain} {`,
    `\t\ttype filter hook ${hook.chain} priority filter; policy ${policy};`,
    `\t\t${hook.iface} "lo" counter accept comment "loopback"`,
    '\t\tct state established,related counter accept comment "established"',
    `\t\tct state invalid counter ${denyVerdict('invalid', context)} comment "invalid"`,
    // Neighbour discovery is IPv6's ARP: an inet table never sees ARP, so letting policy
    // filter ND would cut IPv6 where IPv4 keeps working. RFC 4861 requires hop limit 255
    // on every ND message, which keeps routed (spoofed) ND out.
    '\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 counter accept comment "neighbor-discovery"',
    ...jumps,
    `\t\tcounter ${denyVerdict('default', context)} comment "default"`,
    '\t}',
  ].join('\n');
}
