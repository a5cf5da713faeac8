import { readFileSync, writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { toBulkheadPolicy } from '../../analyze/k8s/index.js';
import { InputError } from '../../domain/index.js';
import { connlist } from '../../ingest/k8s/index.js';
import { compileTailscaleFilters, importTailscale } from '../../policy/tailscale/index.js';
import type { TailscaleNode } from '../../policy/tailscale/index.js';
import { action } from '../run.js';
import { readText } from './label.js';

function readNodes(file: string): TailscaleNode[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(
      `Cannot read nodes: ${(error as Error).message}; give a JSON list of {name, user, tags, ipv4, ipv6, routes}`,
      { file },
      { cause: error },
    );
  }
  if (!Array.isArray(value))
    throw new InputError(
      'Cannot read nodes: expected a JSON list of {name, user, tags, ipv4, ipv6, routes}',
      { file },
    );
  return value.map((item: unknown, index): TailscaleNode => {
    const node = item as Partial<Record<keyof TailscaleNode, unknown>>;
    if (typeof node.name !== 'string')
      throw new InputError(`Cannot read nodes[${index}]: "name" must be a string`, { file });
    const tags = Array.isArray(node.tags)
      ? node.tags.filter((t): t is string => typeof t === 'string')
      : [];
    const routes = Array.isArray(node.routes)
      ? node.routes.filter((t): t is string => typeof t === 'string')
      : undefined;
    return {
      name: node.name,
      tags,
      ...(typeof node.user === 'string' ? { user: node.user } : {}),
      ...(typeof node.ipv4 === 'string' ? { ipv4: node.ipv4 } : {}),
      ...(typeof node.ipv6 === 'string' ? { ipv6: node.ipv6 } : {}),
      ...(routes ? { routes } : {}),
    };
  });
}

/** `import tailscale`. */
export function registerImport(program: Command): void {
  const importer = program
    .command('import')
    .description("convert another tool's policy into a Bulkhead policy");
  importer
    .command('tailscale')
    .description(
      'a Tailscale policy file (HuJSON) → Bulkhead policy; with --nodes, the per-node allow sets too',
    )
    .argument('<file>', 'Tailscale policy file')
    .option('--nodes <file>', 'JSON list of nodes: {name, user, tags, ipv4, ipv6, routes}')
    .option('--out <file>', 'write the Bulkhead policy here instead of standard output')
    .option(
      '--filters <file>',
      "with --nodes: write each node's compiled packet filter as JSON here",
    )
    .action(
      action((file: string, opts: { nodes?: string; out?: string; filters?: string }) => {
        const nodes = opts.nodes === undefined ? undefined : readNodes(opts.nodes);
        const result = importTailscale(readText(file), file, nodes);
        if (!result.ok) {
          for (const error of result.errors) {
            process.stderr.write(
              `${file}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}\n`,
            );
          }
          return 2;
        }
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (opts.out === undefined) process.stdout.write(result.policyYaml);
        else writeFileSync(opts.out, result.policyYaml);
        if (opts.filters !== undefined) {
          if (!nodes)
            throw new InputError(
              'Cannot write --filters without --nodes: the filters are per node',
            );
          const filters = Object.fromEntries(
            nodes.map((n) => [n.name, compileTailscaleFilters(result, n.name)]),
          );
          writeFileSync(opts.filters, JSON.stringify(filters, null, 2) + '\n');
        }
        return 0;
      }),
    );

  importer
    .command('k8s')
    .description(
      'Kubernetes NetworkPolicies (and ANP/BANP) in a folder of manifests → Bulkhead policy',
    )
    .argument('<dir>', 'folder of manifests (YAML or JSON)')
    .option('--out <file>', 'write the Bulkhead policy here instead of standard output')
    .option('--workloads <file>', 'write the imported workloads (JSON) here')
    .action(
      action(async (dir: string, opts: { out?: string; workloads?: string }) => {
        const imported = toBulkheadPolicy(await connlist(dir));
        for (const warning of imported.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (opts.out === undefined) process.stdout.write(imported.policyYaml);
        else writeFileSync(opts.out, imported.policyYaml);
        if (opts.workloads !== undefined)
          writeFileSync(opts.workloads, JSON.stringify(imported.workloads, null, 2) + '\n');
        return 0;
      }),
    );
}
