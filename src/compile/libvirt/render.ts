import { CompileError } from '../errors.js';
import { bigIntToAddress, formatAddressRange } from '../interval.js';
import { rangeToPrefixes } from '../iptables/prefixes.js';
import type { EnforcementPlan } from '../plan.js';
import { effectiveAllow, isFullDetail } from '../windows/effective.js';
import type { FlowBox } from '../windows/effective.js';

/** Options of {@link renderNwfilter}. */
export interface NwfilterOptions {
  /** The filter name; `bulkhead-<workload>` by default. */
  readonly name?: string;
}

const ELEMENTS: Record<4 | 6, Record<number, string>> = {
  4: { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' },
  6: { 58: 'icmpv6', 6: 'tcp-ipv6', 17: 'udp-ipv6', 132: 'sctp-ipv6' },
};

/**
 * Renders one virtual machine interface's filter as libvirt nwfilter XML, so a KVM host
 * filters a guest without anything inside it. nwfilter rules are not tiered: they run by
 * `priority` and the first `accept` or `drop` ends the chain. IP rules match connection
 * state by default (`statematch`), so the replies of an accepted connection are accepted.
 * The filter holds IPv6 neighbour discovery first, then the
 * flows each direction allows after tiers, pass and deny are resolved (`effectiveAllow`),
 * then the default: `drop` in enforce mode, `accept` in test and observe (nwfilter cannot
 * log a would-deny). `direction='in'` is traffic to the guest, `out` from it.
 *
 * @param plan The plan from `buildEnforcementPlan`.
 * @param workloadName The virtual machine.
 * @param options The filter name.
 * @returns The XML, byte for byte the same for the same plan.
 * @throws CompileError when the plan has no such workload.
 */
export function renderNwfilter(
  plan: EnforcementPlan,
  workloadName: string,
  options: NwfilterOptions = {},
): string {
  const point = plan.points.find((candidate) => candidate.workload === workloadName);
  if (point === undefined) {
    throw new CompileError(
      `Cannot render an nwfilter for workload "${workloadName}": the plan has no such workload; pass one of the workloads the plan was built for`,
    );
  }
  const name = options.name ?? `bulkhead-${point.workload.replace(/[^A-Za-z0-9_.:-]/g, '_')}`;
  const rules: string[] = [
    ...[133, 134, 135, 136].map((type) =>
      rule('accept', 'inout', -800, `<icmpv6 type='${type}'/>`),
    ),
  ];
  let priority = -500;
  for (const [direction, tiers] of [
    ['in', point.ingress],
    ['out', point.egress],
  ] as const) {
    for (const box of effectiveAllow(tiers)) {
      for (const element of boxElements(box, direction)) {
        rules.push(rule('accept', direction, Math.min(priority++, 800), element, box.rule));
      }
    }
  }
  const fallback = point.mode === 'enforce' ? 'drop' : 'accept';
  rules.push(rule(fallback, 'inout', 900, '<all/>', 'default'));
  rules.push(rule(fallback, 'inout', 900, '<all-ipv6/>', 'default'));
  return [
    `<!-- Bulkhead filter for workload ${comment(point.workload)}, mode ${point.mode}. Generated: do not edit. -->`,
    `<filter name='${attribute(name)}' chain='root'>`,
    ...rules,
    '</filter>',
    '',
  ].join('\n');
}

function rule(
  action: 'accept' | 'drop',
  direction: 'in' | 'out' | 'inout',
  priority: number,
  element: string,
  ruleId?: string,
): string {
  const note = ruleId === undefined ? '' : `  <!-- ${comment(ruleId)} -->\n`;
  return `${note}  <rule action='${action}' direction='${direction}' priority='${priority}'>\n    ${element}\n  </rule>`;
}

/** One XML element per protocol of a box (protocol ranges are listed one by one). */
function boxElements(box: FlowBox, direction: 'in' | 'out'): string[] {
  const peer = peerAttributes(box, direction === 'in' ? 'src' : 'dst');
  if (box.protocol[0] === 0 && box.protocol[1] === 255) {
    return [`<${box.family === 4 ? 'all' : 'all-ipv6'}${peer}/>`];
  }
  const out: string[] = [];
  for (let protocol = box.protocol[0]; protocol <= box.protocol[1]; protocol++) {
    const element = ELEMENTS[box.family][protocol];
    if (element === undefined) {
      // Other protocols only at the ethernet layer, which has no connection state.
      // That layer takes prefixes only (no ranges).
      const layer = box.family === 4 ? 'ip' : 'ipv6';
      const side = direction === 'in' ? 'src' : 'dst';
      const range = {
        first: bigIntToAddress(box.address[0], box.family),
        last: bigIntToAddress(box.address[1], box.family),
      };
      for (const prefix of rangeToPrefixes(range)) {
        const [address = '', length = ''] = prefix.split('/');
        const full = length === '0' ? '' : ` ${side}ipaddr='${address}' ${side}ipmask='${length}'`;
        out.push(`<${layer}${full} protocol='${protocol}'/>`);
      }
    } else if (element.startsWith('icmp')) {
      out.push(...icmpDetails(box).map((detail) => `<${element}${peer}${detail}/>`));
    } else {
      const first = Math.max(box.detail[0], 1);
      const ports = isFullDetail(box)
        ? ''
        : ` dstportstart='${first}'${first === box.detail[1] ? '' : ` dstportend='${box.detail[1]}'`}`;
      out.push(`<${element}${peer}${ports}/>`);
    }
  }
  return out;
}

function peerAttributes(box: FlowBox, side: 'src' | 'dst'): string {
  const text = formatAddressRange({
    first: bigIntToAddress(box.address[0], box.family),
    last: bigIntToAddress(box.address[1], box.family),
  });
  if (text === '0.0.0.0/0' || text === '::/0') return '';
  const slash = text.indexOf('/');
  if (slash > 0) {
    return ` ${side}ipaddr='${text.slice(0, slash)}' ${side}ipmask='${text.slice(slash + 1)}'`;
  }
  const dash = text.indexOf('-');
  if (dash > 0)
    return ` ${side}ipfrom='${text.slice(0, dash)}' ${side}ipto='${text.slice(dash + 1)}'`;
  return ` ${side}ipaddr='${text}'`;
}

function icmpDetails(box: FlowBox): string[] {
  if (isFullDetail(box)) return [''];
  const out: string[] = [];
  for (let value = box.detail[0]; value <= box.detail[1];) {
    const type = Math.floor(value / 256);
    if (value % 256 === 0 && value + 255 <= box.detail[1]) {
      out.push(` type='${type}'`);
      value += 256;
    } else {
      out.push(` type='${type}' code='${value % 256}'`);
      value += 1;
    }
  }
  return out;
}

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
}

/** Text safe inside an XML comment (no `--`, printable ASCII). */
function comment(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '_').replace(/-{2,}/g, '-');
}
