import { parseCidr } from '../../domain/index.js';
import type { Cidr } from '../../domain/index.js';

import {
  isGroupName,
  isTagName,
  isUserName,
  protocolHasPorts,
  readAlias,
  readDestination,
  readProtocol,
} from './aliases.js';
import type { Alias, AliasNames, AliasSide, TsPortRange } from './aliases.js';
import type { HuMember, HuPlace, HuValue } from './hujson.js';
import type { TailscaleImportError } from './types.js';

/** A destination with its alias resolved. */
export interface ReadDestination {
  readonly alias: Alias;
  readonly ports: readonly TsPortRange[] | 'all';
  readonly text: string;
}

/** One ACL after validation. */
export interface ReadAcl {
  readonly index: number;
  readonly line: number;
  readonly src: readonly Alias[];
  readonly dst: readonly ReadDestination[];
  /** Absent: Tailscale's default protocols (TCP, UDP, ICMP, ICMPv6). */
  readonly protocol?: number;
}

/** One assertion of a Tailscale `tests` entry. */
export interface ReadTestCase {
  readonly testIndex: number;
  readonly line: number;
  readonly src: Alias;
  readonly srcText: string;
  readonly dst: ReadDestination;
  readonly protocol: number;
  readonly expect: 'allow' | 'deny';
}

/** A Tailscale policy after validation, before conversion. */
export interface ReadPolicy {
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly tags: ReadonlySet<string>;
  readonly hosts: ReadonlyMap<string, Cidr>;
  readonly acls: readonly ReadAcl[];
  readonly tests: readonly ReadTestCase[];
  /** Users the policy names (in groups, tag owners, acls and tests). */
  readonly users: ReadonlySet<string>;
}

/** Where problems and notes go while reading. */
export interface Reporter {
  readonly errors: TailscaleImportError[];
  readonly warnings: string[];
}

function report(reporter: Reporter, message: string, place?: HuPlace): void {
  reporter.errors.push(place === undefined ? { message } : { message, line: place.line });
}

const MAPPED = ['acls', 'groups', 'hosts', 'tagOwners', 'tests'];

/** Sections Tailscale accepts that say nothing about which addresses may connect. */
const NOT_IMPORTED: Readonly<Record<string, string>> = {
  autoApprovers: 'route approval is taken from the routes given with the nodes',
  ssh: 'Tailscale SSH access is not network policy',
  sshTests: 'Tailscale SSH access is not network policy',
  nodeAttrs: 'node attributes do not change which flows are allowed',
  derpMap: 'relay servers do not change which flows are allowed',
  disableIPv4: 'a tailnet setting, not a rule',
  randomizeClientPort: 'a tailnet setting, not a rule',
  OneCGNATRoute: 'a tailnet setting, not a rule',
  postures: 'device posture conditions cannot be expressed; rules apply regardless of posture',
  defaultSrcPosture:
    'device posture conditions cannot be expressed; rules apply regardless of posture',
  attrConfig: 'node attributes do not change which flows are allowed',
  grants:
    'grants are not imported yet, so the imported policy allows less than Tailscale does; rewrite them as acls',
  ipsets: 'IP sets are not imported yet; write their prefixes in hosts',
};

const ACL_FIELDS = ['action', 'src', 'dst', 'proto', 'users', 'ports', 'srcPosture'];
const TEST_FIELDS = ['src', 'proto', 'accept', 'deny', 'srcPostureAttrs'];

function kindName(value: HuValue): string {
  switch (value.kind) {
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'number':
      return `the number ${value.value}`;
    case 'boolean':
      return `${value.value}`;
    case 'null':
      return 'null';
  }
}

/** The members of an object, each key once; a repeated key is reported. */
function members(reporter: Reporter, value: HuValue, where: string): Map<string, HuMember> {
  const out = new Map<string, HuMember>();
  if (value.kind !== 'object') return out;
  for (const member of value.members) {
    if (out.has(member.key)) {
      report(
        reporter,
        `Cannot read "${member.key}" at ${where}: the key is written twice; keep one and merge the values`,
        member.keyPlace,
      );
      continue;
    }
    out.set(member.key, member);
  }
  return out;
}

function stringList(
  reporter: Reporter,
  value: HuValue,
  where: string,
  hint: string,
): { text: string; place: HuPlace; where: string }[] | undefined {
  if (value.kind !== 'array') {
    report(
      reporter,
      `Cannot read ${where}: it is ${kindName(value)}, not a list; write ${hint}`,
      value,
    );
    return undefined;
  }
  const out: { text: string; place: HuPlace; where: string }[] = [];
  value.items.forEach((item, index) => {
    if (item.kind !== 'string') {
      report(
        reporter,
        `Cannot read ${where}[${index}]: it is ${kindName(item)}, not a string; write ${hint}`,
        item,
      );
      return;
    }
    out.push({ text: item.value, place: item, where: `${where}[${index}]` });
  });
  return out;
}

