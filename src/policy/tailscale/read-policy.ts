import { parseCidr } from '../../domain/index.js';
import type { Cidr } from '../../domain/index.js';

import { isGroupName, isTagName, isUserName } from './aliases.js';
import type { Alias, AliasNames } from './aliases.js';
import type { HuMember, HuValue } from './hujson.js';

import { readAcls, readTests } from './read-acls.js';
import type { ReadAcl, ReadTestCase } from './read-acls.js';
import { kindName, members, report, stringList } from './read-values.js';
import type { Reporter } from './read-values.js';

export type { ReadAcl, ReadDestination, ReadTestCase } from './read-acls.js';
export type { Reporter } from './read-values.js';

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
