import { parseCidr } from '../../domain/index.js';
import type { Cidr } from '../../domain/index.js';

/** What one entry of `src`, `dst` or a test names. */
export type Alias =
  | { readonly kind: 'any' }
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'host'; readonly host: string; readonly cidr: Cidr }
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'autogroup'; readonly name: AutogroupName };

/** The autogroups an ACL may name. */
export type AutogroupName =
  | 'member'
  | 'tagged'
  | 'self'
  | 'internet'
  | 'shared'
  | 'danger-all'
  | 'admin'
  | 'owner'
  | 'it-admin'
  | 'network-admin'
  | 'billing-admin'
  | 'auditor';

/** Autogroups that select users by their role in the tailnet's admin console. */
export const ROLE_AUTOGROUPS: readonly AutogroupName[] = [
  'admin',
  'owner',
  'it-admin',
  'network-admin',
  'billing-admin',
  'auditor',
];

const AUTOGROUPS: readonly AutogroupName[] = [
  'member',
  'tagged',
  'self',
  'internet',
  'shared',
  'danger-all',
  ...ROLE_AUTOGROUPS,
];

/** The names a policy defines, for resolving aliases. */
export interface AliasNames {
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly tags: ReadonlySet<string>;
  readonly hosts: ReadonlyMap<string, Cidr>;
}

/** Which side an alias is written on; some aliases are valid on one side only. */
export type AliasSide = 'src' | 'dst';

/** An alias, or what is wrong with it (a message fragment after the field path). */
export type AliasReading = { readonly alias: Alias } | { readonly problem: string };

const USER = /^[^@\s:]+@[^@\s:]*$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const GROUP = /^group:[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Whether a text is a Tailscale user login name such as `alice@example.com`. */
export function isUserName(text: string): boolean {
  return USER.test(text);
}

/** Whether a text is a well-formed tag name such as `tag:web`. */
export function isTagName(text: string): boolean {
  return TAG.test(text);
}

/** Whether a text is a well-formed group name such as `group:eng`. */
export function isGroupName(text: string): boolean {
  return GROUP.test(text);
}

function known(names: Iterable<string>): string {
  const list = [...names].sort();
  return list.length === 0 ? 'none are defined' : `defined are ${list.join(', ')}`;
}

/**
 * Resolves one alias as Tailscale does: `*`, a user, `group:`, `tag:`, `autogroup:`, an IP
 * address or prefix, or a name from `hosts`. Groups, tags and hosts must be defined.
 */
export function readAlias(text: string, side: AliasSide, names: AliasNames): AliasReading {
  if (text === '*') return { alias: { kind: 'any' } };
  if (text.startsWith('group:')) {
    if (!names.groups.has(text)) {
      return {
        problem: `group "${text}" is not defined; define it under groups (${known(names.groups.keys())})`,
      };
    }
    return { alias: { kind: 'group', group: text } };
  }
  if (text.startsWith('tag:')) {
    if (!names.tags.has(text)) {
      return {
        problem: `tag "${text}" is not found in tagOwners; add "${text}": [OWNERS] to tagOwners (${known(names.tags)})`,
      };
    }
    return { alias: { kind: 'tag', tag: text } };
  }
  if (text.startsWith('autogroup:')) return readAutogroup(text, side);
  if (text.includes('@')) {
    if (!isUserName(text)) {
      return { problem: `"${text}" is not a user login name; write it as name@domain` };
    }
    return { alias: { kind: 'user', user: text } };
  }
  if (/^[0-9.]+(\/\d+)?$/.test(text) || text.includes(':')) {
    try {
      return { alias: { kind: 'cidr', cidr: parseCidr(text) } };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { problem: `"${text}" is not a valid IP address or prefix: ${why}` };
    }
  }
  const cidr = names.hosts.get(text);
  if (cidr === undefined) {
    return {
      problem: `host "${text}" is not defined; define it under hosts, or write a user (name@domain), group:, tag:, autogroup:, an IP address or * (hosts ${known(names.hosts.keys())})`,
    };
  }
  return { alias: { kind: 'host', host: text, cidr } };
}

function readAutogroup(text: string, side: AliasSide): AliasReading {
  const name = text.slice('autogroup:'.length);
  if (name === 'nonroot') {
    return { problem: `"${text}" is valid only in ssh rules, not in acls` };
  }
  const found = AUTOGROUPS.find((candidate) => candidate === name);
  if (found === undefined) {
    return {
      problem: `"${text}" is not a known autogroup; known are ${AUTOGROUPS.map((a) => `autogroup:${a}`).join(', ')}`,
    };
  }
  if (side === 'src' && (found === 'self' || found === 'internet')) {
    return {
      problem: `"${text}" is not valid on the src side of a rule: it names destinations only; use autogroup:member or * as the source`,
    };
  }
  return { alias: { kind: 'autogroup', name: found } };
}

/** An inclusive port range, 0–65535. */
export interface TsPortRange {
  readonly first: number;
  readonly last: number;
}

/** A destination as written: `ALIAS:PORTS`. */
export interface Destination {
  readonly aliasText: string;
  /** `all` for `*`. */
  readonly ports: readonly TsPortRange[] | 'all';
  readonly portsText: string;
}

/** A destination, or what is wrong with it. */
export type DestinationReading =
  { readonly destination: Destination } | { readonly problem: string };

/**
 * Splits `ALIAS:PORTS` at the last colon (an IPv6 address may be written in brackets,
 * `[fd7a::1]:22`) and reads the ports: `*`, `22`, `80-443` or a comma list of those.
 */
export function readDestination(text: string): DestinationReading {
  let aliasText: string;
  let portsText: string;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracket !== null) {
    aliasText = bracket[1] ?? '';
    portsText = bracket[2] ?? '';
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) {
      return {
        problem: `destination "${text}" has no ports; write ALIAS:PORTS, such as ${text}:22 or ${text}:*`,
      };
    }
    aliasText = text.slice(0, colon);
    portsText = text.slice(colon + 1);
  }
  const ports = readPorts(portsText);
  if ('problem' in ports) {
    return {
      problem: `port range "${portsText}" of destination "${text}" ${ports.problem}; write ALIAS:PORTS, such as tag:server:22, tag:server:80-443 or autogroup:self:*`,
    };
  }
  return { destination: { aliasText, ports: ports.ports, portsText } };
}

