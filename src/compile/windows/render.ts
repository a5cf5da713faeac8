import { CompileError } from '../errors.js';
import { bigIntToAddress, formatAddressRange, mergeIntervals } from '../interval.js';
import type { Direction, EnforcementPlan } from '../plan.js';
import { effectiveAllow, isFullDetail } from './effective.js';
import type { FlowBox } from './effective.js';

/** One `New-NetFirewallRule` the script creates. */
export interface WindowsRule {
  readonly name: string;
  readonly direction: 'Inbound' | 'Outbound';
  /** The policy rule that allows these flows. */
  readonly rule: string;
  readonly protocol: string;
  /** `LocalPort` (inbound) or `RemotePort` (outbound); absent: every port. */
  readonly ports?: string;
  readonly icmpTypes?: readonly string[];
  readonly remoteAddresses: readonly string[];
}

/** The PowerShell script of one workload and the rules it creates. */
export interface WindowsRuleset {
  readonly workload: string;
  readonly script: string;
  readonly rules: readonly WindowsRule[];
  /** What the firewall cannot express exactly, naming the rule. */
  readonly warnings: readonly { readonly rule: string; readonly message: string }[];
}

/** The rule group every Bulkhead rule belongs to; nothing outside it is touched. */
export const WINDOWS_GROUP = 'Bulkhead';

const DIRECTIONS: Record<Direction, 'Inbound' | 'Outbound'> = {
  ingress: 'Inbound',
  egress: 'Outbound',
};

/**
 * Renders one workload's ruleset as an idempotent PowerShell script for Windows Defender
 * Firewall. The firewall has no ordered tiers, and a block rule always beats an allow
 * rule, so the script carries allow rules only: the flows each direction allows after
 * tiers, pass and deny are resolved (`effectiveAllow`), with the profiles' default
 * action (Block in `enforce` mode) as the default deny. The script removes the rules of
 * the group `Bulkhead` that the ruleset no longer has, then replaces each of its rules.
 *
 * @param plan The plan from `buildEnforcementPlan`.
 * @param workloadName The enforcement point to render.
 * @returns The script, its rules and warnings; the same plan gives the same bytes.
 * @throws CompileError when the plan has no such workload.
 */
export function renderWindows(plan: EnforcementPlan, workloadName: string): WindowsRuleset {
  const point = plan.points.find((candidate) => candidate.workload === workloadName);
  if (point === undefined) {
    throw new CompileError(
      `Cannot render Windows Firewall rules for workload "${workloadName}": the plan has no such workload; pass one of the workloads the plan was built for`,
    );
  }
  const warnings: { rule: string; message: string }[] = [];
  const rules: WindowsRule[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const boxes = effectiveAllow(direction === 'ingress' ? point.ingress : point.egress);
    rules.push(...windowsRules(boxes, DIRECTIONS[direction], warnings));
  }
  const block = point.mode === 'enforce' ? 'Block' : 'Allow';
  const lines = [
    `# Bulkhead ruleset for workload ${point.workload.replace(/[^\x20-\x7e]/g, '_')}, mode ${point.mode}. Generated: do not edit.`,
    '#',
    '# Windows Defender Firewall has no ordered tiers and a block rule always wins over an',
    '# allow rule, so this script holds allow rules only: the flows the policy allows after',
    '# its tiers, pass and deny rules are resolved. The default deny is the profiles',
    `# default action (${block} in mode ${point.mode}; test and observe modes cannot log a`,
    '# would-deny here, so they allow by default and log allowed connections instead).',
    '# The firewall is stateful: replies to an allowed connection are allowed.',
    '# Idempotent: rules of the group are replaced by name, stale ones removed.',
    "$ErrorActionPreference = 'Stop'",
    `$group = '${WINDOWS_GROUP}'`,
    `$names = @(${rules.map((rule) => quote(rule.name)).join(', ')})`,
    'Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue |',
    '  Where-Object { $names -notcontains $_.Name } | Remove-NetFirewallRule',
    'function Set-BulkheadRule([hashtable]$Rule) {',
    '  Get-NetFirewallRule -Name $Rule.Name -ErrorAction SilentlyContinue | Remove-NetFirewallRule',
    '  New-NetFirewallRule @Rule -Group $group -Action Allow -Profile Any -Enabled True | Out-Null',
    '}',
    ...rules.map(ruleLine),
    `Set-NetFirewallProfile -Profile Domain, Private, Public -Enabled True -DefaultInboundAction ${block} -DefaultOutboundAction ${block}${block === 'Allow' ? ' -LogAllowed True' : ' -LogBlocked True'}`,
    '',
  ];
  return { workload: point.workload, script: lines.join('\r\n'), rules, warnings };
}

