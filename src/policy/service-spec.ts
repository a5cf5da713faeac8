import { hasPorts, isIcmp, protocolNumber } from '../domain/index.js';
import type { Policy, PortRange, ServiceEntry } from '../domain/index.js';

import type { PolicyIssueCode } from './issue.js';
import { knownNames } from './name.js';
import { problemMessage } from './problem.js';
import type { Problem } from './problem.js';

/** The outcome of reading one service text: entries, a name to look up, or a problem. */
export type SpecReading =
  | { readonly kind: 'entries'; readonly entries: readonly ServiceEntry[] }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'problem'; readonly problem: Problem };

/** Outcome of parsing a service given by a user. */
export type ServiceSpecResult =
  | { readonly ok: true; readonly entries: readonly ServiceEntry[] }
  | { readonly ok: false; readonly code: PolicyIssueCode; readonly message: string };

const PROTOCOLS_HINT =
  'known protocols are tcp, udp, sctp, icmp, icmpv6 or a protocol number from 0 to 255';

/**
 * Parses a service as written on the command line or in a policy test: `tcp/443`,
 * `tcp/49152-65535`, `udp`, `icmp/8`, `icmp/3/4`, `icmpv6/128`, `any`, or, when a policy
 * is given, the name of one of its services.
 *
 * @param text The service text.
 * @param policy The policy whose service names may be used.
 * @returns The entries, or a message that names the value and the fix; never throws.
 * @example
 * parseServiceSpec('tcp/443'); // { ok: true, entries: [{ protocol: 6, ports: [{ first: 443, last: 443 }] }] }
 */
export function parseServiceSpec(text: string, policy?: Policy): ServiceSpecResult {
  const reading = readServiceText(text);
  switch (reading.kind) {
    case 'entries':
      return { ok: true, entries: reading.entries };
    case 'problem':
      return {
        ok: false,
        code: reading.problem.code,
        message: problemMessage(reading.problem, ''),
      };
    case 'name': {
      const entries = policy?.services.get(reading.name);
      if (entries !== undefined) return { ok: true, entries };
      const known =
        policy === undefined ? 'no policy was given' : knownNames(policy.services.keys());
      const message = `Cannot find service "${text}": it is not a protocol spec such as tcp/443 and not a service name; ${known}`;
      return { ok: false, code: 'unknown_service', message };
    }
  }
}

/**
 * Reads a service text: a protocol spec becomes entries; anything that does not start with
 * a protocol is taken as a service name for the caller to look up.
 */
export function readServiceText(raw: string): SpecReading {
  const text = raw.trim();
  if (text === '') {
    return problem('invalid_service', raw, 'it is empty; write a spec such as tcp/443');
  }
  if (text.toLowerCase() === 'any') return { kind: 'entries', entries: [{ protocol: 'any' }] };

  const parts = text.split('/');
  const head = parts[0] ?? '';
  const protocol = protocolNumber(head);
  if (protocol === undefined) {
    if (parts.length === 1 && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(text)) {
      return { kind: 'name', name: text };
    }
    return problem('unknown_protocol', raw, `"${head}" is not a protocol; ${PROTOCOLS_HINT}`);
  }

  const rest = parts.slice(1);
  if (isIcmp(protocol)) return readIcmp(raw, protocol, rest);
  if (hasPorts(protocol)) return readPorts(raw, protocol, rest);
  if (rest.length > 0) {
    return problem('invalid_service', raw, `protocol ${head} has no ports; write ${head}`);
  }
  return { kind: 'entries', entries: [{ protocol }] };
}

function readPorts(raw: string, protocol: number, rest: readonly string[]): SpecReading {
  if (rest.length === 0) return { kind: 'entries', entries: [{ protocol }] };
  const name = raw.trim().split('/')[0] ?? '';
  if (rest.length > 1) {
    return problem(
      'invalid_service',
      raw,
      `write one port or range after the protocol, such as ${name}/443 or ${name}/8000-8080`,
    );
  }

  const range = readPortRange(rest[0] ?? '');
  if ('code' in range) return { kind: 'problem', problem: range };
  return { kind: 'entries', entries: [{ protocol, ports: [range] }] };
}

/** Parses `443` or `8000-8080` into a port range of ports 1–65535. */
export function readPortRange(text: string): PortRange | Problem {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (match === null) {
    return {
      code: 'invalid_service',
      doing: 'parse port range',
      value: text,
      problem: 'write a port such as 443 or a range such as 8000-8080',
    };
  }

  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  for (const port of [first, last]) {
    if (port < 1 || port > 65535) {
      const problem = `port ${port} is out of range; ports run from 1 to 65535`;
      return { code: 'port_out_of_range', doing: 'parse port range', value: text, problem };
    }
  }
  if (first > last) {
    const problem = `first port is greater than last port; write "${last}-${first}"`;
    return { code: 'reversed_port_range', doing: 'parse port range', value: text, problem };
  }
  return { first, last };
}

function readIcmp(raw: string, protocol: number, rest: readonly string[]): SpecReading {
  const name = raw.trim().split('/')[0] ?? 'icmp';
  if (rest.length === 0) return { kind: 'entries', entries: [{ protocol }] };
  if (rest.length > 2) {
    return problem(
      'invalid_service',
      raw,
      `ICMP takes a type and an optional code; write ${name}/3 or ${name}/3/4`,
    );
  }

  const [typeText = '', codeText] = rest;
  const type = readIcmpNumber(typeText, 'type', name);
  if (typeof type !== 'number') return { kind: 'problem', problem: type };
  if (codeText === undefined) return { kind: 'entries', entries: [{ protocol, icmpType: type }] };

  const code = readIcmpNumber(codeText, 'code', name);
  if (typeof code !== 'number') return { kind: 'problem', problem: code };
  return { kind: 'entries', entries: [{ protocol, icmpType: type, icmpCode: code }] };
}

function readIcmpNumber(text: string, what: 'type' | 'code', name: string): number | Problem {
  const doing = `parse ICMP ${what}`;
  if (!/^\d+$/.test(text)) {
    const problem = `write a number from 0 to 255, without ranges, such as ${name}/8 or ${name}/3/4`;
    return { code: 'invalid_service', doing, value: text, problem };
  }
  const value = Number(text);
  if (value > 255) {
    const problem = `${value} is out of range; ICMP ${what}s run from 0 to 255`;
    return { code: 'icmp_out_of_range', doing, value: text, problem };
  }
  return value;
}

function problem(code: PolicyIssueCode, value: string, text: string): SpecReading {
  return { kind: 'problem', problem: { code, doing: 'parse service', value, problem: text } };
}