function readPorts(
  text: string,
): { readonly ports: readonly TsPortRange[] | 'all' } | { readonly problem: string } {
  if (text === '*') return { ports: 'all' };
  if (text === '') return { problem: 'is empty' };
  const out: TsPortRange[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (match === null) {
      return { problem: `has "${part}", which is not a port number or a range of them` };
    }
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first > 65535 || last > 65535) {
      return { problem: `has port ${Math.max(first, last)}, out of range 0-65535` };
    }
    if (first > last) {
      return { problem: `has "${part}", whose first port is greater than its last` };
    }
    out.push({ first, last });
  }
  return { ports: out };
}

/** Protocol names Tailscale accepts in `proto`, with their IANA numbers. */
export const PROTOCOL_NAMES: ReadonlyMap<string, number> = new Map([
  ['icmp', 1],
  ['igmp', 2],
  ['ipv4', 4],
  ['ip-in-ip', 4],
  ['tcp', 6],
  ['egp', 8],
  ['igp', 9],
  ['udp', 17],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['sctp', 132],
]);

/** Protocols whose packets carry ports, so a rule on them may name ports. */
export function protocolHasPorts(protocol: number): boolean {
  return protocol === 6 || protocol === 17 || protocol === 132;
}

/** Reads `proto`: a name from PROTOCOL_NAMES or a number 1–255 (as text or a number). */
export function readProtocol(
  value: string | number,
): { readonly protocol: number } | { readonly problem: string } {
  const text = String(value).trim().toLowerCase();
  const named = PROTOCOL_NAMES.get(text);
  if (named !== undefined) return { protocol: named };
  if (/^\d{1,3}$/.test(text) && Number(text) >= 1 && Number(text) <= 255) {
    return { protocol: Number(text) };
  }
  return {
    problem: `"${String(value)}" is not a protocol; write a name (${[...PROTOCOL_NAMES.keys()].join(', ')}) or an IANA protocol number from 1 to 255`,
  };
}
