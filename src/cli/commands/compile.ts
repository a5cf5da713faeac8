import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Command } from 'commander';

import { buildEnforcementPlan, renderNftables } from '../../compile/index.js';
import { InputError } from '../../domain/index.js';
import type { Cidr, Policy, Workload } from '../../domain/index.js';
import { isOutsideWorkload } from '../../recommend/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { requirePolicy } from '../policy-files.js';
import { action } from '../run.js';
import { findWorkspace, openWorkspaceStore, readInternal } from '../workspace.js';
import { workspaceOf } from './discover.js';

/** Targets `compile` renders today. */
export const TARGETS = ['nftables'] as const;
export type Target = (typeof TARGETS)[number];

/** One ruleset written, with the hash that evidence refers to. */
export interface CompiledFile {
  readonly workload: string;
  readonly file: string;
  readonly mode: string;
  readonly rules: number;
  readonly sha256: string;
}

/** File name for a workload's ruleset: its name with anything unsafe replaced. */
function fileNameOf(workload: string, target: Target): string {
  const safe = workload.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe}.${target === 'nftables' ? 'nft' : target}`;
}

/** Workloads that are enforcement points: all but outside addresses seen only in flows. */
export function enforcementWorkloads(
  workloads: readonly Workload[],
  internal: readonly Cidr[],
): Workload[] {
  return workloads.filter((w) => !isOutsideWorkload(w, internal));
}

/**
 * Compiles a policy for every enforcement point and writes one ruleset per workload, plus
 * `manifest.json` with each file's SHA-256.
 */
export function compileToDir(options: {
  readonly policy: Policy;
  readonly workloads: readonly Workload[];
  readonly internal: readonly Cidr[];
  readonly target: Target;
  readonly outDir: string;
}): { files: string[]; compiled: CompiledFile[] } {
  const { policy, workloads, target, outDir } = options;
  const plan = buildEnforcementPlan(policy, workloads, { at: Date.now() });
  const points = new Set(enforcementWorkloads(workloads, options.internal).map((w) => w.name));
  mkdirSync(outDir, { recursive: true });

  const compiled: CompiledFile[] = [];
  for (const point of plan.points) {
    if (!points.has(point.workload)) continue;
    const text = renderNftables(plan, point.workload);
    const file = fileNameOf(point.workload, target);
    writeFileSync(join(outDir, file), text);
    const rules = [...point.ingress, ...point.egress].reduce((n, tier) => n + tier.rules.length, 0);
    compiled.push({
      workload: point.workload,
      file,
      mode: point.mode,
      rules,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  }
  writeFileSync(
    join(outDir, 'manifest.json'),
    JSON.stringify({ target, rulesets: compiled }, null, 2) + '\n',
  );
  return { files: compiled.map((c) => c.file), compiled };
}

/** `compile`. */
export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile a policy into one ruleset per workload for an enforcement target')
    .argument('<policy>', 'policy file or folder')
    .requiredOption('--target <target>', `enforcement target: ${TARGETS.join(', ')}`)
    .requiredOption('--out <dir>', 'folder to write the rulesets to')
    .option('--output <format>', 'table, json or yaml (the summary)', 'table')
    .action(
      action(
        (path: string, opts: { target: string; out: string; output: string }, cmd: Command) => {
          const output = parseOutput(opts.output);
          if (!(TARGETS as readonly string[]).includes(opts.target)) {
            // TODO(#7): iptables, windows, gateway, libvirt, k8s, cilium, calico and aws targets.
            throw new InputError(
              `Cannot compile for target "${opts.target}": supported targets are ${TARGETS.join(', ')}`,
            );
          }
          const policy = requirePolicy(path);
          const store = openWorkspaceStore(findWorkspace(workspaceOf(cmd)));
          const { workloads, internal } = (() => {
            try {
              return { workloads: store.listWorkloads(), internal: readInternal(store) };
            } finally {
              store.close();
            }
          })();
          const result = compileToDir({
            policy,
            workloads,
            internal,
            target: opts.target as Target,
            outDir: opts.out,
          });
          if (printData(output, result.compiled)) return;
          process.stdout.write(
            formatTable(
              ['WORKLOAD', 'MODE', 'RULES', 'FILE', 'SHA-256'],
              result.compiled.map((c) => [
                c.workload,
                c.mode,
                String(c.rules),
                c.file,
                c.sha256.slice(0, 16),
              ]),
            ),
          );
          process.stdout.write(
            `${result.compiled.length} rulesets written to ${opts.out} (manifest.json lists their hashes)\n`,
          );
        },
      ),
    );
}
