import { hasPorts, isIcmp, protocolName } from '../domain/index.js';
import type { Policy, ServiceEntry } from '../domain/index.js';

/** One concrete protocol, port (ICMP: type) and ICMP code a policy test asks about. */
export interface Probe {
  readonly protocol: number;
  readonly port: number;
  readonly icmpCode?: number;
  /** The probe as a service spec, for messages: `tcp/5432`, `icmp/3/4`. */
  readonly text: string;
}

/**
 * The probes that decide a service entry exactly. A verdict can change only where some
 * rule's port range starts or ends, or at a type or code some rule names, so probing
 * the start of the tested range plus every such boundary inside it covers every port,
 * type and code without enumerating 65535 ports.
 */
export function serviceProbes(policy: Policy, entry: ServiceEntry): Probe[] {
  const entries = policy.tiers.flatMap((tier) =>
    tier.rules.flatMap((rule) => (rule.services === 'any' ? [] : rule.services)),
  );
  if (entry.protocol === 'any') {
    return protocolsToProbe(entries).flatMap((protocol) => probesOf(entries, { protocol }));
  }
  return probesOf(entries, { ...entry, protocol: entry.protocol });
}

function protocolsToProbe(entries: readonly ServiceEntry[]): number[] {
  const named = new Set(
    entries.flatMap((entry) => (entry.protocol === 'any' ? [] : [entry.protocol])),
  );
  const unnamed = [6, 17, 47, 1].find((protocol) => !named.has(protocol));
  return [...[...named].sort((a, b) => a - b), ...(unnamed === undefined ? [] : [unnamed])];
}

function probesOf(
  entries: readonly ServiceEntry[],
  entry: ServiceEntry & { protocol: number },
): Probe[] {
  const { protocol } = entry;
  const name = protocolName(protocol);
  const same = entries.filter((other) => other.protocol === protocol);

  if (hasPorts(protocol)) {
    const ranges = entry.ports ?? [{ first: 1, last: 65535 }];
    const bounds = same.flatMap((other) =>
      (other.ports ?? []).flatMap((range) => [range.first, range.last + 1]),
    );
    return ranges.flatMap((range) =>
      unique([
        range.first,
        ...bounds.filter((port) => port > range.first && port <= range.last),
      ]).map((port) => ({
        protocol,
        port,
        text: `${name}/${port}`,
      })),
    );
  }
  if (isIcmp(protocol)) return icmpProbes(same, entry, name);
  return [{ protocol, port: 0, text: name }];
}

function icmpProbes(
  same: readonly ServiceEntry[],
  entry: ServiceEntry & { protocol: number },
  name: string,
): Probe[] {
  const types =
    entry.icmpType === undefined
      ? withUnnamed(same.map((other) => other.icmpType))
      : [entry.icmpType];
  return types.flatMap((type) => {
    const named = same.filter((other) => other.icmpType === type).map((other) => other.icmpCode);
    const codes = entry.icmpCode === undefined ? withUnnamed(named) : [entry.icmpCode];
    return codes.map((code) => ({
      protocol: entry.protocol,
      port: type,
      icmpCode: code,
      text: `${name}/${type}/${code}`,
    }));
  });
}

/** The numbers named (0–255), sorted, plus the lowest one not named. */
function withUnnamed(named: readonly (number | undefined)[]): number[] {
  const set = new Set(named.filter((value) => value !== undefined));
  let free = 0;
  while (set.has(free) && free < 255) free++;
  return unique([...[...set].sort((a, b) => a - b), free]);
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}
