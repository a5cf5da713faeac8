import { assertNever } from '../../domain/index.js';
import type { Family, Mode, PortRange, RuleAction } from '../../domain/index.js';
import { CompileError } from '../errors.js';
import { createNamer, logPrefix, quote, slug } from '../nftables/text.js';
import type { Direction, EnforcementPlan, EnforcementPoint, PlanRule, PlanTier } from '../plan.js';
import type { PlanService } from '../service.js';
import { addressSetPrefixes, withoutZeroPrefix } from './prefixes.js';

/** Options of {@link renderIptables}. */
export interface IptablesOptions {
  /** NFLOG group that denied and would-be-denied packets are logged to; 1 by default. */
  readonly logGroup?: number;
  /** `maxelem` of every set; ipset's default, 65536, unless raised. */
  readonly maxelem?: number;
}

/** One ipset the ruleset creates: the peers of one rule in one family. */
export interface IpsetSet {
  readonly name: string;
  readonly rule: string;
  readonly family: Family;
  readonly type: 'hash:net' | 'hash:net,port';
  readonly elements: readonly string[];
}

/**
 * The ruleset of one workload for hosts without nftables: three inputs applied in order —
 * `ipset restore`, then `iptables-restore`, then `ip6tables-restore` (both without
 * `--noflush`: the files replace the whole `filter` table in one commit).
 */
export interface IptablesRuleset {
  readonly workload: string;
  readonly mode: Mode;
  readonly ipset: string;
  readonly iptables: string;
  readonly ip6tables: string;
  readonly sets: readonly IpsetSet[];
  readonly maxelem: number;
}

/** ipset's default `maxelem`. */
export const IPSET_DEFAULT_MAXELEM = 65536;

/** Base chains the `INPUT` and `OUTPUT` hooks jump to. */
export const IPTABLES_CHAINS: Record<Direction, string> = {
  ingress: 'BULKHEAD-IN',
  egress: 'BULKHEAD-OUT',
};

/** Sets of the shape `hash:net,port` only while a rule has at most this many ports. */
const NETPORT_MAX_PORTS = 16;
/** `-m multiport` takes at most 15 ports, a range counting as two. */
const MULTIPORT_MAX = 15;
/** Kernel limit on chain names (XT_EXTENSION_MAXNAMELEN 29, with the terminating NUL). */
const CHAIN_NAME_MAX = 28;

const PORT_PROTOCOLS = new Map([
  [6, 'tcp'],
  [17, 'udp'],
  [132, 'sctp'],
]);

const HOOKS: Record<Direction, { builtin: string; iface: string; peer: 'src' | 'dst' }> = {
  ingress: { builtin: 'INPUT', iface: '-i', peer: 'src' },
  egress: { builtin: 'OUTPUT', iface: '-o', peer: 'dst' },
};

interface Context {
  readonly mode: Mode;
  readonly logGroup: number;
  readonly nameSet: (base: string) => string;
  readonly sets: IpsetSet[];
}

/**
 * Renders one workload's ruleset as `ipset restore` and `iptables-restore` /
 * `ip6tables-restore` input, with the semantics of the nftables renderer: per direction a
 * base chain (`BULKHEAD-IN`, `BULKHEAD-OUT`) accepts loopback and replies, then jumps to
 * one chain per tier in policy order, then applies the default deny. In a tier chain
 * `pass` is `RETURN` (the next tier decides), `deny` is `NFLOG` + `DROP`, `allow` is
 * `ACCEPT`; a packet no rule matches falls off the end of the tier chain into the next.
 *
 * Peers live in one set per rule and family, so a rule costs one set lookup per service
 * however many peers it has: `hash:net,port` when the rule names a few TCP/UDP/SCTP ports,
 * otherwise `hash:net` with the services matched by the rule itself.
 *
 * @param plan The plan from `buildEnforcementPlan`.
 * @param workloadName The enforcement point to render.
 * @param options The NFLOG group and the sets' `maxelem`.
 * @returns The three inputs and the sets, byte for byte the same for the same plan.
 * @throws CompileError when the plan has no such workload.
 */
export function renderIptables(
  plan: EnforcementPlan,
  workloadName: string,
  options: IptablesOptions = {},
): IptablesRuleset {
  const point = plan.points.find((candidate) => candidate.workload === workloadName);
  if (point === undefined) {
    throw new CompileError(
      `Cannot render iptables for workload "${workloadName}": the plan has no such workload; pass one of the workloads the plan was built for`,
    );
  }
  const maxelem = options.maxelem ?? IPSET_DEFAULT_MAXELEM;
  const context: Context = {
    mode: point.mode,
    logGroup: options.logGroup ?? 1,
    nameSet: createNamer(),
    sets: [],
  };
  const iptables = renderTable(point, 4, context);
  const ip6tables = renderTable(point, 6, context);
  return {
    workload: point.workload,
    mode: point.mode,
    ipset: renderIpset(point, context.sets, maxelem),
    iptables,
    ip6tables,
    sets: context.sets,
    maxelem,
  };
}

