/**
 * How Kubernetes labels and selectors become Bulkhead labels and selector terms when a
 * cluster's policies are imported. Bulkhead label keys are lower case and hold only
 * `a-z 0-9 _ . / -` (at most 63 characters), so Kubernetes keys are mapped once, in sorted
 * order, and the same mapping serves workloads and selectors alike.
 */
import { invariant, isLabelKey, isLabelValue } from '../../domain/index.js';
import type { LabelSelector } from './label-selector.js';
import { selectorMatches } from './label-selector.js';
import type { Labels, Workload } from './model.js';

/** The Bulkhead label that carries a pod's namespace. */
export const NAMESPACE_KEY = 'namespace';

/** One selector term as written in a policy file: a label map or `workload:NAME`. */
export type TermYaml = string | Readonly<Record<string, unknown>>;

/** Maps Kubernetes label keys to distinct, valid Bulkhead keys; `namespace` is reserved. */
export function labelKeyMapping(keys: Iterable<string>): ReadonlyMap<string, string> {
  const taken = new Set<string>([NAMESPACE_KEY]);
  const out = new Map<string, string>();
  for (const key of [...new Set(keys)].sort()) {
    const base = sanitizeKey(key);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, 58)}_${n}`;
    taken.add(candidate);
    out.set(key, candidate);
  }
  return out;
}

function sanitizeKey(key: string): string {
  const lower = key.toLowerCase().replace(/[^a-z0-9_./-]/g, '_');
  const start = /^[a-z]/.test(lower) ? lower : `k_${lower}`;
  return start.slice(0, 63);
}

/**
 * A Kubernetes label value as a Bulkhead value. Kubernetes allows the empty value, which
 * Bulkhead does not; it becomes `empty:`, which no Kubernetes value can be (no colons).
 */
export function labelValue(value: string): string {
  if (isLabelValue(value)) return value;
  if (value === '') return 'empty:';
  const clean = value.replace(/[^A-Za-z0-9_./:-]/g, '_').slice(0, 126);
  return /^[A-Za-z0-9]/.test(clean) ? clean : `v:${clean}`;
}

/** What the converter knows about the cluster's pods when it translates a selector. */
export interface SelectorContext {
  readonly keys: ReadonlyMap<string, string>;
  readonly workloads: readonly Workload[];
  /** Bulkhead workload name of each workload. */
  readonly names: ReadonlyMap<Workload, string>;
  /** The values each Kubernetes label key takes on some workload, sorted. */
  readonly values: ReadonlyMap<string, readonly string[]>;
}

/** The Bulkhead labels of a workload: its namespace and its pod labels, keys mapped. */
export function workloadLabels(ctx: SelectorContext, workload: Workload): Labels {
  const out: Record<string, string> = { [NAMESPACE_KEY]: workload.namespace };
  for (const [key, value] of Object.entries(workload.labels)) {
    out[mappedKey(ctx, key)] = labelValue(value);
  }
  return out;
}

function mappedKey(ctx: SelectorContext, key: string): string {
  const mapped = ctx.keys.get(key);
  invariant(mapped !== undefined && isLabelKey(mapped), `Label key "${key}" is not mapped`);
  return mapped;
}

/**
 * The selector terms for the pods of `namespaces` that `selector` selects (all of their
 * pods when absent). `Exists` and `DoesNotExist` name the values the key takes in the
 * cluster, which is exact for the imported workloads; a selector with more than one
 * negative requirement becomes the list of workloads it selects, because Bulkhead's `not`
 * excludes only when all of its labels match. Empty: the selector selects no pod.
 */
export function podTerms(
  ctx: SelectorContext,
  namespaces: readonly string[],
  selector?: LabelSelector,
): TermYaml[] {
  if (namespaces.length === 0) return [];
  const match = new Map<string, readonly string[]>();
  const not = new Map<string, readonly string[]>();

  const require = (key: string, values: readonly string[]): void => {
    const prev = match.get(key);
    match.set(key, prev ? values.filter((v) => prev.includes(v)) : values);
  };
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) require(key, [value]);
  for (const req of selector?.matchExpressions ?? []) {
    const seen = ctx.values.get(req.key) ?? [];
    if (req.operator === 'In') require(req.key, req.values);
    if (req.operator === 'Exists') require(req.key, seen);
    if (req.operator === 'NotIn' && req.values.length > 0) not.set(req.key, req.values);
    if (req.operator === 'DoesNotExist' && seen.length > 0) not.set(req.key, seen);
  }
  if ([...match.values()].some((values) => values.length === 0)) return [];
  if (not.size > 1) return enumerate(ctx, namespaces, selector);

  const term: Record<string, unknown> = { [NAMESPACE_KEY]: [...namespaces].sort() };
  for (const [key, values] of match) term[mappedKey(ctx, key)] = values.map(labelValue);
  for (const [key, values] of not) term.not = { [mappedKey(ctx, key)]: values.map(labelValue) };
  return [term];
}

function enumerate(
  ctx: SelectorContext,
  namespaces: readonly string[],
  selector?: LabelSelector,
): TermYaml[] {
  return ctx.workloads
    .filter((w) => namespaces.includes(w.namespace))
    .filter((w) => !selector || selectorMatches(selector, w.labels))
    .map((w) => `workload:${ctx.names.get(w) ?? ''}`);
}
