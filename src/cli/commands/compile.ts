import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Command } from 'commander';

import { renderAws } from '../../compile/aws/index.js';
import { renderCalico } from '../../compile/calico/index.js';
import { checkCapacity } from '../../compile/capacity/index.js';
import type { CapacityFinding } from '../../compile/capacity/index.js';
import { renderCilium } from '../../compile/cilium/index.js';
import { renderGateway } from '../../compile/gateway/index.js';
import { buildEnforcementPlan, renderNftables } from '../../compile/index.js';
import type { EnforcementPlan } from '../../compile/index.js';
import { renderIptables } from '../../compile/iptables/index.js';
import { buildGroupPlan, renderKubernetes } from '../../compile/k8s/index.js';
import type { TargetNote } from '../../compile/k8s/index.js';
import { renderNwfilter } from '../../compile/libvirt/index.js';
import { renderWindows } from '../../compile/windows/index.js';
import { InputError } from '../../domain/index.js';
import type { Cidr, Policy, Selector, Workload } from '../../domain/index.js';
import { selectsWorkload } from '../../policy/index.js';
import { isOutsideWorkload } from '../../recommend/index.js';
import { formatTable, parseOutput, printData } from '../output.js';
import { requirePolicy } from '../policy-files.js';
import { action } from '../run.js';
import { findWorkspace, openWorkspaceStore, readInternal } from '../workspace.js';
import { selectorOption } from './analyze.js';
import { workspaceOf } from './discover.js';

/** Targets `compile` renders. */
export const TARGETS = [
  'nftables',
  'iptables',
  'windows',
  'gateway',
  'libvirt',
  'k8s',
  'cilium',
  'calico',
  'aws',
] as const;
export type Target = (typeof TARGETS)[number];

/** One file written, with the hash that evidence refers to. */
export interface CompiledFile {
  readonly workload: string;
  readonly file: string;
  readonly mode: string;
  readonly rules: number;
  readonly sha256: string;
}

/** What a compile wrote, and what the target could not express or hold. */
export interface CompileResult {
  readonly files: string[];
  readonly compiled: CompiledFile[];
  readonly warnings: string[];
  readonly errors: string[];
}

