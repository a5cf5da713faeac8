import type { Command } from 'commander';

import {
  attackPaths,
  blastRadius,
  buildReachGraph,
  partiesSelected,
  partyName,
  reachMatrix,
  reachRules,
  reachServices,
} from '../../analyze/index.js';
import type { ReachGraph } from '../../analyze/index.js';
import { InputError } from '../../domain/index.js';
import { connlist } from '../../ingest/k8s/index.js';
import type { Policy, Selector, Workload } from '../../domain/index.js';
import { parseSelectorText } from '../../policy/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { requirePolicy } from '../policy-files.js';
import { action, parseList } from '../run.js';
import { findWorkspace, openWorkspaceStore } from '../workspace.js';
import { workspaceOf } from './discover.js';

function loadWorkloads(cmd: Command): Workload[] {
  const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
  try {
    return store.listWorkloads();
  } finally {
    store.close();
  }
}

/** Reads a selector option: labels `app=web,role=db`, `workload:NAME`, a name, a CIDR, `network:NAME`, `segment:NAME`. */
export function selectorOption(text: string, policy: Policy, option: string): Selector {
  const labels = /^[a-z][^=,]*=[^,]+(,[a-z][^=,]*=[^,]+)*$/.test(text.trim());
  if (labels) {
    const match: Record<string, string[]> = {};
    for (const part of text.split(',')) {
      const [key, value] = part.split('=') as [string, string];
      match[key.trim()] = [value.trim()];
    }
    return [{ kind: 'labels', match }];
  }
  const result = parseSelectorText(text, policy);
  if (!result.ok) throw new InputError(`Cannot read ${option} "${text}": ${result.message}`);
  return result.selector;
}

function graphFor(path: string, cmd: Command): { graph: ReachGraph; policy: Policy } {
  const policy = requirePolicy(path);
  return { policy, graph: buildReachGraph(policy, loadWorkloads(cmd), { at: Date.now() }) };
}

