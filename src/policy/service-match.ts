import { hasPorts, isIcmp } from '../domain/index.js';
import type { FlowQuestion, Rule, ServiceEntry } from '../domain/index.js';

/**
 * Whether a service entry matches the protocol and port of a question. For ICMP the
 * question's port is the type; an entry with a code matches only a question that carries
 * that code, so a flow whose code is unknown never matches a code-specific entry.
 */
export function entryMatches(entry: ServiceEntry, question: FlowQuestion): boolean {
  if (entry.protocol === 'any') return true;
  if (entry.protocol !== question.protocol) return false;

  if (isIcmp(entry.protocol)) {
    if (entry.icmpType === undefined) return true;
    if (entry.icmpType !== question.port) return false;
    return entry.icmpCode === undefined || entry.icmpCode === question.icmpCode;
  }
  if (hasPorts(entry.protocol) && entry.ports !== undefined) {
    return entry.ports.some((range) => range.first <= question.port && question.port <= range.last);
  }
  return true;
}

/** Whether any of a rule's services matches the question. */
export function servicesMatch(services: Rule['services'], question: FlowQuestion): boolean {
  return services === 'any' || services.some((entry) => entryMatches(entry, question));
}