/**
 * Validates a parsed Tailscale policy the way Tailscale does when it is saved: known
 * sections and fields only, defined groups, tags and hosts, valid ports and protocols,
 * `accept` as the only action, and `autogroup:self` only with user sources.
 */
export function readPolicy(root: HuValue, reporter: Reporter): ReadPolicy | undefined {
  if (root.kind !== 'object') {
    report(
      reporter,
      `Cannot read the policy: the top level is ${kindName(root)}, not an object; write {"acls": [...]}`,
      root,
    );
    return undefined;
  }
  const top = members(reporter, root, 'the top level');
  for (const [key, member] of top) {
    if (MAPPED.includes(key)) continue;
    const note = NOT_IMPORTED[key];
    if (note !== undefined) {
      reporter.warnings.push(
        `Section "${key}" (line ${member.keyPlace.line}) is not imported: ${note}`,
      );
      continue;
    }
    const fields = [...MAPPED, ...Object.keys(NOT_IMPORTED)].sort().join(', ');
    report(
      reporter,
      `Cannot read policy field "${key}": it is not a Tailscale policy section; known sections are ${fields}`,
      member.keyPlace,
    );
  }

  const users = new Set<string>();
  const groups = readGroups(reporter, top.get('groups'), users);
  const tags = readTagNames(reporter, top.get('tagOwners'));
  const hosts = readHosts(reporter, top.get('hosts'));
  const names: AliasNames = { groups, tags, hosts };
  readTagOwners(reporter, top.get('tagOwners'), names, users);

  const acls = readAcls(reporter, top.get('acls'), names);
  const tests = readTests(reporter, top.get('tests'), names);
  for (const acl of acls)
    for (const alias of [...acl.src, ...acl.dst.map((d) => d.alias)]) addUser(users, alias);
  for (const test of tests) addUser(users, test.src);
  return { groups, tags, hosts, acls, tests, users };
}

function addUser(users: Set<string>, alias: Alias): void {
  if (alias.kind === 'user') users.add(alias.user);
}

function readGroups(
  reporter: Reporter,
  member: HuMember | undefined,
  users: Set<string>,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (member === undefined) return out;
  if (member.value.kind !== 'object') {
    report(
      reporter,
      `Cannot read groups: it is ${kindName(member.value)}, not an object; write {"group:NAME": ["user@example.com"]}`,
      member.value,
    );
    return out;
  }
  for (const [name, entry] of members(reporter, member.value, 'groups')) {
    if (!isGroupName(name)) {
      report(
        reporter,
        `Cannot read group "${name}": a group name starts with "group:", such as group:eng`,
        entry.keyPlace,
      );
      continue;
    }
    const list = stringList(
      reporter,
      entry.value,
      `groups["${name}"]`,
      'a list of user login names',
    );
    if (list === undefined) continue;
    const groupUsers: string[] = [];
    for (const item of list) {
      if (item.text.startsWith('group:')) {
        report(
          reporter,
          `Cannot use "${item.text}" in ${item.where}: a group cannot contain another group; list its users instead`,
          item.place,
        );
      } else if (!isUserName(item.text)) {
        report(
          reporter,
          `Cannot use "${item.text}" in ${item.where}: a group holds user login names such as alice@example.com`,
          item.place,
        );
      } else {
        groupUsers.push(item.text);
        users.add(item.text);
      }
    }
    out.set(name, groupUsers);
  }
  return out;
}

function readTagNames(reporter: Reporter, member: HuMember | undefined): Set<string> {
  const out = new Set<string>();
  if (member === undefined) return out;
  if (member.value.kind !== 'object') {
    report(
      reporter,
      `Cannot read tagOwners: it is ${kindName(member.value)}, not an object; write {"tag:NAME": ["group:admins"]}`,
      member.value,
    );
    return out;
  }
  for (const entry of member.value.members) {
    if (!isTagName(entry.key)) {
      report(
        reporter,
        `Cannot read tag "${entry.key}" in tagOwners: a tag is "tag:" then a letter, then letters, digits or "-", such as tag:web`,
        entry.keyPlace,
      );
      continue;
    }
    out.add(entry.key);
  }
  return out;
}