/** `reach`, `blast-radius` and `paths`. */
export function registerAnalyze(program: Command): void {
  program
    .command('reach')
    .description('who can reach what under a policy: --to, --from, or a --matrix of label groups')
    .argument('<policy>', 'policy file or folder')
    .option(
      '--to <selector>',
      'who can reach these workloads (labels app=db, a name, network:NAME…)',
    )
    .option('--from <selector>', 'what these workloads can reach')
    .option('--matrix', 'group × group with services')
    .option('--by <keys>', 'label keys forming the matrix groups', 'app')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (
          path: string,
          opts: { to?: string; from?: string; matrix?: boolean; by: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          if ([opts.to, opts.from, opts.matrix].filter((x) => x !== undefined).length !== 1) {
            throw new InputError(
              'Cannot run reach: give exactly one of --to SELECTOR, --from SELECTOR or --matrix',
            );
          }
          const { graph, policy } = graphFor(path, cmd);
          if (opts.matrix) {
            const cells = reachMatrix(graph, parseList(opts.by));
            if (printData(output, cells)) return;
            process.stdout.write(
              formatTable(
                ['FROM', 'TO', 'SERVICES', 'RULES'],
                cells.map((c) => [c.from, c.to, c.services.join(' '), c.rules.join(' ')]),
              ),
            );
            return;
          }
          const inbound = opts.to !== undefined;
          const targets = partiesSelected(
            graph,
            selectorOption((inbound ? opts.to : opts.from)!, policy, inbound ? '--to' : '--from'),
          );
          const rows = targets.flatMap((party) =>
            (inbound ? graph.in : graph.out).get(party.key)!.map((reach) => ({
              from: inbound ? partyName(reach.from) : partyName(party),
              fromWorkloads: reach.from.members,
              to: inbound ? partyName(party) : partyName(reach.to),
              toWorkloads: reach.to.members,
              services: reachServices(reach),
              rules: reachRules(reach),
            })),
          );
          if (printData(output, rows)) return;
          process.stdout.write(
            formatTable(
              ['FROM', 'TO', 'SERVICES', 'RULES'],
              rows.map((r) => [r.from, r.to, r.services.join(' '), r.rules.join(' ')]),
            ),
          );
          process.stdout.write(
            `${rows.length} reaches${targets.length === 0 ? ' (the selector selects no workload)' : ''}\n`,
          );
        },
      ),
    );

  program
    .command('blast-radius')
    .description(
      'workloads a compromised workload reaches by lateral movement, with and without the policy',
    )
    .argument('<workload>', 'workload name or address')
    .requiredOption('--policy <file>', 'the current policy')
    .option('--against <file>', 'a proposed policy to compare with')
    .option('--hops <n>', 'at most this many hops (default: no limit)')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action(
        (
          name: string,
          opts: { policy: string; against?: string; hops?: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          const hops = opts.hops === undefined ? Infinity : Number(opts.hops);
          if (!(hops >= 1))
            throw new InputError(
              `Cannot read --hops "${opts.hops ?? ''}": write a whole number of 1 or more`,
            );
          const workloads = loadWorkloads(cmd);
          const workload = workloads.find(
            (w) => w.name === name || w.addresses.includes(name as never),
          );
          if (!workload)
            throw new InputError(
              `Cannot compute the blast radius of "${name}": no workload has that name or address; list them with "bulkhead workloads"`,
            );
          const at = Date.now();
          const current = blastRadius(
            buildReachGraph(requirePolicy(opts.policy), workloads, { at }),
            workload.name,
            hops,
          );
          const proposed =
            opts.against === undefined
              ? undefined
              : blastRadius(
                  buildReachGraph(requirePolicy(opts.against), workloads, { at }),
                  workload.name,
                  hops,
                );
          const reduction = (r: typeof current): string =>
            r.total === 0 ? '0' : ((1 - r.reached.length / r.total) * 100).toFixed(1);
          const data = {
            workload: workload.name,
            withoutPolicy: current.total,
            current,
            ...(proposed ? { proposed } : {}),
          };
          if (printData(output, data)) return;
          process.stdout.write(
            `${workload.name}: without policy it reaches ${current.total} workloads\n`,
          );
          process.stdout.write(
            `under ${opts.policy}: ${current.reached.length} (${reduction(current)} % fewer)\n`,
          );
          if (proposed)
            process.stdout.write(
              `under ${opts.against!}: ${proposed.reached.length} (${reduction(proposed)} % fewer)\n`,
            );
          if (current.reached.length > 0) {
            process.stdout.write(
              formatTable(
                ['REACHED', 'HOPS', 'VIA', 'RULES'],
                current.reached.map((r) => [r.workload, String(r.hops), r.via, r.rules.join(' ')]),
              ),
            );
          }
        },
      ),
    );

  program
    .command('paths')
    .description('shortest attack paths into a segment, each hop with its rule')
    .argument('<policy>', 'policy file or folder')
    .requiredOption('--to <selector>', 'the target: labels, a workload, segment:NAME…')
    .option('--limit <n>', 'at most this many paths', '20')
    .option('--output <format>', 'table, json or yaml', 'table')
    .action(
      action((path: string, opts: { to: string; limit: string; output: string }, cmd: Command) => {
        const output = parseOutput(opts.output);
        const { graph, policy } = graphFor(path, cmd);
        const paths = attackPaths(
          graph,
          selectorOption(opts.to, policy, '--to'),
          Number(opts.limit) || 20,
        );
        if (printData(output, paths)) return;
        for (const p of paths) {
          process.stdout.write(
            `${p.start}: ${p.hops.map((h) => `→ ${h.to} (${h.services.join(' ')} by ${h.rules.join(', ')})`).join(' ')}\n`,
          );
        }
        process.stdout.write(`${paths.length} paths\n`);
      }),
    );

  const k8s = program
    .command('k8s')
    .description('analyse Kubernetes manifests and their network policies');
  k8s
    .command('connlist')
    .description(
      "the connections the manifests' NetworkPolicies (and ANP/BANP) allow, as src => dst : conns",
    )
    .argument('<dir>', 'folder of manifests (YAML or JSON)')
    .option('--output <format>', 'txt or json', 'txt')
    .action(
      action(async (dir: string, opts: { output: string }) => {
        if (opts.output !== 'txt' && opts.output !== 'json') {
          throw new InputError(`Cannot use --output "${opts.output}": choose txt or json`);
        }
        const result = await connlist(dir);
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (opts.output === 'json') {
          const rows = result.lines
            .map((line) => /^(.*) => (.*) : (.*)$/.exec(line))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => ({ src: m[1], dst: m[2], conn: m[3] }));
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        process.stdout.write(result.lines.join('\n') + (result.lines.length ? '\n' : ''));
      }),
    );
}
