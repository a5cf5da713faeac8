import type { Command } from 'commander';

import {
  buildReachGraph,
  checkIsolation,
  compareSimulations,
  simulate,
} from '../../analyze/index.js';
import type { IsolationResult } from '../../analyze/index.js';
import {
  InputError,
  formatPlace,
  parseLabel,
  protocolName,
  protocolNumber,
  tryParseAddress,
} from '../../domain/index.js';
import type { Endpoint, FlowQuestion, Policy, Workload } from '../../domain/index.js';
import { evaluate, explain, runPolicyTests } from '../../policy/index.js';
import { lintPolicy } from '../../policy/lint/index.js';
import type { LintFinding } from '../../policy/lint/index.js';
import { buildMap } from '../../map/index.js';
import type { MapEdge } from '../../map/index.js';
import type { Store } from '../../store/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { formatIssue, readPolicy, requirePolicy } from '../policy-files.js';
import { action } from '../run.js';
import { findWorkspace, openWorkspaceStore } from '../workspace.js';
import { workspaceOf } from './discover.js';
import { windowOf } from './map.js';

/** Workloads of the workspace when there is one; none otherwise (a policy checked alone). */
function workloadsIfAny(cmd: Command): Workload[] {
  return workspaceIfAny(cmd)?.workloads ?? [];
}

/** Workloads and stored edges of the workspace when there is one (a policy may be checked alone). */
function workspaceIfAny(
  cmd: Command,
): { workloads: Workload[]; edges: readonly MapEdge[] } | undefined {
  let store: Store;
  try {
    store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
  } catch (error) {
    if (error instanceof InputError && workspaceOf(cmd) === undefined) return undefined;
    throw error;
  }
  try {
    const workloads = store.listWorkloads();
    return { workloads, edges: buildMap(workloads, store.listEdges()).edges };
  } finally {
    store.close();
  }
}

/**
 * Reads a query side: `app=web,role=db` (labels), `workload:NAME`, an address, or a
 * workload name. Workloads and known addresses carry their names and labels.
 */
export function parseEndpoint(
  text: string,
  workloads: readonly Workload[],
  option: string,
): Endpoint {
  const value = text.trim();
  if (value.includes('=') && !value.startsWith('workload:')) {
    const labels: Record<string, string> = {};
    for (const part of value.split(',')) {
      try {
        const [key, v] = parseLabel(part);
        labels[key] = v;
      } catch (error) {
        throw new InputError(`Cannot read ${option} "${text}": ${(error as Error).message}`);
      }
    }
    return { labels };
  }
  const address = tryParseAddress(value);
  if (address !== undefined) {
    const owner = workloads.find((w) => w.addresses.includes(address));
    return owner ? { address, name: owner.name, labels: owner.labels } : { address };
  }
  const name = value.startsWith('workload:') ? value.slice('workload:'.length) : value;
  const workload = workloads.find((w) => w.name === name);
  if (!workload) {
    throw new InputError(
      `Cannot read ${option} "${text}": no workload has that name; give a workload name, an address, or labels like app=web,role=db`,
    );
  }
  const first = workload.addresses[0];
  return first === undefined
    ? { name: workload.name, labels: workload.labels }
    : { address: first, name: workload.name, labels: workload.labels };
}