const OWNER_AUTOGROUPS = [
  'autogroup:admin',
  'autogroup:owner',
  'autogroup:member',
  'autogroup:it-admin',
  'autogroup:network-admin',
  'autogroup:tagged',
];

function readTagOwners(
  reporter: Reporter,
  member: HuMember | undefined,
  names: AliasNames,
  users: Set<string>,
): void {
  if (member?.value.kind !== 'object') return;
  for (const [tag, entry] of members(reporter, member.value, 'tagOwners')) {
    const list = stringList(
      reporter,
      entry.value,
      `tagOwners["${tag}"]`,
      'a list of users, groups or tags',
    );
    for (const item of list ?? []) {
      const owner = item.text;
      if (owner.startsWith('group:') && !names.groups.has(owner)) {
        report(
          reporter,
          `Cannot find tag owner "${owner}" at ${item.where}: the group is not defined; define it under groups`,
          item.place,
        );
      } else if (owner.startsWith('tag:') && !names.tags.has(owner)) {
        report(
          reporter,
          `Cannot find tag owner "${owner}" at ${item.where}: the tag is not in tagOwners; add it there first`,
          item.place,
        );
      } else if (owner.startsWith('autogroup:') && !OWNER_AUTOGROUPS.includes(owner)) {
        report(
          reporter,
          `Cannot use tag owner "${owner}" at ${item.where}: only ${OWNER_AUTOGROUPS.join(', ')} may own tags`,
          item.place,
        );
      } else if (!/^(group|tag|autogroup):/.test(owner)) {
        if (isUserName(owner)) users.add(owner);
        else
          report(
            reporter,
            `Cannot use tag owner "${owner}" at ${item.where}: write a user login name, group:, tag: or autogroup:admin`,
            item.place,
          );
      }
    }
  }
}

function readHosts(reporter: Reporter, member: HuMember | undefined): Map<string, Cidr> {
  const out = new Map<string, Cidr>();
  if (member === undefined) return out;
  if (member.value.kind !== 'object') {
    report(
      reporter,
      `Cannot read hosts: it is ${kindName(member.value)}, not an object; write {"NAME": "100.64.0.1"}`,
      member.value,
    );
    return out;
  }
  for (const [name, entry] of members(reporter, member.value, 'hosts')) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      report(
        reporter,
        `Cannot read host "${name}": a host name holds letters, digits, ".", "_" and "-" only`,
        entry.keyPlace,
      );
      continue;
    }
    if (entry.value.kind !== 'string') {
      report(
        reporter,
        `Cannot read hosts["${name}"]: it is ${kindName(entry.value)}, not a string; write an IP address or prefix such as "100.64.0.1" or "10.0.0.0/8"`,
        entry.value,
      );
      continue;
    }
    try {
      out.set(name, parseCidr(entry.value.value));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      report(reporter, `Cannot read hosts["${name}"]: ${why}`, entry.value);
    }
  }
  return out;
}

function readAcls(reporter: Reporter, member: HuMember | undefined, names: AliasNames): ReadAcl[] {
  if (member === undefined) return [];
  if (member.value.kind !== 'array') {
    report(
      reporter,
      `Cannot read acls: it is ${kindName(member.value)}, not a list; write [{"action": "accept", "src": [...], "dst": [...]}]`,
      member.value,
    );
    return [];
  }
  const out: ReadAcl[] = [];
  member.value.items.forEach((item, index) => {
    const acl = readAcl(reporter, item, index, names);
    if (acl !== undefined) out.push(acl);
  });
  return out;
}

