// Reading a Tailscale policy's `acls` and `tests` sections.
import { protocolHasPorts, readAlias, readDestination, readProtocol } from './aliases.js';
import type { Alias, AliasNames, AliasSide, TsPortRange } from './aliases.js';
import type { HuMember, HuPlace, HuValue } from './hujson.js';
import { kindName, members, report, stringList } from './read-values.js';
import type { Reporter } from './read-values.js';

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

const ACL_FIELDS = ['action', 'src', 'dst', 'proto', 'users', 'ports', 'srcPosture'];
const TEST_FIELDS = ['src', 'proto', 'accept', 'deny', 'srcPostureAttrs'];

export function readAcls(
  reporter: Reporter,
  member: HuMember | undefined,
  names: AliasNames,
): ReadAcl[] {
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

export function readTests(
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
