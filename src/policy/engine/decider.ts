import type { Decision, Endpoint, FlowQuestion, Policy, Rule } from '../../domain/index.js';

import { addressKey } from './address-key.js';
import type { CompiledRule } from './compiled-rule.js';
import { decideMatched } from './decide-matched.js';
import { createEndpointTable } from './endpoint-table.js';
import type { EndpointId } from './endpoint-table.js';
import type { AddressKey } from './address-key.js';
import { compileSelector, isBroadSide, selectorHolds, termHolds } from './compiled-selector.js';
import { compileServices, servicesHold } from './compiled-services.js';
import { createSideIndex, scanSideIndex } from './side-index.js';
import type { IndexedEntry, SideIndex } from './side-index.js';
import { createServiceBucket, inlineServices, scanServiceBucket } from './service-bucket.js';
import type { ServiceBucket } from './service-bucket.js';

/** Options of a compiled decider. */
export interface DeciderOptions {
  /**
   * The instant decisions are made at, in milliseconds since the epoch: rules that expired
   * before it are left out when compiling. Absent: expiry is ignored, as in `evaluate`.
   */
  readonly at?: number;
}

/** A policy compiled for answering many questions. */
export interface Decider {
  /**
   * The decision `evaluate(policy, question, options)` gives, computed from the indexes.
   * A plain function, so it can be passed around without its object.
   */
  readonly decide: (question: FlowQuestion) => Decision;
  /**
   * Resolves an endpoint once, for replay: the id stands for every endpoint that the
   * same rule sides select. Prepare each workload address once and keep the id; equal
   * endpoints get equal ids.
   */
  readonly prepare: (endpoint: Endpoint) => EndpointId;
  /**
   * The decision `decide` gives for the endpoints the ids were prepared from, read from
   * per-pair service tables (a hash lookup and a binary search over port intervals).
   * Five arguments, not a question object, so that replay allocates nothing per decision.
   *
   * @throws RangeError when an id was not prepared by this decider.
   */
  readonly decideIds: (
    from: EndpointId,
    to: EndpointId,
    protocol: number,
    port: number,
    icmpCode?: number,
  ) => Decision;
  /** How many rules take part (expired ones are left out). */
  readonly ruleCount: number;
}

/** Addresses kept parsed between decisions; replay sees the same few thousand again and again. */
const ADDRESS_CACHE_LIMIT = 1 << 16;

/**
 * Compiles a policy into indexes for fast decisions. Each rule is filed under one side:
 * the destination when it names labels, workloads or addresses, else the source, else a
 * list of rules both of whose sides are broad. Label terms are filed by their most
 * selective key and value, workload terms by name, prefixes and networks in an interval
 * index of addresses, and every bucket is split by protocol and port when it grows. A
 * decision then checks only the rules filed under the question's own labels, name,
 * address and port, so its cost follows the rules that could match, not the rule count.
 *
 * @param policy A validated policy.
 * @param options `at` leaves out rules that expired before it.
 * @returns A decider whose answers equal `evaluate(policy, question, options)`.
 * @example
 * const decider = compileDecider(policy);
 * decider.decide({ from: { labels: { app: 'web' } }, to: { labels: { app: 'db' } }, protocol: 6, port: 5432 });
 */
export function compileDecider(policy: Policy, options: DeciderOptions = {}): Decider {
  const rules = compileRules(policy, options);
  const toIndex = createSideIndex(rules, 'to');
  const fromIndex = createSideIndex(rules, 'from');
  const rest = createServiceBucket(
    rules
      .filter((rule) => isBroadSide(rule.to) && isBroadSide(rule.from))
      .map((rule): IndexedEntry => ({
        rule: rule.index,
        services: rule.services,
        ...inlineServices(rule.services),
        term: null,
      })),
  );
  return createDecider(rules, { toIndex, fromIndex, rest });
}

function compileRules(policy: Policy, options: DeciderOptions): CompiledRule[] {
  const out: CompiledRule[] = [];
  policy.tiers.forEach((tier, tierIndex) => {
    for (const rule of tier.rules) {
      if (isExpired(rule, options)) continue;
      const from = compileSelector(policy, rule.from);
      const to = compileSelector(policy, rule.to);
      if (from.length === 0 || to.length === 0) continue; // selects nothing, never matches

      const decision: Decision | null =
        rule.action === 'pass'
          ? null
          : Object.freeze({ verdict: rule.action, rule: rule.id, tier: tier.name });
      const services = compileServices(rule.services);
      out.push({
        index: out.length,
        tier: tierIndex,
        action: rule.action,
        from,
        to,
        services,
        decision,
      });
    }
  });
  return out;
}