function readAcl(
  reporter: Reporter,
  value: HuValue,
  index: number,
  names: AliasNames,
): ReadAcl | undefined {
  const where = `acls[${index}]`;
  if (value.kind !== 'object') {
    report(
      reporter,
      `Cannot read ${where}: it is ${kindName(value)}, not an object; write {"action": "accept", "src": [...], "dst": [...]}`,
      value,
    );
    return undefined;
  }
  const before = reporter.errors.length;
  const fields = members(reporter, value, where);
  for (const [key, member] of fields) {
    if (!ACL_FIELDS.includes(key)) {
      report(
        reporter,
        `Cannot read field "${key}" at ${where}: it is not an ACL field; known fields are action, src, dst, proto (and the older users, ports)`,
        member.keyPlace,
      );
    }
  }
  if (fields.has('srcPosture')) {
    reporter.warnings.push(
      `${where} (line ${value.line}): srcPosture is not imported; the rule applies regardless of device posture`,
    );
  }

  const action = fields.get('action');
  if (action === undefined) {
    report(reporter, `Cannot read ${where}: action is missing; add "action": "accept"`, value);
  } else if (action.value.kind !== 'string' || action.value.value !== 'accept') {
    const shown =
      action.value.kind === 'string' ? `"${action.value.value}"` : kindName(action.value);
    report(
      reporter,
      `Cannot use action ${shown} at ${where}.action: it is not supported, Tailscale rules only accept (everything else is denied by default); write "accept"`,
      action.value,
    );
  }

  const srcMember = pick(reporter, fields, 'src', 'users', where);
  const dstMember = pick(reporter, fields, 'dst', 'ports', where);
  if (srcMember === undefined)
    report(
      reporter,
      `Cannot read ${where}: src is missing; add "src": ["*"] or the sources to allow`,
      value,
    );
  if (dstMember === undefined)
    report(
      reporter,
      `Cannot read ${where}: dst is missing; add "dst": ["tag:server:22"] or the destinations to allow`,
      value,
    );

  let protocol: number | undefined;
  const proto = fields.get('proto');
  if (proto !== undefined) {
    if (proto.value.kind !== 'string' && proto.value.kind !== 'number') {
      report(
        reporter,
        `Cannot read ${where}.proto: it is ${kindName(proto.value)}; write a protocol name such as "tcp" or a number such as "17"`,
        proto.value,
      );
    } else {
      const reading = readProtocol(proto.value.value);
      if ('problem' in reading)
        report(reporter, `Cannot read protocol at ${where}.proto: ${reading.problem}`, proto.value);
      else protocol = reading.protocol;
    }
  }

  const sources = readAliases(
    reporter,
    srcMember,
    `${where}.${srcMember?.key ?? 'src'}`,
    'src',
    names,
  );
  const src = sources.map((source) => source.alias);
  const dst = readDestinations(
    reporter,
    dstMember,
    `${where}.${dstMember?.key ?? 'dst'}`,
    names,
    protocol,
  );

  const hasSelf = dst.some((d) => d.alias.kind === 'autogroup' && d.alias.name === 'self');
  if (hasSelf) {
    for (const { alias, text, place, where: at } of sources) {
      const fine =
        alias.kind === 'any' ||
        alias.kind === 'user' ||
        alias.kind === 'group' ||
        (alias.kind === 'autogroup' && alias.name === 'member');
      if (!fine) {
        report(
          reporter,
          `Cannot use source "${text}" at ${at} with autogroup:self in ${where}.dst: autogroup:self can only be used with users, groups, autogroup:member or * as sources; move the other sources to their own rule`,
          place,
        );
      }
    }
  }
  if (reporter.errors.length > before) return undefined;
  return protocol === undefined
    ? { index, line: value.line, src, dst }
    : { index, line: value.line, src, dst, protocol };
}

function pick(
  reporter: Reporter,
  fields: Map<string, HuMember>,
  name: string,
  legacy: string,
  where: string,
): HuMember | undefined {
  const current = fields.get(name);
  const old = fields.get(legacy);
  if (current !== undefined && old !== undefined) {
    report(
      reporter,
      `Cannot read ${where}: both "${name}" and its older name "${legacy}" are given; keep "${name}" only`,
      old.keyPlace,
    );
  }
  return current ?? old;
}

function readAliases(
  reporter: Reporter,
  member: HuMember | undefined,
  where: string,
  side: AliasSide,
  names: AliasNames,
): { alias: Alias; text: string; place: HuPlace; where: string }[] {
  if (member === undefined) return [];
  const list = stringList(
    reporter,
    member.value,
    where,
    'a list of sources such as ["group:eng", "tag:ci"]',
  );
  const out: { alias: Alias; text: string; place: HuPlace; where: string }[] = [];
  for (const item of list ?? []) {
    const reading = readAlias(item.text, side, names);
    if ('problem' in reading)
      report(
        reporter,
        `Cannot resolve ${side} "${item.text}" at ${item.where}: ${reading.problem}`,
        item.place,
      );
    else out.push({ ...item, alias: reading.alias });
  }
  return out;
}

function readDestinations(
  reporter: Reporter,
  member: HuMember | undefined,
  where: string,
  names: AliasNames,
  protocol: number | undefined,
): ReadDestination[] {
  if (member === undefined) return [];
  const list = stringList(
    reporter,
    member.value,
    where,
    'a list of destinations such as ["tag:server:22"]',
  );
  const out: ReadDestination[] = [];
  for (const item of list ?? []) {
    const destination = readOneDestination(reporter, item, names, protocol);
    if (destination !== undefined) out.push(destination);
  }
  return out;
}