/** File name for a workload's ruleset: its name with anything unsafe replaced. */
function safeName(workload: string): string {
  return workload.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Workloads that are enforcement points: all but outside addresses seen only in flows. */
export function enforcementWorkloads(
  workloads: readonly Workload[],
  internal: readonly Cidr[],
): Workload[] {
  return workloads.filter((w) => !isOutsideWorkload(w, internal));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function notes(list: readonly TargetNote[]): string[] {
  return list.map((n) => (n.rule === null ? n.message : `rule ${n.rule}: ${n.message}`));
}

function capacity(
  findings: readonly CapacityFinding[],
  result: { warnings: string[]; errors: string[] },
): void {
  for (const f of findings)
    (f.severity === 'error' ? result.errors : result.warnings).push(f.message);
}

/**
 * Compiles a policy for every enforcement point (or the ones `only` selects) and writes
 * the target's files, plus `manifest.json` with each file's SHA-256. Capacity limits are
 * checked before anything is written: a target that cannot hold the policy gets nothing.
 */
export function compileToDir(options: {
  readonly policy: Policy;
  readonly workloads: readonly Workload[];
  readonly internal: readonly Cidr[];
  readonly target: Target;
  readonly outDir: string;
  readonly only?: Selector;
}): CompileResult {
  const { policy, workloads, target, outDir } = options;
  const at = Date.now();
  const points = enforcementWorkloads(workloads, options.internal).filter(
    (w) => options.only === undefined || selectsWorkload(policy, options.only, w),
  );
  const result: CompileResult = { files: [], compiled: [], warnings: [], errors: [] };
  const outputs: { workload: string; file: string; text: string; mode: string; rules: number }[] =
    [];

  if (target === 'k8s' || target === 'cilium' || target === 'calico' || target === 'aws') {
    const plan = buildGroupPlan(policy, workloads, { at });
    const rules = plan.tiers.reduce((n, t) => n + t.rules.length, 0);
    if (target === 'aws') {
      const aws = renderAws(plan);
      result.warnings.push(...notes(aws.warnings));
      result.errors.push(...notes(aws.errors));
      capacity(checkCapacity('aws', aws), result);
      outputs.push({
        workload: '(cloud)',
        file: 'aws.json',
        text: JSON.stringify(aws, null, 2) + '\n',
        mode: 'enforce',
        rules,
      });
    } else {
      const rendered =
        target === 'k8s'
          ? renderKubernetes(plan)
          : target === 'cilium'
            ? renderCilium(plan)
            : renderCalico(plan);
      result.warnings.push(...notes(rendered.warnings));
      if (target === 'cilium') capacity(checkCapacity('cilium', plan), result);
      outputs.push({
        workload: '(cluster)',
        file: `cluster.${target}.yaml`,
        text: rendered.text,
        mode: 'enforce',
        rules,
      });
    }
  } else {
    const plan = buildEnforcementPlan(policy, workloads, { at });
    if (target === 'gateway') {
      const hosts = points.map((w) => w.name);
      outputs.push({
        workload: '(gateway)',
        file: 'router.gateway.nft',
        text: renderGateway(plan, hosts),
        mode: 'enforce',
        rules: countRules(plan, hosts),
      });
    } else {
      const wanted = new Set(points.map((w) => w.name));
      for (const point of plan.points) {
        if (!wanted.has(point.workload)) continue;
        const rules = [...point.ingress, ...point.egress].reduce((n, t) => n + t.rules.length, 0);
        const base = safeName(point.workload);
        outputs.push(
          ...renderHost(plan, point.workload, target, base, result).map((o) => ({
            ...o,
            workload: point.workload,
            mode: point.mode,
            rules,
          })),
        );
      }
    }
  }

  if (result.errors.length > 0) return result;
  mkdirSync(outDir, { recursive: true });
  for (const o of outputs) {
    writeFileSync(join(outDir, o.file), o.text);
    result.files.push(o.file);
    result.compiled.push({
      workload: o.workload,
      file: o.file,
      mode: o.mode,
      rules: o.rules,
      sha256: sha256(o.text),
    });
  }
  writeFileSync(
    join(outDir, 'manifest.json'),
    JSON.stringify({ target, rulesets: result.compiled, warnings: result.warnings }, null, 2) +
      '\n',
  );
  return result;
}

function countRules(plan: EnforcementPlan, workloads: readonly string[]): number {
  const wanted = new Set(workloads);
  return plan.points
    .filter((p) => wanted.has(p.workload))
    .reduce((n, p) => n + [...p.ingress, ...p.egress].reduce((m, t) => m + t.rules.length, 0), 0);
}

function renderHost(
  plan: EnforcementPlan,
  workload: string,
  target: Exclude<Target, 'k8s' | 'cilium' | 'calico' | 'aws' | 'gateway'>,
  base: string,
  result: { warnings: string[]; errors: string[] },
): { file: string; text: string }[] {
  switch (target) {
    case 'nftables':
      return [{ file: `${base}.nft`, text: renderNftables(plan, workload) }];
    case 'iptables': {
      const rules = renderIptables(plan, workload);
      capacity(checkCapacity('iptables', rules), result);
      return [
        { file: `${base}.ipset`, text: rules.ipset },
        { file: `${base}.iptables`, text: rules.iptables },
        { file: `${base}.ip6tables`, text: rules.ip6tables },
      ];
    }
    case 'windows': {
      const rules = renderWindows(plan, workload);
      result.warnings.push(
        ...rules.warnings.map(
          (w) => `${workload}: ${typeof w === 'string' ? w : JSON.stringify(w)}`,
        ),
      );
      capacity(checkCapacity('windows', rules), result);
      return [{ file: `${base}.ps1`, text: rules.script }];
    }
    case 'libvirt':
      return [{ file: `${base}.nwfilter.xml`, text: renderNwfilter(plan, workload) }];
  }
}

/** `compile`. */
export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description(
      'compile a policy for an enforcement target: one ruleset per workload, or per cluster or cloud',
    )
    .argument('<policy>', 'policy file or folder')
    .requiredOption('--target <target>', `enforcement target: ${TARGETS.join(', ')}`)
    .requiredOption('--out <dir>', 'folder to write the rulesets to')
    .option(
      '--for <selector>',
      'only these workloads (labels app=web, a name, segment:NAME…); for gateway, the hosts behind it',
    )
    .option('--output <format>', 'table, json or yaml (the summary)', 'table')
    .action(
      action(
        (
          path: string,
          opts: { target: string; out: string; for?: string; output: string },
          cmd: Command,
        ) => {
          const output = parseOutput(opts.output);
          if (!(TARGETS as readonly string[]).includes(opts.target)) {
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
          const only =
            opts.for === undefined ? undefined : selectorOption(opts.for, policy, '--for');
          const result = compileToDir({
            policy,
            workloads,
            internal,
            target: opts.target as Target,
            outDir: opts.out,
            ...(only ? { only } : {}),
          });
          for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
          for (const error of result.errors) process.stderr.write(`error: ${error}\n`);
          if (result.errors.length > 0) {
            process.stderr.write(
              `Nothing written: the ${opts.target} target cannot hold or express this policy as it is\n`,
            );
            return 1;
          }
          if (printData(output, result)) return 0;
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
            `${result.compiled.length} files written to ${opts.out} (manifest.json lists their hashes)\n`,
          );
          return 0;
        },
      ),
    );
}