/**
 * The three inputs in one text, each after a `### <tool>` line: the golden-file form, and
 * a readable summary for people. Tools take the fields of {@link IptablesRuleset}.
 */
export function formatIptablesRuleset(ruleset: IptablesRuleset): string {
  return [
    '### ipset restore',
    ruleset.ipset,
    '### iptables-restore',
    ruleset.iptables,
    '### ip6tables-restore',
    ruleset.ip6tables,
  ].join('\n');
}

function header(point: EnforcementPoint): string[] {
  const name = point.workload.replace(/[^\x20-\x7e]/g, '_');
  return [`# Bulkhead ruleset for workload ${name}, mode ${point.mode}. Generated: do not edit.`];
}

/**
 * Every set is filled under a temporary name and swapped in, so rules that reference the
 * set never see it half filled and applying the file twice gives the same sets.
 */
function renderIpset(point: EnforcementPoint, sets: readonly IpsetSet[], maxelem: number): string {
  const lines = [
    ...header(point),
    '# Apply with `ipset restore` before the iptables files; destroy unlisted bh-* sets after.',
  ];
  for (const set of sets) {
    const family = set.family === 4 ? 'inet' : 'inet6';
    const create = `${set.type} family ${family} maxelem ${maxelem}`;
    const temp = `${set.name}-t`;
    lines.push(
      `create ${set.name} ${create} -exist`,
      `create ${temp} ${create} -exist`,
      `flush ${temp}`,
      ...set.elements.map((element) => `add ${temp} ${element}`),
      `swap ${temp} ${set.name}`,
      `destroy ${temp}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function tierChainName(direction: Direction, index: number, tier: PlanTier): string {
  return `${IPTABLES_CHAINS[direction]}-${index}-${slug(tier.name)}`.slice(0, CHAIN_NAME_MAX);
}

function renderTable(point: EnforcementPoint, family: Family, context: Context): string {
  const chains: string[] = [];
  const rules: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const hook = HOOKS[direction];
    const base = IPTABLES_CHAINS[direction];
    const tiers = direction === 'ingress' ? point.ingress : point.egress;
    chains.push(`:${base} - [0:0]`);
    rules.push(`-A ${hook.builtin} -j ${base}`);
    rules.push(...baseChainRules(direction, family, tiers, context));
    tiers.forEach((tier, index) => {
      const name = tierChainName(direction, index, tier);
      chains.push(`:${name} - [0:0]`);
      for (const rule of tier.rules)
        rules.push(...renderRule(name, rule, direction, family, context));
    });
  }
  return [
    ...header(point),
    '# Replaces the whole filter table in one commit: apply without --noflush.',
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...chains,
    ...rules,
    'COMMIT',
    '',
  ].join('\n');
}

function baseChainRules(
  direction: Direction,
  family: Family,
  tiers: readonly PlanTier[],
  context: Context,
): string[] {
  const hook = HOOKS[direction];
  const chain = IPTABLES_CHAINS[direction];
  const out = [
    `-A ${chain} ${hook.iface} lo -m comment --comment "loopback" -j ACCEPT`,
    `-A ${chain} -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "established" -j ACCEPT`,
    ...denyLines(`-A ${chain} -m conntrack --ctstate INVALID`, 'invalid', context),
  ];
  if (family === 6) {
    // Neighbour discovery is IPv6's ARP; RFC 4861 requires hop limit 255 on every ND
    // message, which keeps routed (spoofed) ND out. Same rule as the nftables renderer.
    for (const type of [133, 134, 135, 136]) {
      out.push(
        `-A ${chain} -p ipv6-icmp -m icmp6 --icmpv6-type ${type} -m hl --hl-eq 255 -m comment --comment "neighbor-discovery" -j ACCEPT`,
      );
    }
  }
  tiers.forEach((tier, index) => {
    const target = tierChainName(direction, index, tier);
    out.push(`-A ${chain} -m comment --comment ${quote(`tier ${tier.name}`)} -j ${target}`);
  });
  out.push(...denyLines(`-A ${chain}`, 'default', context));
  return out;
}

/** A deny as iptables rules: NFLOG does not end the chain, so it is followed by the verdict. */
function denyLines(match: string, ruleId: string, context: Context): string[] {
  const comment = `-m comment --comment ${quote(ruleId)}`;
  const log = (head: string): string =>
    `${match} ${comment} -j NFLOG --nflog-group ${context.logGroup} --nflog-prefix ${logPrefix(head, ruleId)}`;
  switch (context.mode) {
    case 'enforce':
      return [log('bh deny'), `${match} ${comment} -j DROP`];
    case 'test':
      return [log('bh would-deny'), `${match} ${comment} -j ACCEPT`];
    case 'observe':
      return [`${match} ${comment} -j ACCEPT`];
    default:
      return assertNever(context.mode);
  }
}

function actionLines(
  match: string,
  action: RuleAction,
  ruleId: string,
  context: Context,
): string[] {
  switch (action) {
    case 'allow':
      return [`${match} -m comment --comment ${quote(ruleId)} -j ACCEPT`];
    case 'pass':
      return [`${match} -m comment --comment ${quote(ruleId)} -j RETURN`];
    case 'deny':
      return denyLines(match, ruleId, context);
    default:
      return assertNever(action);
  }
}

/** The rules of one plan rule in one family; none when it has no peer in the family. */
function renderRule(
  chain: string,
  rule: PlanRule,
  direction: Direction,
  family: Family,
  context: Context,
): string[] {
  const prefixes = withoutZeroPrefix(addressSetPrefixes(rule.peers, family));
  if (prefixes.length === 0) return [];
  const dir = direction === 'ingress' ? 'i' : 'o';
  const peer = HOOKS[direction].peer;
  const base = `bh-${dir}-${slug(rule.id).slice(0, 16)}-${family}`;

  const netPort = netPortElements(rule.services);
  if (netPort !== undefined) {
    const name = context.nameSet(`${base}p`);
    context.sets.push({
      name,
      rule: rule.id,
      family,
      type: 'hash:net,port',
      elements: prefixes.flatMap((prefix) => netPort.map((tail) => `${prefix},${tail}`)),
    });
    return actionLines(
      `-A ${chain} -m set --match-set ${name} ${peer},dst`,
      rule.action,
      rule.id,
      context,
    );
  }

  const name = context.nameSet(`${base}n`);
  context.sets.push({ name, rule: rule.id, family, type: 'hash:net', elements: prefixes });
  const lookup = `-A ${chain} -m set --match-set ${name} ${peer}`;
  return rule.services
    .flatMap((service) => serviceMatches(service, family))
    .flatMap((match) => actionLines(`${lookup}${match}`, rule.action, rule.id, context));
}

/**
 * `proto:port` elements when every service is a short list of TCP/UDP/SCTP ports (port 0
 * excluded: ipset refuses it), otherwise undefined.
 */
function netPortElements(services: readonly PlanService[]): string[] | undefined {
  const out: string[] = [];
  for (const service of services) {
    if (service.kind !== 'ports') return undefined;
    const name = PORT_PROTOCOLS.get(service.protocol);
    if (name === undefined) return undefined;
    for (const range of service.ports) {
      if (range.first === 0) return undefined;
      for (let port = range.first; port <= range.last; port++) {
        out.push(`${name}:${port}`);
        if (out.length > NETPORT_MAX_PORTS) return undefined;
      }
    }
  }
  return out.length === 0 ? undefined : out;
}

/** The matches of one service in one family, each starting with a space; [''] for any. */
export function serviceMatches(service: PlanService, family: Family): string[] {
  switch (service.kind) {
    case 'any':
      return [''];
    case 'protocol':
      return [` -p ${service.protocol}`];
    case 'ports': {
      const name = PORT_PROTOCOLS.get(service.protocol) ?? String(service.protocol);
      const every =
        service.ports.length === 1 &&
        service.ports[0]!.first === 0 &&
        service.ports[0]!.last === 65535;
      if (every) return [` -p ${name}`];
      if (service.ports.length === 1) return [` -p ${name} --dport ${portText(service.ports[0]!)}`];
      return multiportChunks(service.ports).map(
        (chunk) => ` -p ${name} -m multiport --dports ${chunk.map(portText).join(',')}`,
      );
    }
    case 'icmp': {
      const code = service.code === undefined ? '' : `/${service.code}`;
      if (service.protocol === 1 && family === 4) {
        return [` -p icmp -m icmp --icmp-type ${service.type}${code}`];
      }
      if (service.protocol === 58 && family === 6) {
        return [` -p ipv6-icmp -m icmp6 --icmpv6-type ${service.type}${code}`];
      }
      return [];
    }
    default:
      return assertNever(service);
  }
}

function portText(range: PortRange): string {
  return range.first === range.last ? String(range.first) : `${range.first}:${range.last}`;
}

function multiportChunks(ports: readonly PortRange[]): PortRange[][] {
  const chunks: PortRange[][] = [];
  let current: PortRange[] = [];
  let used = 0;
  for (const range of ports) {
    const cost = range.first === range.last ? 1 : 2;
    if (used + cost > MULTIPORT_MAX) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(range);
    used += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
