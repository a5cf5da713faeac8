import { isLabelKey, isLabelValue } from '../domain/index.js';
import type { Policy, Selector, SelectorTerm } from '../domain/index.js';

import { looksLikeCidr, readCidr } from './cidr-text.js';
import type { PolicyIssueCode } from './issue.js';
import { knownNames } from './name.js';
import { problemMessage } from './problem.js';
import type { Problem } from './problem.js';

/** The network and segment names a selector may refer to; undefined skips the check. */
export interface SelectorNames {
  readonly networks: ReadonlySet<string>;
  readonly segments: ReadonlySet<string>;
}

/** Outcome of parsing a query side typed by a user. */
export type SelectorTextResult =
  | { readonly ok: true; readonly term: SelectorTerm; readonly selector: Selector }
  | { readonly ok: false; readonly code: PolicyIssueCode; readonly message: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;

/**
 * Workload names come from every inventory and flow source (`namespace/pod` from
 * Kubernetes and Hubble, `Web Server 1` from a CSV, addresses): any text without control
 * characters or surrounding blanks, so every workload Bulkhead knows can be named in a policy.
 */
const WORKLOAD_NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;

/** What a selector written as text may be, for messages. */
export const SELECTOR_FORMS =
  'write any, workload:NAME, network:NAME, segment:NAME, a CIDR such as 198.18.0.0/15, or a label map such as {app: web}';

/**
 * Reads one selector term written as a string in a policy file: `any`, `workload:NAME`,
 * `network:NAME`, `segment:NAME`, or a bare CIDR or address.
 */
export function readSelectorString(text: string, names?: SelectorNames): SelectorTerm | Problem {
  const value = text.trim();
  if (value === 'any') return { kind: 'any' };

  const colon = value.indexOf(':');
  const prefix = colon < 0 ? '' : value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (prefix === 'workload' || prefix === 'network' || prefix === 'segment') {
    return readNamed(prefix, name, text, names);
  }
  if (looksLikeCidr(value)) {
    const cidr = readCidr(value);
    if (typeof cidr === 'string') return { kind: 'cidr', cidr };
    return { code: 'invalid_cidr', doing: 'parse CIDR', value: text, problem: cidr.problem };
  }

  const problem = value.includes('=')
    ? 'labels are written as a map in a policy file; write {app: web}'
    : `it is not a selector; ${SELECTOR_FORMS}`;
  return { code: 'invalid_selector', doing: 'parse selector', value: text, problem };
}

function readNamed(
  kind: 'workload' | 'network' | 'segment',
  name: string,
  text: string,
  names: SelectorNames | undefined,
): SelectorTerm | Problem {
  if (kind === 'workload' ? !WORKLOAD_NAME.test(name) : !NAME.test(name)) {
    const allowed =
      kind === 'workload'
        ? 'is empty, has blanks around it or holds control characters'
        : 'is empty or holds characters other than letters, digits, "_ . : @ -"';
    const problem = `the ${kind} name ${allowed}; write ${kind}:NAME`;
    return { code: 'invalid_selector', doing: 'parse selector', value: text, problem };
  }
  if (kind === 'workload' || names === undefined) return { kind, name };

  const known = kind === 'network' ? names.networks : names.segments;
  if (known.has(name)) return { kind, name };
  const code = kind === 'network' ? 'unknown_network' : 'unknown_segment';
  const problem = `no ${kind} has that name; ${knownNames(known)}`;
  return { code, doing: `find ${kind}`, value: name, problem };
}

/**
 * Parses one side of a query typed on the command line: a workload (`workload:web-1` or a
 * bare name), an address, a CIDR, `network:NAME`, `segment:NAME`, labels
 * (`app=web,role=db`) or `any`.
 *
 * @param text The text the user typed.
 * @param policy When given, network and segment names are checked against it.
 * @returns The selector term, or a message that names the value and the fix; never throws.
 * @example
 * parseSelectorText('app=web,role=db'); // { ok: true, term: { kind: 'labels', match: { app: ['web'], role: ['db'] } }, … }
 */
export function parseSelectorText(text: string, policy?: Policy): SelectorTextResult {
  const value = text.trim();
  const term = value.includes('=') ? readLabelText(value) : readQueryTerm(value, policy);
  if ('code' in term) return { ok: false, code: term.code, message: problemMessage(term, '') };
  return { ok: true, term, selector: [term] };
}

function readQueryTerm(value: string, policy: Policy | undefined): SelectorTerm | Problem {
  const names =
    policy === undefined
      ? undefined
      : { networks: new Set(policy.networks.keys()), segments: new Set(policy.segments.keys()) };
  if (value === '') {
    const problem = `it is empty; ${SELECTOR_FORMS.replace('a label map such as {app: web}', 'labels such as app=web,role=db')}, or a workload name`;
    return { code: 'invalid_selector', doing: 'parse query side', value, problem };
  }

  const isPrefixed = /^(workload|network|segment):/.test(value) || value === 'any';
  if (isPrefixed || looksLikeCidr(value)) return readSelectorString(value, names);
  return readNamed('workload', value, value, names);
}

function readLabelText(value: string): SelectorTerm | Problem {
  const match: Record<string, string[]> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const label = part.slice(eq + 1).trim();
    const fail = (code: PolicyIssueCode, problem: string): Problem => ({
      code,
      doing: 'parse labels',
      value,
      problem,
    });

    if (eq < 0)
      return fail(
        'invalid_selector',
        `"${part}" is not key=value; write labels such as app=web,role=db`,
      );
    if (!isLabelKey(key)) return fail('invalid_label_key', labelKeyProblem(key));
    if (!isLabelValue(label)) return fail('invalid_label_value', labelValueProblem(label));
    if (match[key] !== undefined)
      return fail(
        'invalid_selector',
        `key "${key}" appears twice; a workload has one value per key`,
      );
    match[key] = [label];
  }
  return { kind: 'labels', match };
}

/** Why a label key is not valid, with the fix. */
export function labelKeyProblem(key: string): string {
  return `label key "${key}" must start with a lower-case letter and hold only a-z, 0-9, "_ . / -"`;
}

/** Why a label value is not valid, with the fix. */
export function labelValueProblem(value: string): string {
  return `label value "${value}" must start with a letter or digit and hold only letters, digits, "_ . / : -"`;
}
