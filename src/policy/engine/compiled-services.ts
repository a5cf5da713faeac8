import { hasPorts, isIcmp } from '../../domain/index.js';
import type { FlowQuestion, PortRange, Rule, ServiceEntry } from '../../domain/index.js';

/**
 * A rule's services, ready to test against a question: the same cases as
 * `service-match.ts`, read from plain fields instead of optional ones.
 */
export interface CompiledServices {
  readonly all: boolean;
  readonly entries: readonly CompiledEntry[];
}

/** One service entry of a rule, with absent fields made explicit. */
export interface CompiledEntry {
  readonly protocol: number;
  /** Port protocols: the ranges; null when every port matches. */
  readonly ports: readonly PortRange[] | null;
  readonly icmp: boolean;
  /** ICMP: -1 when every type matches. */
  readonly icmpType: number;
  /** ICMP: -1 when every code matches. */
  readonly icmpCode: number;
}

/** Compiles `services:` of a rule. */
export function compileServices(services: Rule['services']): CompiledServices {
  if (services === 'any' || services.some((entry) => entry.protocol === 'any')) {
    return { all: true, entries: [] };
  }
  return { all: false, entries: services.map(compileEntry) };
}

function compileEntry(entry: ServiceEntry): CompiledEntry {
  const protocol = entry.protocol as number;
  return {
    protocol,
    ports: hasPorts(protocol) && entry.ports !== undefined ? entry.ports : null,
    icmp: isIcmp(protocol),
    icmpType: entry.icmpType ?? -1,
    icmpCode: entry.icmpCode ?? -1,
  };
}

/** Whether compiled services match the protocol, port, ICMP type and code of a question. */
export function servicesHold(services: CompiledServices, question: FlowQuestion): boolean {
  return servicesHoldFor(services, question.protocol, question.port, question.icmpCode);
}

/**
 * Whether compiled services match a protocol and port (for ICMP the type), and an ICMP code
 * when one is known.
 */
export function servicesHoldFor(
  services: CompiledServices,
  protocol: number,
  port: number,
  icmpCode: number | undefined,
): boolean {
  if (services.all) return true;
  const entries = services.entries;
  for (let index = 0; index < entries.length; index++) {
    if (entryHolds(entries[index]!, protocol, port, icmpCode)) return true;
  }
  return false;
}

function entryHolds(
  entry: CompiledEntry,
  protocol: number,
  port: number,
  icmpCode: number | undefined,
): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.icmp) {
    if (entry.icmpType < 0) return true;
    if (entry.icmpType !== port) return false;
    return entry.icmpCode < 0 || entry.icmpCode === icmpCode;
  }
  const ports = entry.ports;
  if (ports === null) return true;
  for (let index = 0; index < ports.length; index++) {
    const range = ports[index]!;
    if (range.first <= port && port <= range.last) return true;
  }
  return false;
}