function isExpired(rule: Rule, options: DeciderOptions): boolean {
  return options.at !== undefined && rule.expires !== undefined && rule.expires < options.at;
}

interface Indexes {
  readonly toIndex: SideIndex;
  readonly fromIndex: SideIndex;
  readonly rest: ServiceBucket<IndexedEntry>;
}

function createDecider(rules: readonly CompiledRule[], indexes: Indexes): Decider {
  const { toIndex, fromIndex, rest } = indexes;
  const stamps = new Uint32Array(rules.length);
  const matched = new Int32Array(rules.length);
  const addresses = new Map<string, AddressKey | null>();
  let epoch = 0;
  let count = 0;

  // The question being decided; the visitors below read it instead of taking arguments so
  // no closure is allocated per decision.
  let question: FlowQuestion;
  let fromAddress: AddressKey | undefined;
  let toAddress: AddressKey | undefined;

  // IPv4 keys are written into one object per side instead of allocating two per decision.
  const fromV4: { readonly family: 4; key: number } = { family: 4, key: 0 };
  const toV4: { readonly family: 4; key: number } = { family: 4, key: 0 };
  const keyOf = (
    endpoint: Endpoint,
    v4Slot: { readonly family: 4; key: number },
  ): AddressKey | undefined => {
    const text = endpoint.address;
    if (text === undefined) return undefined;
    const v4 = dottedQuadKey(text);
    if (v4 >= 0) {
      v4Slot.key = v4;
      return v4Slot;
    }
    let key = addresses.get(text);
    if (key === undefined) {
      if (addresses.size >= ADDRESS_CACHE_LIMIT) addresses.clear();
      key = addressKey(text) ?? null;
      addresses.set(text, key);
    }
    return key ?? undefined;
  };

  const servicesOf = (entry: IndexedEntry): boolean => {
    const protocol = entry.protocol;
    if (protocol === -1) return true;
    if (protocol === -2) return servicesHold(rules[entry.rule]!.services, question);
    return (
      protocol === question.protocol && entry.first <= question.port && question.port <= entry.last
    );
  };
  const accept = (rule: CompiledRule): void => {
    stamps[rule.index] = epoch;
    matched[count++] = rule.index;
  };
  const visitTo = (entry: IndexedEntry): void => {
    if (stamps[entry.rule] === epoch || !servicesOf(entry)) return;
    const rule = rules[entry.rule]!;
    if (entry.term !== null && !termHolds(entry.term, question.to, toAddress)) return;
    if (selectorHolds(rule.from, question.from, fromAddress)) accept(rule);
  };
  const visitFrom = (entry: IndexedEntry): void => {
    if (stamps[entry.rule] === epoch || !servicesOf(entry)) return;
    const rule = rules[entry.rule]!;
    if (entry.term !== null && !termHolds(entry.term, question.from, fromAddress)) return;
    if (selectorHolds(rule.to, question.to, toAddress)) accept(rule);
  };
  const visitRest = (entry: IndexedEntry): void => {
    if (stamps[entry.rule] === epoch || !servicesOf(entry)) return;
    const rule = rules[entry.rule]!;
    if (!selectorHolds(rule.from, question.from, fromAddress)) return;
    if (selectorHolds(rule.to, question.to, toAddress)) accept(rule);
  };

  const decide = (asked: FlowQuestion): Decision => {
    question = asked;
    fromAddress = keyOf(asked.from, fromV4);
    toAddress = keyOf(asked.to, toV4);
    count = 0;
    epoch = epoch === 0xffffffff ? restart(stamps) : epoch + 1;

    scanSideIndex(toIndex, asked.to, toAddress, asked, visitTo);
    scanSideIndex(fromIndex, asked.from, fromAddress, asked, visitFrom);
    scanServiceBucket(rest, asked.protocol, asked.port, visitRest);
    return decideMatched(rules, matched, count);
  };
  return { decide, ...createEndpointTable(rules), ruleCount: rules.length };
}

/**
 * The key of a canonical dotted quad read digit by digit, or -1 for anything else (which
 * then goes through the lenient parser). Cheaper than a cache lookup: hashing the address
 * text costs more than reading its at most 15 characters.
 */
function dottedQuadKey(text: string): number {
  let key = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      key = key * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    if (code < 48 || code > 57) return -1;
    // A leading zero is left to the lenient parser, which may read it as octal.
    if (digits === 1 && octet === 0) return -1;
    octet = octet * 10 + (code - 48);
    digits++;
    if (octet > 255) return -1;
  }
  if (digits === 0 || dots !== 3) return -1;
  return key * 256 + octet;
}

function restart(stamps: Uint32Array): number {
  stamps.fill(0);
  return 1;
}
