import type {
  Cidr,
  Endpoint,
  LabelSet,
  Policy,
  Selector,
  SelectorTerm,
} from '../../domain/index.js';

import { prefixRange } from './address-key.js';
import type { AddressKey, KeyRange } from './address-key.js';
import { rangesHold, subtractRanges } from './interval-index.js';

/** The depth at which `select.ts` stops following segments that name segments. */
const SEGMENT_DEPTH = 8;

/** Label constraints with the values of each key as a set. */
export interface CompiledLabels {
  readonly keys: readonly string[];
  readonly values: readonly ReadonlySet<string>[];
}

/**
 * A selector term with segments followed and networks turned into address ranges; the
 * forms `select.ts` matches, and nothing else.
 */
export type CompiledTerm =
  | { readonly kind: 'any' }
  | { readonly kind: 'labels'; readonly match: CompiledLabels; readonly not?: CompiledLabels }
  | { readonly kind: 'name'; readonly name: string }
  | {
      readonly kind: 'address';
      /** What the term was, for messages: `network:internet` or a prefix. */
      readonly text: string;
      readonly v4: readonly KeyRange<number>[];
      readonly v6: readonly KeyRange<bigint>[];
    };

/**
 * The terms of a selector with `segment:` terms replaced by the segments' terms, as
 * deep as `select.ts` follows them; unknown networks and segments select nothing, so they
 * are dropped.
 */
export function compileSelector(policy: Policy, selector: Selector): CompiledTerm[] {
  const out: CompiledTerm[] = [];
  const visit = (terms: Selector, depth: number): void => {
    for (const term of terms) {
      if (term.kind === 'segment') {
        const segment = policy.segments.get(term.name);
        if (segment !== undefined && depth < SEGMENT_DEPTH) visit(segment.select, depth + 1);
        continue;
      }
      const compiled = compileTerm(policy, term);
      if (compiled !== undefined) out.push(compiled);
    }
  };
  visit(selector, 0);
  return out;
}

function compileTerm(
  policy: Policy,
  term: Exclude<SelectorTerm, { kind: 'segment' }>,
): CompiledTerm | undefined {
  switch (term.kind) {
    case 'any':
      return { kind: 'any' };
    case 'labels': {
      const match = compileLabels(term.match);
      return term.not === undefined
        ? { kind: 'labels', match }
        : { kind: 'labels', match, not: compileLabels(term.not) };
    }
    case 'workload':
      return { kind: 'name', name: term.name };
    case 'cidr':
      return addressTerm(term.cidr, [term.cidr], []);
    case 'network': {
      const network = policy.networks.get(term.name);
      if (network === undefined) return undefined;
      return addressTerm(`network:${network.name}`, network.cidrs, network.except);
    }
  }
}

function compileLabels(match: Readonly<Record<string, readonly string[]>>): CompiledLabels {
  const keys = Object.keys(match);
  return { keys, values: keys.map((key) => new Set(match[key])) };
}

/** The address term for prefixes less exceptions, as disjoint ranges per family. */
export function addressTerm(
  text: string,
  cidrs: readonly Cidr[],
  except: readonly Cidr[],
): CompiledTerm {
  const split = (list: readonly Cidr[]) => {
    const v4: KeyRange<number>[] = [];
    const v6: KeyRange<bigint>[] = [];
    for (const cidr of list) {
      const prefix = prefixRange(cidr);
      if (prefix.family === 4) v4.push(prefix.range);
      else v6.push(prefix.range);
    }
    return { v4, v6 };
  };
  const plus = split(cidrs);
  const minus = split(except);
  return {
    kind: 'address',
    text,
    v4: subtractRanges(plus.v4, minus.v4),
    v6: subtractRanges(plus.v6, minus.v6),
  };
}

/** Whether labels satisfy constraints, exactly as `select.ts` reads them. */
export function labelsHold(match: CompiledLabels, labels: LabelSet): boolean {
  const { keys, values } = match;
  for (let index = 0; index < keys.length; index++) {
    const value = labels[keys[index]!];
    if (value === undefined || !values[index]!.has(value)) return false;
  }
  return true;
}

/**
 * Whether a compiled term selects an endpoint whose address key the caller has read
 * (undefined when the endpoint has no address).
 */
export function termHolds(
  term: CompiledTerm,
  endpoint: Endpoint,
  address: AddressKey | undefined,
): boolean {
  switch (term.kind) {
    case 'any':
      return true;
    case 'labels': {
      const labels = endpoint.labels;
      if (labels === undefined || !labelsHold(term.match, labels)) return false;
      return term.not === undefined || !labelsHold(term.not, labels);
    }
    case 'name':
      return endpoint.name === term.name;
    case 'address': {
      if (address === undefined) return false;
      return address.family === 4
        ? rangesHold(term.v4, address.key)
        : rangesHold(term.v6, address.key);
    }
  }
}

/** Whether any of the compiled terms selects the endpoint. */
export function selectorHolds(
  terms: readonly CompiledTerm[],
  endpoint: Endpoint,
  address: AddressKey | undefined,
): boolean {
  for (let index = 0; index < terms.length; index++) {
    if (termHolds(terms[index]!, endpoint, address)) return true;
  }
  return false;
}

/**
 * Whether a side has a term that selects every endpoint (`any`) or every labelled one (a
 * term with only `not:`); such a side gives an index nothing to file a rule under.
 */
export function isBroadSide(terms: readonly CompiledTerm[]): boolean {
  return terms.some(
    (term) => term.kind === 'any' || (term.kind === 'labels' && term.match.keys.length === 0),
  );
}