/** Reads `--service`: `tcp/502`, `udp/53`, `icmp/8`, `icmp/3/4`, or a service the policy names. */
export function parseServiceOption(
  text: string,
  policy: Policy,
): { protocol: number; port: number; icmpCode?: number } {
  const named = policy.services.get(text);
  if (named) {
    const entry = named[0];
    if (entry && entry.protocol !== 'any') {
      return { protocol: entry.protocol, port: entry.ports?.[0]?.first ?? entry.icmpType ?? 0 };
    }
  }
  const m = /^([a-z0-9]+)\/(\d{1,6})(?:\/(\d{1,3}))?$/.exec(text.trim().toLowerCase());
  if (m && Number(m[2]) > 65535) {
    throw new InputError(
      `Cannot read --service "${text}": port ${m[2]} is out of range; ports run from 0 to 65535`,
    );
  }
  const protocol = m ? protocolNumber(m[1]!) : undefined;
  const port = m ? Number(m[2]) : NaN;
  if (!m || protocol === undefined || port > 65535) {
    throw new InputError(
      `Cannot read --service "${text}": write protocol/port like tcp/502, udp/53, icmp/8 or icmp/3/4, or a service the policy names${policy.services.size ? ` (${[...policy.services.keys()].slice(0, 12).join(', ')})` : ''}`,
    );
  }
  return m[3] === undefined ? { protocol, port } : { protocol, port, icmpCode: Number(m[3]) };
}