function ruleLine(rule: WindowsRule): string {
  const fields = [
    `Name = ${quote(rule.name)}`,
    `DisplayName = ${quote(`Bulkhead ${rule.rule} (${rule.direction.toLowerCase()})`)}`,
    `Description = ${quote(rule.rule)}`,
    `Direction = '${rule.direction}'`,
    `Protocol = ${quote(rule.protocol)}`,
  ];
  if (rule.ports !== undefined) {
    fields.push(
      `${rule.direction === 'Inbound' ? 'LocalPort' : 'RemotePort'} = ${quote(rule.ports)}`,
    );
  }
  if (rule.icmpTypes !== undefined) {
    fields.push(`IcmpType = @(${rule.icmpTypes.map(quote).join(', ')})`);
  }
  fields.push(`RemoteAddress = @(${rule.remoteAddresses.map(quote).join(', ')})`);
  return `Set-BulkheadRule @{ ${fields.join('; ')} }`;
}

function windowsRules(
  boxes: readonly FlowBox[],
  direction: 'Inbound' | 'Outbound',
  warnings: { rule: string; message: string }[],
): WindowsRule[] {
  const groups = new Map<string, { rule: WindowsRule; boxes: FlowBox[] }>();
  for (const box of boxes) {
    const protocols: number[] | 'any' =
      box.protocol[0] === 0 && box.protocol[1] === 255
        ? 'any'
        : Array.from(
            { length: box.protocol[1] - box.protocol[0] + 1 },
            (_, i) => box.protocol[0] + i,
          );
    for (const protocol of protocols === 'any' ? [-1] : protocols) {
      const shape = ruleShape(protocol, box, warnings);
      if (shape === undefined) continue;
      const key = JSON.stringify([box.rule, shape]);
      const entry = groups.get(key) ?? {
        rule: { ...shape, name: '', direction, rule: box.rule, remoteAddresses: [] },
        boxes: [],
      };
      entry.boxes.push(box);
      groups.set(key, entry);
    }
  }
  const counters = new Map<string, number>();
  return [...groups.values()].map(({ rule, boxes: own }) => {
    const base = `Bulkhead-${direction === 'Inbound' ? 'In' : 'Out'}-${rule.rule.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    const n = (counters.get(base) ?? 0) + 1;
    counters.set(base, n);
    return { ...rule, name: `${base}-${n}`, remoteAddresses: addresses(own) };
  });
}

function ruleShape(
  protocol: number,
  box: FlowBox,
  warnings: { rule: string; message: string }[],
): Pick<WindowsRule, 'protocol' | 'ports' | 'icmpTypes'> | undefined {
  if (protocol === -1) return { protocol: 'Any' };
  if (protocol === 6 || protocol === 17) {
    const first = Math.max(box.detail[0], 1);
    if (isFullDetail(box)) return { protocol: protocol === 6 ? 'TCP' : 'UDP' };
    if (first > box.detail[1]) return undefined;
    const ports = first === box.detail[1] ? String(first) : `${first}-${box.detail[1]}`;
    return { protocol: protocol === 6 ? 'TCP' : 'UDP', ports };
  }
  if (protocol === 1 || protocol === 58) {
    const name = protocol === 1 ? 'ICMPv4' : 'ICMPv6';
    if (isFullDetail(box)) return { protocol: name };
    const types: string[] = [];
    for (let value = box.detail[0]; value <= box.detail[1];) {
      const type = Math.floor(value / 256);
      if (value % 256 === 0 && value + 255 <= box.detail[1]) {
        types.push(String(type));
        value += 256;
      } else {
        types.push(`${type}:${value % 256}`);
        value += 1;
      }
    }
    return { protocol: name, icmpTypes: types };
  }
  if (!isFullDetail(box)) {
    warnings.push({
      rule: box.rule,
      message: `Rule "${box.rule}" allows protocol ${protocol} on some ports only, which Windows Firewall cannot express (ports for TCP and UDP only): those flows are left out`,
    });
    return undefined;
  }
  return { protocol: String(protocol) };
}

function addresses(boxes: readonly FlowBox[]): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const merged = mergeIntervals(
      boxes
        .filter((box) => box.family === family)
        .map((box) => ({ first: box.address[0], last: box.address[1] })),
    );
    for (const interval of merged) {
      out.push(
        formatAddressRange({
          first: bigIntToAddress(interval.first, family),
          last: bigIntToAddress(interval.last, family),
        }),
      );
    }
  }
  return out;
}

/** A PowerShell single-quoted string. */
function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
