import { stringify } from 'yaml';

import { parseAddress, parseCidr } from '../../domain/index.js';
import type { Address, Cidr, Workload } from '../../domain/index.js';
import { loadPolicy } from '../load.js';
import { runPolicyTests } from '../policy-tests.js';

import { protocolHasPorts } from './aliases.js';
import type { Alias, TsPortRange } from './aliases.js';
import { parseHujson } from './hujson.js';
import {
  INTERNET_CIDRS,
  INTERNET_EXCEPT,
  INTERNET_NETWORK,
  TAGGED_KEY,
  TAILNET_CIDRS,
  TAILNET_EXCEPT,
  TAILNET_NETWORK,
  USER_KEY,
  hostNetworkName,
  routesNetworkName,
  tagLabelKey,
  userLabelValue,
} from './naming.js';
import { readPolicy } from './read-policy.js';
import type { ReadAcl, ReadPolicy, ReadTestCase, Reporter } from './read-policy.js';
import type { TailscaleImport, TailscaleImportError, TailscaleNode } from './types.js';

/** A selector term as written in Bulkhead YAML. */
type YamlTerm = string | Readonly<Record<string, string>>;

interface YamlRule {
  id: string;
  from: YamlTerm[];
  to: YamlTerm[];
  services: string[];
  reason: string;
}

interface YamlTest {
  from: YamlTerm[];
  to: YamlTerm[];
  service: string;
  expect: 'allow' | 'deny';
}

interface Conversion {
  readonly policy: ReadPolicy;
  readonly nodes: readonly CheckedNode[];
  readonly usedNetworks: Set<string>;
  readonly warnings: string[];
}

interface CheckedNode {
  readonly name: string;
  readonly user?: string;
  readonly tags: readonly string[];
  readonly addresses: readonly Address[];
  readonly routes: readonly Cidr[];
}

const TIER = 'tailscale-acls';

/**
 * Converts a Tailscale policy file into a Bulkhead policy, and its nodes into workloads.
 *
 * The policy is validated the way Tailscale validates it on save (unknown sections or
 * fields, undefined groups, tags and hosts, bad ports and protocols, actions other than
 * `accept`, `autogroup:self` with non-user sources, failing `tests`), and every problem is
 * reported with its line. What Tailscale accepts but Bulkhead cannot express (grants,
 * postures, SSH rules, role autogroups) is listed in `warnings`.
 *
 * @param text The policy file in HuJSON.
 * @param file The file's name, used for the places of the generated policy.
 * @param nodes The tailnet's devices; users for `autogroup:self` and the workloads come
 *   from them, and `tests` run only when they are given.
 * @returns The Bulkhead policy (as YAML and loaded), the workloads and warnings; or errors.
 * @example
 * importTailscale('{"tagOwners": {"tag:web": []}, "acls": [{"action": "accept", "src": ["*"], "dst": ["tag:web:443"]}]}', 'policy.hujson');
 */
export function importTailscale(
  text: string,
  file: string,
  nodes: readonly TailscaleNode[] = [],
): TailscaleImport {
  const parsed = parseHujson(text);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: [{ message: `${parsed.message} (column ${parsed.column})`, line: parsed.line }],
    };
  }

  const reporter: Reporter = { errors: [], warnings: [] };
  const policy = readPolicy(parsed.value, reporter);
  const checked = checkNodes(nodes, reporter.errors);
  if (policy === undefined || reporter.errors.length > 0) {
    return { ok: false, errors: reporter.errors };
  }

  const conversion: Conversion = {
    policy,
    nodes: checked,
    usedNetworks: new Set(),
    warnings: reporter.warnings,
  };
  const rules = policy.acls.flatMap((acl) => convertAcl(conversion, acl));
  const tests = policy.tests.map((test) => convertTest(conversion, test));
  const document = {
    version: 1,
    ...networksSection(conversion),
    tiers: [{ name: TIER, rules }],
    ...(tests.length === 0 ? {} : { tests }),
  };
  const policyYaml = `# Converted from the Tailscale policy ${file}\n${stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })}`;

  const loaded = loadPolicy(policyYaml, `${file} (converted)`);
  if (loaded.policy === undefined) {
    // The converter wrote YAML its own loader refuses: a bug here, reported with the issues.
    const errors = loaded.issues
      .filter((issue) => issue.severity === 'error')
      .map((issue) => ({ message: `Cannot load the converted policy: ${issue.message}` }));
    return { ok: false, errors };
  }

  const workloads = checked.map(toWorkload);
  const testErrors = runTests(conversion, loaded.policy, workloads);
  if (testErrors.length > 0) return { ok: false, errors: testErrors };

  return {
    ok: true,
    policyYaml,
    policy: loaded.policy,
    workloads,
    warnings: [...new Set(conversion.warnings)],
  };
}

