import type { Address, Cidr } from './address.js';
import type { Place } from './errors.js';
import type { LabelSet } from './label.js';

/** What a rule does with the flows it matches. `pass` hands them to the next tier. */
export type RuleAction = 'allow' | 'deny' | 'pass';

/** The public decision for a flow. */
export type Verdict = 'allow' | 'deny';

/** Enforcement mode of a scope; the strictest of the scopes selecting a workload wins. */
export type Mode = 'observe' | 'test' | 'enforce';

/** Modes from least to most strict. */
export const MODE_STRICTNESS: readonly Mode[] = ['observe', 'test', 'enforce'];

/** An inclusive range of ports, `first` ≤ `last`, both in 1–65535 (ICMP: 0–255). */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/**
 * One protocol with what it matches: ports for TCP/UDP/SCTP (absent: every port), the
 * ICMP type and optional code for ICMP (absent: every type). `protocol: 'any'` matches
 * everything.
 */
export interface ServiceEntry {
  readonly protocol: number | 'any';
  readonly ports?: readonly PortRange[];
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

/** A named set of prefixes that is not a workload, minus its exceptions. */
export interface Network {
  readonly name: string;
  readonly cidrs: readonly Cidr[];
  readonly except: readonly Cidr[];
}

/** Label constraints: AND across keys, OR among the values listed for one key. */
export type LabelMatch = Readonly<Record<string, readonly string[]>>;

/** One alternative of a selector. */
export type SelectorTerm =
  | { readonly kind: 'any' }
  | { readonly kind: 'labels'; readonly match: LabelMatch; readonly not?: LabelMatch }
  | { readonly kind: 'workload'; readonly name: string }
  | { readonly kind: 'network'; readonly name: string }
  | { readonly kind: 'segment'; readonly name: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr };

/** What a rule side matches: any of its terms (OR). */
export type Selector = readonly SelectorTerm[];

/** One rule of a tier. `services: 'any'` matches every protocol and port. */
export interface Rule {
  readonly id: string;
  readonly action: RuleAction;
  readonly from: Selector;
  readonly to: Selector;
  readonly services: readonly ServiceEntry[] | 'any';
  readonly reason?: string;
  readonly owner?: string;
  /** Milliseconds since the epoch after which the rule no longer matches. */
  readonly expires?: number;
  readonly place?: Place;
}

/** An ordered group of rules; the first tier that allows or denies decides. */
export interface Tier {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** A named selector that marks a boundary, optionally declared isolated. */
export interface Segment {
  readonly name: string;
  readonly select: Selector;
  readonly isolated: boolean;
  /** Rule ids allowed to cross an isolated segment's boundary. */
  readonly exceptions: readonly string[];
}

/** The mode for the workloads a scope selects. */
export interface ModeScope {
  readonly scope: Selector;
  readonly mode: Mode;
}

/** A policy test: every `from` must (or must not) reach every `to` on the service. */
export interface PolicyTest {
  readonly from: Selector;
  readonly to: Selector;
  /** The service as written, for messages. */
  readonly serviceText: string;
  readonly service: readonly ServiceEntry[];
  readonly expect: Verdict;
  readonly place?: Place;
}

/** A validated policy: tiers of rules, services, networks, segments, modes and tests. */
export interface Policy {
  readonly version: 1;
  readonly services: ReadonlyMap<string, readonly ServiceEntry[]>;
  readonly networks: ReadonlyMap<string, Network>;
  readonly segments: ReadonlyMap<string, Segment>;
  readonly modes: readonly ModeScope[];
  readonly tiers: readonly Tier[];
  readonly tests: readonly PolicyTest[];
}

/**
 * One end of a flow as the policy sees it: an address, a workload (name and labels), or
 * both. A label-only endpoint stands for a hypothetical workload with those labels.
 */
export interface Endpoint {
  readonly address?: Address;
  readonly name?: string;
  readonly labels?: LabelSet;
}

/** The question the policy answers: may `from` open this service on `to`? */
export interface FlowQuestion {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: number;
  /** Destination port; for ICMP the type. */
  readonly port: number;
  /** ICMP code, when known. */
  readonly icmpCode?: number;
}

/** The verdict with the deciding rule and tier, or null for both when by default. */
export interface Decision {
  readonly verdict: Verdict;
  readonly rule: string | null;
  readonly tier: string | null;
}