function describeEndpoint(e: Endpoint): string {
  if (e.name !== undefined)
    return e.address && e.address !== e.name ? `${e.name} (${e.address})` : e.name;
  if (e.address !== undefined) return e.address;
  return Object.entries(e.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The default policy path: `policy.yaml` in the workspace's project folder, else here. */
function defaultPolicyPath(cmd: Command): string {
  try {
    return `${findWorkspace(workspaceOf(cmd)).root}/policy.yaml`;
  } catch {
    return 'policy.yaml';
  }
}

/** `check`, `query` and `simulate`. */
export function registerPolicy(program: Command): void {
  program
    .command('check')
    .description("validate a policy (every problem, with its place) and run the policy's tests")
    .argument('<policy>', 'policy file or folder')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action((path: string, opts: { output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const { policy, issues } = readPolicy(path);
        const workspace = workspaceIfAny(cmd);
        const workloads = workspace?.workloads ?? [];
        const at = Date.now();
        const tests = policy ? runPolicyTests(policy, workloads) : [];
        const lint = policy
          ? lintPolicy(policy, {
              workloads,
              ...(workspace && workspace.edges.length > 0 ? { edges: workspace.edges } : {}),
              at,
            })
          : [];
        if (policy) lint.push(...expiredRules(policy, at));
        const lintErrors = lint.filter((f) => f.severity === 'error').length;
        const isolation = policy
          ? checkIsolation(buildReachGraph(policy, workloads, { at: Date.now() }))
          : [];
        const errors = issues.filter((i) => i.severity === 'error').length + lintErrors;
        const failed = tests.filter((t) => !t.passed).length;
        const broken = isolation.filter((r) => !r.holds).length;
        const code = errors > 0 || failed > 0 || broken > 0 ? 1 : 0;
        if (printData(output, { valid: policy !== undefined, issues, lint, tests, isolation }))
          return code;

        for (const issue of issues) process.stdout.write(`${formatIssue(issue)}\n`);
        for (const finding of lint) process.stdout.write(`${formatFinding(finding, path)}\n`);
        for (const test of tests) {
          if (!test.passed) process.stdout.write(`${test.message}\n`);
        }
        for (const result of isolation) process.stdout.write(formatIsolation(result));
        const warnings = issues.length + lint.length - errors;
        process.stdout.write(
          `${path}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ` +
            `tests: ${tests.length - failed} passed, ${failed} failed` +
            (isolation.length
              ? `; isolated segments: ${isolation.length - broken} hold, ${broken} broken`
              : '') +
            '\n',
        );
        return code;
      }),
    );

  program
    .command('query')
    .description('the verdict for one flow, with the deciding rule')
    .argument('[policy]', 'policy file or folder (default: policy.yaml in the workspace)')
    .requiredOption('--from <endpoint>', 'workload name, address, or labels like app=web,role=api')
    .requiredOption('--to <endpoint>', 'workload name, address, or labels')
    .requiredOption('--service <service>', 'tcp/502, udp/53, icmp/8, or a named service')
    .option('--explain', 'list every tier and rule considered, and why each matched or not')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (
          path: string | undefined,
          opts: { from: string; to: string; service: string; explain?: boolean; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          const policy = requirePolicy(path ?? defaultPolicyPath(cmd));
          const workloads = workloadsIfAny(cmd);
          const service = parseServiceOption(opts.service, policy);
          const question: FlowQuestion = {
            from: parseEndpoint(opts.from, workloads, '--from'),
            to: parseEndpoint(opts.to, workloads, '--to'),
            ...service,
          };
          const at = Date.now();
          const decision = evaluate(policy, question, { at });
          const serviceText = `${protocolName(service.protocol)}/${service.port}`;
          const trace = opts.explain ? explain(policy, question, { at }) : undefined;
          const data = {
            ...decision,
            from: question.from,
            to: question.to,
            service: serviceText,
            ...(trace ? { explain: trace } : {}),
          };
          if (printData(output, data)) return;
          for (const hint of queryHints(policy, workloads, question))
            process.stderr.write(`note: ${hint}\n`);
          if (trace) process.stdout.write(formatExplain(trace));
          process.stdout.write(
            `${decision.verdict} ${describeEndpoint(question.from)} → ${describeEndpoint(question.to)} : ${serviceText} ` +
              `by ${decision.rule === null ? 'default (no rule allows it)' : `rule ${decision.rule} in tier ${decision.tier ?? '?'}`}\n`,
          );
        },
      ),
    );

  program
    .command('simulate')
    .description(
      'replay the stored flows through a policy: hits per rule and the edges it would deny',
    )
    .argument('<policy>', 'policy file or folder')
    .option('--since <time>', 'only flows seen at or after this time')
    .option('--until <time>', 'only flows seen before this time')
    .option('--against <policy>', 'a second revision: replay both and show what changes')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (
          path: string,
          opts: { since?: string; until?: string; against?: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          const policy = requirePolicy(path);
          const other = opts.against === undefined ? undefined : requirePolicy(opts.against);
          const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
          const { workloads, edges } = (() => {
            try {
              return { workloads: store.listWorkloads(), edges: store.listEdges(windowOf(opts)) };
            } finally {
              store.close();
            }
          })();
          const at = Date.now();
          const result = simulate(policy, workloads, edges, { at });
          if (!other) {
            if (printData(output, result)) return;
            process.stdout.write(formatSimulation(result));
            return;
          }
          const against = simulate(other, workloads, edges, { at });
          const changes = compareSimulations(result, against);
          if (printData(output, { before: result, after: against, changes })) return;
          process.stdout.write(
            `== ${path}\n${formatSimulation(result)}\n== ${opts.against!}\n${formatSimulation(against)}\n`,
          );
          process.stdout.write(
            changes.length === 0
              ? 'No edge changes its verdict or deciding rule.\n'
              : 'Changes:\n' +
                  formatTable(
                    ['CHANGE', 'EDGE', 'FLOWS', 'BEFORE', 'AFTER'],
                    changes.map((c) => [
                      c.change,
                      `${c.edge.client} → ${c.edge.server} : ${c.edge.service}`,
                      String(c.edge.flows),
                      `${c.before.verdict} by ${c.before.rule ?? 'default'}`,
                      `${c.after.verdict} by ${c.after.rule ?? 'default'}`,
                    ]),
                  ),
          );
        },
      ),
    );
}

/**
 * What a person should know about a query's sides: a label side with no address does not
 * meet network and CIDR rules, and labels no workload carries are probably a typo.
 */
function queryHints(
  policy: Policy,
  workloads: readonly Workload[],
  question: FlowQuestion,
): string[] {
  const hints: string[] = [];
  const usesAddresses = policy.tiers.some((t) =>
    t.rules.some((r) =>
      [...r.from, ...r.to].some((term) => term.kind === 'cidr' || term.kind === 'network'),
    ),
  );
  for (const [side, endpoint] of [
    ['--from', question.from],
    ['--to', question.to],
  ] as const) {
    if (endpoint.address !== undefined || endpoint.labels === undefined) continue;
    const labels = Object.entries(endpoint.labels);
    const carried = workloads.some((w) => labels.every(([k, v]) => w.labels[k] === v));
    if (!carried && workloads.length > 0)
      hints.push(
        `no workload carries ${labels.map(([k, v]) => `${k}=${v}`).join(',')} (${side}); the answer is for a hypothetical workload`,
      );
    if (usesAddresses)
      hints.push(
        `${side} names labels only, so network and CIDR rules cannot match it; query a workload or an address to include them`,
      );
  }
  return hints;
}