function readOneDestination(
  reporter: Reporter,
  item: { text: string; place: HuPlace; where: string },
  names: AliasNames,
  protocol: number | undefined,
): ReadDestination | undefined {
  const reading = readDestination(item.text);
  if ('problem' in reading) {
    report(
      reporter,
      `Cannot parse dst "${item.text}" at ${item.where}: ${reading.problem}`,
      item.place,
    );
    return undefined;
  }
  const { aliasText, ports } = reading.destination;
  if (protocol !== undefined && !protocolHasPorts(protocol) && ports !== 'all') {
    report(
      reporter,
      `Cannot use ports "${reading.destination.portsText}" in dst "${item.text}" at ${item.where}: protocol ${protocol} has no ports; write ${aliasText}:*`,
      item.place,
    );
    return undefined;
  }
  const alias = readAlias(aliasText, 'dst', names);
  if ('problem' in alias) {
    report(
      reporter,
      `Cannot resolve dst "${item.text}" at ${item.where}: ${alias.problem}`,
      item.place,
    );
    return undefined;
  }
  return { alias: alias.alias, ports, text: item.text };
}

function readTests(
  reporter: Reporter,
  member: HuMember | undefined,
  names: AliasNames,
): ReadTestCase[] {
  if (member === undefined) return [];
  if (member.value.kind !== 'array') {
    report(
      reporter,
      `Cannot read tests: it is ${kindName(member.value)}, not a list; write [{"src": "user@example.com", "accept": ["tag:server:22"]}]`,
      member.value,
    );
    return [];
  }
  const out: ReadTestCase[] = [];
  member.value.items.forEach((item, testIndex) => {
    const where = `tests[${testIndex}]`;
    if (item.kind !== 'object') {
      report(reporter, `Cannot read ${where}: it is ${kindName(item)}, not an object`, item);
      return;
    }
    const fields = members(reporter, item, where);
    for (const [key, field] of fields) {
      if (!TEST_FIELDS.includes(key)) {
        report(
          reporter,
          `Cannot read field "${key}" at ${where}: it is not a test field; known fields are src, proto, accept, deny`,
          field.keyPlace,
        );
      }
    }
    const srcMember = fields.get('src');
    if (srcMember?.value.kind !== 'string') {
      report(
        reporter,
        `Cannot read ${where}.src: write one source as a string, such as "alice@example.com" or "tag:ci"`,
        srcMember?.value ?? item,
      );
      return;
    }
    const src = readAlias(srcMember.value.value, 'src', names);
    if ('problem' in src) {
      report(
        reporter,
        `Cannot resolve src "${srcMember.value.value}" at ${where}.src: ${src.problem}`,
        srcMember.value,
      );
      return;
    }
    let protocol = 6; // tests check TCP unless told otherwise
    const proto = fields.get('proto');
    if (proto !== undefined) {
      const reading =
        proto.value.kind === 'string' || proto.value.kind === 'number'
          ? readProtocol(proto.value.value)
          : { problem: `it is ${kindName(proto.value)}` };
      if ('problem' in reading) {
        report(reporter, `Cannot read protocol at ${where}.proto: ${reading.problem}`, proto.value);
        return;
      }
      protocol = reading.protocol;
    }
    for (const expect of ['accept', 'deny'] as const) {
      const list = fields.get(expect);
      if (list === undefined) continue;
      for (const entry of stringList(
        reporter,
        list.value,
        `${where}.${expect}`,
        'a list of destinations such as ["tag:server:22"]',
      ) ?? []) {
        const dst = readOneDestination(reporter, entry, names, protocol);
        if (dst === undefined) continue;
        if (
          dst.ports === 'all' ||
          dst.ports.length !== 1 ||
          dst.ports[0]?.first !== dst.ports[0]?.last
        ) {
          report(
            reporter,
            `Cannot test "${entry.text}" at ${entry.where}: a test destination names one port; write ALIAS:PORT such as tag:server:22`,
            entry.place,
          );
          continue;
        }
        if (dst.alias.kind === 'autogroup' && dst.alias.name === 'self') {
          report(
            reporter,
            `Cannot test "${entry.text}" at ${entry.where}: autogroup:self is not a test destination; name the user's devices instead`,
            entry.place,
          );
          continue;
        }
        out.push({
          testIndex,
          line: entry.place.line,
          src: src.alias,
          srcText: srcMember.value.value,
          dst,
          protocol,
          expect: expect === 'accept' ? 'allow' : 'deny',
        });
      }
    }
  });
  return out;
}