function checkNodes(
  nodes: readonly TailscaleNode[],
  errors: TailscaleImportError[],
): CheckedNode[] {
  const out: CheckedNode[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.name)) {
      errors.push({
        message: `Cannot use node "${node.name}": the name is given twice; node names must be unique`,
      });
      continue;
    }
    seen.add(node.name);
    const addresses: Address[] = [];
    const routes: Cidr[] = [];
    for (const text of [node.ipv4, node.ipv6]) {
      if (text === undefined) continue;
      try {
        addresses.push(parseAddress(text));
      } catch (err) {
        errors.push({
          message: `Cannot use address of node "${node.name}": ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
    for (const text of node.routes ?? []) {
      try {
        routes.push(parseCidr(text));
      } catch (err) {
        errors.push({
          message: `Cannot use route of node "${node.name}": ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
    const user = node.tags.length === 0 ? node.user : undefined;
    out.push(
      user === undefined
        ? { name: node.name, tags: node.tags, addresses, routes }
        : { name: node.name, user, tags: node.tags, addresses, routes },
    );
  }
  return out;
}

function toWorkload(node: CheckedNode): Workload {
  const labels: Record<string, string> = { [TAGGED_KEY]: node.tags.length > 0 ? 'true' : 'false' };
  if (node.user !== undefined) labels[USER_KEY] = userLabelValue(node.user);
  for (const tag of node.tags) labels[tagLabelKey(tag)] = 'true';
  return { name: node.name, addresses: node.addresses, labels, discovered: false };
}

/** The Bulkhead terms for one alias; an empty list selects nothing. */
function terms(conversion: Conversion, alias: Alias, side: 'src' | 'dst'): YamlTerm[] {
  switch (alias.kind) {
    case 'any':
      if (side === 'dst') return ['any'];
      conversion.usedNetworks.add(TAILNET_NETWORK);
      return [`network:${TAILNET_NETWORK}`];
    case 'user':
      return [{ [USER_KEY]: userLabelValue(alias.user) }];
    case 'group':
      return (conversion.policy.groups.get(alias.group) ?? []).map((user) => ({
        [USER_KEY]: userLabelValue(user),
      }));
    case 'tag':
      return [{ [tagLabelKey(alias.tag)]: 'true' }];
    case 'host':
      return [`network:${hostNetworkName(alias.host)}`];
    case 'cidr':
      return [alias.cidr];
    case 'autogroup':
      switch (alias.name) {
        case 'member':
          return [{ [TAGGED_KEY]: 'false' }];
        case 'tagged':
          return [{ [TAGGED_KEY]: 'true' }];
        case 'internet':
          conversion.usedNetworks.add(INTERNET_NETWORK);
          return [`network:${INTERNET_NETWORK}`];
        case 'danger-all':
          return ['any'];
        case 'self':
          return []; // expanded per user by convertAcl
        case 'shared':
          conversion.warnings.push(
            'autogroup:shared selects users from other tailnets, which nodes do not carry; it selects no workload',
          );
          return [{ 'autogroup.shared': 'true' }];
        case 'admin':
        case 'owner':
        case 'it-admin':
        case 'network-admin':
        case 'billing-admin':
        case 'auditor':
          conversion.warnings.push(
            `autogroup:${alias.name} selects users by their admin role, which nodes do not carry; it selects only workloads labelled autogroup.${alias.name}=true`,
          );
          return [{ [`autogroup.${alias.name}`]: 'true' }];
      }
  }
}

function dedupe(list: YamlTerm[]): YamlTerm[] {
  const seen = new Set<string>();
  return list.filter((term) => {
    const key = JSON.stringify(term);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Bulkhead services for Tailscale ports and protocol. Without `proto` Tailscale allows TCP,
 * UDP, ICMP and ICMPv6, and ICMP carries no ports, so it is allowed whatever ports are named.
 */
function services(
  conversion: Conversion,
  protocol: number | undefined,
  ports: readonly TsPortRange[] | 'all',
  where: string,
): string[] {
  const ranges: string[] = [];
  if (ports !== 'all') {
    for (const range of ports) {
      // Bulkhead ports run from 1: port 0 is not a port a connection can use.
      if (range.first === 0 && range.last === 65535)
        return services(conversion, protocol, 'all', where);
      const first = Math.max(range.first, 1);
      if (range.last < first) {
        conversion.warnings.push(`${where}: port 0 cannot be matched by Bulkhead and is left out`);
        continue;
      }
      ranges.push(first === range.last ? `${first}` : `${first}-${range.last}`);
    }
    if (ranges.length === 0) return [];
  }
  const withPorts = (name: string): string[] =>
    ports === 'all' ? [name] : ranges.map((r) => `${name}/${r}`);
  if (protocol === undefined) return [...withPorts('tcp'), ...withPorts('udp'), 'icmp', 'icmpv6'];
  if (protocol === 6) return withPorts('tcp');
  if (protocol === 17) return withPorts('udp');
  if (protocol === 132) return withPorts('sctp');
  if (protocol === 1) return ['icmp'];
  if (protocol === 58) return ['icmpv6'];
  return protocolHasPorts(protocol) ? withPorts(String(protocol)) : [String(protocol)];
}

function portsKey(ports: readonly TsPortRange[] | 'all'): string {
  return ports === 'all' ? '*' : ports.map((p) => `${p.first}-${p.last}`).join(',');
}

/** Users whose devices `autogroup:self` can stand for: every node owner and every user the policy names. */
function knownUsers(conversion: Conversion): string[] {
  const users = new Set<string>(conversion.policy.users);
  for (const node of conversion.nodes) if (node.user !== undefined) users.add(node.user);
  return [...users].sort();
}

function srcCoversUser(conversion: Conversion, src: readonly Alias[], user: string): boolean {
  return src.some((alias) => {
    if (alias.kind === 'any') return true;
    if (alias.kind === 'autogroup') return alias.name === 'member';
    if (alias.kind === 'user') return alias.user === user;
    if (alias.kind === 'group')
      return conversion.policy.groups.get(alias.group)?.includes(user) ?? false;
    return false;
  });
}

function convertAcl(conversion: Conversion, acl: ReadAcl): YamlRule[] {
  const where = `acls[${acl.index}] (line ${acl.line})`;
  const from = dedupe(acl.src.flatMap((alias) => terms(conversion, alias, 'src')));
  const byPorts = new Map<
    string,
    { ports: readonly TsPortRange[] | 'all'; to: YamlTerm[]; self: boolean }[]
  >();
  for (const dst of acl.dst) {
    const self = dst.alias.kind === 'autogroup' && dst.alias.name === 'self';
    const key = portsKey(dst.ports);
    const groups = byPorts.get(key) ?? [];
    byPorts.set(key, groups);
    const group = groups.find((g) => g.self === self) ?? { ports: dst.ports, to: [], self };
    if (!groups.includes(group)) groups.push(group);
    group.to.push(...terms(conversion, dst.alias, 'dst'));
  }

  const out: YamlRule[] = [];
  const base = `acl-${acl.index + 1}`;
  const all = [...byPorts.values()].flat();
  all.forEach((group, n) => {
    const id = all.length === 1 ? base : `${base}-${n + 1}`;
    const svc = services(conversion, acl.protocol, group.ports, where);
    if (svc.length === 0) return;
    if (group.self) {
      knownUsers(conversion).forEach((user, k) => {
        if (!srcCoversUser(conversion, acl.src, user)) return;
        const term = { [USER_KEY]: userLabelValue(user) };
        out.push({
          id: `${id}-self-${k + 1}`,
          from: [term],
          to: [term],
          services: svc,
          reason: `Tailscale ${where}: autogroup:self for ${user}`,
        });
      });
      return;
    }
    const to = dedupe(group.to);
    if (from.length === 0 || to.length === 0) {
      conversion.warnings.push(
        `${where}: the rule selects no ${from.length === 0 ? 'source' : 'destination'} (an empty group) and is left out`,
      );
      return;
    }
    out.push({ id, from, to, services: svc, reason: `Tailscale ${where}` });
  });
  return out;
}

function convertTest(conversion: Conversion, test: ReadTestCase): YamlTest {
  const port = test.dst.ports === 'all' ? undefined : test.dst.ports[0]?.first;
  const name =
    test.protocol === 6
      ? 'tcp'
      : test.protocol === 17
        ? 'udp'
        : test.protocol === 132
          ? 'sctp'
          : test.protocol === 1
            ? 'icmp'
            : test.protocol === 58
              ? 'icmpv6'
              : String(test.protocol);
  const service =
    protocolHasPorts(test.protocol) && port !== undefined && port > 0 ? `${name}/${port}` : name;
  const from = terms(conversion, test.src, 'src');
  const to = terms(conversion, test.dst.alias, 'dst');
  return {
    from: from.length === 0 ? [{ [USER_KEY]: 'nobody' }] : from,
    to: to.length === 0 ? [{ [USER_KEY]: 'nobody' }] : to,
    service,
    expect: test.expect,
  };
}

function networksSection(conversion: Conversion): {
  networks?: Record<string, { cidrs: string[]; except?: string[] }>;
} {
  const networks: Record<string, { cidrs: string[]; except?: string[] }> = {};
  for (const [host, cidr] of [...conversion.policy.hosts].sort(([a], [b]) => a.localeCompare(b))) {
    networks[hostNetworkName(host)] = { cidrs: [cidr] };
  }
  if (conversion.usedNetworks.has(TAILNET_NETWORK)) {
    // `*` as a source is every node address plus every approved subnet route; exit-node
    // default routes are not in it (autogroup:internet covers them on the other side).
    const routes = conversion.nodes
      .flatMap((node) => node.routes)
      .filter((cidr) => !cidr.endsWith('/0'));
    networks[TAILNET_NETWORK] = {
      cidrs: [...TAILNET_CIDRS, ...new Set(routes)],
      except: [...TAILNET_EXCEPT],
    };
  }
  if (conversion.usedNetworks.has(INTERNET_NETWORK)) {
    networks[INTERNET_NETWORK] = { cidrs: [...INTERNET_CIDRS], except: [...INTERNET_EXCEPT] };
  }
  for (const node of conversion.nodes) {
    if (node.routes.length > 0)
      networks[routesNetworkName(node.name)] = { cidrs: [...node.routes] };
  }
  return Object.keys(networks).length === 0 ? {} : { networks };
}

function runTests(
  conversion: Conversion,
  policy: Parameters<typeof runPolicyTests>[0],
  workloads: readonly Workload[],
): TailscaleImportError[] {
  const cases = conversion.policy.tests;
  if (cases.length === 0) return [];
  if (conversion.nodes.length === 0) {
    conversion.warnings.push(
      'The policy tests were converted but not run: give the nodes so sources and destinations have addresses',
    );
    return [];
  }
  return runPolicyTests(policy, workloads)
    .filter((result) => !result.passed)
    .map((result) => {
      const test = cases[result.index];
      const first = result.failures[0];
      const flow =
        first === undefined
          ? ''
          : ` (${first.from} → ${first.to} on ${first.service} was ${first.decision.verdict})`;
      const message = `Cannot accept tests[${test?.testIndex ?? result.index}]: "${test?.srcText ?? '?'}" is expected to be ${test?.expect === 'allow' ? 'accepted' : 'denied'} on "${test?.dst.text ?? '?'}", but the rules ${test?.expect === 'allow' ? 'deny' : 'accept'} it${flow}; fix the rule or the test`;
      return test === undefined ? { message } : { message, line: test.line };
    });
}