/** The packet-tracer form of an explanation: each tier, each rule and why it matched or not. */
function formatExplain(trace: ReturnType<typeof explain>): string {
  const lines: string[] = [];
  for (const tier of trace.tiers) {
    lines.push(
      `tier ${tier.name}: ${tier.outcome === 'no-match' ? 'no rule matches, on to the next tier' : `${tier.outcome} by ${tier.rule ?? '?'}`}`,
    );
    for (const rule of tier.rules) {
      const why = rule.matched
        ? 'matches'
        : `no: ${rule.mismatches.map((m) => (m === 'expired' ? 'expired' : `${m} differs`)).join(', ')}`;
      const place = rule.place ? `  (${formatPlace(rule.place)})` : '';
      lines.push(`  ${rule.matched ? '✓' : '·'} ${rule.action} ${rule.id}: ${why}${place}`);
    }
  }
  if (trace.decision.rule === null) lines.push('no tier decided: default deny');
  return lines.join('\n') + '\n';
}

/** The table form of a simulation: hits per rule, then each denied edge with its rule. */
export function formatSimulation(result: ReturnType<typeof simulate>): string {
  const hits = formatTable(
    ['RULE', 'TIER', 'VERDICT', 'EDGES', 'FLOWS'],
    result.hits.map((h) => [
      h.rule ?? 'default',
      h.tier ?? '-',
      h.verdict,
      String(h.edges),
      String(h.flows),
    ]),
  );
  const denied =
    result.denied.length === 0
      ? 'No edge is denied.\n'
      : 'Denied edges:\n' +
        formatTable(
          ['EDGE', 'FLOWS', 'DECIDED BY'],
          result.denied.map((d) => [
            `${d.client} → ${d.server} : ${d.service}`,
            String(d.flows),
            d.decision.rule ?? 'default',
          ]),
        );
  const total = result.allowedFlows + result.deniedFlows;
  return `${hits}\n${denied}${result.edges.length} edges, ${total} flows: ${result.allowedFlows} allowed, ${result.deniedFlows} denied\n`;
}

/** Rules past their expiry: they no longer match, which a reviewer should know. */
function expiredRules(policy: Policy, at: number): LintFinding[] {
  return policy.tiers.flatMap((tier) =>
    tier.rules
      .filter((rule) => rule.expires !== undefined && rule.expires < at)
      .map((rule) => ({
        code: 'rule_expired' as LintFinding['code'],
        severity: 'warning' as const,
        rule: rule.id,
        message: `Rule "${rule.id}" expired at ${new Date(rule.expires!).toISOString()} and no longer matches: remove it, or move its expires date if it is still needed`,
        ...(rule.place ? { place: rule.place } : {}),
      })),
  );
}

function formatFinding(finding: LintFinding, path: string): string {
  const place = finding.place ? formatPlace(finding.place) : path;
  return `${place}: ${finding.severity} [${finding.code}] ${finding.message}`;
}

function formatIsolation(result: IsolationResult): string {
  if (result.holds)
    return `segment ${result.segment}: isolated (proved over every workload, network and service)\n`;
  const lines = [`segment ${result.segment}: NOT isolated; counterexamples:`];
  for (const c of result.counterexamples) {
    lines.push(
      `  ${c.source} → ${c.destination} : ${c.service} (${c.direction} the segment) by rule ${c.rule}`,
    );
  }
  return lines.join('\n') + '\n';
}
